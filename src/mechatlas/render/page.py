"""What a template sees: one page, in one language, with its own citation numbering.

Citations are numbered in order of first use on the page, as a review article
numbers its references, by a second pass over the rendered page
(``render/citations.py``); the page's reference list lists exactly what the page
cited, and each number links to its entry in that list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from mechatlas.contrib.references import Reason, reason
from mechatlas.model.atlas import Atlas
from mechatlas.model.entities import NOT_STATED, OTHER_POPULATION, Claim, Evidence, Text
from mechatlas.model.evidence import IndirectBest, directness
from mechatlas.model.link_text import lower_first
from mechatlas.model.reads import ReadLog, Token
from mechatlas.model.reference import Reference
from mechatlas.model.scope import Scope
from mechatlas.render import claim_rows, urls
from mechatlas.render.citations import cite_slot, list_marker, number_citations
from mechatlas.render.prose import render_prose

_TAGS = re.compile(r"<[^>]+>")
REFERENCES_URL = "references/"
CARD_URL = "_cards/_card/"
"""A claim card is rendered as if at this URL: the depth of every entity page (kind/id/)."""


@dataclass
class SiteData:
    """Everything shared by all pages of one language."""

    lang: str
    atlas: Atlas
    strings: dict[str, Any]
    references: dict[str, Reference]
    formatted: dict[str, str]
    """Reference key -> the entry in this language's citation style (safe HTML)."""
    card_template: Any = None
    """The claim card template; a card is rendered once per language and reused."""
    bibliography_template: Any = None
    """The page's own reference list, rendered once the page's citations are numbered."""
    cards: dict[str, str] = field(default_factory=dict)
    reads: ReadLog = field(default_factory=ReadLog)
    """Where the pages' reads are recorded, when the build core traces them."""
    card_reads: dict[str, frozenset[Token]] = field(default_factory=dict)
    """What each stored card read: replayed into every page that reuses the card."""
    rows: dict[str, str] = field(default_factory=dict)
    """Claim id -> its compact row (``render/claim_rows.py``), rendered once per language."""
    row_reads: dict[str, frozenset[Token]] = field(default_factory=dict)
    """What each stored row read: replayed into every page that reuses the row."""


@dataclass
class Page:
    site: SiteData
    url: str

    # --- language ------------------------------------------------------------------
    @property
    def lang(self) -> str:
        return self.site.lang

    def t(self, dotted: str, **values: Any) -> str:
        """An interface string of this language: ``t('labels.summary')``."""
        node: Any = self.site.strings
        for part in dotted.split("."):
            node = node[part]
        return str(node).format(**values) if values else str(node)

    def markup(self, dotted: str, **values: Any) -> Markup:
        """An interface string as HTML: plain values are escaped once, Markup is kept as is."""
        return escape(self.t(dotted)).format(**values)

    def count(self, dotted: str, n: int) -> str:
        """A counted phrase: the string's ``one`` form for 1, its ``many`` form otherwise."""
        return self.t(f"{dotted}.{'one' if n == 1 else 'many'}", n=n)

    def text(self, value: Text | None) -> Markup:
        """Plain text in this language; the other language, marked, if missing."""
        if value is None:
            return Markup("")
        content, lang = value.best(self.lang)
        if lang == self.lang:
            return escape(content)
        return self._foreign(escape(content), lang)

    def prose(self, value: Text | None, inline: bool = False,
              cited_after: str | None = None) -> Markup:
        """Entry text as safe HTML with links and numbered citations.

        ``cited_after``: the key the template cites right after this text, with its locator;
        the text's own bare citations of it are left out, so the statement cites it once.
        """
        if value is None:
            return Markup("")
        content, lang = value.best(self.lang)
        rendered = Markup(render_prose(content, self, inline=inline, cited_after=cited_after))
        return rendered if lang == self.lang else self._foreign(rendered, lang)

    def _foreign(self, content: Markup, lang: str) -> Markup:
        note = escape(self.t("labels.missing_translation"))
        return Markup(
            f'<span class="ma-missing" lang="{lang}">{content}</span>'
            f'<span class="ma-missing-note" role="note"> ({note})</span>'
        )

    # --- links -----------------------------------------------------------------------
    def href(self, to_url: str) -> str:
        return urls.relative(self.url, to_url)

    def shared(self, path: str) -> str:
        """A file published once for both languages (``/data/atlas.json``), from this page."""
        return ("../" if self.lang != "en" else "") + self.href(path)

    def url_of(self, item_id: str) -> str:
        home = self.site.atlas.home_of(item_id)
        if home is None:
            return ""
        entity, anchor = home
        target = urls.entity_url(entity.kind, entity.id)
        return self.href(f"{target}#{anchor}" if anchor else target)

    def name(self, item_id: str) -> Markup:
        return self.text(self.site.atlas.name(item_id))

    def reference_href(self, key: str) -> str:
        """From this page to a reference's entry in the citation index."""
        return f"{self.href(REFERENCES_URL)}#{reference_anchor(key)}"

    def reference_anchor(self, key: str) -> str:
        return reference_anchor(key)

    def link(self, item_id: str, *, running: bool = False) -> Markup:
        """A link to any item: entities by name (as it reads mid-sentence when ``running``),
        claims and facts by what they are about."""
        if item_id in self.site.atlas.entities:
            words = self.running_name(item_id) if running else self.name(item_id)
            return Markup(f'<a href="{escape(self.url_of(item_id))}">{words}</a>')
        target = self.link_for(item_id)
        if target is None:
            return escape(item_id)
        return Markup(f'<a href="{escape(target[0])}">{escape(target[1])}</a>')

    def link_for(self, entity_id: str) -> tuple[str, str] | None:
        atlas = self.site.atlas
        if entity_id in atlas.claims:
            claim = atlas.claims[entity_id]
            label = " → ".join(
                (atlas.name(claim.therapy).best(self.lang)[0],
                 atlas.name(claim.pathway).best(self.lang)[0]))
            return self.url_of(entity_id), label
        if entity_id in atlas.facts:
            fact = atlas.facts[entity_id]
            subject = atlas.name(fact.subjects[0]).best(self.lang)[0]
            return self.url_of(entity_id), f"{subject} · {self.t('facts.' + fact.category)}"
        if atlas.home_of(entity_id) is None:
            return None
        return self.url_of(entity_id), atlas.name(entity_id).best(self.lang)[0]

    @staticmethod
    def by_kind(entities: list[Any]) -> list[tuple[str, list[Any]]]:
        """Entities grouped by kind, groups and members in the order given."""
        groups: dict[str, list[Any]] = {}
        for entity in entities:
            groups.setdefault(entity.kind, []).append(entity)
        return list(groups.items())

    def link_words(self, entity_id: str, *, mid_sentence: bool) -> str:
        """What a bare ``[[id]]`` says: the short name, lower-cased mid-sentence in English."""
        name = self.site.atlas.link_name(entity_id)
        if name is not None:
            return name.in_text(self.lang, mid_sentence=mid_sentence)
        target = self.link_for(entity_id)
        return target[1] if target else entity_id

    # --- evidence ----------------------------------------------------------------------
    def directness(self, item: Evidence, condition: str) -> str:
        return directness(item, condition, self.site.atlas.lineage)

    def studied_in(self, item: Evidence, with_model: bool = True) -> Markup:
        """Where an item was studied, in words: 'in depression', 'in another population (…)'.

        ``with_model=False`` where the model is printed just before, so it is not repeated.
        """
        studied = item.studied_in.condition
        if studied == NOT_STATED:
            return self.markup("evidence.population_not_stated")
        if studied == OTHER_POPULATION:
            if not with_model:
                return self.markup("evidence.in_other_population")
            return self.markup("evidence.in_other", model=self.text(item.model))
        return self.markup("evidence.in_condition", condition=self.running_name(studied))

    def indirect_note(self, best: IndirectBest, condition: str) -> Markup:
        """'Indirect: clinical trial — in depression, not in drug-resistant epilepsy'."""
        design = self.t(f"designs.{best.design}")
        if best.directness == "unstated":
            return self.markup("evidence.unstated_note", design=design)
        return self.markup("evidence.indirect_note", design=design,
                           where=self.studied_in(best.item),
                           condition=self.running_name(condition))

    def scope_sentence(self, scope: Scope) -> Markup:
        """'Based on 2 narrative reviews (2026) and 1 science news report (2025).'"""
        parts = []
        for group in scope.groups:
            noun = self.t(f"scope.kinds.{group.kind}.{'one' if group.count == 1 else 'many'}")
            dates = [*group.years, *([self.t("scope.undated")] if group.undated else [])]
            years = self.t("scope.years", years=self.t("scope.list_sep").join(dates)) \
                if dates else ""
            parts.append(self.t("scope.group", n=group.count, noun=noun, years=years))
        if not parts:
            return escape(self.t("scope.no_sources"))
        listed = self.t("scope.and").join(
            [self.t("scope.list_sep").join(parts[:-1]), parts[-1]] if len(parts) > 1 else parts)
        sentence = self.t("scope.based_on", documents=listed)
        if scope.primary:
            sentence += self.t("scope.primary", n=scope.primary)
        if not scope.systematic:
            sentence += self.t("scope.not_systematic")
        return escape(sentence)

    def unverified_names(self, keys: tuple[str, ...]) -> str:
        """The documents by the names their source entries give, else by citation key."""
        by_cite = self.site.atlas.sources_by_cite()
        names = [by_cite[k].name.best(self.lang)[0] if k in by_cite else k for k in keys]
        return self.t("scope.and").join(names)

    def unverified_reasons(self, keys: tuple[str, ...]) -> str:
        words: list[str] = []
        for key in keys:
            for text in self.site.references[key].to_verify:
                word = self.reason_label(reason(text))
                if word not in words:
                    words.append(word)
        return self.t("scope.list_sep").join(w[0].lower() + w[1:] if self.lang == "en" else w
                                             for w in words)

    def reason_label(self, why: Reason) -> str:
        """A reason to verify in this page's language; the .bib file's words if it has no code."""
        return self.t(f"coverage.reasons.{why.code}", detail=why.detail) if why.code else why.text

    def unverified(self, key: str) -> bool:
        reference = self.site.references.get(key)
        return bool(reference and reference.to_verify)

    def claim_label(self, claim: Claim) -> str:
        """A claim in one line, for screen readers and lists.

        "Ketogenic diet inhibits NF-κB — drug-resistant epilepsy — animal study": therapy,
        effect and pathway, then the condition and the best direct design as they read
        mid-sentence, so that a mark in the matrix says everything its cell position shows.
        """
        head = self.site.atlas.headline(claim)
        level = self.t(f"designs.{head.direct}") if head.direct else self.t("evidence.no_direct")
        if self.lang == "en":
            level = level[0].lower() + level[1:]
        return self.t("matrix.mark_label", therapy=self._plain_name(claim.therapy),
                      effect=self.t(f"effects.{claim.effect}"),
                      pathway=self.in_running_text(claim.pathway,
                                                   self._plain_name(claim.pathway)),
                      condition=self.in_running_text(claim.condition,
                                                     self._plain_name(claim.condition)),
                      level=level)

    def _plain_name(self, item_id: str) -> str:
        return self.site.atlas.name(item_id).best(self.lang)[0]

    def running_name(self, entity_id: str) -> Markup:
        """An entity's name as it reads mid-sentence ("in drug-resistant epilepsy")."""
        text = self.site.atlas.name(entity_id)
        content, lang = text.best(self.lang)
        if lang != self.lang:
            return self.text(text)
        return escape(self.in_running_text(entity_id, content))

    def in_running_text(self, entity_id: str, name: str) -> str:
        proper = self.site.atlas.proper_name(entity_id)
        if self.lang != "en" or proper is None or proper:
            return name
        return lower_first(name)

    # --- citations ---------------------------------------------------------------------
    def cite(self, key: str, suffix: str = "") -> str:
        """A citation slot; :meth:`finish` numbers it once the whole page is rendered."""
        return cite_slot(key, suffix)

    def cite_markup(self, key: str, suffix: str = "") -> Markup:
        return Markup(self.cite(key, suffix))

    def claim_card(self, claim: Any) -> Markup:
        """A claim's card, rendered once per language and reused on every page that shows it.

        A claim appears on its therapy, pathway, condition, gene and method pages; all of them
        sit at the same depth (``kind/id/``), so only citation numbers differ between copies,
        and those are slots until the page that shows the card is finished.
        """
        key = claim.id
        reads = self.site.reads
        if key not in self.site.cards:
            # Rendered from a folder no page lives in, so that every link climbs to the site
            # root ("../../pathways/x/") and reads the same from any entity page.
            card_page = Page(self.site, CARD_URL)
            with reads.scope() as card_reads:
                reads.read(("claim", key))
                reads.read(("template", str(self.site.card_template.name)))
                self.site.cards[key] = self.site.card_template.render(page=card_page, claim=claim)
            self.site.card_reads[key] = frozenset(card_reads)
        else:
            reads.extend(self.site.card_reads[key])
        return Markup(self.site.cards[key])

    def claim_row(self, claim: Claim) -> Markup:
        """A claim as a compact row that links to its card (every page but its home)."""
        return claim_rows.claim_row(self, claim)

    def claim_lead(self, claim: Claim) -> Markup:
        return claim_rows.claim_lead(self, claim)

    def bibliography(self) -> Markup:
        """Where the page's own reference list goes; filled in by :meth:`finish`."""
        return list_marker()

    def finish(self, text: str) -> str:
        """The rendered page with its citations numbered in reading order and its list filled."""
        return number_citations(text, self._numbered_cite, self._reference_list)

    def _numbered_cite(self, key: str, suffix: str, number: int, own_list: bool) -> str:
        title = _TAGS.sub("", self.site.formatted.get(key, key))
        extra = f", {escape(suffix)}" if suffix else ""
        flag = ""
        if self.unverified(key):
            word = escape(self.t("labels.unverified_reference"))
            title = f"{title} — {word}"
            flag = f'<span class="ma-cite__unverified" aria-label="{word}">?</span>'
        href = f"#{cite_anchor(key)}" if own_list else escape(self.reference_href(key))
        return (f'<a class="ma-cite" href="{href}"'
                f' title="{escape(Markup(title).unescape())}">[{number}{extra}{flag}]</a>')

    def _reference_list(self, numbered: list[tuple[int, str]]) -> str:
        entries = [(n, key, cite_anchor(key), Markup(self.site.formatted.get(key, escape(key))))
                   for n, key in numbered]
        return str(self.site.bibliography_template.render(page=self, entries=entries))


def cite_anchor(key: str) -> str:
    """The id of a reference's entry in a page's own list."""
    return f"cite-{escape(key)}"


def reference_anchor(key: str) -> str:
    """The id of a reference's entry in the citation index (``/references/#ref-<key>``)."""
    return f"ref-{key}"
