"""Steps on a built site folder, after any engine's build: they read nothing but the folder,
so MkDocs (through the plugin), ProperDocs and Zensical share them.
"""

from __future__ import annotations

from pathlib import Path

from mechatlas.site.search_index import index_site


def finish_site(site: Path) -> None:
    """Index every page of both languages for search (Pagefind; one index per ``<html lang>``)."""
    index_site(site)
