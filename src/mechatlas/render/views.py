"""View models: the groupings and summaries each page kind shows, computed from claims.

Templates only loop over what these functions return, so every page kind's
logic is testable without Jinja.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from mechatlas.model.atlas import Atlas
from mechatlas.model.entities import DESIGNS, FACT_CATEGORIES, Claim, Entity, Fact, SourceRef, Text

KEY_FACT_CATEGORIES = ("outcome", "protocol", "adverse-effect")
KEY_FACTS = 4


@dataclass
class Variant:
    name: str
    note: Text
    source: SourceRef


@dataclass
class EntityView:
    groups: list[tuple[str, list[Claim]]] = field(default_factory=list)
    fact_groups: list[tuple[str, list[Fact]]] = field(default_factory=list)
    link_rows: list[tuple[str, list[str]]] = field(default_factory=list)
    effects: list[tuple[str, str]] = field(default_factory=list)
    effects_label: str = ""
    strongest: str | None = None
    category_label: str = ""
    claim_count: int = 0
    fact_count: int = 0
    key_facts: list[Fact] = field(default_factory=list)
    variants: list[Variant] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    scope: Text | None = None
    note: Text | None = None
    formatted: Any = ""


def group_claims(claims: list[Claim], by: str) -> list[tuple[str, list[Claim]]]:
    groups: OrderedDict[str, list[Claim]] = OrderedDict()
    for claim in sorted(claims, key=lambda c: (getattr(c, by), c.id)):
        groups.setdefault(getattr(claim, by), []).append(claim)
    return list(groups.items())


def group_facts(facts: list[Fact]) -> list[tuple[str, list[Fact]]]:
    return [(category, [f for f in facts if f.category == category])
            for category in FACT_CATEGORIES if any(f.category == category for f in facts)]


def strongest_design(claims: list[Claim]) -> str | None:
    designs = [c.strongest_design for c in claims]
    return min(designs, key=DESIGNS.index) if designs else None


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def entity_view(atlas: Atlas, entity: Entity, t: Any) -> EntityView:
    """Everything an entity page shows besides its own fields."""
    claims = atlas.claims_of(entity.id)
    facts = atlas.facts_of(entity.id)
    view = EntityView(
        fact_groups=group_facts(facts),
        strongest=strongest_design(claims),
        claim_count=len(claims),
        fact_count=len(facts),
        key_facts=[f for c in KEY_FACT_CATEGORIES for f in facts if f.category == c][:KEY_FACTS],
    )
    category = entity.fields.get("category")
    if category and entity.kind == "therapy":
        view.category_label = t(f"therapy_categories.{category}")
    if entity.kind == "therapy":
        view.groups = group_claims(claims, "pathway")
        conditions = _unique([*entity.ids_in("conditions"), *(c.condition for c in claims)])
        components = list(entity.ids_in("components"))
        view.link_rows = [(t("labels.components"), components)] if components else []
        if conditions:
            view.link_rows.append((t("labels.conditions_studied"), conditions))
        view.effects = _unique_pairs((c.pathway, c.effect) for c in claims)
        view.effects_label = t("kinds.pathway.many")
    elif entity.kind == "pathway":
        view.groups = group_claims(claims, "therapy")
        view.effects = _unique_pairs((c.therapy, c.effect) for c in claims)
        view.effects_label = t("kinds.therapy.many")
        rows = [(t("labels.genes"), list(entity.ids_in("genes"))),
                (t("labels.part_of"), list(entity.ids_in("part_of")))]
        view.link_rows = [(label, ids) for label, ids in rows if ids]
    elif entity.kind == "condition":
        view.groups = group_claims(claims, "therapy")
        parts = list(entity.ids_in("part_of"))
        view.link_rows = [(t("labels.part_of"), parts)] if parts else []
        view.effects = _unique_pairs((c.pathway, c.effect) for c in claims)
        view.effects_label = t("kinds.pathway.many")
    else:  # gene, method
        view.groups = group_claims(claims, "therapy")
        rows = [(t("labels.conditions"), list(entity.ids_in("conditions"))),
                (t("labels.pathways"), list(entity.ids_in("pathways")))]
        view.link_rows = [(label, ids) for label, ids in rows if ids]
        view.variants = [
            Variant(v["name"], Text.of(v["note"]) or Text(), SourceRef.of(v["source"]))
            for v in entity.fields.get("variants") or ()
        ]
    return view


def source_view(atlas: Atlas, entity: Entity, formatted: Any) -> EntityView:
    key = entity.fields["cite"]
    claims = sorted((c for c in atlas.claims.values()
                     if any(e.source.cite == key for e in c.evidence)), key=lambda c: c.id)
    facts = sorted((f for f in atlas.facts.values() if f.source.cite == key), key=lambda f: f.id)
    return EntityView(claims=claims, facts=facts, claim_count=len(claims), fact_count=len(facts),
                      scope=Text.of(entity.fields.get("scope")),
                      note=Text.of(entity.fields.get("note")), formatted=formatted)


def _unique_pairs(pairs: Any) -> list[tuple[str, str]]:
    return sorted(set(pairs))
