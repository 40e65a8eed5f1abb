"""The two inline syntaxes of entry text: ``[[entity-id]]`` and ``[@citekey]``.

Citation blocks are parsed by mkdocs-bibtex's own parser, so the accepted
syntax (``[@a; @b, p. 3]``) is exactly Pandoc's as mkdocs-bibtex reads it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

LINK = re.compile(r"\[\[\s*([^\[\]|\s]+)\s*(?:\|([^\[\]]*))?\]\]")
CITE_BLOCK = re.compile(r"\[((?:[^\[\]]*?)@(?:[^\[\]]*?))\]")
_CITE_START = re.compile(r"(?:^|[\s;])@\w")


@dataclass(frozen=True)
class Cite:
    key: str
    suffix: str = ""


def links_in(text: str) -> Iterator[str]:
    for match in LINK.finditer(text):
        yield match.group(1)


def cite_blocks(text: str) -> Iterator[tuple[re.Match[str], list[Cite]]]:
    """Every ``[@…]`` block with its citations; e-mail addresses are not citations."""
    if "@" not in text:  # most texts cite nothing: skip the scan
        return
    for match in CITE_BLOCK.finditer(text):
        cites = _cites_in(match.group(1))
        if cites:
            yield match, list(cites)


@functools.lru_cache(maxsize=1 << 16)
def _cites_in(inner: str) -> tuple[Cite, ...]:
    """The citations of one block's text. The same few blocks (``@smith2020``) recur in
    thousands of texts, and each text is read by the link, wording and model passes: the
    parse, two thirds of those passes' citation work, is done once per distinct block."""
    if not _CITE_START.search(inner):
        return ()
    blocks = _citation_blocks(f"[{inner}]")
    return tuple(Cite(c.key, c.suffix.strip()) for b in blocks for c in b.citations)


def cited_keys(text: str) -> Iterator[str]:
    for _, cites in cite_blocks(text):
        for cite in cites:
            yield cite.key



def _citation_blocks(markdown: str) -> list[Any]:
    """mkdocs-bibtex's parser, imported when first needed: importing the package imports
    MkDocs and requests (a quarter of a second), which a check of stored results never needs."""
    from mkdocs_bibtex.citation import CitationBlock

    blocks: list[Any] = CitationBlock.from_markdown(markdown)
    return blocks
