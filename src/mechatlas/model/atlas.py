"""The graph of entries: who acts on what, who links to whom, who cites what.

Every view of the site (entity pages, the matrix, diagrams, the citation
index, the data export) reads these indexes, so they are computed once here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from mechatlas.model.entities import Claim, Entity, Fact, Text
from mechatlas.model.evidence import Conflict, Headline, claim_headline, conflicts
from mechatlas.model.kinds import ENTITY_KINDS
from mechatlas.model.link_text import LinkName, link_names
from mechatlas.model.prose_tokens import cited_keys, links_in


@dataclass
class Atlas:
    entities: dict[str, Entity]
    claims: dict[str, Claim]
    facts: dict[str, Fact]
    _claims_of: dict[str, list[Claim]] = field(default_factory=dict, repr=False)
    _facts_of: dict[str, list[Fact]] = field(default_factory=dict, repr=False)
    _backlinks: dict[str, set[str]] = field(default_factory=dict, repr=False)
    _cited_by: dict[str, set[str]] = field(default_factory=dict, repr=False)
    _named_as_rival_by: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _lineage: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _headlines: dict[str, Headline] = field(default_factory=dict, repr=False)
    _conflicts: dict[str, list[Conflict]] = field(default_factory=dict, repr=False)
    _link_names: dict[str, LinkName] = field(default_factory=dict, repr=False)
    _sources_by_cite: dict[str, Entity] | None = field(default=None, repr=False)
    _parts: dict[str, list[Entity]] | None = field(default=None, repr=False)

    ENTITY_INDEXES = ("_sources_by_cite", "_parts")
    """Indexes built on first use that hold entity objects: a view of the atlas that hands out
    entities of its own (``site/tracking.py``) builds them afresh from those."""

    def __post_init__(self) -> None:
        claims_of: dict[str, list[Claim]] = defaultdict(list)
        for claim in self.claims.values():
            for target in {claim.therapy, claim.pathway, claim.condition, *claim.genes,
                           *claim.methods}:
                claims_of[target].append(claim)
        facts_of: dict[str, list[Fact]] = defaultdict(list)
        for fact in self.facts.values():
            for subject in fact.subjects:
                facts_of[subject].append(fact)
        self._claims_of = {k: sorted(v, key=lambda c: c.id) for k, v in claims_of.items()}
        self._facts_of = {k: sorted(v, key=lambda f: f.id) for k, v in facts_of.items()}
        rivals: dict[str, list[str]] = defaultdict(list)
        for claim in sorted(self.claims.values(), key=lambda c: c.id):
            for other in claim.competes_with:
                rivals[other].append(claim.id)
        self._named_as_rival_by = dict(rivals)
        self._backlinks = self._collect_backlinks()
        self._cited_by = self._collect_citations()
        self._headlines = {c.id: claim_headline(c, self.lineage) for c in self.claims.values()}
        by_therapy: dict[str, list[Claim]] = defaultdict(list)
        for claim in self.claims.values():
            by_therapy[claim.therapy].append(claim)
        self._conflicts = {t: found for t, group in by_therapy.items()
                           if (found := conflicts(group, self.lineage))}

    # --- lookups -----------------------------------------------------------------
    def of_kind(self, kind: str) -> list[Entity]:
        """Entities of one kind, ordered by English name then id (stable for the indexes)."""
        found = [e for e in self.entities.values() if e.kind == kind]
        return sorted(found, key=lambda e: ((e.name.en or e.name.zh or e.id).casefold(), e.id))

    def claims_of(self, entity_id: str) -> list[Claim]:
        return self._claims_of.get(entity_id, [])

    def facts_of(self, entity_id: str) -> list[Fact]:
        return self._facts_of.get(entity_id, [])

    def lineage(self, condition: str) -> list[str]:
        """A condition and every condition it is part of, nearest first (DRE → epilepsy)."""
        if condition not in self._lineage:
            lineage, current = [], condition
            while current and current not in lineage:
                lineage.append(current)
                entity = self.entities.get(current)
                parents = entity.ids_in("part_of") if entity else ()
                current = parents[0] if parents else ""
            self._lineage[condition] = lineage
        return self._lineage[condition]

    def headline(self, claim: Claim) -> Headline:
        """The claim's evidence summary for its own condition (direct evidence only)."""
        return self._headlines[claim.id]

    def conflicts_of(self, therapy: str) -> list[Conflict]:
        """Nodes the sources describe ``therapy`` as moving both ways."""
        return self._conflicts.get(therapy, [])

    def node_name(self, pathway: str, node: str) -> Text:
        """The display name of a node declared on a composite pathway."""
        entity = self.entities.get(pathway)
        for item in (entity.fields.get("nodes") or ()) if entity else ():
            if item.get("id") == node:
                return Text.of(item.get("name")) or Text(node, node)
        return Text(node, node)

    def rivals_of(self, claim_id: str) -> list[str]:
        """Claims whose ``competes_with`` names ``claim_id``: the reverse of that field."""
        return self._named_as_rival_by.get(claim_id, [])

    def backlinks(self, entity_id: str) -> list[Entity]:
        """Entities whose entry names or links to ``entity_id`` (claims aside)."""
        found = (self.entities[i] for i in self._backlinks.get(entity_id, ()) if i != entity_id)
        return sorted(found, key=lambda e: (ENTITY_KINDS.index(e.kind)
                                            if e.kind in ENTITY_KINDS else 9, e.id))

    def cited_by(self, key: str) -> list[str]:
        """Ids of entities, claims and facts that cite ``key``."""
        return sorted(self._cited_by.get(key, ()))

    def link_name(self, entity_id: str) -> LinkName | None:
        """What an ``[[id]]`` link to this entity says in running text."""
        return self.link_names.get(entity_id)

    @property
    def link_names(self) -> dict[str, LinkName]:
        if not self._link_names:
            self._link_names = link_names(
                {i: LinkName(e.name, e.short_name, bool(e.fields.get("proper_name")))
                 for i, e in self.entities.items()},
                {i: (c.therapy, c.pathway) for i, c in self.claims.items()})
        return self._link_names

    def pages_citing(self, key: str) -> list[Entity]:
        """The pages whose own statements cite ``key``, each once, in index order.

        A claim's or fact's statements live on its home page (a claim on its therapy's page),
        so twelve claims of one therapy citing a review make one "cited on" entry, not twelve.
        """
        pages: dict[str, Entity] = {}
        for item in self.cited_by(key):
            home = self.home_of(item)
            if home is not None:
                pages.setdefault(home[0].id, home[0])
        order = {kind: n for n, kind in enumerate((*ENTITY_KINDS, "source"))}
        return sorted(pages.values(), key=lambda e: (order.get(e.kind, 9),
                                                     (e.name.en or e.id).casefold(), e.id))

    def proper_name(self, entity_id: str) -> bool | None:
        """Whether an entity's name keeps its capital mid-sentence; None for no such entity."""
        entity = self.entities.get(entity_id)
        return None if entity is None else bool(entity.fields.get("proper_name"))

    def sources_by_cite(self) -> dict[str, Entity]:
        """Source entries by the citation key of the document they describe."""
        if self._sources_by_cite is None:  # asked by every page: made once, not per page
            self._sources_by_cite = {str(e.fields.get("cite")): e
                                     for e in self.entities.values() if e.kind == "source"}
        return dict(self._sources_by_cite)

    def parts_of(self, entity_id: str) -> list[Entity]:
        """Entities whose ``part_of`` names ``entity_id`` (sub-pathways, sub-conditions)."""
        if self._parts is None:
            parts: dict[str, list[Entity]] = defaultdict(list)
            for entity in self.entities.values():
                for whole in dict.fromkeys(entity.ids_in("part_of")):
                    parts[whole].append(entity)
            self._parts = dict(parts)
        return list(self._parts.get(entity_id, ()))

    def name(self, entity_id: str) -> Text:
        entity = self.entities.get(entity_id)
        return entity.name if entity else Text(entity_id, entity_id)

    def home_of(self, item_id: str) -> tuple[Entity, str] | None:
        """The page an item lives on, and its anchor: claims on their therapy's page."""
        if item_id in self.entities:
            return self.entities[item_id], ""
        if item_id in self.claims:
            return self.entities[self.claims[item_id].therapy], f"claim-{item_id}"
        if item_id in self.facts:
            return self.entities[self.facts[item_id].subjects[0]], f"fact-{item_id}"
        return None

    # --- derived indexes ---------------------------------------------------------
    def _collect_backlinks(self) -> dict[str, set[str]]:
        links: dict[str, set[str]] = defaultdict(set)
        for entity in self.entities.values():
            targets = set(entity.related)
            for value in entity.fields.values():
                targets |= set(_ids_in_value(value, self.entities))
            for text in (entity.summary, *(_texts(entity.fields))):
                targets |= set(_links(text))
            for target in targets:
                links[target].add(entity.id)
        for claim in self.claims.values():
            for note in (claim.statement, claim.note):
                for target in _links(note):
                    links[target].add(claim.therapy)
        return links

    def _collect_citations(self) -> dict[str, set[str]]:
        cited: dict[str, set[str]] = defaultdict(set)
        for entity in self.entities.values():
            keys = set(entity.sources)
            for text in (entity.summary, *(_texts(entity.fields))):
                keys |= set(_cites(text))
            for key in keys:
                cited[key].add(entity.id)
        for claim in self.claims.values():
            keys = set(claim.citekeys)
            for said in (claim.statement, claim.note, *(e.finding for e in claim.evidence)):
                keys |= set(_cites(said))
            for key in keys:
                cited[key].add(claim.id)
        for fact in self.facts.values():
            keys = {fact.source.cite, *([fact.source.primary] if fact.source.primary else [])}
            for key in keys | set(_cites(fact.text)):
                cited[key].add(fact.id)
        return cited


def _links(text: Text | None) -> Iterable[str]:
    if text is None:
        return ()
    return [t for value in (text.en, text.zh) if value for t in links_in(value)]


def _cites(text: Text | None) -> Iterable[str]:
    if text is None:
        return ()
    return [k for value in (text.en, text.zh) if value for k in cited_keys(value)]


def _texts(fields: dict[str, Any]) -> Iterable[Text]:
    for value in fields.values():
        if isinstance(value, dict) and set(value) <= {"en", "zh"}:
            text = Text.of(value)
            if text:
                yield text


def _ids_in_value(value: object, entities: dict[str, Entity]) -> Iterable[str]:
    if isinstance(value, str) and value in entities:
        yield value
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, str) and item in entities:
                yield item
