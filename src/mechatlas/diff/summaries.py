"""What readers see that the site derives from many entries: headlines, marks, conflicts.

Each summary is reduced to a short text keyed by what it is about, so two revisions compare
by key: a key on one side only is a summary that appears or disappears. The texts use the
site's own English labels (``docs_templates/strings/en.yaml``), and the summaries are the
site's own computations (``Atlas.headline``, ``condition_rows``, ``therapy_rows``,
``build_matrix``, ``Atlas.conflicts_of``), so the report cannot drift from the pages.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from mechatlas.model.atlas import Atlas
from mechatlas.model.entities import NOT_STATED, OTHER_POPULATION, Claim
from mechatlas.model.evidence import Headline
from mechatlas.render.matrix import build_matrix
from mechatlas.render.views import condition_rows, therapy_rows

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

THERAPY_PAGE = "therapy page"
CONDITION_PAGE = "condition page"


@dataclass(frozen=True)
class Labels:
    """The site's English words for designs and effect symbols."""

    designs: Mapping[str, str]
    designs_short: Mapping[str, str]
    symbols: Mapping[str, str]
    conflict: str

    @classmethod
    def load(cls, templates: Path) -> Labels:
        """From the English strings, parsed with libyaml: the file is long, the diff short."""
        text = (templates / "strings" / "en.yaml").read_text(encoding="utf-8")
        strings: dict[str, Any] = yaml.load(text, Loader=_Loader)
        return cls(strings["designs"], strings["designs_short"], strings["effect_symbols"],
                   strings["evidence"]["conflict"])


@dataclass(frozen=True)
class Summaries:
    """Every derived summary of one atlas, as comparable texts."""

    headlines: dict[tuple[str, str, str], str]
    """(therapy, condition, where) -> headline evidence shown in that row."""
    badges: dict[str, str]
    """Claim id -> the evidence badge on its card."""
    marks: dict[tuple[str, str], str]
    """(therapy, pathway) -> the matrix cell, mark by mark."""
    conflicts: dict[tuple[str, str, str], tuple[tuple[str, ...], tuple[str, ...]]]
    """(therapy, pathway, node or '') -> (activating claim ids, inhibiting claim ids)."""
    cited: dict[str, tuple[str, ...]]
    """Citation key -> ids of what cites it."""


def headline_text(head: Headline, atlas: Atlas, labels: Labels) -> str:
    """'Animal study (2 direct)', or 'no direct evidence; indirect: Clinical trial in X'."""
    said = (f"{labels.designs[head.direct]} ({head.direct_items} direct)" if head.direct
            else "no direct evidence")
    best = head.indirect
    if best is not None and head.shows_indirect:  # the rule the pages use
        if best.directness == "unstated":
            where = "population not stated"
        elif best.condition == OTHER_POPULATION:
            where = "in another population"
        elif best.condition == NOT_STATED:
            where = "population not stated"
        else:
            where = f"in {atlas.name(best.condition).en or best.condition}"
        said += f"; indirect: {labels.designs[best.design]} {where}"
    return said


def mark_text(claim: Claim, atlas: Atlas, labels: Labels) -> str:
    """One matrix mark: direction symbols (node by node) and the direct level's short name."""
    if claim.targets:
        moves = " ".join(f"{labels.symbols[t.effect]}"
                         f"{atlas.node_name(claim.pathway, t.node).en or t.node}"
                         for t in claim.targets)
    else:
        moves = labels.symbols[claim.effect]
    head = atlas.headline(claim)
    level = labels.designs_short[head.direct] if head.direct else labels.designs_short["none"]
    return f"{moves} {level}"


def summaries_of(atlas: Atlas, labels: Labels, reference_keys: Iterable[str]) -> Summaries:
    headlines: dict[tuple[str, str, str], str] = {}
    for therapy in atlas.of_kind("therapy"):
        claims = atlas.claims_of(therapy.id)
        for row in condition_rows(atlas, claims, therapy.ids_in("conditions")):
            if row.claims:
                headlines[(therapy.id, row.condition, THERAPY_PAGE)] = headline_text(
                    row.headline, atlas, labels)
    for condition in atlas.of_kind("condition"):
        for therapy_row in therapy_rows(atlas, condition.id):
            if therapy_row.headline is not None:
                headlines[(therapy_row.therapy, condition.id, CONDITION_PAGE)] = headline_text(
                    therapy_row.headline, atlas, labels)
    badges = {claim.id: headline_text(atlas.headline(claim), atlas, labels)
              for claim in atlas.claims.values()}
    matrix = build_matrix(atlas)
    marks: dict[tuple[str, str], str] = {}
    for cell_key, cell in matrix.cells.items():
        shown = [mark_text(claim, atlas, labels) for claim in cell.claims]
        if cell.conflict:
            shown.insert(0, f"⇅ {labels.conflict}")
        marks[cell_key] = " · ".join(shown)
    conflicts = {(c.therapy, c.pathway, c.node or ""): (tuple(x.id for x in c.activating),
                                                        tuple(x.id for x in c.inhibiting))
                 for acting in {claim.therapy for claim in atlas.claims.values()}
                 for c in atlas.conflicts_of(acting)}
    cited = {key: tuple(atlas.cited_by(key)) for key in sorted(reference_keys)}
    return Summaries(dict(sorted(headlines.items())), dict(sorted(badges.items())),
                     dict(sorted(marks.items())), dict(sorted(conflicts.items())), cited)

