"""The words an ``[[id]]`` link puts into a sentence.

A catalogue name ("Acupuncture (including electroacupuncture)") is written
for a heading; pasted into running text it doubles what the sentence already
says. So a link takes, in this order: the writer's own words
(``[[id|words]]``), the entry's ``short_name``, or the name without a trailing
explanatory parenthesis. English names are lower-cased mid-sentence when their
first word is a plain capitalised word ("Drug-resistant epilepsy" → "drug-resistant
epilepsy"); acronyms, gene symbols ("mTOR", "NF-κB", "CRISPR") and names flagged
``proper_name`` ("Dravet syndrome") keep their case (docs/decisions/0013).

Used by the renderer and by ``mechatlas check``, so the text the validator reads
is the text a reader sees.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass

from mechatlas.model.entities import Text
from mechatlas.model.prose_tokens import LINK, cite_blocks

_TRAILING_PARENTHESIS = re.compile(r"\s*[(（]([^()（）]+)[)）]\s*$")
_ABBREVIATION = re.compile(r"^[A-Za-z0-9+\-–.]+$")
"""One token ("FMOD", "CRISPRa", "GEFS+"): an abbreviation; "mTORC1/mTORC2" lists members."""
_PLAIN_WORD = re.compile(r"^[A-Z][a-z]+(?:-[a-z]+)*$")
_SENTENCE_END = ".!?:;(—。！？：；（"
_TAG = re.compile(r"<[^>]*>|^[^<]*>")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(.+?)\1")


@dataclass(frozen=True)
class LinkName:
    """What a link to one entity may say: its name, short name and whether to keep its case."""

    name: Text
    short_name: Text | None = None
    proper_name: bool = False

    @classmethod
    def of(cls, data: Mapping[str, object]) -> LinkName:
        """From an entry as written (``name``, ``short_name``, ``proper_name``)."""
        return cls(Text.of(data.get("name")) or Text(), Text.of(data.get("short_name")),
                   bool(data.get("proper_name")))

    def short(self, lang: str) -> tuple[str, str]:
        """The short name in ``lang`` (else the other language's), with its language."""
        if self.short_name is not None:
            own = self.short_name.get(lang)
            if own:
                return own, lang
        text, text_lang = self.name.best(lang)
        return shorten(text), text_lang

    def in_text(self, lang: str, *, mid_sentence: bool) -> str:
        text, text_lang = self.short(lang)
        if mid_sentence and text_lang == "en" and not self.proper_name:
            return lower_first(text)
        return text


def link_names(entities: Mapping[str, LinkName],
               claims: Mapping[str, tuple[str, str]]) -> dict[str, LinkName]:
    """Every link target's words: entities by id, claims (therapy, pathway) by id. Each
    entity's words are worked out once, however many claims name it."""
    names = dict(entities)
    therapies: dict[str, tuple[str, str]] = {}
    pathways: dict[str, tuple[str, str]] = {}
    for claim_id, (therapy, pathway) in claims.items():
        if therapy not in entities or pathway not in entities:
            continue
        if therapy not in therapies:
            therapies[therapy] = _therapy_words(entities[therapy])
        if pathway not in pathways:
            pathways[pathway] = _pathway_words(entities[pathway])
        names[claim_id] = _claim_name(therapies[therapy], pathways[pathway],
                                      entities[therapy].proper_name)
    return names


def _therapy_words(therapy: LinkName) -> tuple[str, str]:
    return therapy.short("en")[0], therapy.short("zh")[0]


def _pathway_words(pathway: LinkName) -> tuple[str, str]:
    return (pathway.in_text("en", mid_sentence=True), pathway.in_text("zh", mid_sentence=True))


def _claim_name(therapy: tuple[str, str], pathway: tuple[str, str],
                proper_name: bool) -> LinkName:
    """A link to a claim reads "acupuncture → mTOR signalling": short names, not catalogue ones."""
    return LinkName(Text(f"{therapy[0]} → {pathway[0]}", f"{therapy[1]} → {pathway[1]}"),
                    proper_name=proper_name)


def shorten(name: str) -> str:
    """The name without a trailing explanatory parenthesis; an abbreviation in it stays.

    "Acupuncture (including electroacupuncture)" → "Acupuncture", "mTOR signalling
    (mTORC1/mTORC2)" → "mTOR signalling", but "Fibromodulin (FMOD)" stays whole: the
    abbreviation is how readers know it.
    """
    match = _TRAILING_PARENTHESIS.search(name)
    if match is None:
        return name
    inner = match.group(1).strip()
    head = name[:match.start()].strip()
    if not head or (_ABBREVIATION.match(inner) and " " not in inner and not inner.islower()):
        return name
    return head


def lower_first(name: str) -> str:
    """Lower-case the first letter when the first word is a plain capitalised English word."""
    first = name.split(" ", 1)[0]
    if _PLAIN_WORD.match(first):
        return name[0].lower() + name[1:]
    return name


def starts_sentence(before: str) -> bool:
    """Whether text ending in ``before`` has just closed a sentence (or opened a bracket)."""
    stripped = _TAG.sub(" ", before[-120:]).rstrip()
    return not stripped or stripped[-1] in _SENTENCE_END


def plain_text(text: str, names: Mapping[str, LinkName], lang: str) -> str:
    """Entry text as a reader reads it: links replaced by their words, citations dropped."""

    def link(match: re.Match[str]) -> str:
        if match.group(2):
            return html.unescape(match.group(2).strip())
        target = names.get(match.group(1))
        if target is None:
            return match.group(0)
        return target.in_text(lang, mid_sentence=not starts_sentence(match.string[:match.start()]))

    linked = LINK.sub(link, text)
    out, last = [], 0
    for match, _ in cite_blocks(linked):
        out.append(linked[last:match.start()].rstrip(" "))
        last = match.end()
    out.append(linked[last:])
    return _EMPHASIS.sub(r"\2", "".join(out))
