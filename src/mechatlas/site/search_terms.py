"""What a page gives the search index beyond its visible text: synonyms and names.

Pagefind indexes the built pages (``search_index.py``); the page template adds two hidden,
indexed lines that readers never see (``docs_templates/overrides/main.html``):

* the other terms of every synonym group the page uses (``search-synonyms.yaml``:
  "adverse effects / side effects / 不良反应 / 副作用"), so a search in either language,
  with either word, finds it; lightly weighted, so a page that uses the word itself ranks first;
* on an entity page, the entity's names in both languages and its aliases
  (``render.site.search_names``, in the page's front matter), weighted highest, so the page
  ranks before pages that merely mention it (MTOR the gene before every page about mTOR), on
  the English and on the Chinese site alike.

Both are plain text in the page metadata; the template escapes them.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from pathlib import Path

from mechatlas.load.yaml_source import safe_load
from mechatlas.model.han import HAN_RANGES

SYNONYMS_META = "mechatlas_search_synonyms"
"""Page metadata key: the synonyms a page's text calls for (set after Markdown, read by the
page template)."""
NAMES_META = "mechatlas_search_names"
"""Page metadata key: an entity page's names (front matter)."""
SPELLED_META = "mechatlas_search_spelled"
"""Page metadata key: the Chinese names and synonyms of a page, one character a word."""
_TAG = re.compile(r"<[^>]*>")
_HAN_WORD = re.compile(f"[{HAN_RANGES}]{{2,}}")
_DIGIT_COMMA = re.compile(r"(?<=\d),(?=\d{3})")
_ASCII_FOLD = (("\u0130", "i"), ("\u0131", "i"), ("\u017f", "s"), ("\u212a", "k"))
"""The only characters outside ASCII that ``re.IGNORECASE`` matches with an ASCII letter
(İ ı ſ K): folded to it, so a lower-cased substring test never misses what the pattern finds.
(``str.replace`` per character: ``str.translate`` with a table was a second per 500 pages.)"""


def load_synonyms(path: Path) -> list[tuple[str, ...]]:
    """Groups of terms that mean the same, each term once; an absent file means none."""
    if not path.is_file():
        return []
    data = safe_load(path.read_text(encoding="utf-8")) or []
    groups = []
    for group in data if isinstance(data, list) else []:
        terms = [str(t).strip() for lang in ("en", "zh") for t in (group or {}).get(lang) or ()]
        groups.append(tuple(dict.fromkeys(t for t in terms if t)))
    return [g for g in groups if len(g) > 1]


def synonyms_for(page_html: str, synonyms: list[tuple[str, ...]]) -> list[str]:
    """The terms of each synonym group that the page uses, less those it already contains."""
    text = html.unescape(_TAG.sub(" ", page_html))
    folded = text
    for letter, ascii_letter in _ASCII_FOLD:
        folded = folded.replace(letter, ascii_letter)
    folded = folded.lower()
    extra: list[str] = []
    for group in synonyms:
        # A substring test first (most terms are on no page), the pattern only where it may match.
        used = [term for term in group
                if (term.lower() in folded if term.isascii() else term in text)
                and _term_pattern(term).search(text)]
        if used:
            extra += [t for t in group if t not in used and t not in extra]
    return extra


def spelled_out(terms: list[str]) -> list[str]:
    """Other spellings of the terms, as the browser may cut a query into words.

    The index and the browser cut Chinese into words differently: Pagefind's indexer keeps
    腺苷 whole, the browser's segmenter (Intl.Segmenter) cuts the query 腺苷 into 腺 and 苷,
    or 正电子发射断层扫描 into 正 电子 发射 断层 扫描, and Pagefind matches each piece as the
    start of an indexed word. So each Chinese word of a term is also written out as every piece
    of one to four characters, one piece a word; and a number written with a thousands comma
    (CP-101,606) also without it, as the browser reads it.
    """
    out: list[str] = []
    for term in terms:
        for run in _HAN_WORD.findall(term):
            out.append(" ".join(run[i:i + n] for n in range(1, min(4, len(run)) + 1)
                                for i in range(len(run) - n + 1)))
        joined = _DIGIT_COMMA.sub("", term)
        if joined != term:
            out.append(joined)
    return list(dict.fromkeys(out))


@lru_cache(maxsize=4096)
def _term_pattern(term: str) -> re.Pattern[str]:
    if term.isascii():
        return re.compile(rf"(?<![\w-]){re.escape(term)}(?![\w-])", re.IGNORECASE)
    return re.compile(re.escape(term))
