"""Reference titles a reader can read: the original, then its translation in brackets.

A Chinese article cited on an English page keeps its original title (that is
what a library finds), followed by the English title the article itself gives,
"生酮饮食…的研究进展 [Research Progress on …]", when ``references.bib`` records
one in ``translatedtitle``; a Chinese page does the same for a Western record
with a Chinese ``translatedtitle``. Nothing is translated by the site.
"""

from __future__ import annotations

import html

from mechatlas.model.reference import Reference

TRANSLATED_TITLE = "translatedtitle"
"""The BibTeX field holding the title in the other language, as the source itself gives it."""


def with_translated_titles(formatted: dict[str, str], references: dict[str, Reference],
                           lang: str) -> dict[str, str]:
    """Formatted entries, each with its translated title after the original where it helps."""
    out = dict(formatted)
    for key, entry in formatted.items():
        ref = references.get(key)
        translated = ref.fields.get(TRANSLATED_TITLE, "").strip() if ref else ""
        if ref is None or not translated or ref.language == lang:
            continue
        original = html.escape(ref.title, quote=False)
        addition = f" [{html.escape(translated, quote=False)}]"
        position = entry.find(original)
        if position == -1 or not original:
            out[key] = f"{entry}{addition}"
        else:
            end = position + len(original)
            out[key] = entry[:end] + addition + entry[end:]
    return out
