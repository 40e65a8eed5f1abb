"""The kinds of entry, their folders, URLs and labels: one table, used everywhere."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    name: str
    folder: str
    """Folder under ``content/`` and URL segment of the kind's pages."""


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("pathway", "pathways"),
        Kind("therapy", "therapies"),
        Kind("condition", "conditions"),
        Kind("gene", "genes"),
        Kind("method", "methods"),
        Kind("source", "sources"),
        Kind("claim", "claims"),
        Kind("fact", "facts"),
    )
}
ENTITY_KINDS = ("pathway", "therapy", "condition", "gene", "method")
KIND_BY_FOLDER = {kind.folder: kind for kind in KINDS.values()}
LANGUAGES = ("en", "zh")
