"""The therapy × pathway matrix and the comparison of two therapies (or a therapy and a pathway).

Both are pure functions of the claims, so a claim added anywhere shows up here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mechatlas.model.atlas import Atlas
from mechatlas.model.entities import Claim


@dataclass
class Cell:
    claims: list[Claim] = field(default_factory=list)
    conflict: bool = False
    """The sources describe the therapy as moving this pathway (or one of its nodes) both ways."""


@dataclass
class Matrix:
    therapies: list[str]
    pathways: list[str]
    cells: dict[tuple[str, str], Cell]
    conditions: list[str]

    def cell(self, therapy: str, pathway: str) -> Cell:
        return self.cells.get((therapy, pathway), Cell())

    def row(self, therapy: str) -> list[Span]:
        """One therapy's row: a span per filled cell, and one span per run of empty pairs, so
        that the grid's size follows the claims, not therapies × pathways (decision 0017)."""
        spans: list[Span] = []
        for pathway in self.pathways:
            cell = self.cells.get((therapy, pathway))
            if cell is not None:
                spans.append(Span(pathway, 1, cell))
            elif spans and spans[-1].cell is None:
                spans[-1] = Span(None, spans[-1].columns + 1, None)
            else:
                spans.append(Span(None, 1, None))
        return spans


@dataclass(frozen=True)
class Span:
    """Part of a matrix row: one filled cell (``pathway`` set) or a run of empty columns."""

    pathway: str | None
    columns: int
    cell: Cell | None


def build_matrix(atlas: Atlas) -> Matrix:
    cells: dict[tuple[str, str], Cell] = {}
    for claim in sorted(atlas.claims.values(), key=lambda c: c.id):
        cells.setdefault((claim.therapy, claim.pathway), Cell()).claims.append(claim)
    for therapy in {t for t, _ in cells}:
        for conflict in atlas.conflicts_of(therapy):
            cells[(therapy, conflict.pathway)].conflict = True
    therapies = [e.id for e in atlas.of_kind("therapy") if atlas.claims_of(e.id)
                 and any(t == e.id for t, _ in cells)]
    pathways = [e.id for e in atlas.of_kind("pathway") if any(p == e.id for _, p in cells)]
    used = {c for claim in atlas.claims.values()
            for c in atlas.lineage(claim.condition)}
    conditions = [e.id for e in atlas.of_kind("condition") if e.id in used]
    return Matrix(therapies, pathways, cells, conditions)


@dataclass(frozen=True)
class ConditionGroup:
    """The claims made in one condition, ordered by pathway so two therapies acting on the
    same pathway stand in neighbouring rows."""

    condition: str
    claims: list[Claim]


def claims_by_condition(atlas: Atlas) -> list[ConditionGroup]:
    """Every claim, grouped by its condition in the atlas's order of conditions."""
    groups = []
    for condition in atlas.of_kind("condition"):
        claims = [c for c in atlas.claims.values() if c.condition == condition.id]
        if claims:
            groups.append(ConditionGroup(condition.id, sorted(
                claims, key=lambda c: (c.pathway, c.therapy, c.id))))
    return groups
