"""The MkDocs plugin ``mechatlas``: one build core, configured once, for the whole session.

``on_config`` runs before mkdocs-static-i18n reads ``docs_dir`` (priority 100 against its
-100): it brings the staging folder up to date and points ``docs_dir`` there, or logs every
problem and stops the build before the site directory is touched. Because the plugin defines
``on_startup``, MkDocs keeps this one instance across the rebuilds of ``mkdocs serve``, so the
core's caches and page traces live on the instance, never at module level.
"""

from __future__ import annotations

import gc
import logging
import os
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from jinja2 import BytecodeCache, Environment
from jinja2.bccache import Bucket
from markdown.util import BLOCK_LEVEL_ELEMENTS
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from mechatlas.diagnostics import format_plain
from mechatlas.site.built_site import finish_site
from mechatlas.site.config_file import MechatlasConfig, settings_from
from mechatlas.site.core import BuildCore
from mechatlas.site.generate import source_epoch
from mechatlas.site.html_blocks import put_back, set_aside
from mechatlas.site.search_terms import (
    NAMES_META,
    SPELLED_META,
    SYNONYMS_META,
    load_synonyms,
    spelled_out,
    synonyms_for,
)
from mechatlas.site.serve_rebuilds import Rebuilds, ThemeListings, stale_outputs
from mechatlas.site.theme_extra import theme_extra

log = get_plugin_logger("mechatlas")
DIRTY_WARNING = "A 'dirty' build is being performed"
GLANCE_ID = "ma-glance"
_SKIP_LINK = re.compile(r'<a href="[^"]*" class="md-skip">')


class _DropDirtyWarning(logging.Filter):
    """``mkdocs serve --dirty`` warns on every rebuild, which ``strict: true`` turns into a
    failed build; the plugin keeps every generated page current, so the warning is moot."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(DIRTY_WARNING)


class _CompiledTemplates(BytecodeCache):
    """The theme's templates compiled once per session, not once per language and rebuild:
    MkDocs makes a new Jinja environment for every build, and compiling Material's templates
    was a fifth of a ``mkdocs serve --dirty`` rebuild. Jinja checks each template's source
    against the checksum stored with its code, so an edited template is compiled again."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


class MechatlasPlugin(BasePlugin[MechatlasConfig]):  # type: ignore[no-untyped-call]
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.core: BuildCore | None = None
        self.dirty = False
        self.serving = False
        self._synonyms: list[tuple[str, ...]] = []
        """The search synonym groups, read once per build."""
        self._indexing = threading.Lock()
        self._not_found_pages: dict[str, str] = {}
        """Language -> rendered 404 page; static-i18n lets the last language overwrite it."""
        self._compiled = _CompiledTemplates()
        self._blocks: dict[str, list[str]] = {}
        """Page -> the HTML blocks set aside from its Markdown, until its content is made."""
        self._outputs: set[str] = set()
        """What this build's MkDocs runs write into the site folder (both languages)."""
        self._outputs_before: set[str] = set()
        self._theme_listings = ThemeListings()

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"],
                   dirty: bool) -> None:
        self.dirty = dirty
        self.serving = command == "serve"  # only then will an update follow: record reads
        if self.serving:  # rebuilds are dirty, with or without --dirty (serve_rebuilds)
            logging.getLogger("mkdocs.commands.build").addFilter(_DropDirtyWarning())

    @event_priority(100)  # before static-i18n (-100) reads docs_dir and the files in it
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path).resolve().parent
        if not os.environ.get("SOURCE_DATE_EPOCH", "").strip().isdigit():
            epoch = source_epoch(root)
            if epoch is not None:
                os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
        settings = settings_from(root, self.config, config.get("repo_url"),
                                 config.get("site_url"))
        if self.core is None or self.core.settings != settings:
            self.core = BuildCore(settings, incremental=self.serving)
        if self.serving:
            self._theme_listings.install(config.theme)
        if getattr(config.plugins.get("i18n"), "building", False) and self.core.last:
            # static-i18n's build of another language, inside this build: the tree is current.
            config["docs_dir"] = str(settings.staging_dir)
            config["extra"].update(theme_extra(settings))
            return config
        self._outputs = set()
        update = self.core.generate()
        if not update.skipped:
            errors = [d for d in update.diagnostics if d.is_error]
            for diagnostic in update.diagnostics:
                # A warning is a MkDocs warning, so `mkdocs build --strict` fails exactly where
                # `mechatlas check --strict` does.
                (log.error if diagnostic.is_error else log.warning)(format_plain(diagnostic))
            if errors:
                raise PluginError(f"{len(errors)} error(s) in {settings.content}/ or "
                                  f"{settings.bibliography}; nothing was built. Run "
                                  "`mechatlas check` for the list.")
            log.info(f"generated {update.count} files: {len(update.rendered)} rendered, "
                     f"{update.written} written")
        config["docs_dir"] = str(settings.staging_dir)
        self._synonyms = load_synonyms(settings.path(settings.synonyms))
        config["extra"].update(theme_extra(settings))
        return config

    @event_priority(-200)  # after static-i18n has placed each language's files
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        self._outputs.update(file.dest_uri for file in files)
        return files

    def on_env(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment:
        env.bytecode_cache = self._compiled
        return env

    def on_serve(self, server: LiveReloadServer, config: MkDocsConfig,
                 builder: Callable[..., object]) -> LiveReloadServer:
        """Watch the real inputs, never the staging folder the build itself writes."""
        assert self.core is not None
        settings = self.core.settings
        server.unwatch(str(settings.staging_dir))
        for name in settings.watched:
            if settings.path(name).exists():
                server.watch(str(settings.path(name)))
        if not self.dirty:
            custom_dir = config.theme.custom_dir
            engine_inputs = [Path(config.config_file_path), settings.path(settings.synonyms),
                             *([Path(custom_dir)] if custom_dir else [])]
            server.builder = Rebuilds(server.builder, engine_inputs)
        # What the first build loaded (entries, models, page caches) lives for the session:
        # frozen, it is left out of the collector's full passes, which took 0.2 s of a 1.1 s
        # rebuild at 1,000 claims. Collected first, so no garbage of that build is kept.
        gc.collect()
        gc.freeze()
        return server

    def on_post_template(self, output_content: str, template_name: str,
                         config: MkDocsConfig) -> str:
        if template_name == "404.html":
            self._not_found_pages[config.theme["language"]] = output_content
        return output_content

    @event_priority(-200)  # after static-i18n (-100) has built every language
    def on_post_build(self, config: MkDocsConfig) -> None:
        """Keep the site's root 404 page in English; then the post-build steps any engine's
        build is followed by (``built_site.finish_site``: the search index).

        static-i18n runs the other languages' builds inside its own ``on_post_build``, and each
        of them fires this event too; only the outermost call, after every language, works.
        """
        if getattr(config.plugins.get("i18n"), "building", False):
            return
        site = Path(config["site_dir"])
        if "en" in self._not_found_pages:  # static-i18n reuses one config: its language isn't
            (site / "404.html").write_text(self._not_found_pages["en"], encoding="utf-8")
        stale_outputs(self._outputs_before, self._outputs, site)
        self._outputs_before = self._outputs
        if not self.serving:
            finish_site(site)
            return
        # While serving, the edited page shows as soon as its HTML is written; the search
        # index (whole-site, ~10 s of CPU at 1,000 claims) follows in the background, one
        # indexing at a time (docs/decisions/0016).
        threading.Thread(target=self._index_in_background, args=(site,), daemon=True).start()

    def _index_in_background(self, site: Path) -> None:
        with self._indexing:
            if site.is_dir():
                finish_site(site)

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig,
                         files: Files) -> str:
        """Set the page's generated HTML blocks aside from Markdown's HTML parser
        (``html_blocks``: the same output, a quarter of a 1,000-claim build saved)."""
        text, self._blocks[page.file.src_uri] = set_aside(markdown, BLOCK_LEVEL_ELEMENTS)
        return text

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig,
                        files: Files) -> str:
        """Put the page's HTML blocks back; then note what the page template indexes beyond
        the text: synonyms, names spelled out."""
        html = put_back(html, self._blocks.pop(page.file.src_uri, []))
        synonyms = synonyms_for(html, self._synonyms)
        page.meta[SYNONYMS_META] = synonyms
        page.meta[SPELLED_META] = spelled_out([*(page.meta.get(NAMES_META) or []), *synonyms])
        return html

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        """Point "Skip to content" at the page's glance box when it has one.

        Material aims the skip link at the first heading of the table of contents, which on
        therapy, pathway, condition and source pages lies below the glance: the part a reader
        who skips the navigation most wants.
        """
        if f'id="{GLANCE_ID}"' not in output:
            return output
        return _SKIP_LINK.sub(f'<a href="#{GLANCE_ID}" class="md-skip">', output, count=1)


