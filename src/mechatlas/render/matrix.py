"""The therapy × pathway matrix and the comparison of therapies sharing a pathway.

Both are pure functions of the claims, so a claim added anywhere shows up here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mechatlas.model.atlas import Atlas
from mechatlas.model.entities import DESIGNS, Claim


@dataclass
class Cell:
    claims: list[Claim] = field(default_factory=list)

    @property
    def strongest(self) -> str | None:
        if not self.claims:
            return None
        return min((c.strongest_design for c in self.claims), key=DESIGNS.index)

    @property
    def effects(self) -> list[str]:
        return sorted({c.effect for c in self.claims})


@dataclass
class Matrix:
    therapies: list[str]
    pathways: list[str]
    cells: dict[tuple[str, str], Cell]
    conditions: list[str]

    def cell(self, therapy: str, pathway: str) -> Cell:
        return self.cells.get((therapy, pathway), Cell())


def condition_lineage(atlas: Atlas, condition: str) -> list[str]:
    """A condition and every condition it is part of (drug-resistant epilepsy → epilepsy)."""
    lineage, current = [], condition
    while current and current not in lineage:
        lineage.append(current)
        entity = atlas.entities.get(current)
        parents = entity.ids_in("part_of") if entity else ()
        current = parents[0] if parents else ""
    return lineage


def design_rank(design: str) -> int:
    """1 for the strongest design (systematic review), 7 for expert opinion."""
    return DESIGNS.index(design) + 1


def build_matrix(atlas: Atlas) -> Matrix:
    cells: dict[tuple[str, str], Cell] = {}
    for claim in sorted(atlas.claims.values(), key=lambda c: c.id):
        cells.setdefault((claim.therapy, claim.pathway), Cell()).claims.append(claim)
    therapies = [e.id for e in atlas.of_kind("therapy") if atlas.claims_of(e.id)
                 and any(t == e.id for t, _ in cells)]
    pathways = [e.id for e in atlas.of_kind("pathway") if any(p == e.id for _, p in cells)]
    used = {c for claim in atlas.claims.values()
            for c in condition_lineage(atlas, claim.condition)}
    conditions = [e.id for e in atlas.of_kind("condition") if e.id in used]
    return Matrix(therapies, pathways, cells, conditions)


def shared_pathways(atlas: Atlas) -> list[tuple[str, list[Claim]]]:
    """Pathways two or more therapies act on, most-shared first, with their claims."""
    rows = []
    for pathway in atlas.of_kind("pathway"):
        claims = [c for c in atlas.claims_of(pathway.id) if c.pathway == pathway.id]
        if len({c.therapy for c in claims}) >= 2:
            rows.append((pathway.id, sorted(claims, key=lambda c: (c.therapy, c.id))))
    return sorted(rows, key=lambda row: (-len({c.therapy for c in row[1]}), row[0]))
