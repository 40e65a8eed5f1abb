"""What a page rests on: how many source documents, of which kind, and which are unverified.

Every content page says this on its first screen, because five Chinese reviews
and a news report carry this atlas and a reader must not take a page for a
systematic review. Counted from the citations of what the page shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from mechatlas.model.atlas import Atlas
from mechatlas.model.entities import Claim, Entity, Fact
from mechatlas.model.prose_tokens import cited_keys
from mechatlas.model.reference import Reference

OTHER_DOCUMENT = "reference"
"""The kind of a cited document that has no source entry describing it."""


@dataclass(frozen=True)
class DocumentGroup:
    kind: str
    """A source entry's ``kind`` (narrative-review, news-report…) or ``reference``."""
    count: int
    years: tuple[str, ...]
    undated: int = 0
    """Documents of the group whose record gives no year."""


@dataclass(frozen=True)
class Scope:
    groups: tuple[DocumentGroup, ...]
    primary: int
    """Primary studies cited through the documents (``primary:`` keys)."""
    unverified: tuple[str, ...]
    """Keys of the documents (not the primaries cited through them) whose data is to verify."""
    systematic: bool
    """A systematic review is among the documents."""

    @property
    def documents(self) -> int:
        return sum(g.count for g in self.groups)


def scope_of(atlas: Atlas, references: dict[str, Reference], *, claims: Iterable[Claim] = (),
             facts: Iterable[Fact] = (), entities: Iterable[Entity] = ()) -> Scope:
    """The documents behind the given claims, facts and entity summaries."""
    documents: set[str] = set()
    primaries: set[str] = set()
    for claim in claims:
        for item in claim.evidence:
            documents.add(item.source.cite)
            if item.source.primary:
                primaries.add(item.source.primary)
        for text in (claim.statement, claim.note):
            documents |= _keys(text)
    for fact in facts:
        documents.add(fact.source.cite)
        if fact.source.primary:
            primaries.add(fact.source.primary)
        documents |= _keys(fact.text)
    for entity in entities:
        documents |= set(entity.sources) | _keys(entity.summary)
    kind_of = {cite: str(e.fields.get("kind", OTHER_DOCUMENT))
               for cite, e in atlas.sources_by_cite().items()}
    # A cited record that no source entry describes is a study the site knows through one.
    primaries |= {k for k in documents if k not in kind_of and k in references}
    documents -= primaries
    by_kind: dict[str, list[str]] = {}
    for key in sorted(documents):
        by_kind.setdefault(kind_of.get(key, OTHER_DOCUMENT), []).append(key)
    def year(key: str) -> str:
        return references[key].year if key in references else ""

    groups = tuple(
        DocumentGroup(kind, len(keys), tuple(sorted({year(k) for k in keys if year(k)})),
                      sum(1 for k in keys if not year(k)))
        for kind, keys in sorted(by_kind.items(), key=lambda kv: (-len(kv[1]), kv[0])))
    unverified = tuple(k for k in sorted(documents) if k in references and references[k].to_verify)
    return Scope(groups, len(primaries), unverified, "systematic-review" in by_kind)


def _keys(text: object) -> set[str]:
    values = (getattr(text, "en", None), getattr(text, "zh", None)) if text else ()
    return {k for value in values if value for k in cited_keys(value)}
