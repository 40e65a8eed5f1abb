"""View models: the groupings and summaries each page kind shows, computed from claims.

Templates only loop over what these functions return, so every page kind's
logic is testable without Jinja.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from mechatlas.model.atlas import Atlas
from mechatlas.model.entities import Claim, Entity, Fact, SourceRef, Text
from mechatlas.model.evidence import Conflict, Headline, claims_headline
from mechatlas.model.reference import Reference
from mechatlas.model.scope import Scope, scope_of
from mechatlas.model.vocabulary import FACT_CATEGORIES

GLANCE_ROWS = ("outcome", "adverse-effect", "protocol")
"""Fact categories a therapy's glance always shows, in this order, even when empty."""
GLANCE_FACTS = 3
"""Facts per glance row; the rest stay in the full list further down."""


@dataclass
class Variant:
    name: Text
    """A symbol is written the same in both languages; a description is translated."""
    note: Text
    source: SourceRef


@dataclass
class ConditionRow:
    """One condition a therapy or pathway is studied in, with its own evidence headline."""

    condition: str
    headline: Headline
    claims: list[Claim]


@dataclass
class TherapyRow:
    """One therapy on a condition page: evidence in this condition, outcome, harm."""

    therapy: str
    headline: Headline | None
    """``None`` when no mechanism claim names the therapy in this condition."""
    claims: list[Claim]
    outcomes: list[Fact]
    adverse: list[Fact]


@dataclass
class GlanceRow:
    category: str
    facts: list[Fact]
    more: int = 0
    """Facts of the category beyond the glance, listed further down."""


@dataclass
class EntityView:
    groups: list[tuple[str, list[Claim]]] = field(default_factory=list)
    fact_groups: list[tuple[str, list[Fact]]] = field(default_factory=list)
    link_rows: list[tuple[str, list[str]]] = field(default_factory=list)
    category_label: str = ""
    claim_count: int = 0
    fact_count: int = 0
    variants: list[Variant] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    scope: Text | None = None
    note: Text | None = None
    formatted: Any = ""
    diagram: Any = None
    rivals: list[list[tuple[str, list[Claim]]]] = field(default_factory=list)
    opposing_columns: list[tuple[str, list[Claim]]] = field(default_factory=list)
    scope_of_page: Scope | None = None
    condition_rows: list[ConditionRow] = field(default_factory=list)
    therapy_rows: list[TherapyRow] = field(default_factory=list)
    glance_rows: list[GlanceRow] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    movement_claims: list[Claim] = field(default_factory=list)
    """Claims in the order the glance lists what the entity moves (therapy and pathway pages)."""


def group_claims(claims: list[Claim], by: str) -> list[tuple[str, list[Claim]]]:
    groups: OrderedDict[str, list[Claim]] = OrderedDict()
    for claim in sorted(claims, key=lambda c: (getattr(c, by), c.id)):
        groups.setdefault(getattr(claim, by), []).append(claim)
    return list(groups.items())


def group_facts(facts: list[Fact]) -> list[tuple[str, list[Fact]]]:
    return [(category, [f for f in facts if f.category == category])
            for category in FACT_CATEGORIES if any(f.category == category for f in facts)]


def entity_view(atlas: Atlas, entity: Entity, t: Any,
                references: dict[str, Reference] | None = None) -> EntityView:
    """Everything an entity page shows besides its own fields, bottom line first."""
    claims = atlas.claims_of(entity.id)
    facts = atlas.facts_of(entity.id)
    view = EntityView(claim_count=len(claims), fact_count=len(facts))
    shown: set[str] = set()
    category = entity.fields.get("category")
    if category and entity.kind == "therapy":
        view.category_label = t(f"therapy_categories.{category}")
    if entity.kind == "therapy":
        view.groups = group_claims(claims, "pathway")
        components = list(entity.ids_in("components"))
        view.link_rows = [(t("labels.components"), components)] if components else []
        view.condition_rows = condition_rows(atlas, claims, entity.ids_in("conditions"))
        view.movement_claims = distinct_movements(claims)
        view.conflicts = atlas.conflicts_of(entity.id)
        view.glance_rows = glance_rows(facts)
        shown = {f.id for row in view.glance_rows for f in row.facts}
        view.rivals = [[(t("labels.account", n=i + 1), [claim]) for i, claim in enumerate(group)]
                       for group in rival_groups(claims, atlas)]
    elif entity.kind == "pathway":
        view.groups = group_claims(claims, "therapy")
        own = [c for c in claims if c.pathway == entity.id]
        view.condition_rows = condition_rows(atlas, own, ())
        view.movement_claims = sorted(own, key=lambda c: (c.condition, c.therapy, c.id))
        rows = [(t("labels.genes"), list(entity.ids_in("genes"))),
                (t("labels.part_of_pathway"), list(entity.ids_in("part_of")))]
        view.link_rows = [(label, ids) for label, ids in rows if ids]
        view.opposing_columns = [(t(f"effects.{effect}"), items)
                                 for effect, items in opposing_effects(atlas, entity)]
    elif entity.kind == "condition":
        view.groups = group_claims(claims, "therapy")
        parts = list(entity.ids_in("part_of"))
        view.link_rows = [(t("labels.part_of_condition"), parts)] if parts else []
        view.therapy_rows = therapy_rows(atlas, entity.id)
    else:  # gene, method
        view.groups = group_claims(claims, "therapy")
        rows = [(t("labels.conditions"), list(entity.ids_in("conditions"))),
                (t("labels.pathways"), list(entity.ids_in("pathways")))]
        view.link_rows = [(label, ids) for label, ids in rows if ids]
        view.variants = [
            Variant(Text.of(v["name"]) or Text(), Text.of(v["note"]) or Text(),
                    SourceRef.of(v["source"]))
            for v in entity.fields.get("variants") or ()
        ]
    view.fact_groups = group_facts([f for f in facts if f.id not in shown])
    scope_claims = claims
    if entity.kind == "condition":
        scope_claims = [c for row in view.therapy_rows for c in row.claims]
    view.scope_of_page = scope_of(atlas, references or {}, claims=scope_claims, facts=facts,
                                  entities=[entity])
    return view


def condition_rows(atlas: Atlas, claims: list[Claim],
                   declared: tuple[str, ...]) -> list[ConditionRow]:
    """Per condition the claims name (and any the entry declares), its direct-evidence headline.

    Ordered by evidence strength, then by name: the best-supported condition comes first.
    """
    by_condition: dict[str, list[Claim]] = {}
    for condition in declared:
        by_condition.setdefault(condition, [])
    for claim in sorted(claims, key=lambda c: c.id):
        by_condition.setdefault(claim.condition, []).append(claim)
    rows = [ConditionRow(cond, claims_headline(items, cond, atlas.lineage), items)
            for cond, items in by_condition.items()]
    return sorted(rows, key=lambda r: (r.headline.rank if r.claims else 99, r.condition))


def therapy_rows(atlas: Atlas, condition: str) -> list[TherapyRow]:
    """Therapies studied in ``condition`` or its sub-conditions, strongest direct evidence first."""
    # Only conditions have a part_of leading to conditions: the claims and facts concerned are
    # those of the conditions whose lineage holds this one, not a search of every claim.
    within = [c.id for c in atlas.of_kind("condition") if condition in atlas.lineage(c.id)]
    claims: dict[str, list[Claim]] = {}
    concerned = {c.id: c for part in within for c in atlas.claims_of(part) if c.condition == part}
    for claim in sorted(concerned.values(), key=lambda c: c.id):
        claims.setdefault(claim.therapy, []).append(claim)
    outcome_facts: dict[str, list[Fact]] = {}
    outcomes = {f.id: f for part in within for f in atlas.facts_of(part)
                if f.category == "outcome"}
    for fact in sorted(outcomes.values(), key=lambda f: f.id):
        for subject in fact.subjects:
            entity = atlas.entities.get(subject)
            if entity is not None and entity.kind == "therapy":
                outcome_facts.setdefault(subject, []).append(fact)
    rows = []
    for therapy in sorted(set(claims) | set(outcome_facts)):
        own = claims.get(therapy, [])
        rows.append(TherapyRow(
            therapy,
            claims_headline(own, condition, atlas.lineage) if own else None,
            own, outcome_facts.get(therapy, []),
            [f for f in atlas.facts_of(therapy) if f.category == "adverse-effect"]))
    return sorted(rows, key=lambda r: (r.headline.rank if r.headline else 99,
                                       -len(r.outcomes), r.therapy))


def distinct_movements(claims: list[Claim]) -> list[Claim]:
    """One claim per distinct (pathway, direction node by node, condition): the glance lists
    what a therapy moves, not every claim that says so."""
    seen: dict[tuple[object, ...], Claim] = {}
    for claim in sorted(claims, key=lambda c: (c.pathway, c.condition, c.id)):
        key = (claim.pathway, claim.condition, claim.effect,
               tuple((t.node, t.effect) for t in claim.targets))
        seen.setdefault(key, claim)
    return list(seen.values())


def glance_rows(facts: list[Fact]) -> list[GlanceRow]:
    rows = []
    for category in GLANCE_ROWS:
        items = [f for f in facts if f.category == category]
        rows.append(GlanceRow(category, items[:GLANCE_FACTS], max(0, len(items) - GLANCE_FACTS)))
    return rows


def source_view(atlas: Atlas, entity: Entity, formatted: Any) -> EntityView:
    key = entity.fields["cite"]
    claims = sorted((c for c in atlas.claims.values()
                     if any(e.source.cite == key for e in c.evidence)), key=lambda c: c.id)
    facts = sorted((f for f in atlas.facts.values() if f.source.cite == key), key=lambda f: f.id)
    return EntityView(claims=claims, facts=facts, claim_count=len(claims), fact_count=len(facts),
                      scope=Text.of(entity.fields.get("scope")),
                      note=Text.of(entity.fields.get("note")), formatted=formatted)


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
    pathways = {entity.id} | {e.id for e in atlas.parts_of(entity.id) if e.kind == "pathway"}
    claims = [c for p in sorted(pathways) for c in atlas.claims_of(p) if c.pathway == p]
    by_effect = {effect: sorted((c for c in claims if c.effect == effect), key=lambda c: c.id)
                 for effect in ("activates", "inhibits")}
    if all(by_effect.values()):
        return list(by_effect.items())
    return []
