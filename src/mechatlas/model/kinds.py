"""The kinds of entry, their folders, URLs and labels: one table, used everywhere."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    name: str
    folder: str
    """Folder under ``content/`` and URL segment of the kind's pages."""
    has_page: bool
    """Entities get a page of their own; claims and facts live on those pages."""


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("pathway", "pathways", True),
        Kind("therapy", "therapies", True),
        Kind("condition", "conditions", True),
        Kind("gene", "genes", True),
        Kind("method", "methods", True),
        Kind("source", "sources", True),
        Kind("claim", "claims", False),
        Kind("fact", "facts", False),
    )
}
ENTITY_KINDS = ("pathway", "therapy", "condition", "gene", "method")
KIND_BY_FOLDER = {kind.folder: kind for kind in KINDS.values()}
LANGUAGES = ("en", "zh")
