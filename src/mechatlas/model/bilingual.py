"""Find the bilingual texts (``{en: …, zh: …}``) anywhere in an entry's data.

One walker for every reader of entry text (language checks, wording, coverage, the atlas's
link and citation index), so they all agree on what a bilingual text is.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from mechatlas.model.kinds import LANGUAGES

Pointer = tuple[str | int, ...]
Texts = list[tuple[Pointer, dict[str, Any]]]
"""An entry's bilingual texts, walked once and handed to every check that reads them."""


def is_bilingual(value: object) -> bool:
    """A non-empty mapping whose keys are all language codes."""
    return (isinstance(value, dict) and bool(value)
            and all(isinstance(k, str) for k in value) and set(value) <= set(LANGUAGES))


def bilingual_texts(value: object,
                    pointer: Pointer = ()) -> Iterator[tuple[Pointer, dict[str, Any]]]:
    """Every bilingual mapping in ``value``, with the path that leads to it."""
    if is_bilingual(value):
        assert isinstance(value, dict)
        yield pointer, value
    elif isinstance(value, dict):
        for key, child in value.items():
            yield from bilingual_texts(child, (*pointer, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from bilingual_texts(child, (*pointer, index))
