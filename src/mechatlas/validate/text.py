"""Bilingual text: both languages present, non-empty, and in the right field.

A missing translation is a warning, not an error: the page shows a visible
note in its place and the coverage report counts it.
"""

from __future__ import annotations

import re

from mechatlas.diagnostics import Diagnostic, error, warning
from mechatlas.load.content import Entry
from mechatlas.model.bilingual import Texts, bilingual_texts
from mechatlas.model.han import HAN
from mechatlas.model.kinds import LANGUAGES

_HAN = HAN
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
_NAMES = {"en": "English", "zh": "Chinese"}



def han_share(text: str) -> float:
    """Share of Han characters among letters: about 0 for English, near 1 for Chinese."""
    han = len(_HAN.findall(text))
    latin = sum(len(w) for w in _LATIN_WORD.findall(text)) / 4  # a word ~ one Han character
    return han / (han + latin) if han + latin else 0.0


def check_text(entry: Entry, texts: Texts | None = None) -> list[Diagnostic]:
    """``texts``: the entry's bilingual texts when the caller has already walked them."""
    problems: list[Diagnostic] = []
    for pointer, text in bilingual_texts(entry.data) if texts is None else texts:
        where = ".".join(str(p) for p in pointer)
        line, col = entry.document.position(pointer)
        values = {lang: text.get(lang) for lang in LANGUAGES}
        present = {lang: v for lang, v in values.items() if isinstance(v, str) and v.strip()}
        if not present:
            problems.append(error(entry.path, line, col, "empty-text",
                                  f"{where} is empty; write it in English (en) and Chinese (zh)"))
            continue
        for lang in LANGUAGES:
            if lang not in present:
                problems.append(warning(entry.path, line, col, "missing-translation",
                                        f"{where} has no {_NAMES[lang]} ({lang}) text"))
        en, zh = present.get("en"), present.get("zh")
        if en and len(en) > 8 and han_share(en) > 0.5:
            pos = entry.document.position((*pointer, "en"))
            problems.append(error(entry.path, *pos, "wrong-language",
                                  f"{where}.en looks Chinese; "
                                  "move it to zh and write English in en"))
        if zh and len(_LATIN_WORD.findall(zh)) >= 3 and not _HAN.search(zh):
            pos = entry.document.position((*pointer, "zh"))
            problems.append(error(entry.path, *pos, "wrong-language",
                                  f"{where}.zh has no Chinese; "
                                  "move it to en and write Chinese in zh"))
    return problems


