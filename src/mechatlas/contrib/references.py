"""References "to verify": records whose bibliographic data a person should check by hand.

The reasons come from ``Reference.to_verify`` (derived by the loader from what a
record lacks); here they are listed in file order, turned into stable codes that
the site translates, and formatted as ``references.bib:line:col: to-verify: …``.
"""

from __future__ import annotations

from dataclasses import dataclass

from mechatlas.model.reference import Reference
from mechatlas.settings import DEFAULT_BIBLIOGRAPHY

BIB_FILE = DEFAULT_BIBLIOGRAPHY

REASON_CODES: dict[str, str] = {
    "no authors": "no_authors",
    "no year": "no_year",
    "no journal": "no_journal",
    "no publisher": "no_publisher",
    "no pages": "no_pages",
    "no DOI": "no_doi",
    "no URL": "no_url",
    "title is a bracketed description": "bracketed_title",
}
"""Reason text of ``reasons_to_verify`` -> key under ``coverage.reasons`` in the strings."""
_SECONDHAND = "note says "
_MISSING_FIELD = "no "


@dataclass(frozen=True)
class Reason:
    """One reason to verify a record: a translatable code, or only the original text."""

    text: str
    code: str | None
    detail: str = ""
    """What the reason is about, as written in the .bib file: the note of a ``secondhand``
    record, the field a ``missing_field`` record lacks (shown in the reason's text)."""


@dataclass(frozen=True)
class ToVerify:
    key: str
    line: int
    col: int
    reasons: tuple[Reason, ...]

    def line_text(self) -> str:
        """``references.bib:22:1: to-verify: key: no DOI; no pages``."""
        said = "; ".join(reason.text for reason in self.reasons)
        return f"{BIB_FILE}:{self.line}:{self.col}: to-verify: {self.key}: {said}"

    def as_json(self) -> dict[str, object]:
        return {"key": self.key, "path": BIB_FILE, "line": self.line, "col": self.col,
                "reasons": [reason.text for reason in self.reasons],
                "codes": [reason.code for reason in self.reasons]}


def reason(text: str) -> Reason:
    if text in REASON_CODES:
        return Reason(text, REASON_CODES[text])
    if text.startswith(_SECONDHAND):
        return Reason(text, "secondhand", text[len(_SECONDHAND):])
    if text.startswith(_MISSING_FIELD):  # a field BibTeX requires: "no booktitle"
        return Reason(text, "missing_field", text[len(_MISSING_FIELD):])
    return Reason(text, None)


def to_verify(references: dict[str, Reference]) -> list[ToVerify]:
    """Records with at least one reason to verify, in the order of the .bib file."""
    found = [
        ToVerify(ref.key, ref.line, ref.col, tuple(reason(r) for r in ref.to_verify))
        for ref in references.values() if ref.to_verify
    ]
    return sorted(found, key=lambda item: (item.line, item.col, item.key))
