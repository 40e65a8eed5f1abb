"""Site-relative URLs of pages, and relative links between them.

Links are written relative to the page that holds them, so a Chinese page's
links stay under ``/zh/`` without knowing where the site is deployed.
"""

from __future__ import annotations

import posixpath
from functools import lru_cache

from mechatlas.model.kinds import KINDS


def entity_url(kind: str, entity_id: str) -> str:
    return f"{KINDS[kind].folder}/{entity_id}/"


def index_url(kind: str) -> str:
    return f"{KINDS[kind].folder}/"


def source_path(url: str) -> str:
    """The Markdown file MkDocs turns into ``url`` (with directory URLs)."""
    return "index.md" if url == "" else (
        f"{url}index.md" if url.count("/") == 1 else f"{url.rstrip('/')}.md"
    )


@lru_cache(maxsize=262144)
def _relative_path(base: str, target: str) -> str:
    """``posixpath.relpath``, once per pair of pages. Keyed without the anchor: a page links
    to each claim on one therapy page by its own anchor, so a cache of whole hrefs (as this
    module had) missed on nearly every claim link."""
    return posixpath.relpath(target, base)


def relative(from_url: str, to_url: str) -> str:
    """Relative href from the page at ``from_url`` to ``to_url`` (both site-relative)."""
    anchor = ""
    if "#" in to_url:
        to_url, anchor = to_url.split("#", 1)
        anchor = f"#{anchor}"
    rel = _relative_path(from_url.rstrip("/") or ".", to_url.rstrip("/") or ".")
    if rel == ".":
        return anchor or "./"
    return f"{rel}/{anchor}" if to_url.endswith("/") or to_url == "" else f"{rel}{anchor}"
