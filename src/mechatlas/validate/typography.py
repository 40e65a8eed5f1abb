"""Chinese typography: full-width punctuation in Chinese text, no stray spaces around it.

AutoCorrect (``autocorrect-py``, the Python binding of the maintained Rust linter) does the
part it covers: half-width ``,:;!?`` between Chinese characters, spaces next to full-width
punctuation and quotes, full-width letters and digits. Its rules that add a space between
Chinese and Latin text are off: the site, like most Chinese clinical journals, writes
"BDNF/TrkB信号通路" without one. Three rules AutoCorrect does not have are kept here (see
docs/decisions/0012-chinese-pages-in-chinese.md): ASCII parentheses and double quotes next
to Chinese text, and a space between two Chinese characters.

Problems are warnings: the page still builds, and ``mechatlas check`` names the field.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

import autocorrect_py

from mechatlas.diagnostics import Diagnostic, warning
from mechatlas.load.content import Entry
from mechatlas.model.bilingual import Pointer, Texts, bilingual_texts
from mechatlas.model.entities import Text
from mechatlas.model.han import HAN_RANGES

HAN = HAN_RANGES
_AUTOCORRECT_RULES = {
    "space-word": 0, "space-punctuation": 0, "space-bracket": 0, "space-backticks": 0,
    "space-dash": 0, "space-dollar": 0, "spellcheck": 0,
    # "p > 0.05。" is Chinese text ending in a figure, not English: keep its full stop.
    "halfwidth-punctuation": 0,
    "fullwidth": 1, "no-space-fullwidth": 1, "no-space-fullwidth-quote": 1, "halfwidth-word": 1,
}
_MARKUP = re.compile(r"\[\[[^\]]*\]\]|\[@[^\]]*\]|`[^`]*`|https?://\S+")
"""Links, citations, code and addresses: not prose, masked before checking."""
_OWN_RULES = (
    (re.compile(f"[{HAN}][()]|[()][{HAN}]"), "use full-width （） around Chinese text"),
    (re.compile(f"[{HAN}]\"|\"[{HAN}]"), "use “” (not \") around Chinese words"),
    (re.compile(f"[{HAN}][ \u00a0]+[{HAN}]"), "no space between Chinese characters"),
    (re.compile("[ \u00a0]+[，。；：！？、）】》」』”]|[（【《「『“][ \u00a0]+"),
     "no space next to Chinese punctuation"),
)


@dataclass(frozen=True, order=True)
class TypographyProblem:
    """One problem in one text: where it starts, what to do, and the words around it."""

    offset: int
    message: str
    excerpt: str


@cache
def _autocorrect() -> None:
    """Configure AutoCorrect once per process (its configuration is global to the library)."""
    # The package's type stub omits load_config, which the compiled module has.
    autocorrect_py.load_config(json.dumps({"rules": _AUTOCORRECT_RULES}))  # type: ignore[attr-defined]


def typography_problems(text: str) -> list[TypographyProblem]:
    """Every typography problem of a Chinese text, at most one per rule, first occurrence."""
    return list(_problems(text))


@lru_cache(maxsize=65_536)
def _problems(text: str) -> tuple[TypographyProblem, ...]:
    """Memoised: a text repeated across entries (a locator, a short name) is checked once."""
    prose = _MARKUP.sub(lambda m: "\u2060" * len(m.group(0)), text)
    problems = [TypographyProblem(m.start(), message, _excerpt(text, m.start()))
                for pattern, message in _OWN_RULES if (m := pattern.search(prose))]
    _autocorrect()
    # AutoCorrect's rules here all need a non-ASCII character (Chinese, full-width, “”).
    corrected = prose if prose.isascii() else autocorrect_py.format_for(prose, "text")
    if corrected != prose:
        at = next((i for i, (a, b) in enumerate(zip(prose, corrected, strict=False)) if a != b),
                  min(len(prose), len(corrected)))
        if not any(abs(p.offset - at) <= 1 for p in problems):
            problems.append(TypographyProblem(
                at, f"AutoCorrect suggests “{_excerpt(corrected, at)}”", _excerpt(text, at)))
    return tuple(sorted(problems))


def _excerpt(text: str, at: int, width: int = 8) -> str:
    return text[max(0, at - width):at + width].replace("\n", " ").replace("\u2060", "")


def check_typography(entry: Entry, texts: Texts | None = None) -> list[Diagnostic]:
    """A warning at each Chinese text of an entry that breaks Chinese typography.

    ``texts``: the entry's bilingual texts when the caller has already walked them."""
    found = []
    for pointer, text in _chinese_texts(entry.data if texts is None else texts):
        line, col = entry.document.position(pointer)
        where = ".".join(str(p) for p in pointer)
        read = Text.of({"zh": text})  # as a reader gets it: YAML's folding spaces dropped
        for problem in typography_problems(read.zh if read and read.zh else ""):
            found.append(warning(entry.path, line, col, "typography",
                                 f"{where}: {problem.message}: “{problem.excerpt}”"))
    return found


def _chinese_texts(value: object) -> Iterator[tuple[Pointer, str]]:
    """The Chinese side of every bilingual text (of entry data, or of its walked texts)."""
    for where, text in value if isinstance(value, list) else bilingual_texts(value):
        if isinstance(text.get("zh"), str):
            yield (*where, "zh"), text["zh"]
