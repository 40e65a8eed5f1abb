"""Read a built page as a reader sees it, and find words of the other language in it.

What a reader may see in the other language is decided from the data, not from a list of
page text: the names, aliases and abbreviations of the entities, the references' own
bibliographic data, and the words a bilingual text keeps unchanged in both of its languages
(a gene product such as Rheb, a species such as *Cronobacter sakazakii*, 中医学 as a journal's
name). Words of the other language anywhere else are reported.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

SKIPPED_TAGS = {"script", "style", "code", "pre", "kbd", "samp"}
SKIPPED_CLASSES = {"ma-references", "ma-bibliography", "ma-bibtex", "ma-reference__text"}
"""Code, and the reference entries themselves (an English article keeps its English title)."""
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
             "source", "track", "wbr"}
HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
LATIN_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_]*")
ENGLISH_WORD = re.compile(r"[A-Za-z][a-z]{2,}")
"""A token that reads as an English word: abbreviations (mTOR, GABA, KCNQ2) and symbols do not."""
QUOTED = re.compile(r"“[^”]*”|https?://\S+|\b10\.\d{4,9}/\S+")
"""A quotation of the source's own words, web addresses and DOIs: not the page's prose."""
PROPER_NAME = re.compile(r"[A-Z][a-z]+")
UNIT_CONTEXT = re.compile(r"[0-9][0-9.]*\s*(?:[A-Za-z]+/)?$")


class _ArticleText(HTMLParser):
    """Text nodes of a page's ``<article>``, outside code and reference entries."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool, bool]] = []
        self.nodes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID_TAGS:
            return
        attributes = dict(attrs)
        classes = set((attributes.get("class") or "").split())
        # An element that declares its own language (the entity's other-language name) is
        # marked as such for readers and screen readers: not the page's prose.
        self.stack.append((tag, tag == "article", tag in SKIPPED_TAGS or bool(
            classes & SKIPPED_CLASSES) or attributes.get("lang") is not None))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_TAGS:
            return
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        inside = any(article for _, article, _ in self.stack)
        if inside and not any(skip for _, _, skip in self.stack) and data.strip():
            self.nodes.append(data)


def text_nodes(html: str) -> list[str]:
    parser = _ArticleText()
    parser.feed(html)
    return parser.nodes


@dataclass(frozen=True)
class Allowed:
    """What may appear in the other language: Latin tokens on Chinese pages, Han on English."""

    latin: frozenset[str]
    han: tuple[str, ...]

    def han_allowed(self, run: str) -> bool:
        return any(run in name for name in self.han)


def allowed_from_data(site: Path, names: tuple[str, ...] = ()) -> Allowed:
    """Names, aliases, abbreviations and words kept in both languages, from the site's data.

    ``names`` adds proper names given elsewhere (the site's own name in the interface strings).
    """
    atlas = json.loads((site / "data" / "atlas.json").read_text("utf-8"))
    latin: set[str] = set()
    han: set[str] = set()

    def keep(text: str) -> None:
        latin.update(LATIN_TOKEN.findall(text))
        han.update(HAN_RUN.findall(text))

    for name in names:
        keep(name)
    for entity in atlas["entities"]:
        for alias in entity.get("aliases", []):
            keep(alias)
        keep(entity["name"].get("zh", ""))
        keep(entity.get("symbol") or "")
    for reference in atlas["references"]:
        for name in ("container-title", "publisher"):
            keep(str(reference.get(name, "")))
        if not str(reference.get("title", "")).startswith("["):  # a work's own title, not ours
            keep(str(reference.get("title", "")))
        for person in reference.get("author", []):
            keep(" ".join(str(v) for v in person.values()))
            keep("".join(str(person.get(part, "")) for part in ("family", "given")))
    for en, zh in _bilingual(atlas):
        latin.update(set(LATIN_TOKEN.findall(en)) & set(LATIN_TOKEN.findall(zh)))
        han.update(run for run in HAN_RUN.findall(en) if run in zh)
    return Allowed(frozenset(latin), tuple(sorted(han)))


def _bilingual(value: object) -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        if isinstance(value.get("en"), str) and isinstance(value.get("zh"), str):
            yield value["en"], value["zh"]
        for child in value.values():
            yield from _bilingual(child)
    elif isinstance(value, list):
        for child in value:
            yield from _bilingual(child)


def names_of_twin(html: str) -> frozenset[str]:
    """Capitalised words of a hand-written page's English twin: the names both versions keep.

    A hand-written page (Contributing, Performance) names tools and formats that no entry
    does (Python, Zotero, Markdown); a name reads the same in both versions of the page.
    """
    return frozenset(word for node in text_nodes(html) for word in LATIN_TOKEN.findall(node)
                     if PROPER_NAME.fullmatch(word))


def english_on_chinese_page(html: str, allowed: Allowed,
                            names: frozenset[str] = frozenset()) -> list[str]:
    """English words of a Chinese page that are no name, abbreviation, quotation or unit."""
    found = []
    for node in text_nodes(html):
        prose = QUOTED.sub(lambda m: " " * len(m.group(0)), node)  # a quotation of the source
        for token in LATIN_TOKEN.finditer(prose):
            word = token.group(0)
            if not ENGLISH_WORD.fullmatch(word) or word in allowed.latin or word in names:
                continue
            if UNIT_CONTEXT.search(prose[:token.start()]):
                continue  # 1.8 mmol/L, 10 mg/kg
            found.append(f"{word!r} in {node.strip()[:80]!r}")
    return found


def chinese_on_english_page(html: str, allowed: Allowed) -> list[str]:
    """Han text of an English page that is no name, alias or term the source is quoted in."""
    return [f"{run!r} in {node.strip()[:80]!r}" for node in text_nodes(html)
            for run in HAN_RUN.findall(node) if not allowed.han_allowed(run)]


def site_pages(site: Path, lang: str) -> list[Path]:
    pages = sorted(site.rglob("index.html"))
    return [p for p in pages if (p.relative_to(site).parts[0] == "zh") == (lang == "zh")]
