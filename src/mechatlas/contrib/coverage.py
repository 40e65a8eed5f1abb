"""Translation and completeness report: per kind and per field, what is written and what is not.

Two ways in, one report:

* ``coverage_of_project`` reads the loaded entries as written (``pipeline.load_project``),
  so it works even on input with errors and gives every gap its ``path:line:col``;
* ``coverage_of_atlas`` reads the validated model, which is all the site renderer
  has; its gaps carry the entry's path but no line (``line == 0``).

Both count the same texts: every reader-visible ``{en: …, zh: …}`` value (locators
included: a reader sees them next to every citation), a language counting as present
when its text is not blank.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from mechatlas.contrib.references import BIB_FILE, ToVerify, to_verify
from mechatlas.load.content import Entry
from mechatlas.model.atlas import Atlas
from mechatlas.model.bilingual import Pointer, bilingual_texts
from mechatlas.model.entities import Text
from mechatlas.model.kinds import ENTITY_KINDS, KINDS, LANGUAGES
from mechatlas.model.reference import DESCRIPTIVE_TITLE_ZH, Reference

FIELD_ORDER = ("name", "statement", "text", "summary", "outcome", "evidence.model",
               "evidence.finding", "evidence.source.locator", "population", "scope",
               "variants.name", "variants.note", "variants.source.locator", "source.locator",
               "note")
"""Fields in the order a reader meets them; any other field follows, alphabetically."""
CLAIM_TARGETS = ("therapy", "pathway", "condition", "genes", "methods")
"""Claim fields that name the entities a claim is about (as ``Atlas.claims_of`` counts)."""
LANGUAGE_NAMES = {"en": "English", "zh": "Chinese"}


@dataclass
class Count:
    """Texts of one field (or kind, or everything), and how many have each language."""

    texts: int = 0
    en: int = 0
    zh: int = 0
    both: int = 0

    def add(self, has_en: bool, has_zh: bool) -> None:
        self.texts += 1
        self.en += has_en
        self.zh += has_zh
        self.both += has_en and has_zh

    def __iadd__(self, other: Count) -> Count:
        self.texts += other.texts
        self.en += other.en
        self.zh += other.zh
        self.both += other.both
        return self

    def percent(self, lang: str = "both") -> str:
        """Share of texts with ``lang`` ('en', 'zh' or 'both'), rounded down: '99.9', '100.0'."""
        have = {"en": self.en, "zh": self.zh, "both": self.both}[lang]
        if not self.texts:
            return "100.0"
        tenths = have * 1000 // self.texts
        return f"{tenths // 10}.{tenths % 10}"

    def as_json(self) -> dict[str, Any]:
        return {"texts": self.texts, "en": self.en, "zh": self.zh, "both": self.both,
                "translated_percent": float(self.percent())}


@dataclass
class KindCoverage:
    kind: str
    entries: int = 0
    fields: dict[str, Count] = field(default_factory=dict)

    @property
    def total(self) -> Count:
        total = Count()
        for count in self.fields.values():
            total += count
        return total

    def ordered_fields(self) -> list[tuple[str, Count]]:
        return sorted(self.fields.items(), key=lambda item: field_rank(item[0]))

    def as_json(self) -> dict[str, Any]:
        return {"entries": self.entries, "total": self.total.as_json(),
                "fields": {name: count.as_json() for name, count in self.ordered_fields()}}


@dataclass(frozen=True, order=True)
class Gap:
    """A text without one language: ``path:line:col`` (line 0 when only the path is known)."""

    path: str
    line: int
    col: int
    lang: str
    kind: str
    id: str
    pointer: str
    """Where in the entry, e.g. ``evidence.0.finding``."""

    @property
    def field(self) -> str:
        return field_name(self.pointer)

    def line_text(self) -> str:
        return (f"{self.path}:{self.line}:{self.col}: missing-{self.lang}: {self.kind} "
                f"'{self.id}': {self.pointer} has no {LANGUAGE_NAMES[self.lang]} "
                f"({self.lang}) text")

    def as_json(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "col": self.col, "lang": self.lang,
                "kind": self.kind, "id": self.id, "field": self.pointer}


@dataclass(frozen=True, order=True)
class Item:
    """One entry named in a completeness list."""

    path: str
    line: int
    col: int
    kind: str
    id: str

    def as_json(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "col": self.col, "kind": self.kind,
                "id": self.id}


@dataclass
class Coverage:
    kinds: dict[str, KindCoverage]
    missing: list[Gap] = field(default_factory=list)
    claims_without_evidence: list[Item] = field(default_factory=list)
    unconnected: list[Item] = field(default_factory=list)
    """Pathways, therapies, conditions, genes and methods that no claim or fact names."""
    to_verify: list[ToVerify] = field(default_factory=list)
    references: int = 0

    @property
    def total(self) -> Count:
        total = Count()
        for kind in self.kinds.values():
            total += kind.total
        return total

    @property
    def entries(self) -> int:
        return sum(kind.entries for kind in self.kinds.values())

    def missing_in(self, lang: str) -> list[Gap]:
        return [gap for gap in self.missing if gap.lang == lang]

    @property
    def gaps(self) -> int:
        """Problems in the content itself (references to verify are counted apart)."""
        return len(self.missing) + len(self.claims_without_evidence) + len(self.unconnected)

    @property
    def complete(self) -> bool:
        """Nothing is missing: no gap in the content and no reference left to verify."""
        return self.gaps == 0 and not self.to_verify

    def as_json(self) -> dict[str, Any]:
        return {
            "entries": self.entries,
            "references": self.references,
            "complete": self.complete,
            "total": self.total.as_json(),
            "kinds": {name: kind.as_json() for name, kind in self.kinds.items()},
            "missing": {lang: [gap.as_json() for gap in self.missing_in(lang)]
                        for lang in LANGUAGES},
            "claims_without_evidence": [item.as_json() for item in self.claims_without_evidence],
            "entities_without_claims_or_facts": [item.as_json() for item in self.unconnected],
            "to_verify": [item.as_json() for item in self.to_verify],
        }


@functools.lru_cache(maxsize=4096)  # a few dozen distinct pointers, met once per text
def field_name(pointer: str | Pointer) -> str:
    """``evidence.0.finding`` -> ``evidence.finding``: the field, whatever the list index."""
    parts = pointer.split(".") if isinstance(pointer, str) else [str(p) for p in pointer]
    return ".".join(p for p in parts if not p.isdigit())


def field_rank(name: str) -> tuple[int, str]:
    return (FIELD_ORDER.index(name) if name in FIELD_ORDER else len(FIELD_ORDER), name)


# --- building ---------------------------------------------------------------------------


class _Builder:
    def __init__(self, references: dict[str, Reference]) -> None:
        self.coverage = Coverage({name: KindCoverage(name) for name in KINDS},
                                 to_verify=to_verify(references), references=len(references))

    def entry(self, kind: str) -> None:
        self.coverage.kinds[kind].entries += 1

    def text(self, item: Item, pointer: Pointer, has: dict[str, bool]) -> None:
        name = field_name(pointer)
        counts = self.coverage.kinds[item.kind].fields.setdefault(name, Count())
        counts.add(has["en"], has["zh"])
        for lang in LANGUAGES:
            if not has[lang]:
                dotted = ".".join(str(p) for p in pointer)
                self.coverage.missing.append(
                    Gap(item.path, item.line, item.col, lang, item.kind, item.id, dotted))

    def descriptive_titles(self, references: dict[str, Reference]) -> None:
        """A bracketed title is the site's own description, read on both sites: a text to count.

        The kind ``reference`` appears only when some reference has one.
        """
        for key in sorted(references):
            ref = references[key]
            if not ref.descriptive:
                continue
            self.coverage.kinds.setdefault("reference", KindCoverage("reference"))
            item = Item(BIB_FILE, ref.line, ref.col, "reference", key)
            self.text(item, ("title",), {"en": True,
                                         "zh": bool(ref.fields.get(DESCRIPTIVE_TITLE_ZH))})

    def finish(self) -> Coverage:
        coverage = self.coverage
        coverage.missing.sort()
        coverage.claims_without_evidence.sort()
        coverage.unconnected.sort()
        return coverage


def coverage_of_project(entries: Iterable[Entry], references: dict[str, Reference]) -> Coverage:
    """The report from entries as written, with the position of every gap.

    Entries that are not a mapping (a schema error) count as entries with no text.
    """
    builder = _Builder(references)
    named: set[str] = set()
    entities: list[Item] = []
    for entry in entries:
        builder.entry(entry.kind)
        data = entry.data if isinstance(entry.data, dict) else {}
        raw_id = data.get("id")
        entry_id = raw_id if isinstance(raw_id, str) else entry.stem
        line, col = entry.document.position(("id",)) if "id" in data else (1, 1)
        item = Item(entry.path, line, col, entry.kind, entry_id)
        for pointer, value in bilingual_texts(data):
            gap_line, gap_col = entry.document.position(pointer)
            builder.text(Item(entry.path, gap_line, gap_col, entry.kind, entry_id), pointer,
                         _presence(value.get("en"), value.get("zh")))
        if entry.kind == "claim":
            evidence = data.get("evidence")
            if not isinstance(evidence, list) or not evidence:
                builder.coverage.claims_without_evidence.append(item)
            named |= set(_ids(data, CLAIM_TARGETS))
        elif entry.kind == "fact":
            named |= set(_ids(data, ("subjects",)))
        elif entry.kind in ENTITY_KINDS:
            entities.append(item)
    builder.coverage.unconnected = [item for item in entities if item.id not in named]
    builder.descriptive_titles(references)
    return builder.finish()


def coverage_of_atlas(atlas: Atlas, references: dict[str, Reference]) -> Coverage:
    """The report from the validated model; gaps carry the path only (line 0)."""
    builder = _Builder(references)
    for entity in sorted(atlas.entities.values(), key=lambda e: e.path):
        builder.entry(entity.kind)
        item = Item(entity.path, 0, 0, entity.kind, entity.id)
        texts: list[tuple[Pointer, Text | None]] = [(("name",), entity.name),
                                                     (("summary",), entity.summary)]
        texts += [(pointer, Text.of(value)) for pointer, value in bilingual_texts(entity.fields)]
        _add_texts(builder, item, texts)
        if entity.kind in ENTITY_KINDS and not (atlas.claims_of(entity.id)
                                                or atlas.facts_of(entity.id)):
            builder.coverage.unconnected.append(item)
    for claim in sorted(atlas.claims.values(), key=lambda c: c.path):
        builder.entry("claim")
        item = Item(claim.path, 0, 0, "claim", claim.id)
        texts = [(("statement",), claim.statement), (("outcome",), claim.outcome)]
        for index, evidence in enumerate(claim.evidence):
            texts += [(("evidence", index, "model"), evidence.model),
                      (("evidence", index, "finding"), evidence.finding),
                      (("evidence", index, "source", "locator"), evidence.source.locator)]
        texts.append((("note",), claim.note))
        _add_texts(builder, item, texts)
        if not claim.evidence:
            builder.coverage.claims_without_evidence.append(item)
    for fact in sorted(atlas.facts.values(), key=lambda f: f.path):
        builder.entry("fact")
        item = Item(fact.path, 0, 0, "fact", fact.id)
        _add_texts(builder, item, [(("text",), fact.text), (("population",), fact.population),
                                   (("source", "locator"), fact.source.locator),
                                   (("note",), fact.note)])
    builder.descriptive_titles(references)
    return builder.finish()


def _add_texts(builder: _Builder, item: Item, texts: list[tuple[Pointer, Text | None]]) -> None:
    for pointer, text in texts:
        if text is not None:
            builder.text(item, pointer, _presence(text.en, text.zh))


def _presence(en: object, zh: object) -> dict[str, bool]:
    return {"en": isinstance(en, str) and bool(en.strip()),
            "zh": isinstance(zh, str) and bool(zh.strip())}


def _ids(data: dict[str, Any], names: Iterable[str]) -> Iterator[str]:
    for name in names:
        value = data.get(name)
        if isinstance(value, str):
            yield value
        elif isinstance(value, list):
            yield from (v for v in value if isinstance(v, str))


# --- the plain-text report ---------------------------------------------------------------


def report_lines(coverage: Coverage) -> list[str]:
    """The report as ``mechatlas coverage`` prints it: tables, then one line per gap."""
    total = coverage.total
    out = [f"Coverage of {coverage.entries} entries: {total.texts} texts, "
           f"{total.percent()}% in both languages", ""]
    header = f"{'kind':<12}{'entries':>8}{'texts':>8}{'English':>16}{'Chinese':>16}"
    out.append(header)
    for kind in coverage.kinds.values():
        out.append(_row(kind.kind, kind.entries, kind.total))
    out.append(_row("total", coverage.entries, total))
    out += ["", f"{'field':<28}{'texts':>8}{'English':>16}{'Chinese':>16}"]
    for kind in coverage.kinds.values():
        for name, count in kind.ordered_fields():
            out.append(f"{kind.kind + '.' + name:<28}{count.texts:>8}"
                       f"{_share(count, 'en'):>16}{_share(count, 'zh'):>16}")
    out.append("")
    for lang in ("zh", "en"):
        gaps = coverage.missing_in(lang)
        out.append(f"Texts without {LANGUAGE_NAMES[lang]} ({lang}): {len(gaps)}")
        out += [gap.line_text() for gap in gaps]
    out.append(f"Claims without evidence: {len(coverage.claims_without_evidence)}")
    out += [f"{i.path}:{i.line}:{i.col}: no-evidence: claim '{i.id}' has no evidence"
            for i in coverage.claims_without_evidence]
    out.append(f"Entities with no claims and no facts: {len(coverage.unconnected)}")
    out += [f"{i.path}:{i.line}:{i.col}: no-claims-or-facts: {i.kind} '{i.id}' is named by no "
            f"claim and no fact" for i in coverage.unconnected]
    out.append(f"References to verify: {len(coverage.to_verify)} of {coverage.references}")
    out += [item.line_text() for item in coverage.to_verify]
    out.append("")
    if coverage.complete:
        out.append("Nothing missing: every text is in English and Chinese, every claim has "
                   "evidence, every entity has a claim or a fact, and no reference is left to "
                   "verify.")
    else:
        out.append(f"{coverage.gaps} gap(s) to fill; "
                   f"{len(coverage.to_verify)} reference(s) to verify.")
    return out


def _row(name: str, entries: int, count: Count) -> str:
    return (f"{name:<12}{entries:>8}{count.texts:>8}"
            f"{_share(count, 'en'):>16}{_share(count, 'zh'):>16}")


def _share(count: Count, lang: str) -> str:
    have = count.en if lang == "en" else count.zh
    return f"{have} ({count.percent(lang)}%)"
