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
  words (readers see titles; the text keeps them, for matching);
* an entity page's own document gets the entity's names in both languages and its
  aliases as ``tags``, the field Material's lunr index weighs most, so the page ranks
  before pages that merely mention it (MTOR the gene before every page about mTOR).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from mechatlas.model.atlas import Atlas
from mechatlas.render import urls
from mechatlas.settings import DEFAULT_SYNONYMS

SYNONYMS_FILE = DEFAULT_SYNONYMS
NAMES_FILE = "search-names.json"
"""Beside the staging folder: page location -> the entity's names and aliases, both languages."""
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


def entity_names(atlas: Atlas) -> dict[str, list[str]]:
    """Each entity page's location (as in either language's index) and the names it goes by.

    HTML-escaped: Material renders index strings (titles, text, tags) as HTML in its results,
    so a name is text there only if it is escaped, like the page text the index already holds.
    """
    names = {}
    for entity in atlas.entities.values():
        terms = [entity.name.en or "", entity.name.zh or "", *entity.aliases]
        names[urls.entity_url(entity.kind, entity.id)] = list(dict.fromkeys(
            html.escape(t, quote=False) for t in terms if t))
    return dict(sorted(names.items()))


def load_names(path: Path) -> dict[str, list[str]]:
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


def refine_docs(docs: Iterable[dict[str, Any]], synonyms: list[tuple[str, ...]],
                names: dict[str, list[str]] | None = None,
                languages: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """The index documents with clean titles and text, synonyms added, entity names as tags."""
    patterns = [(group, [_term_pattern(t) for t in group]) for group in synonyms]
    prefixes = tuple(f"{lang}/" for lang in languages)
    out = []
    for doc in docs:
        title = str(doc.get("title", "")).replace(_ZERO_WIDTH, "")
        text = _DEBRIS.sub("", _CITATION.sub("", str(doc.get("text", ""))))
        # Han terms are found across jieba's word breaks, Latin ones between them.
        haystack = f"{title} {text.replace(_ZERO_WIDTH, '')} {text.replace(_ZERO_WIDTH, ' ')}"
        extra: list[str] = []
        for group, found in patterns:
            used = [term for term, pattern in zip(group, found, strict=True)
                    if pattern.search(haystack)]
            if used:
                extra += [t for t in group if t not in used and t not in extra]
        if extra:  # index text is HTML: a term is escaped so it stays text
            added = _ZERO_WIDTH.join(html.escape(t, quote=False) for t in extra)
            text = f"{text} {_ZERO_WIDTH}{added}{_ZERO_WIDTH}"
        refined = {**doc, "title": title, "text": text}
        location = str(doc.get("location", ""))
        for prefix in prefixes:
            location = location.removeprefix(prefix)
        if names and location in names:
            refined["tags"] = list(dict.fromkeys([*doc.get("tags", []), *names[location]]))
        out.append(refined)
    return out


def _term_pattern(term: str) -> re.Pattern[str]:
    if term.isascii():
        return re.compile(rf"(?<![\w-]){re.escape(term)}(?![\w-])", re.IGNORECASE)
    return re.compile(re.escape(term))
