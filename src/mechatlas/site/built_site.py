"""Steps on a built site folder, after any engine's build: they read nothing but the folder
and the build's own files, so MkDocs (through the plugin), ProperDocs and Zensical share them.
"""

from __future__ import annotations

import json
from pathlib import Path

from mechatlas.settings import BuildSettings
from mechatlas.site.search_terms import NAMES_FILE, load_names, load_synonyms, refine_docs

TRANSLATED = ("zh",)
"""Languages built under ``<site>/<lang>/``; English is at the root."""


def finish_site(site: Path, settings: BuildSettings) -> None:
    """Split a both-language search index per language (MkDocs + static-i18n writes one).

    An engine that writes its own index per language (Zensical, one build per language)
    leaves nothing to split, and this does nothing.
    """
    root_index = find_root_index(site)
    if root_index is not None:
        split_search_index(root_index, TRANSLATED,
                           load_synonyms(settings.path(settings.synonyms)),
                           load_names(settings.work_dir / NAMES_FILE))


def find_root_index(site: Path) -> Path | None:
    """Material's search index of a site built by MkDocs or ProperDocs with static-i18n."""
    for candidate in (site / "search" / "search_index.json",
                      site.parent / "search" / "search_index.json"):
        if candidate.is_file():
            return candidate
    return None


def split_search_index(index_path: Path, languages: tuple[str, ...],
                       synonyms: list[tuple[str, ...]] | None = None,
                       names: dict[str, list[str]] | None = None) -> None:
    """Move each language's documents into ``<lang>/search/search_index.json``.

    Locations become relative to the language root, where that language's pages
    point Material's search; titles and text are tidied and synonyms added
    (``search_terms.refine_docs``). Idempotent: an index already split is left as it is.
    """
    index = json.loads(index_path.read_text("utf-8"))
    original = index.get("docs", [])
    docs = refine_docs(original, synonyms or [], names, languages)
    for lang in languages:
        prefix = f"{lang}/"
        own = [dict(d, location=d["location"][len(prefix):]) for d in docs
               if d.get("location", "").startswith(prefix)]
        if not own:
            continue
        target = index_path.parent.parent / lang / "search" / "search_index.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps({**index, "docs": own}, ensure_ascii=False,
                                     separators=(",", ":")), encoding="utf-8")
        docs = [d for d in docs if not d.get("location", "").startswith(prefix)]
    if docs != original:
        index_path.write_text(json.dumps({**index, "docs": docs}, ensure_ascii=False,
                                         separators=(",", ":")), encoding="utf-8")
