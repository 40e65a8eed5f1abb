"""What the search index holds beyond the page text: synonyms, and text without debris.

The pages already carry every entity's name in both languages and its aliases
(so any search engine finds them); this module tidies Material's lunr index
after the build:

* a section that uses one term of a synonym group (``search-synonyms.yaml``:
  "adverse effects / side effects / 不良反应 / 副作用") is also indexed under the
  group's other terms, so a search in either language, with either word, finds it;
* citation marks ("[1]", "[2, p. 3?]") and permalink signs are removed from the
  indexed text, so result snippets show sentences;
* result titles lose the U+200B word breaks jieba segmentation puts between Chinese
  words (readers see titles; the text keeps them, for matching).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

SYNONYMS_FILE = "search-synonyms.yaml"
_CITATION = re.compile(r"\s?\[\d+(?:[,，][^\]\[]{0,80})?\??\]")
_DEBRIS = re.compile(r"[¶]")
_ZERO_WIDTH = "\u200b"


def load_synonyms(path: Path) -> list[tuple[str, ...]]:
    """Groups of terms that mean the same, each term once; an absent file means none."""
    if not path.is_file():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    groups = []
    for group in data if isinstance(data, list) else []:
        terms = [str(t).strip() for lang in ("en", "zh") for t in (group or {}).get(lang) or ()]
        groups.append(tuple(dict.fromkeys(t for t in terms if t)))
    return [g for g in groups if len(g) > 1]


def refine_docs(docs: Iterable[dict[str, Any]],
                synonyms: list[tuple[str, ...]]) -> list[dict[str, Any]]:
    """The index documents with clean titles and text, and synonym terms added to the text."""
    patterns = [(group, [_term_pattern(t) for t in group]) for group in synonyms]
    out = []
    for doc in docs:
        title = str(doc.get("title", "")).replace(_ZERO_WIDTH, "")
        text = _DEBRIS.sub("", _CITATION.sub("", str(doc.get("text", ""))))
        haystack = f"{title} {text.replace(_ZERO_WIDTH, '')}"
        extra: list[str] = []
        for group, found in patterns:
            used = [term for term, pattern in zip(group, found, strict=True)
                    if pattern.search(haystack)]
            if used:
                extra += [t for t in group if t not in used and t not in extra]
        if extra:
            text = f"{text} {_ZERO_WIDTH}{_ZERO_WIDTH.join(extra)}{_ZERO_WIDTH}"
        out.append({**doc, "title": title, "text": text})
    return out


def _term_pattern(term: str) -> re.Pattern[str]:
    if term.isascii():
        return re.compile(rf"(?<![\w-]){re.escape(term)}(?![\w-])", re.IGNORECASE)
    return re.compile(re.escape(term))
