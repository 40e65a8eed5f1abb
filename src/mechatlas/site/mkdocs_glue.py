"""What the MkDocs hooks do, kept in the package so it is tested and typed.

``on_config`` validates and renders before MkDocs reads a single page: on any
error every problem is logged with its location and the build stops before
the site directory is touched. mkdocs-static-i18n runs each event once per
language; the fingerprint makes the second run free.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from mechatlas.diagnostics import format_plain
from mechatlas.site.generate import generate, source_epoch
from mechatlas.site.search_index import index_site
from mechatlas.site.search_terms import (
    NAMES_META,
    SPELLED_META,
    SYNONYMS_FILE,
    SYNONYMS_META,
    load_synonyms,
    spelled_out,
    synonyms_for,
)
from mechatlas.site.staging import STAGING, WATCHED, fingerprint

log = get_plugin_logger("mechatlas")
_last: dict[str, str] = {}
"""Repository root -> fingerprint of the inputs last rendered into its staging folder."""
_synonyms: dict[str, list[tuple[str, ...]]] = {}
"""Repository root -> its search synonym groups, read once per build."""


def repository_root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    root = repository_root(config)
    if not os.environ.get("SOURCE_DATE_EPOCH", "").strip().isdigit():
        epoch = source_epoch(root)
        if epoch is not None:
            os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    staging = root / STAGING
    site_url = config.get("site_url") or ""
    stamp = f"{fingerprint(root)} {site_url}"
    if _last.get(str(root)) != stamp or not staging.is_dir():
        generation = generate(root, staging, site_url)
        errors = [d for d in generation.diagnostics if d.is_error]
        for diagnostic in generation.diagnostics:
            # A warning is a MkDocs warning, so `mkdocs build --strict` fails exactly where
            # `mechatlas check --strict` does.
            (log.error if diagnostic.is_error else log.warning)(format_plain(diagnostic))
        if errors:
            _last.pop(str(root), None)
            raise PluginError(f"{len(errors)} error(s) in content/ or references.bib; "
                              "nothing was built. Run `mechatlas check` for the list.")
        log.info(f"generated {len(generation.files)} files ({generation.written} changed)")
        _last[str(root)] = stamp
    config["docs_dir"] = str(staging)
    _synonyms[str(root)] = load_synonyms(root / SYNONYMS_FILE)
    return config


def on_page_content(html: str, page: Page, config: MkDocsConfig) -> str:
    """Note what the page template indexes beyond the text: synonyms, names spelled out."""
    synonyms = synonyms_for(html, _synonyms.get(str(repository_root(config)), []))
    page.meta[SYNONYMS_META] = synonyms
    page.meta[SPELLED_META] = spelled_out([*(page.meta.get(NAMES_META) or []), *synonyms])
    return html


def on_serve(server: LiveReloadServer, config: MkDocsConfig,
             builder: Callable[..., object]) -> LiveReloadServer:
    """Watch the real inputs, never the staging folder the build itself writes."""
    root = repository_root(config)
    server.unwatch(str(root / STAGING))
    for name in WATCHED:
        if (root / name).exists():
            server.watch(str(root / name))
    return server


_not_found_pages: dict[str, str] = {}
"""Language -> rendered 404 page; static-i18n lets the last language built overwrite it."""


def on_post_template(output: str, template_name: str, config: MkDocsConfig) -> str:
    if template_name == "404.html":
        _not_found_pages[config.theme["language"]] = output
    return output


def on_post_build(config: MkDocsConfig) -> None:
    """Keep the site's root 404 page in English; index both languages for search."""
    site = Path(config["site_dir"])
    if "en" in _not_found_pages:  # static-i18n reuses one config: its language is not ours
        (site / "404.html").write_text(_not_found_pages["en"], encoding="utf-8")
    if not getattr(config.plugins.get("i18n"), "building", False):  # not in its other-language
        index_site(site)                                              # builds: once, at the end


def on_page_context(context: TemplateContext, page: Page, config: MkDocsConfig,
                    nav: Navigation) -> TemplateContext:
    """Point Material's edit button at the file a page comes from, never at a generated one."""
    entry = page.meta.get("mechatlas_entry")
    repo = (config.get("repo_url") or "").rstrip("/")
    if entry and repo:
        page.edit_url = f"{repo}/edit/main/{entry}"
    elif not (repository_root(config) / "docs" / page.file.src_uri).is_file():
        page.edit_url = None
    return context


GLANCE_ID = "ma-glance"
_SKIP_LINK = re.compile(r'<a href="[^"]*" class="md-skip">')


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Point "Skip to content" at the page's glance box when it has one.

    Material aims the skip link at the first heading of the table of contents, which on
    therapy, pathway, condition and source pages lies below the glance: the part a reader who
    skips the navigation most wants.
    """
    if f'id="{GLANCE_ID}"' not in output:
        return output
    return _SKIP_LINK.sub(f'<a href="#{GLANCE_ID}" class="md-skip">', output, count=1)
