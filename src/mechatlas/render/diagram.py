"""Mechanism diagrams as static SVG, laid out at build time.

Three columns (therapy → pathway → downstream effect) are a layered graph
simple enough to lay out exactly: every node gets a row in its column, edges
run between neighbouring columns. No script, no network, deterministic output,
and an accessible text alternative built from the same edges.
See docs/decisions/0004-diagrams.md.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from uniseg.linebreak import line_break_units  # type: ignore[import-untyped]

from mechatlas.model.atlas import Atlas
from mechatlas.model.entities import Claim, Entity
from mechatlas.model.evidence import movements

COLUMN_X = (10, 250, 490)
NODE_WIDTH = 200
LINE_HEIGHT = 16
PADDING = 8
GAP = 14
CHARS_PER_LINE = 26  # in half-width units: a Chinese character counts two
MAX_LINES = 3


@dataclass
class Node:
    key: str
    label: str
    column: int
    href: str = ""
    lines: list[str] = field(default_factory=list)
    y: float = 0
    height: float = 0
    min_height: float = 0

    @property
    def x(self) -> int:
        return COLUMN_X[self.column]

    @property
    def width(self) -> int:
        return NODE_WIDTH

    @property
    def right(self) -> int:
        return COLUMN_X[self.column] + NODE_WIDTH

    @property
    def middle(self) -> float:
        return self.y + self.height / 2


@dataclass
class Edge:
    source: Node
    target: Node
    effect: str
    label: str = ""
    conflict: bool = False
    """Sources describe the therapy as moving this node both ways."""
    y1: float = 0
    y2: float = 0
    """Where the edge leaves its source and meets its target: spread along the node's side,
    so that the arrowheads and bars of many edges into one node stay apart."""


@dataclass
class Diagram:
    nodes: list[Node]
    edges: list[Edge]
    width: int
    height: float
    title: str
    sentences: list[str]


def wrap(label: str) -> list[str]:
    """Break a label into lines of at most CHARS_PER_LINE half-width units.

    Break opportunities follow the Unicode line-breaking algorithm (UAX #14, via uniseg), which
    carries the Chinese rules: a line never starts with ，。、）or ends with （, Latin words stay
    whole, and any two Han characters may part.
    """
    return list(_wrapped(label))


@functools.lru_cache(maxsize=65536)
def _wrapped(label: str) -> tuple[str, ...]:
    """One label's lines, computed once: the same nodes recur in every diagram that shows them,
    and uniseg's pure-Python line breaking was most of the generator's time at 300 claims
    (3 ms a label). A label that fits on one line is that line: no break is looked for."""
    if _display_width(label) <= CHARS_PER_LINE:
        return (label.rstrip(),) if label else ()
    return _broken(label)


def _broken(label: str) -> tuple[str, ...]:
    """The lines of ``label`` at UAX #14's break opportunities."""
    lines, current, width = [], "", 0
    units = break_units(label)
    for unit in units:
        size = _display_width(unit.rstrip())
        if width + size > CHARS_PER_LINE and current:
            lines.append(current.rstrip())
            current, width = unit, _display_width(unit)
        else:
            current, width = current + unit, width + _display_width(unit)
    if current:
        lines.append(current.rstrip())
    if len(lines) > MAX_LINES:
        lines = [*lines[: MAX_LINES - 1], lines[MAX_LINES - 1] + "…"]
    return tuple(lines)


_PLAIN = re.compile("[A-Za-z0-9 \u4e00-\u9fff]*")
"""Letters, digits, spaces and common Han characters: UAX #14's classes AL, NU, SP and ID."""
_IDEOGRAPH_BOUNDARY = re.compile(
    "(?<=[\u4e00-\u9fff])(?=[^ \u4e00-\u9fff])|(?<=[^ ])(?=[\u4e00-\u9fff])")


def break_units(label: str) -> list[str]:
    """``label`` cut at its UAX #14 break opportunities (what uniseg's ``line_break_units``
    gives), each piece with the spaces after it.

    Most labels are words, spaces and Han characters alone; for these four classes the rules
    reduce to: no break before a space (LB7), a break after spaces (LB18), letters and digits
    hold together (LB23, LB25, LB28), and a Han character parts from anything but a following
    space (LB31). They are cut here by one expression, 500 times as fast as uniseg's pure
    Python; any other character (punctuation, Greek, a hyphen) takes uniseg's full algorithm.
    A property test holds the two to the same pieces.
    """
    if not _PLAIN.fullmatch(label):
        return list(line_break_units(label))
    units = []
    for word in re.findall(r" +|[^ ]+ *", label):  # a break after every run of spaces
        units.extend(_IDEOGRAPH_BOUNDARY.split(word))
    return [u for u in units if u]


def _display_width(text: str) -> int:
    """Width in half-width units: a Chinese character or full-width sign counts two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _layout(columns: list[list[Node]]) -> float:
    heights = []
    for column in columns:
        y = 10.0
        for node in column:
            node.lines = wrap(node.label)
            node.height = max(len(node.lines) * LINE_HEIGHT + 2 * PADDING, node.min_height)
            node.y = y
            y += node.height + GAP
        heights.append(y)
    tallest = max(heights)
    for column, used in zip(columns, heights, strict=True):  # centre shorter columns
        offset = (tallest - used) / 2
        for node in column:
            node.y += offset
    return tallest + 10


PORT_SPACING = 11


def _spread_ports(edges: list[Edge]) -> None:
    """Give each edge its own point on the side of its source and of its target."""
    for edge in edges:
        incoming = sorted((e for e in edges if e.target is edge.target),
                          key=lambda e: (e.source.middle, e.source.key))
        outgoing = sorted((e for e in edges if e.source is edge.source),
                          key=lambda e: (e.target.middle, e.target.key))
        edge.y2 = _port(edge.target, incoming.index(edge), len(incoming))
        edge.y1 = _port(edge.source, outgoing.index(edge), len(outgoing))


def _port(node: Node, index: int, count: int) -> float:
    return round(node.y + PADDING + (node.height - 2 * PADDING) * (index + 0.5) / count, 1)


def build_diagram(atlas: Atlas, focus: Entity, claims: list[Claim], lang: str,
                  href: Callable[[str], str], effect_words: dict[str, str],
                  conflict_word: str = "") -> Diagram | None:
    """Therapy pages: therapy → pathways → effects; pathway pages: therapies → pathway → effects.

    A composite pathway (AMPK/mTOR) gets one node per member the claims move, so that
    "↑ AMPK" and "⊣ mTOR" are two arrows, never one merged arrow; a node a therapy is said
    to move both ways gets both arrows, marked as a conflict.
    """
    if not claims:
        return None

    def name(entity_id: str) -> str:
        return atlas.name(entity_id).best(lang)[0]

    opening, closing = ("（", "）") if lang == "zh" else (" (", ")")  # Chinese: full width
    conflicted = {(c.therapy, c.pathway, c.node) for t in {c.therapy for c in claims}
                  for c in atlas.conflicts_of(t)}
    left: dict[str, Node] = {}
    middle: dict[str, Node] = {}
    right: dict[str, Node] = {}
    edges: list[Edge] = []
    sentences: list[str] = []
    for claim in sorted(claims, key=lambda c: (c.pathway, c.therapy, c.id)):
        therapy = left.setdefault(claim.therapy, Node(claim.therapy, name(claim.therapy), 0,
                                                      href(claim.therapy)))
        for move in movements(claim):
            key = f"{move.pathway}#{move.node}" if move.node else move.pathway
            label = name(move.pathway)
            if move.node:
                node_name = atlas.node_name(move.pathway, move.node).best(lang)[0]
                label = f"{node_name}{opening}{label}{closing}"
            pathway = middle.setdefault(key, Node(key, label, 1, href(move.pathway)))
            edge_key = (claim.therapy, key, move.effect)
            if not any((e.source.key, e.target.key, e.effect) == edge_key for e in edges):
                clash = (claim.therapy, move.pathway, move.node) in conflicted
                edges.append(Edge(therapy, pathway, move.effect, effect_words[move.effect],
                                  conflict=clash))
                mark = f"{opening}{conflict_word}{closing}" if clash and conflict_word else ""
                sentences.append(
                    f"{therapy.label} — {effect_words[move.effect]} → {pathway.label}{mark}")
        if claim.outcome:
            label = claim.outcome.best(lang)[0]
            outcome = right.setdefault(label, Node(f"outcome-{len(right)}", label, 2))
            if not any(e.source is pathway and e.target is outcome for e in edges):
                edges.append(Edge(pathway, outcome, "leads", "→"))
                sentences.append(f"{pathway.label} → {outcome.label}")
    columns = [list(left.values()), list(middle.values()), list(right.values())]
    for node in (n for column in columns for n in column):
        ends = max(sum(e.target is node for e in edges), sum(e.source is node for e in edges))
        node.min_height = ends * PORT_SPACING + 2 * PADDING
    height = _layout(columns)
    _spread_ports(edges)
    nodes = [node for column in columns for node in column]
    return Diagram(nodes, edges, COLUMN_X[2] + NODE_WIDTH + 10, height,
                   focus.name.best(lang)[0], sentences)
