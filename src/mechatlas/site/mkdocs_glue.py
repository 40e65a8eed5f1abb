"""What the MkDocs hooks do, kept in the package so it is tested and typed.

``on_config`` validates and renders before MkDocs reads a single page: on any
error every problem is logged with its location and the build stops before
the site directory is touched. mkdocs-static-i18n runs each event once per
language; the fingerprint makes the second run free.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger

from mechatlas.diagnostics import format_plain
from mechatlas.site.generate import generate
from mechatlas.site.staging import SEARCH_WORDS, STAGING, WATCHED, fingerprint

log = get_plugin_logger("mechatlas")
_last: dict[str, str] = {}
"""Repository root -> fingerprint of the inputs last rendered into its staging folder."""


def repository_root(config: Any) -> Path:
    return Path(config.config_file_path).resolve().parent


def on_config(config: Any) -> Any:
    root = repository_root(config)
    staging = root / STAGING
    site_url = config.get("site_url") or ""
    stamp = f"{fingerprint(root)} {site_url}"
    if _last.get(str(root)) != stamp or not staging.is_dir():
        generation = generate(root, staging, site_url)
        errors = [d for d in generation.diagnostics if d.is_error]
        for diagnostic in generation.diagnostics:
            (log.error if diagnostic.is_error else log.info)(format_plain(diagnostic))
        if errors:
            _last.pop(str(root), None)
            raise PluginError(f"{len(errors)} error(s) in content/ or references.bib; "
                              "nothing was built. Run `mechatlas check` for the list.")
        log.info(f"generated {len(generation.files)} files ({generation.written} changed)")
        _last[str(root)] = stamp
    config["docs_dir"] = str(staging)
    _use_search_words(config, staging.parent / SEARCH_WORDS)
    return config


def _use_search_words(config: Any, words: Path) -> None:
    """Let Material's jieba segmentation keep entity names whole (雷帕霉素, 难治性癫痫)."""
    search = config.plugins.get("material/search") or config.plugins.get("search")
    if search is not None and words.is_file() and "jieba_dict_user" in search.config:
        search.config["jieba_dict_user"] = str(words)


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    """Watch the real inputs, never the staging folder the build itself writes."""
    root = repository_root(config)
    server.unwatch(str(root / STAGING))
    for name in WATCHED:
        if (root / name).exists():
            server.watch(str(root / name))
    return server


def on_page_context(context: dict, page: Any, config: Any, nav: Any) -> dict:
    """Point Material's edit button at the file a page comes from, never at a generated one."""
    entry = page.meta.get("mechatlas_entry")
    repo = (config.get("repo_url") or "").rstrip("/")
    if entry and repo:
        page.edit_url = f"{repo}/edit/main/{entry}"
    elif not (repository_root(config) / "docs" / page.file.src_uri).is_file():
        page.edit_url = None
    return context
