"""The two inline syntaxes of entry text: ``[[entity-id]]`` and ``[@citekey]``.

Citation blocks are parsed by mkdocs-bibtex's own parser, so the accepted
syntax (``[@a; @b, p. 3]``) is exactly Pandoc's as mkdocs-bibtex reads it.
"""

from __future__ import annotations

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
        inner = match.group(1)
        if not _CITE_START.search(inner):
            continue
        blocks = _citation_blocks(f"[{inner}]")
        cites = [Cite(c.key, c.suffix.strip()) for b in blocks for c in b.citations]
        if cites:
            yield match, cites


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
