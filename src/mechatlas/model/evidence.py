"""How strong the evidence is *for a named condition*: directness, headlines and conflicts.

A summary must never say more than its items. An evidence item is *direct* for
a condition when it was studied in that condition (or in one of its
sub-conditions, or a model of it); evidence from another condition, from
healthy animals or from another model is *indirect*, and evidence whose
population the source does not state is *unstated*. Every headline the site
shows (badges, glance rows, matrix marks, condition tables) is computed here,
from direct supporting evidence only; indirect evidence is reported beside it
with the population it came from. See docs/decisions/0007-evidence-per-condition.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from mechatlas.model.entities import NOT_STATED, OTHER_POPULATION, Claim, Evidence
from mechatlas.model.vocabulary import DESIGNS

DIRECTNESS = ("direct", "indirect", "unstated")
"""How an evidence item bears on the condition a summary names."""
OPPOSITE_EFFECTS = ("activates", "inhibits")
"""The two effects that contradict each other on one node."""

Lineage = Callable[[str], list[str]]
"""A condition id -> the condition and every condition it is part of, nearest first."""


def directness(item: Evidence, condition: str, lineage: Lineage) -> str:
    """``direct`` when ``item`` was studied in ``condition`` or a sub-condition of it."""
    studied = item.studied_in.condition
    if studied == NOT_STATED:
        return "unstated"
    if studied != OTHER_POPULATION and condition in lineage(studied):
        return "direct"
    return "indirect"


def design_rank(design: str) -> int:
    """1 for the strongest design (systematic review), 7 for expert opinion."""
    return DESIGNS.index(design) + 1


@dataclass(frozen=True)
class IndirectBest:
    """The strongest evidence that is not direct, with where it came from."""

    design: str
    condition: str
    """The studied population's condition id, ``other`` or ``not-stated``."""
    directness: str
    item: Evidence


@dataclass(frozen=True)
class Headline:
    """The evidence summary for one condition: what a badge may say, and what it may not."""

    condition: str
    direct: str | None
    """Strongest design among direct supporting items; ``None`` when there is none."""
    indirect: IndirectBest | None
    """Strongest non-direct supporting item, shown beside (never as) the headline."""
    direct_items: int
    indirect_items: int

    @property
    def rank(self) -> int:
        """Sort key: direct evidence by design strength, then indirect-only, then nothing."""
        if self.direct:
            return design_rank(self.direct)
        return len(DESIGNS) + (1 if self.indirect else 2)

    @property
    def shows_indirect(self) -> bool:
        """Indirect evidence is named when it is all there is, or stronger than the direct."""
        best = self.indirect
        if best is None:
            return False
        return self.direct is None or design_rank(best.design) < design_rank(self.direct)


def headline(items: Iterable[Evidence], condition: str, lineage: Lineage) -> Headline:
    """Summarise supporting evidence items for ``condition``."""
    direct: list[Evidence] = []
    other: list[tuple[str, Evidence]] = []
    for item in items:
        if item.direction != "supports":
            continue
        kind = directness(item, condition, lineage)
        if kind == "direct":
            direct.append(item)
        else:
            other.append((kind, item))
    best_direct = min((i.design for i in direct), key=DESIGNS.index) if direct else None
    best_other = None
    if other:
        kind, item = min(other, key=lambda pair: (DESIGNS.index(pair[1].design), pair[0]))
        best_other = IndirectBest(item.design, item.studied_in.condition, kind, item)
    return Headline(condition, best_direct, best_other, len(direct), len(other))


def claim_headline(claim: Claim, lineage: Lineage) -> Headline:
    return headline(claim.evidence, claim.condition, lineage)


def claims_headline(claims: Iterable[Claim], condition: str, lineage: Lineage) -> Headline:
    """One headline for several claims about ``condition`` (a therapy's row, a table cell)."""
    return headline((i for c in claims for i in c.evidence), condition, lineage)


@dataclass(frozen=True)
class Movement:
    """One thing a claim says moves: a pathway, or a node of a composite pathway."""

    pathway: str
    node: str | None
    effect: str


def movements(claim: Claim) -> list[Movement]:
    """What a claim moves, node by node where its pathway has nodes."""
    if claim.targets:
        return [Movement(claim.pathway, t.node, t.effect) for t in claim.targets]
    return [Movement(claim.pathway, None, claim.effect)]


@dataclass(frozen=True)
class Conflict:
    """Sources describe one therapy as moving the same node both ways, in related conditions."""

    therapy: str
    pathway: str
    node: str | None
    activating: tuple[Claim, ...]
    inhibiting: tuple[Claim, ...]

    @property
    def claims(self) -> tuple[Claim, ...]:
        return (*self.activating, *self.inhibiting)


def conflicts(claims: Iterable[Claim], lineage: Lineage) -> list[Conflict]:
    """Named conflicts among ``claims``: same therapy, same node, opposite effects.

    Conditions must be related (one part of the other, or equal): activation in depression
    and inhibition in epilepsy are two findings, not a conflict.
    """
    by_target: dict[tuple[str, str, str | None], dict[str, list[Claim]]] = {}
    for claim in sorted(claims, key=lambda c: c.id):
        for move in movements(claim):
            if move.effect in OPPOSITE_EFFECTS:
                sides = by_target.setdefault((claim.therapy, move.pathway, move.node), {})
                sides.setdefault(move.effect, []).append(claim)
    found = []
    for (therapy, pathway, node), sides in sorted(by_target.items(),
                                                  key=lambda kv: (kv[0][0], kv[0][1],
                                                                  kv[0][2] or "")):
        up, down = sides.get("activates", []), sides.get("inhibits", [])
        pairs = [(a, b) for a in up for b in down if _related(a.condition, b.condition, lineage)]
        if pairs:
            found.append(Conflict(therapy, pathway, node,
                                  _unique_claims(a for a, _ in pairs),
                                  _unique_claims(b for _, b in pairs)))
    return found


def _related(first: str, second: str, lineage: Lineage) -> bool:
    return first in lineage(second) or second in lineage(first)


def _unique_claims(claims: Iterable[Claim]) -> tuple[Claim, ...]:
    return tuple({c.id: c for c in claims}.values())
