"""Problems found in the input, as values.

A diagnostic is created where the problem is found, with the position of the
offending value, and never recomputed later. The CLI and the MkDocs hook only
format and count them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem at one place: ``path:line:col: code: message``.

    ``path`` is relative to the repository root, ``line`` and ``col`` are
    1-based (0 when the problem concerns a whole file). ``code`` is a stable
    short name (``unknown-id``, ``schema``…) that tests and docs rely on.
    """

    path: str
    line: int
    col: int
    code: str
    message: str
    severity: Severity = field(default=Severity.ERROR, compare=False)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def __str__(self) -> str:
        return format_plain(self)


def format_plain(diagnostic: Diagnostic) -> str:
    """The one-line form every tool and editor understands."""
    prefix = "" if diagnostic.is_error else "warning: "
    return (
        f"{diagnostic.path}:{diagnostic.line}:{diagnostic.col}: "
        f"{diagnostic.code}: {prefix}{diagnostic.message}"
    )


def format_github(diagnostic: Diagnostic) -> str:
    """A GitHub Actions workflow command, shown on the line in a pull request."""
    level = "error" if diagnostic.is_error else "warning"
    message = f"{diagnostic.code}: {diagnostic.message}"
    message = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return (
        f"::{level} file={diagnostic.path},line={max(diagnostic.line, 1)},"
        f"col={max(diagnostic.col, 1)},title={diagnostic.code}::{message}"
    )


def has_errors(diagnostics: list[Diagnostic]) -> bool:
    return any(d.is_error for d in diagnostics)


def error(path: str, line: int, col: int, code: str, message: str) -> Diagnostic:
    return Diagnostic(path, line, col, code, message, Severity.ERROR)


def warning(path: str, line: int, col: int, code: str, message: str) -> Diagnostic:
    return Diagnostic(path, line, col, code, message, Severity.WARNING)
