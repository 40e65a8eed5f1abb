"""One bibliography record, already cleaned of BibTeX and LaTeX.

The loader (``mechatlas.load.bibtex``) builds these once; styles, pages and the
``/references.json`` download only read them. Text is plain Unicode; the few
places where the BibTeX source asked for protected case or italics are kept as
``Span`` ranges so a style can honour them without ever seeing LaTeX.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mechatlas.model.han import HAN

CJK = HAN
"""Han characters: a record that has them is a Chinese-language record."""

DESCRIPTIVE_TITLE = re.compile(r"\[.*\]\.?")
"""A title in square brackets: a description of an untitled (or unseen) work."""
DESCRIPTIVE_TITLE_ZH = "title-zh"
"""The field holding a descriptive title's Chinese form, shown on Chinese pages."""

# BibTeX entry type -> CSL type. Everything not listed is a "document".
CSL_TYPES: Mapping[str, str] = {
    "article": "article-journal",
    "book": "book",
    "mvbook": "book",
    "booklet": "pamphlet",
    "collection": "book",
    "proceedings": "book",
    "manual": "book",
    "incollection": "chapter",
    "inbook": "chapter",
    "inreference": "entry-encyclopedia",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "techreport": "report",
    "report": "report",
    "online": "webpage",
    "www": "webpage",
    "electronic": "webpage",
    "webpage": "webpage",
    "unpublished": "manuscript",
    "patent": "patent",
    "dataset": "dataset",
    "software": "software",
    "standard": "standard",
    "periodical": "periodical",
}

_TITLE_FIELDS = {"title", "booktitle", "journal", "series", "subtitle"}
_TEXT_FIELDS: Mapping[str, str] = {
    "volume": "volume",
    "edition": "edition",
    "publisher": "publisher",
    "isbn": "ISBN",
    "issn": "ISSN",
    "pmcid": "PMCID",
    "abstract": "abstract",
    "note": "note",
    "chapter": "chapter-number",
    "eventtitle": "event-title",
    "venue": "event-place",
}


@dataclass(frozen=True)
class Person:
    """A name split the way CSL wants it; ``literal`` for organisations."""

    family: str
    given: str = ""
    literal: str = ""

    @property
    def is_cjk(self) -> bool:
        return bool(CJK.search(self.literal or self.family + self.given))

    @property
    def csl(self) -> dict[str, str]:
        if self.literal:
            return {"literal": self.literal}
        name = {"family": self.family}
        if self.given:
            name["given"] = self.given
        return name

    def __str__(self) -> str:
        if self.literal:
            return self.literal
        if self.is_cjk:
            return self.family + self.given
        return f"{self.given} {self.family}".strip()


@dataclass(frozen=True)
class Span:
    """``text[start:end]`` of a field was protected ("nocase") or marked up."""

    start: int
    end: int
    kind: str


@dataclass(frozen=True)
class Reference:
    """A cleaned bibliography record plus where it came from in the .bib file."""

    key: str
    entry_type: str
    line: int
    col: int
    fields: dict[str, str] = field(default_factory=dict, hash=False)
    authors: tuple[Person, ...] = ()
    editors: tuple[Person, ...] = ()
    others: bool = False
    editors_others: bool = False
    title: str = ""
    year: str = ""
    doi: str = ""
    pmid: str = ""
    url: str = ""
    language: str = "en"
    raw: str = ""
    to_verify: tuple[str, ...] = ()
    spans: dict[str, tuple[Span, ...]] = field(default_factory=dict, hash=False)

    @property
    def descriptive(self) -> bool:
        """The title is a bracketed description written by the curators, not the work's own."""
        return bool(DESCRIPTIVE_TITLE.fullmatch(self.title.strip()))

    def title_field(self, lang: str) -> str:
        """The field that holds the title a page in ``lang`` shows.

        A descriptive title is the site's own words, so a Chinese page shows its Chinese form
        (``title-zh``) where one is written; a work's own title is never translated here.
        """
        if lang == "zh" and self.descriptive and self.fields.get(DESCRIPTIVE_TITLE_ZH):
            return DESCRIPTIVE_TITLE_ZH
        return "title"

    @property
    def csl_type(self) -> str:
        if (
            self.entry_type == "misc"
            and self.url
            and not (self.fields.get("journal") or self.fields.get("publisher"))
        ):
            return "webpage"
        return CSL_TYPES.get(self.entry_type, "document")

    @property
    def csl(self) -> dict[str, Any]:
        """CSL-JSON; protected spans become ``<span class="nocase">`` as Zotero writes them."""
        return csl_json(self)


def csl_json(ref: Reference) -> dict[str, Any]:
    """The record as a CSL-JSON item (https://citeproc-js.readthedocs.io/en/latest/csl-json)."""
    f = ref.fields
    item: dict[str, Any] = {"id": ref.key, "type": ref.csl_type}
    if ref.authors:
        item["author"] = [p.csl for p in ref.authors]
    if ref.editors:
        item["editor"] = [p.csl for p in ref.editors]
    for name in ("title", "journal", "booktitle", "series"):
        if f.get(name):
            target = {"title": "title", "series": "collection-title"}.get(name, "container-title")
            item.setdefault(target, rich_text(f[name], ref.spans.get(name, ())))
    short = next((f[n] for n in _SHORT_JOURNAL if f.get(n)), "")
    if short and ref.entry_type == "article":
        item["container-title-short"] = short
    for bib, csl in _TEXT_FIELDS.items():
        if f.get(bib):
            item[csl] = f[bib]
    if f.get("number"):
        serial = ref.csl_type in ("article-journal", "periodical")
        item["issue" if serial else "number"] = f["number"]
    if f.get("pages"):
        item["page"] = f["pages"].replace("\u2013", "-")
    place = f.get("address") or f.get("location")
    if place:
        item["publisher-place"] = place
    school = f.get("school") or f.get("institution") or f.get("organization")
    if school and not f.get("publisher"):
        item["publisher"] = school
    if ref.entry_type in ("phdthesis", "mastersthesis") or f.get("type"):
        item["genre"] = f.get("type") or _THESIS_GENRE.get(ref.entry_type, "")
    issued = date_parts(ref.year, f.get("month", ""), f.get("date", ""))
    if issued:
        item["issued"] = issued
    accessed = date_parts("", "", f.get("urldate", ""))
    if accessed:
        item["accessed"] = accessed
    if ref.doi:
        item["DOI"] = ref.doi
    if ref.pmid:
        item["PMID"] = ref.pmid
    if ref.url:
        item["URL"] = ref.url
    item["language"] = "zh-CN" if ref.language == "zh" else "en-US"
    return {k: v for k, v in item.items() if v}


_SHORT_JOURNAL = ("shortjournal", "journalabbrev", "journal-abbrev", "journalabbreviation")
_THESIS_GENRE = {"phdthesis": "dissertation", "mastersthesis": "master's thesis"}  # NLM words


def rich_text(text: str, spans: tuple[Span, ...]) -> str:
    """CSL-JSON rich text: nocase spans and the four inline tags CSL processors accept."""
    if not spans:
        return text
    out, pos = [], 0
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if span.start < pos:
            continue  # nested spans: the outer one wins in the download
        open_tag = '<span class="nocase">' if span.kind == "nocase" else f"<{span.kind}>"
        close_tag = "</span>" if span.kind == "nocase" else f"</{span.kind}>"
        out += [text[pos : span.start], open_tag, text[span.start : span.end], close_tag]
        pos = span.end
    out.append(text[pos:])
    return "".join(out)


def date_parts(year: str, month: str, date: str) -> dict[str, Any]:
    """CSL ``issued``/``accessed`` from BibTeX year+month or a BibLaTeX ISO ``date``."""
    iso = re.match(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", date.strip())
    if iso:
        parts = [int(p) for p in iso.groups() if p]
        return {"date-parts": [parts]}
    if re.fullmatch(r"\d{4}", year.strip()):
        parts = [int(year)]
        if month.isdigit() and 1 <= int(month) <= 12:
            parts.append(int(month))
        return {"date-parts": [parts]}
    return {"literal": year.strip()} if year.strip() else {}


def is_chinese(fields: Mapping[str, str]) -> bool:
    """Han characters in author, title or journal, or a ``language`` field saying Chinese."""
    if any(CJK.search(fields.get(name, "")) for name in ("author", "title", "journal")):
        return True
    language = fields.get("language", "").strip().lower()
    return language in CHINESE_LANGUAGE_NAMES or language.startswith(("zh-", "chinese"))


CHINESE_LANGUAGE_NAMES = frozenset(
    {"zh", "chinese", "chi", "zho", "chs", "cht", "cn", "mandarin", "中文", "汉语", "简体中文"}
)

_NOTE_SECONDHAND = re.compile(
    r"(known only (?:through|from|via)|cited (?:in|by|after)|quoted (?:in|by)|"
    r"secondary (?:source|citation)|not seen|转引自|引自|未见原文)",
    re.IGNORECASE,
)
_NEEDS_DOI = {"article", "inproceedings", "conference", "incollection"}
_NEEDS_PAGES = {"article", "inproceedings", "conference", "incollection", "inbook"}
_NEEDS_PUBLISHER = {"book", "inbook", "incollection", "proceedings", "collection"}


def reasons_to_verify(ref: Reference) -> tuple[str, ...]:
    """Why a person should check this record by hand, derived from what is (not) in it."""
    f, kind = ref.fields, ref.entry_type
    reasons = []
    if not ref.authors and not ref.editors:
        reasons.append("no authors")
    if not ref.year:
        reasons.append("no year")
    if kind == "article" and not (f.get("journal") or f.get("journaltitle")):
        reasons.append("no journal")
    if kind in _NEEDS_PUBLISHER and not (f.get("publisher") or f.get("school")):
        reasons.append("no publisher")
    if kind in _NEEDS_PAGES and not (f.get("pages") or f.get("eid")):
        reasons.append("no pages")
    if kind in _NEEDS_DOI and not ref.doi:
        reasons.append("no DOI")
    if ref.csl_type == "webpage" and not ref.url:
        reasons.append("no URL")
    if ref.descriptive:
        reasons.append("title is a bracketed description")
    note = f.get("note", "")
    found = _NOTE_SECONDHAND.search(note)
    if found:  # the clause that says so: "note says known only through <source>"
        said = re.split(r"[,.;:，。；：]\s", note[found.start() :] + " ", maxsplit=1)[0]
        said = said.strip().rstrip(".,;:，。；：")
        reasons.append(f"note says {said[:1].lower()}{said[1:]}")
    return tuple(reasons)
