"""The two inline syntaxes of entry text: ``[[entity-id]]`` and ``[@citekey]``.

Citation blocks are parsed by mkdocs-bibtex's own parser, so the accepted
syntax (``[@a; @b, p. 3]``) is exactly Pandoc's as mkdocs-bibtex reads it.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterator
from dataclasses import dataclass
from types import ModuleType


def _citation_module() -> ModuleType:
    """mkdocs-bibtex's citation parser, without its package ``__init__``.

    Importing ``mkdocs_bibtex`` loads its MkDocs plugin (pybtex, requests, validators):
    0.27 s of a 0.8 s ``mechatlas check``. ``citation.py`` itself needs only ``re`` and
    ``dataclasses``, so it is loaded on its own from the installed package.
    """
    package = importlib.util.find_spec("mkdocs_bibtex")
    if package is None or not package.submodule_search_locations:
        raise ImportError("mkdocs-bibtex is not installed")
    location = f"{next(iter(package.submodule_search_locations))}/citation.py"
    spec = importlib.util.spec_from_file_location("mechatlas._mkdocs_bibtex_citation", location)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CitationBlock = _citation_module().CitationBlock
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
    for match in CITE_BLOCK.finditer(text):
        inner = match.group(1)
        if not _CITE_START.search(inner):
            continue
        blocks = CitationBlock.from_markdown(f"[{inner}]")
        cites = [Cite(c.key, c.suffix.strip()) for b in blocks for c in b.citations]
        if cites:
            yield match, cites


def cited_keys(text: str) -> Iterator[str]:
    for _, cites in cite_blocks(text):
        for cite in cites:
            yield cite.key
