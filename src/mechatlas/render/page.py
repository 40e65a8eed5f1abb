"""What a template sees: one page, in one language, with its own citation numbering.

Citations are numbered in order of first use on the page, as a review article
numbers its references; the page's reference list is rendered last and lists
exactly what the page cited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from mechatlas.contrib.references import reason
from mechatlas.model.atlas import Atlas
from mechatlas.model.entities import NOT_STATED, OTHER_POPULATION, Evidence, Text
from mechatlas.model.evidence import Headline, IndirectBest, directness
from mechatlas.model.reads import ReadLog, Token
from mechatlas.model.reference import Reference
from mechatlas.model.scope import Scope
from mechatlas.model.vocabulary import DESIGNS
from mechatlas.render import urls
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
    cards: dict[str, str] = field(default_factory=dict)
    reads: ReadLog = field(default_factory=ReadLog)
    """Where the pages' reads are recorded, when the build core traces them."""
    card_reads: dict[str, frozenset[Token]] = field(default_factory=dict)
    """What each stored card read: replayed into every page that reuses the card."""


_CITE_SLOT = re.compile("\ue020([^\ue021\ue022]*)\ue022([^\ue021]*)\ue021")


@dataclass
class Page:
    site: SiteData
    url: str
    cited: dict[str, int] = field(default_factory=dict)
    recording: bool = False
    """Render citations as slots, numbered later by the page that shows the fragment."""

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

    def prose(self, value: Text | None, inline: bool = False) -> Markup:
        """Entry text as safe HTML with links and numbered citations."""
        if value is None:
            return Markup("")
        content, lang = value.best(self.lang)
        rendered = Markup(render_prose(content, self, inline=inline))
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

    def link(self, item_id: str) -> Markup:
        """A link to any item: entities by name, claims and facts by what they are about."""
        if item_id in self.site.atlas.entities:
            return Markup(f'<a href="{escape(self.url_of(item_id))}">{self.name(item_id)}</a>')
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

    # --- evidence ----------------------------------------------------------------------
    def directness(self, item: Evidence, condition: str) -> str:
        return directness(item, condition, self.site.atlas.lineage)

    def studied_in(self, item: Evidence) -> Markup:
        """Where an item was studied, in words: 'in depression', 'in another population (…)'."""
        studied = item.studied_in.condition
        if studied == NOT_STATED:
            return self.markup("evidence.population_not_stated")
        if studied == OTHER_POPULATION:
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

    def shows_indirect(self, headline: Headline) -> bool:
        """Indirect evidence is mentioned when it is all there is, or stronger than the direct."""
        best = headline.indirect
        if best is None:
            return False
        return headline.direct is None or DESIGNS.index(best.design) < DESIGNS.index(
            headline.direct)

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
                code = reason(text).code
                word = self.t(f"coverage.reasons.{code}") if code else text
                if word not in words:
                    words.append(word)
        return self.t("scope.list_sep").join(w[0].lower() + w[1:] if self.lang == "en" else w
                                             for w in words)

    def unverified(self, key: str) -> bool:
        reference = self.site.references.get(key)
        return bool(reference and reference.to_verify)

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
        first = name.split(" ", 1)[0]
        if len(first) > 1 and first[0].isupper() and first[1:].islower():
            return name[0].lower() + name[1:]
        return name

    # --- citations ---------------------------------------------------------------------
    def number(self, key: str) -> int:
        if key not in self.cited:
            self.cited[key] = len(self.cited) + 1
        return self.cited[key]

    def cite(self, key: str, suffix: str = "") -> str:
        if self.recording:
            return f"\ue020{escape(key)}\ue022{escape(suffix)}\ue021"
        number = self.number(key)
        title = _TAGS.sub("", self.site.formatted.get(key, key))
        extra = f", {escape(suffix)}" if suffix else ""
        flag = ""
        if self.unverified(key):
            word = escape(self.t("labels.unverified_reference"))
            title = f"{title} — {word}"
            flag = f'<span class="ma-cite__unverified" aria-label="{word}">?</span>'
        return (f'<a class="ma-cite" href="{escape(self.href(REFERENCES_URL))}#ref-{escape(key)}"'
                f' title="{escape(Markup(title).unescape())}">[{number}{extra}{flag}]</a>')

    def cite_markup(self, key: str, suffix: str = "") -> Markup:
        return Markup(self.cite(key, suffix))

    def claim_card(self, claim: Any) -> Markup:
        """A claim's card, rendered once per language and reused on every page that shows it.

        A claim appears on its therapy, pathway, condition, gene and method pages; all of them
        sit at the same depth (``kind/id/``), so only citation numbers differ between copies.
        They are slots in the stored card, numbered here in the order this page meets them.
        """
        key = claim.id
        reads = self.site.reads
        if key not in self.site.cards:
            # Rendered from a folder no page lives in, so that every link climbs to the site
            # root ("../../pathways/x/") and reads the same from any entity page.
            recorder = Page(self.site, CARD_URL, recording=True)
            with reads.scope() as card_reads:
                reads.read(("claim", key))
                reads.read(("template", str(self.site.card_template.name)))
                self.site.cards[key] = self.site.card_template.render(page=recorder, claim=claim)
            self.site.card_reads[key] = frozenset(card_reads)
        else:
            reads.extend(self.site.card_reads[key])
        return Markup(_CITE_SLOT.sub(
            lambda m: self.cite(Markup(m.group(1)).unescape(), Markup(m.group(2)).unescape()),
            self.site.cards[key]))

    def bibliography(self) -> list[tuple[int, str, Markup]]:
        """The page's references in citation order: (number, key, formatted entry)."""
        return [(n, key, Markup(self.site.formatted.get(key, escape(key))))
                for key, n in self.cited.items()]
