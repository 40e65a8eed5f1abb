"""The domain: entities, claims, evidence and facts as plain typed values.

Built only from entries that passed validation, so constructors trust their
input and hold no Jinja, no MkDocs and no file system.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from mechatlas.model.han import CJK_PUNCTUATION_RANGES, HAN_RANGES
from mechatlas.model.kinds import KINDS

OTHER_POPULATION = "other"
"""``studied_in.condition`` for a population or model that is none of the atlas's conditions."""
NOT_STATED = "not-stated"
"""The explicit value for what a source does not say: never a silent default."""


@dataclass(frozen=True)
class Text:
    """Reader-visible text in both languages; ``None`` where a translation is missing."""

    en: str | None = None
    zh: str | None = None

    @classmethod
    def of(cls, value: Any) -> Text | None:
        if not isinstance(value, dict):
            return None
        return cls(_clean(value.get("en")), _clean(value.get("zh")))

    def get(self, lang: str) -> str | None:
        return self.en if lang == "en" else self.zh

    def best(self, lang: str) -> tuple[str, str]:
        """The text in ``lang``, else the other language's, with the language it is in."""
        own = self.get(lang)
        if own:
            return own, lang
        other = "zh" if lang == "en" else "en"
        return self.get(other) or "", other


_CJK = CJK_PUNCTUATION_RANGES + HAN_RANGES
_CJK_PUNCTUATION = "\u3000-\u303f\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
_FOLDED_CJK_SPACE = re.compile(
    f"(?:(?<=[{_CJK}])|(?<=\\]\\]))[ \t\n]+(?=[{_CJK}])|(?<=[{_CJK}])[ \t\n]+(?=\\[\\[)"
    f"|(?<=[{_CJK_PUNCTUATION}])[ \t\n]+|(?<=[“”‘’])[ \t\n]+(?=[{_CJK}])"
    f"|(?<=[{_CJK}])[ \t\n]+(?=[“”‘’])")
"""Spaces YAML folding leaves between Chinese characters, and any space after Chinese
punctuation (``、 G蛋白`` reads as a stray space; Chinese punctuation carries its own)."""


def _clean(value: Any) -> str | None:
    """Trimmed text; line breaks YAML folding puts between Chinese characters are dropped."""
    if not isinstance(value, str) or not value.strip():
        return None
    return _FOLDED_CJK_SPACE.sub("", value.strip())


@dataclass(frozen=True)
class SourceRef:
    cite: str
    locator: Text
    """Where in the cited document, in both languages: a reader sees it on every page."""
    therein: int | None = None
    primary: str | None = None
    uncited: bool = False
    """The source states it without citing a study or giving data: shown as unsourced."""

    @classmethod
    def of(cls, value: dict[str, Any]) -> SourceRef:
        return cls(value["cite"], Text.of(value["locator"]) or Text(), value.get("therein"),
                   value.get("primary"), bool(value.get("uncited")))


@dataclass(frozen=True)
class StudiedIn:
    """The population an evidence item comes from: organism and condition (or model)."""

    organism: str
    condition: str
    """A condition id, ``OTHER_POPULATION`` or ``NOT_STATED``."""

    @classmethod
    def of(cls, value: dict[str, Any]) -> StudiedIn:
        return cls(value["organism"], value["condition"])


@dataclass(frozen=True)
class Target:
    """One node of a composite pathway and the way a claim says it moves."""

    node: str
    effect: str


@dataclass
class Entity:
    """A pathway, therapy, condition, gene, method or source document."""

    kind: str
    id: str
    path: str
    name: Text
    summary: Text
    aliases: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    fields: dict[str, Any] = field(default_factory=dict)
    """Kind-specific fields as entered (category, genes, part_of, symbol…)."""
    short_name: Text | None = None
    """What a link says in running text when the name is too long for a sentence."""

    @property
    def folder(self) -> str:
        return KINDS[self.kind].folder

    def ids_in(self, name: str) -> tuple[str, ...]:
        value = self.fields.get(name)
        if isinstance(value, str):
            return (value,)
        return tuple(value or ())


@dataclass(frozen=True)
class Evidence:
    design: str
    studied_in: StudiedIn
    model: Text
    finding: Text
    direction: str
    source: SourceRef
    certainty: str | None = None


@dataclass
class Claim:
    id: str
    path: str
    therapy: str
    effect: str
    pathway: str
    condition: str
    statement: Text
    evidence: tuple[Evidence, ...]
    outcome: Text | None = None
    note: Text | None = None
    genes: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()
    competes_with: tuple[str, ...] = ()
    targets: tuple[Target, ...] = ()
    """Node-level directions on a composite pathway, in cascade order; empty otherwise."""

    @property
    def citekeys(self) -> tuple[str, ...]:
        keys: list[str] = []
        for item in self.evidence:
            for key in (item.source.cite, item.source.primary):
                if key and key not in keys:
                    keys.append(key)
        return tuple(keys)


@dataclass
class Fact:
    id: str
    path: str
    category: str
    subjects: tuple[str, ...]
    text: Text
    source: SourceRef
    design: str | None = None
    population: Text | None = None
    note: Text | None = None
    dose_basis: str | None = None


def entity_from(kind: str, path: str, data: dict[str, Any]) -> Entity:
    common = {"id", "name", "summary", "short_name", "aliases", "related", "sources"}
    summary_key = "summary"
    return Entity(
        kind=kind,
        id=data["id"],
        path=path,
        name=Text.of(data["name"]) or Text(),
        summary=Text.of(data.get(summary_key)) or Text(),
        aliases=tuple(data.get("aliases") or ()),
        related=tuple(data.get("related") or ()),
        sources=tuple(data.get("sources") or ()),
        fields={k: v for k, v in data.items() if k not in common},
        short_name=Text.of(data.get("short_name")),
    )


def claim_from(path: str, data: dict[str, Any]) -> Claim:
    return Claim(
        id=data["id"],
        path=path,
        therapy=data["therapy"],
        effect=data["effect"],
        pathway=data["pathway"],
        condition=data["condition"],
        statement=Text.of(data["statement"]) or Text(),
        evidence=tuple(
            Evidence(
                design=item["design"],
                studied_in=StudiedIn.of(item["studied_in"]),
                model=Text.of(item["model"]) or Text(),
                finding=Text.of(item["finding"]) or Text(),
                direction=item["direction"],
                source=SourceRef.of(item["source"]),
                certainty=item.get("certainty"),
            )
            for item in data["evidence"]
        ),
        outcome=Text.of(data.get("outcome")),
        note=Text.of(data.get("note")),
        genes=tuple(data.get("genes") or ()),
        methods=tuple(data.get("methods") or ()),
        competes_with=tuple(data.get("competes_with") or ()),
        targets=tuple(Target(t["node"], t["effect"]) for t in data.get("targets") or ()),
    )


def fact_from(path: str, data: dict[str, Any]) -> Fact:
    return Fact(
        id=data["id"],
        path=path,
        category=data["category"],
        subjects=tuple(data["subjects"]),
        text=Text.of(data["text"]) or Text(),
        source=SourceRef.of(data["source"]),
        design=data.get("design"),
        population=Text.of(data.get("population")),
        note=Text.of(data.get("note")),
        dose_basis=data.get("dose_basis"),
    )


def source_from(path: str, data: dict[str, Any]) -> Entity:
    """A source document is an entity whose page describes the document."""
    fields: dict[str, Any] = {k: data[k] for k in ("cite", "kind", "scope", "note") if k in data}
    return Entity(kind="source", id=data["id"], path=path, name=Text.of(data["name"]) or Text(),
                  summary=Text.of(data["summary"]) or Text(), sources=(data["cite"],),
                  fields=fields)
