"""Read ``references.bib`` into clean ``Reference`` records, with every problem placed.

Why a scanner of our own for the BibTeX block structure: the site must point at
the line *and column* of each problem and report all of them in one run.
bibtexparser 2.x gives only 0-based start lines and no columns, and pybtex stops
at the first error, so the outer grammar (``@type{key, name = value # value}``,
``@string``, ``@comment``, ``@preamble``) is scanned here with offsets kept. The
LaTeX inside values is parsed by a real LaTeX parser, pylatexenc, and walked
here to turn accents, math and ``\\textit`` into Unicode and ``Span``s.

Recovery follows bibtexparser's rule: an entry that breaks is reported at its
``@`` and scanning resumes at the next line that starts with ``@``.

Codes: ``bibtex-syntax``, ``duplicate-citekey``, ``missing-citekey``,
``missing-field``, ``duplicate-field``, ``undefined-macro``, ``bad-doi``,
``bad-pmid``, ``bad-url``, ``unknown-entry-type`` (warning), ``file-encoding``,
``file-unreadable``. Columns count Unicode characters, starting at 1.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import charset_normalizer
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec
from pylatexenc.latex2text import get_default_latex_context_db as get_default_latex2text_db
from pylatexenc.latexwalker import (
    LatexCharsNode,
    LatexGroupNode,
    LatexMacroNode,
    LatexMathNode,
    LatexWalker,
    get_default_latex_context_db,
)
from pylatexenc.macrospec import MacroSpec

from mechatlas.diagnostics import Diagnostic, error, warning
from mechatlas.load.yaml_source import PRIVATE_USE
from mechatlas.model.han import HAN_RUN
from mechatlas.model.reference import (
    CJK,
    Person,
    Reference,
    Span,
    is_chinese,
    reasons_to_verify,
)

# --- what entries need ---------------------------------------------------------------------

_YEAR = ("year", "date")
_PUBLISHED = ("publisher", "year", "date")
REQUIRED: dict[str, tuple[tuple[str, ...], ...]] = {
    # No author is "to verify", not an error: a paper known only through a report of it
    # (seed 004) has none on record, and inventing one is worse than leaving it out.
    "article": (("title",), ("journal", "journaltitle"), _YEAR),
    "book": (("author", "editor"), ("title",), _PUBLISHED),
    "mvbook": (("author", "editor"), ("title",), _PUBLISHED),
    "collection": (("editor", "author"), ("title",), _PUBLISHED),
    "inbook": (("author", "editor"), ("title",), _PUBLISHED),
    "incollection": (("author",), ("title",), ("booktitle",), _PUBLISHED),
    "inproceedings": (("author",), ("title",), ("booktitle", "eventtitle"), _YEAR),
    "conference": (("author",), ("title",), ("booktitle", "eventtitle"), _YEAR),
    "proceedings": (("title",), _YEAR),
    "phdthesis": (("author",), ("title",), ("school", "institution"), _YEAR),
    "mastersthesis": (("author",), ("title",), ("school", "institution"), _YEAR),
    "thesis": (("author",), ("title",), ("school", "institution"), _YEAR),
    "techreport": (("author", "institution"), ("title",), _YEAR),
    "report": (("author", "institution"), ("title",), _YEAR),
    "manual": (("title",),),
    "misc": (("title",),),
    "online": (("title",),),
    "www": (("title",),),
    "electronic": (("title",),),
    "webpage": (("title",),),
    "unpublished": (("author",), ("title",)),
    "booklet": (("title",),),
    "patent": (("author",), ("title",), ("number",)),
    "dataset": (("title",),),
    "software": (("title",),),
    "standard": (("title",),),
    "periodical": (("title",),),
    "inreference": (("title",),),
    # the rest of biblatex's types (manual §2.1): a missing field is only ever a warning
    "bookinbook": (("author", "editor"), ("title",), _YEAR),
    "suppbook": (("author", "editor"), ("title",), _YEAR),
    "mvcollection": (("editor", "author"), ("title",), _YEAR),
    "suppcollection": (("author", "editor"), ("title",), _YEAR),
    "suppperiodical": (("title",), _YEAR),
    "mvproceedings": (("title",), _YEAR),
    "reference": (("editor", "author"), ("title",), _YEAR),
    "mvreference": (("editor", "author"), ("title",), _YEAR),
    "set": (("entryset",),),
    "xdata": (),
    **{f"custom{letter}": () for letter in "abcdef"},
    # types biblatex's standard styles treat as @misc
    **{name: (("title",),) for name in (
        "artwork", "audio", "bibnote", "commentary", "image", "jurisdiction", "legislation",
        "legal", "letter", "movie", "music", "performance", "review", "video")},
}
NOT_CITABLE = frozenset({"xdata"})
"""biblatex data containers: their fields go into other entries; they are not references."""

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_VERBATIM = {"url", "doi", "eprint", "file", "pdf", "pmid", "pmcid", "urldate"}
_NAME_FIELDS = ("author", "editor")
_ALIASES = {"journaltitle": "journal", "location": "address"}
_DOI_PREFIX = re.compile(
    r"^\s*(?:https?://)?(?:www\.|dx\.)?(?:doi\.org/|doi\s*:\s*|doi\s+(?=10\.))", re.IGNORECASE
)
DOI_PATTERN = re.compile(r"10\.\d{4,9}/[^\s\"<>\\]+")
"""A DOI: no white space, and none of ``" < > \\`` (they would need escaping in every link;
the few SICI DOIs that contain ``<`` or ``>`` are written percent-encoded, ``%3C`` ``%3E``)."""
_IN_URL = re.compile(r"^\s*(?:https?://)?[\w.-]+\.[a-z]{2,}(?::\d+)?/(?:.*?/)?(10\.\d{4,9}/\S+)",
                     re.IGNORECASE)
"""A DOI inside a resolver or publisher address: doi.acm.org/10.1145/…, hdl.handle.net/10.…"""
_RESOLVERS = re.compile(
    r"^\s*(?:https?://)?(?:www\.|dx\.)?(?:doi\.org|doi\.acm\.org|hdl\.handle\.net|"
    r"doi\.wiley\.com|doi\.ieeecomputersociety\.org|doi\.apa\.org|doi\.nrct\.go\.th)/",
    re.IGNORECASE)
_LINE_START_ENTRY = re.compile(r"[ \t]*@[ \t]*[A-Za-z]\w*[ \t]*[{(]")
_TYPE = re.compile(r"[A-Za-z][\w\-]*")
_IDENT = re.compile(r"[A-Za-z_][\w\-.:+/]*")
_KEY = re.compile(r"[^\s,{}()\"#%=\\]+")
_SPACE = re.compile(r"\s*")


def _after_space(text: str, at: int) -> int:
    """Where the whitespace starting at ``at`` ends (``\\s*`` always matches)."""
    match = _SPACE.match(text, at)
    return match.end() if match else at


_NUMBER = re.compile(r"\d+")
_NEXT_ENTRY_LINE = re.compile(r"\n(?=[ \t]*@[ \t]*[A-Za-z]\w*[ \t]*[{(])")
_STRAY = re.compile(r"[ \t\r\n]*(,|\}|[A-Za-z][\w\-]*[ \t]*=)")
_FOUND = re.compile(r"\w+|\S")


# --- public entry point ----------------------------------------------------------------------


def load_bibliography(
    path: Path, display_path: str
) -> tuple[dict[str, Reference], list[Diagnostic]]:
    """Every well-formed record by key, and every problem found, in file order."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return {}, [error(display_path, 0, 0, "file-unreadable", f"cannot read: {exc.strerror}")]
    text, problems = _decode(data, display_path)
    references, found = parse_bibliography(text, display_path)
    return references, sorted(problems + found, key=lambda d: (d.line, d.col))


def parse_bibliography(
    text: str, display_path: str
) -> tuple[dict[str, Reference], list[Diagnostic]]:
    """The same as ``load_bibliography`` for text already in memory (tests, the hook)."""
    scan = _Scanner(text, display_path)
    for line_number, line in enumerate(text.split("\n"), start=1):
        marker = PRIVATE_USE.search(line)
        if marker:
            scan.problems.append(error(
                display_path, line_number, marker.start() + 1, "private-use-character",
                f"U+{ord(marker.group()):04X} is a private-use character, which the site "
                "reserves for itself; delete it"))
    scan.run()
    references: dict[str, Reference] = {}
    first_seen: dict[str, _Entry] = {}
    for entry in scan.entries:
        if not entry.key:
            continue
        folded = entry.key.casefold()
        if folded in first_seen:
            first = first_seen[folded]
            same = "" if first.key == entry.key else f" (as '{first.key}', differing in case)"
            scan.problem(
                entry.offset,
                "duplicate-citekey",
                f"citation key '{entry.key}' is already used{same} by the entry at line "
                f"{scan.line_col(first.offset)[0]}",
            )
            continue
        first_seen[folded] = entry
    for entry in first_seen.values():
        if entry.entry_type not in NOT_CITABLE:
            references[entry.key] = _build(inherit(entry, first_seen, scan), scan)
    return references, sorted(scan.problems, key=lambda d: (d.line, d.col))


# --- crossref and xdata: what an entry inherits, as biber (and BibTeX) resolve it ------------

_MAIN = ("mvbook", "mvcollection", "mvreference", "mvproceedings")
_TITLE_AS = (
    # (parent types, child types, what the parent's title becomes): biblatex manual, app. B
    (("mvbook",), ("book", "inbook", "bookinbook", "suppbook"), "main"),
    (("mvcollection", "mvreference"),
     ("collection", "reference", "incollection", "inreference", "suppcollection"), "main"),
    (("mvproceedings",), ("proceedings", "inproceedings"), "main"),
    (("book",), ("inbook", "bookinbook", "suppbook"), "book"),
    (("collection", "reference"), ("incollection", "inreference", "suppcollection"), "book"),
    (("proceedings",), ("inproceedings", "conference"), "book"),
    (("periodical",), ("article", "suppperiodical"), "journal"),
)
_NEVER_INHERITED = frozenset({
    "ids", "crossref", "xref", "xdata", "entryset", "entrysubtype", "execute", "label",
    "options", "presort", "related", "relatedoptions", "relatedstring", "relatedtype",
    "shorthand", "shorthandintro", "sortkey",
})
_SHORT_TITLES = ("shorttitle", "sorttitle", "indextitle", "indexsorttitle")


def _renamed(field_name: str, parent_type: str, child_type: str) -> str | None:
    """The name a parent's field takes in the child; None when it is not inherited."""
    if field_name in _NEVER_INHERITED:
        return None
    for parents, children, role in _TITLE_AS:
        if parent_type in parents and child_type in children:
            if field_name in _SHORT_TITLES:
                return None
            if field_name in ("title", "subtitle", "titleaddon"):
                if role == "journal":
                    return {"title": "journaltitle", "subtitle": "journalsubtitle"}.get(
                        field_name)
                return f"{role}{field_name}"
    return field_name


def inherit(entry: _Entry, entries: dict[str, _Entry], scan: _Scanner,
            seen: frozenset[str] = frozenset()) -> _Entry:
    """``entry`` with the fields of its ``xdata`` entries and its ``crossref`` parent added.

    What an entry has itself always wins. A parent's title becomes the child's
    ``booktitle`` (or ``maintitle``, ``journaltitle``) by biblatex's inheritance rules;
    every other field keeps its name, as in BibTeX. A missing parent is a warning, as
    BibTeX's "bad cross reference" is; so is a cycle.
    """
    seen = seen | {entry.key.casefold()}
    fields = dict(entry.fields)
    sources: list[tuple[str, str, bool]] = []
    if "xdata" in entry.fields:
        for key in re.split(r"\s*,\s*", entry.fields["xdata"].source.strip()):
            if key:
                sources.append(("xdata", key, True))
    if "crossref" in entry.fields:
        sources.append(("crossref", entry.fields["crossref"].source.strip(), False))
    for field_name, key, same_names in sources:
        offset = entry.fields[field_name].offset
        parent = entries.get(key.casefold())
        if parent is None:
            scan.problem(offset, "bad-crossref",
                         f"{field_name} '{key}' names no entry in the file; its fields are not "
                         "inherited", warn=True)
            continue
        if parent.key.casefold() in seen:
            scan.problem(offset, "bad-crossref",
                         f"{field_name} '{key}' leads back to '{entry.key}' (a cycle); it is "
                         "not followed", warn=True)
            continue
        resolved = inherit(parent, entries, scan, seen)
        for name, value in resolved.fields.items():
            target = (name if same_names and name not in _NEVER_INHERITED
                      else _renamed(name, parent.entry_type, entry.entry_type))
            if target and target not in fields:
                fields[target] = value
    if len(fields) == len(entry.fields):
        return entry
    return dataclasses.replace(entry, fields=fields)


_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32", "UTF-32"), (b"\x00\x00\xfe\xff", "utf-32", "UTF-32"),
    (b"\xff\xfe", "utf-16", "UTF-16"), (b"\xfe\xff", "utf-16", "UTF-16"),
)
_WESTERN_CODECS = frozenset({"latin_1", "cp1252", "iso8859_15", "cp1250", "iso8859_2",
                             "cp850", "mac_roman", "cp1254", "iso8859_9"})
_HAN_RUN = HAN_RUN


def _decode(data: bytes, display_path: str) -> tuple[str, list[Diagnostic]]:
    """UTF-8 (a BOM is allowed); otherwise say where the first bad byte is and read on.

    A UTF-16 or UTF-32 file is named by its byte-order mark and read as what it is, so that
    no follow-on error appears. Which 8-bit encoding a file is in is said only on evidence:
    charset-normalizer's best guess, and, for Chinese, runs of Han characters in its reading.
    """
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                break
            return text, [error(display_path, 1, 1, "file-encoding",
                                f"the file is {name} (it starts with a {name} byte-order "
                                "mark); BibTeX reads only 8-bit files: save it as UTF-8")]
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    try:
        return body.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line_start = body.rfind(b"\n", 0, exc.start) + 1
        line = body.count(b"\n", 0, exc.start) + 1
        col = len(body[line_start : exc.start].decode("utf-8", "replace")) + 1
        message = (f"byte 0x{body[exc.start]:02x} is not UTF-8{_encoding_hint(body)}; "
                   "save the file as UTF-8")
        return body.decode("utf-8", "replace"), [
            error(display_path, line, col, "file-encoding", message)
        ]


def _encoding_hint(body: bytes) -> str:
    """What the bytes most likely are, or nothing when the evidence is weak.

    Chinese needs runs of Han characters in the GB18030 reading: a Latin-1 ``ü`` followed by
    an ASCII letter also decodes as one (lone) Han character, so lone ones prove nothing.
    Otherwise charset-normalizer's best guess is named if it is a Western 8-bit encoding.
    """
    try:
        reading = body.decode("gb18030")
    except UnicodeDecodeError:
        reading = ""
    runs = [len(run) for run in _HAN_RUN.findall(reading)]
    if sum(runs) >= 2 and sum(n for n in runs if n >= 2) >= 0.8 * sum(runs):
        return " (it reads as GB18030, as some Chinese databases export)"
    best = charset_normalizer.from_bytes(body).best()
    if best is not None and best.encoding in _WESTERN_CODECS:
        return " (it reads as Latin-1 / Windows-1252, as older Western tools save it)"
    return ""


# --- the block scanner ------------------------------------------------------------------------


@dataclass
class _Field:
    name: str
    offset: int
    source: str  # LaTeX, @string macros already expanded


@dataclass
class _Entry:
    entry_type: str
    key: str
    offset: int
    end: int = 0
    fields: dict[str, _Field] = field(default_factory=dict)


class _Abort(Exception):
    """The current entry cannot be read; ``resume`` is where scanning goes on."""

    def __init__(self, message: str, resume: int) -> None:
        super().__init__(message)
        self.message = message
        self.resume = resume


class _Scanner:
    """Walks the file once, collecting entries, @string macros and problems."""

    def __init__(self, text: str, path: str) -> None:
        self.text, self.path = text, path
        self.pos = 0
        self.entries: list[_Entry] = []
        self.problems: list[Diagnostic] = []
        self.macros = {m: _MONTH_NAMES[i] for i, m in enumerate(MONTHS)}
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    # positions and reporting
    def line_col(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self._line_starts, offset) - 1
        return index + 1, offset - self._line_starts[index] + 1

    def where(self, offset: int) -> str:
        line, col = self.line_col(offset)
        return f"{line}:{col}"

    def problem(self, offset: int, code: str, message: str, *, warn: bool = False) -> None:
        line, col = self.line_col(offset)
        make = warning if warn else error
        self.problems.append(make(self.path, line, col, code, message))

    # outside entries: BibTeX ignores everything but '@'; '%' lines are comments
    def run(self) -> None:
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char == "%":
                end = text.find("\n", self.pos)
                self.pos = len(text) if end < 0 else end + 1
            elif char == "@":
                self._block(self.pos)
            else:
                self.pos += 1

    def _next_entry_line(self, start: int) -> int:
        """Offset of the next line beginning with ``@type{`` after ``start``, or the end."""
        found = _NEXT_ENTRY_LINE.search(self.text, start)
        return found.end() if found else len(self.text)

    def _block(self, at: int) -> None:
        self.pos = at + 1
        self._skip_space()
        match = _TYPE.match(self.text, self.pos)
        if not match:
            self.problem(at, "bibtex-syntax", "'@' is not followed by an entry type")
            return
        kind = match.group().lower()
        self.pos = match.end()
        if kind == "comment":  # BibTeX ignores the word; biber also skips a braced body
            self._skip_comment()
            return
        self._skip_space()
        opener = self._peek()
        if opener not in "{(" or not opener:
            self.problem(at, "bibtex-syntax", f"'@{match.group()}' is not followed by '{{'")
            self.pos = self._next_entry_line(at)
            return
        closer = "}" if opener == "{" else ")"
        self.pos += 1
        try:
            if kind == "preamble":
                self._value("@preamble", at)
                self._expect_close(at, closer, "@preamble")
            elif kind == "string":
                self._string(at, closer)
            else:
                self._entry(at, kind, closer)
                self._check_stray(at)
        except _Abort as abort:
            self.problem(at, "bibtex-syntax", abort.message)
            self.pos = abort.resume

    def _skip_comment(self) -> None:
        """``@comment`` in every form real files have: ``@comment{…}``, ``@comment(…)``,
        ``@Comment jabref-meta: …`` on one line, and a body never closed. BibTeX itself ignores
        only the word and reads on; a balanced braced body is skipped as biber skips it."""
        after_word = self.pos
        self._skip_space()
        opener = self._peek()
        if opener not in ("{", "("):
            self.pos = after_word
            return
        closer = "}" if opener == "{" else ")"
        depth, index = 0, self.pos
        while index < len(self.text):
            char = self.text[index]
            if char == opener:
                depth += 1
            elif char == closer:
                depth -= 1
                if depth == 0:
                    self.pos = index + 1
                    return
            index += 1
        self.pos = after_word  # never closed: read on after the word, as BibTeX does

    def _string(self, at: int, closer: str) -> None:
        self._skip_space()
        match = _IDENT.match(self.text, self.pos)
        if not match:
            raise _Abort(
                f"@string needs 'name = value' at {self.where(self.pos)}",
                self._next_entry_line(self.pos),
            )
        self.pos = match.end()
        self._skip_space()
        if self._peek() != "=":
            raise _Abort(
                f"expected '=' after @string name '{match.group()}' at {self.where(self.pos)}",
                self._next_entry_line(self.pos),
            )
        self.pos += 1
        value = self._value(match.group(), at)
        self._expect_close(at, closer, "@string")
        self.macros[match.group().lower()] = value

    def _expect_close(self, at: int, closer: str, what: str) -> None:
        self._skip_space()
        if self._peek() == ",":
            self.pos += 1
            self._skip_space()
        if self._peek() != closer:
            raise _Abort(
                f"{what} is not closed: expected '{closer}' at {self.where(self.pos)}",
                self._next_entry_line(at),
            )
        self.pos += 1

    def _entry(self, at: int, kind: str, closer: str) -> None:
        self._skip_space()
        start = self.pos
        key_match = _KEY.match(self.text, start)
        key = key_match.group() if key_match else ""
        rest = _after_space(self.text, key_match.end() if key_match else start)
        entry = _Entry(kind, key, at)
        if not key or self.text.startswith("=", rest):
            entry.key = ""
            self.problem(at, "missing-citekey", f"@{kind} entry has no citation key")
            # "@misc{title = ...}": the token was the first field name
            self.pos = start if key else rest + self.text.startswith(",", rest)
        elif self.text.startswith(",", rest):
            self.pos = rest + 1
        elif self.text.startswith(closer, rest):
            self.pos = rest
        else:
            raise _Abort(
                f"expected ',' after the key '{key}' at {self.where(rest)}, "
                f"found {self._found(rest)}",
                self._next_entry_line(at),
            )
        self._fields(entry, closer)
        entry.end = self.pos
        if kind not in REQUIRED:
            self.problem(
                at,
                "unknown-entry-type",
                f"@{kind} is not a BibTeX/BibLaTeX type; it is formatted as a generic document",
                warn=True,
            )
        self.entries.append(entry)

    def _fields(self, entry: _Entry, closer: str) -> None:
        label = f"entry '{entry.key}'" if entry.key else f"@{entry.entry_type} entry"
        while True:
            self._skip_space(comments=True)
            char = self._peek()
            if char == closer:
                self.pos += 1
                return
            if not char:
                raise _Abort(f"{label} is never closed: the file ends first", len(self.text))
            if char == "@":
                raise _Abort(
                    f"{label} is not closed before the next entry at {self.where(self.pos)}",
                    self.pos,
                )
            match = _IDENT.match(self.text, self.pos)
            if not match:
                raise _Abort(
                    f"{label}: expected a field name at {self.where(self.pos)}, "
                    f"found {self._found(self.pos)}",
                    self._next_entry_line(self.pos),
                )
            name, name_at = match.group().lower(), self.pos
            self.pos = match.end()
            self._skip_space()
            if self._peek() != "=":
                raise _Abort(
                    f"{label}: expected '=' after field '{name}' at {self.where(self.pos)}",
                    self._next_entry_line(self.pos),
                )
            self.pos += 1
            self._skip_space()
            value_at = self.pos
            value = self._value(name, entry.offset)
            if name in entry.fields:
                first = self.where(entry.fields[name].offset)
                self.problem(
                    name_at,
                    "duplicate-field",
                    f"field '{name}' is given twice in {label}; the one at {first} is kept",
                )
            else:
                entry.fields[name] = _Field(name, name_at, value)
            self._skip_space(comments=True)
            char = self._peek()
            if char == ",":
                self.pos += 1
            elif not char:
                raise _Abort(f"{label} is never closed: the file ends first", len(self.text))
            elif char == "@":
                raise _Abort(
                    f"{label} is not closed before the next entry at {self.where(self.pos)}; "
                    f"are the braces of field '{name}' at {self.where(value_at)} unbalanced?",
                    self.pos,
                )
            elif char != closer:
                raise _Abort(
                    f"{label}: expected ',' or '{closer}' after field '{name}' at "
                    f"{self.where(self.pos)}, found {self._found(self.pos)}",
                    self._next_entry_line(self.pos),
                )

    def _check_stray(self, at: int) -> None:
        """Text right after an entry that looks like more fields means an extra '}'."""
        match = _STRAY.match(self.text, self.pos)
        if match:
            where = self.where(self.pos - 1)
            self.problem(
                at,
                "bibtex-syntax",
                f"the entry closes at {where} but fields follow; is there an extra '}}'?",
            )

    # values
    def _value(self, name: str, at: int) -> str:
        """One field value with ``#`` concatenation and macros expanded, as LaTeX source."""
        parts: list[str] = []
        while True:
            self._skip_space()
            parts.append(self._piece(name, at))
            self._skip_space()
            if self._peek() != "#":
                return "".join(parts)
            self.pos += 1

    def _piece(self, name: str, at: int) -> str:
        char, start = self._peek(), self.pos
        if char in ("{", '"') and char:
            return self._delimited(name, at)
        number = _NUMBER.match(self.text, start)
        if number:
            self.pos = number.end()
            return number.group()
        macro = _IDENT.match(self.text, start)
        if macro:
            self.pos = macro.end()
            value = self.macros.get(macro.group().lower())
            if value is None:
                self.problem(  # BibTeX warns and reads the field on without it
                    start,
                    "undefined-macro",
                    f"'{macro.group()}' in field '{name}' is not a defined @string; "
                    "it is left out",
                    warn=True,
                )
                return ""
            return value
        raise _Abort(
            f"expected a value for field '{name}' at {self.where(start)}, "
            f"found {self._found(start)}",
            self._next_entry_line(start) if char != "@" else start,
        )

    def _delimited(self, name: str, at: int) -> str:
        text, start = self.text, self.pos
        quoted = text[start] == '"'
        depth, index = (0 if quoted else 1), start + 1
        while index < len(text):
            char = text[index]
            if char == "\\":
                index += 2
                continue
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
                if depth == 0 and not quoted:
                    self.pos = index + 1
                    return text[start + 1 : index]
                if depth < 0:
                    raise _Abort(
                        f"unbalanced braces: the '}}' at {self.where(index)} in field '{name}' "
                        "has no matching '{'",
                        self._next_entry_line(index),
                    )
            elif char == '"' and quoted and depth == 0:
                self.pos = index + 1
                return text[start + 1 : index]
            elif char == "\n" and _LINE_START_ENTRY.match(text, index + 1):
                raise _Abort(self._unclosed(name, start, quoted), index + 1)
            index += 1
        raise _Abort(self._unclosed(name, start, quoted), self._next_entry_line(start))

    def _unclosed(self, name: str, start: int, quoted: bool) -> str:
        what = "the '\"'" if quoted else "the '{'"
        return (
            f"unbalanced braces: {what} opening field '{name}' at {self.where(start)} "
            "is never closed"
        )

    # small helpers
    def _found(self, offset: int) -> str:
        """What stands at ``offset``, quoted for a message: a word, one character or EOF."""
        match = _FOUND.match(self.text, _after_space(self.text, offset))
        return f"'{match.group()[:20]}'" if match else "the end of the file"

    def _peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def _skip_space(self, *, comments: bool = False) -> None:
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char.isspace():
                self.pos += 1
            elif comments and char == "%":
                end = text.find("\n", self.pos)
                self.pos = len(text) if end < 0 else end + 1
            else:
                return


# --- from scanned entry to Reference ---------------------------------------------------------


def _build(entry: _Entry, scan: _Scanner) -> Reference:
    """Decode every field, split names, normalise identifiers, check required fields."""
    fields: dict[str, str] = {}
    spans: dict[str, tuple[Span, ...]] = {}
    for name, raw in entry.fields.items():
        marks: tuple[Span, ...] = ()
        if name in _VERBATIM:
            value = verbatim(raw.source)
        else:
            value, marks = latex_to_text(raw.source)
        if not value:
            continue
        fields[name] = value
        if marks and name not in _NAME_FIELDS:
            spans[name] = marks
    for alias, canonical in _ALIASES.items():
        if alias in fields and canonical not in fields:
            fields[canonical] = fields[alias]
            if alias in spans:
                spans[canonical] = spans[alias]
    if "pages" in fields:
        fields["pages"] = re.sub(r"\s*[-\u2010-\u2014]+\s*", "\u2013", fields["pages"])
    if "month" in fields:
        fields["month"] = _month(fields["month"])
    names = {}
    for role in _NAME_FIELDS:
        source = entry.fields[role].source if role in entry.fields else ""
        names[role] = parse_names(source)
    doi = _doi(entry, fields, scan)
    ref = Reference(
        key=entry.key,
        entry_type=entry.entry_type,
        line=scan.line_col(entry.offset)[0],
        col=scan.line_col(entry.offset)[1],
        fields=fields,
        authors=names["author"][0],
        editors=names["editor"][0],
        others=names["author"][1],
        editors_others=names["editor"][1],
        title=fields.get("title", ""),
        year=_year(fields),
        doi=doi,
        pmid=_pmid(entry, fields, scan),
        url=_url(entry, fields, scan),
        language="zh" if is_chinese(fields) else "en",
        raw=scan.text[entry.offset : entry.end],
        spans=spans,
    )
    reasons = reasons_to_verify(ref)
    for missing in _check_required(entry, fields, scan):
        if not _COVERED.intersection(missing):
            reasons = (*reasons, f"no {missing[0]}")
    return dataclasses.replace(ref, to_verify=reasons)


_COVERED = frozenset({"author", "editor", "year", "date", "journal", "journaltitle",
                      "publisher"})
"""Fields whose absence ``reasons_to_verify`` already names ("no authors", "no year"…)."""


def _check_required(entry: _Entry, fields: dict[str, str],
                    scan: _Scanner) -> list[tuple[str, ...]]:
    """Warn about each required field that is missing, and return them.

    BibTeX and biber warn and still format such a record (a preprint has no journal, a
    half-filled export no year), so this is a warning and a reason to verify, never an error.
    """
    missing = []
    for group in REQUIRED.get(entry.entry_type, ()):
        if not any(fields.get(name) for name in group):
            wanted = " or ".join(f"'{name}'" for name in group)
            scan.problem(
                entry.offset,
                "missing-field",
                f"@{entry.entry_type} '{entry.key}' needs {wanted}; the record is formatted "
                "without it and listed to verify",
                warn=True,
            )
            missing.append(group)
    return missing


def normalise_doi(value: str) -> str:
    """Bare ``10.x/...`` from the forms exporters write (URL, ``doi:``, percent-encoding).

    A DOI inside any resolver or publisher address is found too (``http://doi.acm.org/10.1145/
    …``, as the ACM Digital Library exports it). ``" < > \\`` stay percent-encoded.
    """
    doi = value.strip()
    while True:
        stripped = _DOI_PREFIX.sub("", doi, count=1)
        if stripped == doi:
            break
        doi = stripped
    inside = _IN_URL.match(doi)
    if inside:
        doi = inside.group(1)
    if "%" in doi:  # decoded for display, except what a link cannot hold raw
        doi = re.sub(r'[\s"<>\\]', lambda m: f"%{ord(m.group()):02X}", unquote(doi))
    return doi.strip()


def _doi(entry: _Entry, fields: dict[str, str], scan: _Scanner) -> str:
    if "doi" in fields:
        doi = normalise_doi(fields["doi"])
        if re.search(r"[<>]", doi) and DOI_PATTERN.fullmatch(re.sub(r"[<>]", "", doi)):
            # A SICI DOI (10.1002/(SICI)…<377::AID-JCC1>…): real, and linked percent-encoded
            encoded = doi.replace("<", "%3C").replace(">", "%3E")
            scan.problem(entry.fields["doi"].offset, "bad-doi",
                         f"the DOI '{doi[:80]}' contains '<' or '>'; it is linked as "
                         f"'{encoded[:80]}': write it so in references.bib", warn=True)
            doi = encoded
        if DOI_PATTERN.fullmatch(doi):
            fields["doi"] = doi
            return doi
        bad = sorted(set(re.findall(r"[\s\"<>\\]", doi)))
        why = (f"; a DOI cannot contain {' '.join(repr(c) for c in bad)}"
               if bad and DOI_PATTERN.match(doi) else "")
        scan.problem(
            entry.fields["doi"].offset,
            "bad-doi",
            f"'{fields['doi']}' is not a DOI (expected 10.<registrant>/<suffix>){why}",
        )
        return ""
    url = fields.get("url", "")
    if _RESOLVERS.match(url):
        doi = normalise_doi(url)
        return doi if DOI_PATTERN.fullmatch(doi) else ""
    return ""


_WEB = re.compile(r"https?://\S+", re.IGNORECASE)


def _url(entry: _Entry, fields: dict[str, str], scan: _Scanner) -> str:
    """Only web addresses: a ``javascript:`` or ``data:`` URL never reaches a page or export.

    BibTeX takes any text in ``url``, so what it would print is only warned about: several
    addresses in one field (Mendeley separates them with spaces) keep the first, and a space
    inside one address is encoded as ``%20``.
    """
    url = fields.get("url", "").strip()
    if not url:
        return url
    offset = entry.fields["url"].offset
    addresses = _WEB.findall(url)
    if _WEB.fullmatch(url):
        return url
    if addresses and url.lower().startswith(("http://", "https://")):
        words = url.split()
        if all(_WEB.fullmatch(word) for word in words):
            scan.problem(offset, "bad-url",
                         f"field 'url' holds {len(words)} addresses separated by spaces; the "
                         f"first ({words[0][:60]}) is used: keep one, or move the others to "
                         "'note'", warn=True)
            fields["url"] = words[0]
            return words[0]
        encoded = re.sub(r"\s+", "%20", url)
        scan.problem(offset, "bad-url",
                     f"the address '{url[:60]}' contains a space; it is used as '{encoded[:60]}' "
                     "(write spaces in a URL as %20)", warn=True)
        fields["url"] = encoded
        return encoded
    # BibTeX prints any text; the site links only to the web. A script or data URL is an
    # attack, not a slip, so it stops the build; anything else is left out with a warning.
    active = bool(_ACTIVE_SCHEME.match(url))
    scan.problem(offset, "bad-url",
                 f"'{url[:60]}' is not a web address (expected http:// or https://); "
                 "it is left out of the site", warn=not active)
    fields.pop("url", None)
    return ""


_ACTIVE_SCHEME = re.compile(r"\s*(?:javascript|vbscript|data|file|blob)\s*:", re.IGNORECASE)


def _pmid(entry: _Entry, fields: dict[str, str], scan: _Scanner) -> str:
    if "pmid" in fields:
        pmid = re.sub(r"^\s*pmid\s*:?\s*", "", fields["pmid"], flags=re.IGNORECASE).strip()
        if pmid.isascii() and pmid.isdigit():
            return pmid
        scan.problem(
            entry.fields["pmid"].offset,
            "bad-pmid",
            f"'{fields['pmid']}' is not a PubMed ID (digits only)",
        )
        return ""
    if fields.get("eprinttype", "").lower() in ("pubmed", "pmid"):
        eprint = fields.get("eprint", "").strip()
        return eprint if eprint.isdigit() else ""
    found = re.search(r"\bPMID:?\s*(\d+)", fields.get("note", ""))
    return found.group(1) if found else ""


def _year(fields: dict[str, str]) -> str:
    if fields.get("year"):
        return fields["year"]
    found = re.match(r"\s*(\d{4})", fields.get("date", ""))
    return found.group(1) if found else ""


def _month(value: str) -> str:
    word = value.strip().rstrip(".").lower()
    for index, name in enumerate(_MONTH_NAMES):
        if word[:3] == MONTHS[index] and name.lower().startswith(word):
            return str(index + 1)
    digits = re.fullmatch(r"0?(\d{1,2})\s*月?", word)
    if digits and 1 <= int(digits.group(1)) <= 12:
        return str(int(digits.group(1)))
    return value


# --- names -----------------------------------------------------------------------------------

_COMPOUND_SURNAMES = frozenset(
    re.findall(
        "..",
        "欧阳司马诸葛上官司徒东方皇甫尉迟公孙慕容长孙宇文夏侯轩辕令狐钟离"
        "端木澹台公冶太史申屠闻人濮阳南宫呼延万俟赫连独孤西门拓跋",
    )
)


_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
_CJK_LIST = re.compile(r"\s*[;；、，]\s*")
_COMMA = re.compile(",")
_BLANK = re.compile(r"[\s~]+")
_OTHERS = frozenset({"others", "et al", "等", "et. al"})


def parse_names(source: str) -> tuple[tuple[Person, ...], bool]:
    """BibTeX name list -> people, and whether it ended in ``and others``."""
    parts = [p.strip() for p in _split_depth0(source, _AND)]
    parts = [p for p in parts if p]
    if len(parts) == 1 and CJK.search(parts[0]):
        parts = _split_cjk_list(parts[0])
    others = bool(parts) and parts[-1].lower().rstrip(".") in _OTHERS
    if others:
        parts = parts[:-1]
    return tuple(_person(p) for p in parts), others


def _split_cjk_list(source: str) -> list[str]:
    """CNKI-style ``张奇;王慧敏`` lists; a single ``张, 奇`` stays one name."""
    pieces = [p.strip() for p in _split_depth0(source, _CJK_LIST)]
    if len(pieces) == 1:
        commas = [p.strip() for p in source.split(",")]
        if len(commas) > 1 and all(len(p) >= 2 and CJK.search(p) for p in commas):
            pieces = commas
    return [p for p in pieces if p]


def _person(source: str) -> Person:
    stripped = source.strip()
    if _is_one_group(stripped):
        return Person(family="", literal=latex_to_text(stripped[1:-1])[0])
    commas = [p.strip() for p in _split_depth0(source, _COMMA)]
    if len(commas) == 1:
        text = latex_to_text(source)[0]
        if CJK.search(text) and not re.search(r"[A-Za-z]", text):
            return _chinese_name(text)
        tokens = list(_split_depth0(source, _BLANK))
        tokens = [t for t in tokens if t]
        if len(tokens) == 1:
            return Person(family=text)
        lower = [i for i, t in enumerate(tokens[:-1]) if i > 0 and _starts_lower(t)]
        cut = lower[0] if lower else len(tokens) - 1
        given, family = tokens[:cut], tokens[cut:]
    else:  # "von Last, First" or "von Last, Jr, First": Jr stays with the family name
        family, given = commas[:-1], [commas[-1]]
    return Person(
        family=latex_to_text(" ".join(family))[0], given=latex_to_text(" ".join(given))[0]
    )


def _chinese_name(name: str) -> Person:
    name = re.sub(r"\s+", "", name)
    if "·" in name or "•" in name:
        return Person(family="", literal=name)
    size = 2 if len(name) >= 3 and name[:2] in _COMPOUND_SURNAMES else 1
    return Person(family=name[:size], given=name[size:])


def _starts_lower(token: str) -> bool:
    letters = re.sub(r"\\[A-Za-z]+|[^A-Za-z]", "", token)
    return bool(letters) and token[0] != "{" and letters[0].islower()


def _is_one_group(text: str) -> bool:
    if not (text.startswith("{") and text.endswith("}")):
        return False
    depth = 0
    for index, char in enumerate(text):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0 and index < len(text) - 1:
            return False
    return True


def _split_depth0(text: str, separator: re.Pattern[str]) -> Iterator[str]:
    """Split on ``separator`` only where no brace is open, as BibTeX does."""
    depth, start, index = 0, 0, 0
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif depth == 0:
            match = separator.match(text, index)
            if match and match.end() > index:
                yield text[start:index]
                start = index = match.end()
                continue
        index += 1
    yield text[start:]


# --- LaTeX to Unicode ------------------------------------------------------------------------

_LOGOS = {
    "TeX": "TeX", "LaTeX": "LaTeX", "LaTeXe": "LaTeX2\u03b5", "BibTeX": "BibTeX",
    "BibLaTeX": "BibLaTeX", "biblatex": "biblatex", "AmS": "AMS", "AmSTeX": "AMS-TeX",
    "AMSTeX": "AMS-TeX", "AmSLaTeX": "AMS-LaTeX", "XeTeX": "XeTeX", "XeLaTeX": "XeLaTeX",
    "LuaTeX": "LuaTeX", "LuaLaTeX": "LuaLaTeX", "ConTeXt": "ConTeXt", "eTeX": "\u03b5-TeX",
    "pdfTeX": "pdfTeX", "pdfLaTeX": "pdfLaTeX", "SliTeX": "SLiTeX", "PiCTeX": "PiCTeX",
    "MF": "METAFONT", "METAFONT": "METAFONT", "MP": "METAPOST", "METAPOST": "METAPOST",
}
"""The TeX world's logos, which pylatexenc does not know: "{\\BibTeX}ing" must not read "ing"."""
_WORD_MACROS = {
    **_LOGOS,
    "slash": "/",            # LaTeX's breakable slash: "input\\slash output"
    "dash": "\u2014",         # the spaced em dash of TUGboat and other journal styles
    "bs": "\\",              # TUGboat's backslash
    "textbackslash": "\\",
}
_DROPPED = {"noopsort": "{", "SortNoop": "{", "sortnoop": "{", "hyphenation": "{"}
"""Sorting hints (``{\\noopsort{1973c}}1981``): BibTeX sorts on them, readers never see them."""
_LAST_ARGUMENT = {"foreignlanguage": "[{{", "textlang": "{{", "hyphenrules": "{{",
                  "mkbibquote": "{", "enquote": "{", "acro": "{", "mkbibacro": "{"}
"""Macros whose reader-visible text is their last argument (the others name a language)."""


def _latex_contexts() -> tuple[Any, Any]:
    """pylatexenc's own macro tables, extended with BibTeX's: one for parsing, one for text."""
    walker = get_default_latex_context_db()
    walker.add_context_category(
        "mechatlas-bibtex", prepend=True,
        macros=[MacroSpec(name, "") for name in _WORD_MACROS]
        + [MacroSpec(name, spec) for name, spec in {**_DROPPED, **_LAST_ARGUMENT}.items()])
    text = get_default_latex2text_db()
    text.add_context_category(
        "mechatlas-bibtex", prepend=True,
        macros=[MacroTextSpec(name, simplify_repl=value) for name, value in _WORD_MACROS.items()]
        + [MacroTextSpec(name, discard=True) for name in _DROPPED])
    return walker, text


_CONTEXT, _TEXT_CONTEXT = _latex_contexts()
_L2T = LatexNodes2Text(latex_context=_TEXT_CONTEXT, math_mode="text", strict_latex_spaces=False)
_NEEDS_LATEX = re.compile(r"[\\{}$~%&#^_]|--|''|``")
_NEEDS_PARSER = re.compile(r"[\\{}$~%&#^_]")
_LIGATURES = (("---", "\u2014"), ("--", "\u2013"), ("``", "\u201c"), ("''", "\u201d"))
_SLASHED = {"o\u0338": "\u00f8", "O\u0338": "\u00d8"}
"""``So{$\\not$}rensen``: TeX overprints a slash; Unicode has the letter."""
_STYLE_MACROS = {
    "textit": "i", "emph": "i", "mkbibemph": "i", "textsl": "i", "mathit": "i",
    "textbf": "b", "mkbibbold": "b", "mathbf": "b",
    "textsuperscript": "sup", "mkbibsuperscript": "sup",
    "textsubscript": "sub", "mkbibsubscript": "sub",
}  # fmt: skip
_PLAIN_MACROS = {
    "textsc", "textup", "textnormal", "textrm", "textsf", "texttt", "mbox", "text",
    "mathrm", "mathsf", "mathtt", "mathnormal", "nocase", "NoCaseChange", "hbox", "url",
}  # fmt: skip
_SUPER = str.maketrans("0123456789+-=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ")
_SUB = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")


def latex_to_text(source: str) -> tuple[str, tuple[Span, ...]]:
    """Clean Unicode for a field value, plus the spans that were braced or marked up."""
    if not _NEEDS_LATEX.search(source):
        return " ".join(source.split()), ()
    if not _NEEDS_PARSER.search(source):  # only dashes and quotes: "790--794"
        for ligature, char in _LIGATURES:
            source = source.replace(ligature, char)
        return " ".join(source.split()), ()
    escaped = re.sub(r"(?<!\\)([%&#])", r"\\\1", source)
    try:
        walker = LatexWalker(escaped, latex_context=_CONTEXT, tolerant_parsing=True)
        nodes = walker.get_latex_nodes()[0]
        builder = _Builder()
        builder.walk(nodes or [], depth=0)
    except Exception:  # LatexWalkerError or worse: a third-party parser must not stop the build
        return " ".join(re.sub(r"\\[A-Za-z]+|[\\{}$]", "", source).split()), ()
    return builder.finish()


class _Builder:
    """Collects text and span offsets while walking pylatexenc's node tree."""

    def __init__(self) -> None:
        self.chars: list[str] = []
        self.size = 0
        self.spans: list[Span] = []

    def add(self, text: str) -> None:
        self.chars.append(text)
        self.size += len(text)

    def walk(self, nodes: list[Any], depth: int, math: bool = False) -> None:
        index = 0
        while index < len(nodes):
            node = nodes[index]
            index += 1
            if node is None:
                continue
            if isinstance(node, LatexCharsNode):
                if math and ("^" in node.chars or "_" in node.chars):
                    index = self._scripts(nodes, index - 1)
                else:
                    self.add(node.chars)
            elif isinstance(node, LatexGroupNode):
                start = self.size
                self.walk(node.nodelist, depth + 1, math)
                first = next((n for n in node.nodelist if n is not None), None)
                if (
                    depth == 0
                    and not math
                    and self.size > start
                    and not (isinstance(first, LatexMacroNode))
                ):
                    self.spans.append(Span(start, self.size, "nocase"))
            elif isinstance(node, LatexMathNode):
                self.walk(node.nodelist, depth + 1, math=True)
            elif isinstance(node, LatexMacroNode):
                index = self._macro(nodes, index - 1, depth, math)
            else:  # specials (--, ~, quotes), environments, comments
                self.add(_L2T.nodelist_to_text([node]))

    def _macro(self, nodes: list[Any], index: int, depth: int, math: bool) -> int:
        """Style macros become spans; others (accents, symbols) go through latex2text."""
        node = nodes[index]
        name = node.macroname
        args = [a for a in (node.nodeargd.argnlist if node.nodeargd else []) if a is not None]
        after = index + 1
        if name in _DROPPED:
            return after
        if math and name == "not":
            self.add("\u0338")
            return after
        if name in _LAST_ARGUMENT:
            for arg in args[-1:]:
                self.walk(arg.nodelist if isinstance(arg, LatexGroupNode) else [arg],
                          depth + 1, math)
            return after
        if _CONTEXT.get_macro_spec(name) is None and _TEXT_CONTEXT.get_macro_spec(name) is None:
            # A macro no table knows (an ADS journal macro, ``\\aap``): keep its name rather
            # than lose the text, unless it is applied to a group, as a font switch would be.
            following = nodes[after] if after < len(nodes) else None
            if not isinstance(following, LatexGroupNode):
                self.add(name + (node.macro_post_space or ""))
            return after
        if name in _STYLE_MACROS or name in _PLAIN_MACROS or name == "href":
            if not args and after < len(nodes) and isinstance(nodes[after], LatexGroupNode):
                args, after = [nodes[after]], after + 1
                if name == "href" and after < len(nodes):
                    args, after = [*args, nodes[after]], after + 1
            content = args[-1:] if args else []
            if name == "url":
                self.add("".join(verbatim(a.latex_verbatim()) for a in content))
                return after
            start = self.size
            for arg in content:
                self.walk(
                    arg.nodelist if isinstance(arg, LatexGroupNode) else [arg], depth + 1, math
                )
            kind = _STYLE_MACROS.get(name)
            if kind and self.size > start:
                self.spans.append(Span(start, self.size, kind))
            return after
        self.add(_L2T.nodelist_to_text([node]))
        return after

    def _scripts(self, nodes: list[Any], index: int) -> int:
        """``^{18}`` and ``_2`` in math: Unicode super/subscripts, or sup/sub spans."""
        chars = nodes[index].chars
        index += 1
        position = 0
        while position < len(chars):
            char = chars[position]
            position += 1
            if char not in "^_":
                self.add(char)
                continue
            if position < len(chars):
                atom, position = chars[position], position + 1
            elif index < len(nodes):
                inner = _Builder()
                inner.walk([nodes[index]], depth=1, math=True)
                atom, index = "".join(inner.chars), index + 1
            else:
                continue
            table, kind = (_SUPER, "sup") if char == "^" else (_SUB, "sub")
            converted = atom.translate(table)
            if all(c != o for c, o in zip(converted, atom, strict=True)):
                self.add(converted)
            else:
                start = self.size
                self.add(atom)
                self.spans.append(Span(start, self.size, kind))
        return index

    def finish(self) -> tuple[str, tuple[Span, ...]]:
        """Collapse whitespace and strip, moving span offsets with the text."""
        raw = "".join(self.chars)
        out: list[str] = []
        new_index = [0] * (len(raw) + 1)
        for old, char in enumerate(raw):
            new_index[old] = len(out)
            if char == "\u0338" and out and out[-1] + char in _SLASHED:
                out[-1] = _SLASHED[out[-1] + char]
            elif char.isspace():
                if out and out[-1] != " ":
                    out.append(" ")
            else:
                out.append(char)
        new_index[len(raw)] = len(out)
        while out and out[-1] == " ":
            out.pop()
        size = len(out)
        spans = []
        for span in self.spans:
            start, end = min(new_index[span.start], size), min(new_index[span.end], size)
            if start < end and "".join(out[start:end]).strip():
                spans.append(Span(start, end, span.kind))
        return "".join(out), tuple(sorted(spans, key=lambda s: (s.start, -s.end)))


def verbatim(source: str) -> str:
    """URL-like fields: drop braces and backslash escapes, keep every other character."""
    text = re.sub(r"\\(?:url|href)\s*", "", source).replace("$\\backslash$", "\\")
    text = re.sub(r"\\([_%&#~$])", r"\1", text)
    return " ".join(text.replace("{", "").replace("}", "").split())
