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
    diagram: Any = None
    rivals: list[list[tuple[str, list[Claim]]]] = field(default_factory=list)
    opposing_columns: list[tuple[str, list[Claim]]] = field(default_factory=list)


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
        view.rivals = [[(t("labels.account", n=i + 1), [claim]) for i, claim in enumerate(group)]
                       for group in rival_groups(claims, atlas)]
    elif entity.kind == "pathway":
        view.groups = group_claims(claims, "therapy")
        view.effects = _unique_pairs((c.therapy, c.effect) for c in claims)
        view.effects_label = t("kinds.therapy.many")
        rows = [(t("labels.genes"), list(entity.ids_in("genes"))),
                (t("labels.part_of"), list(entity.ids_in("part_of")))]
        view.link_rows = [(label, ids) for label, ids in rows if ids]
        view.opposing_columns = [(t(f"effects.{effect}"), items)
                                 for effect, items in opposing_effects(atlas, entity)]
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


def rival_groups(claims: list[Claim], atlas: Atlas) -> list[list[Claim]]:
    """Claims linked by ``competes_with`` (either way): rival explanations of one effect."""
    ids = {c.id for c in claims}
    groups: list[list[Claim]] = []
    seen: set[str] = set()
    for claim in sorted(claims, key=lambda c: c.id):
        if claim.id in seen:
            continue
        members = {claim.id}
        frontier = [claim.id]
        while frontier:
            current = atlas.claims[frontier.pop()]
            linked = set(current.competes_with) | set(atlas.rivals_of(current.id))
            for other in sorted(linked - members):
                members.add(other)
                frontier.append(other)
        if len(members) > 1 and members & ids:
            seen |= members
            groups.append(sorted((atlas.claims[i] for i in members), key=lambda c: c.id))
    return groups


def opposing_effects(atlas: Atlas, entity: Entity) -> list[tuple[str, list[Claim]]]:
    """On a pathway and the pathways that are part of it: claims pulling opposite ways."""
    pathways = {entity.id} | {e.id for e in atlas.entities.values()
                              if e.kind == "pathway" and entity.id in e.ids_in("part_of")}
    claims = [c for p in sorted(pathways) for c in atlas.claims_of(p) if c.pathway == p]
    by_effect = {effect: sorted((c for c in claims if c.effect == effect), key=lambda c: c.id)
                 for effect in ("activates", "inhibits")}
    if all(by_effect.values()):
        return list(by_effect.items())
    return []
