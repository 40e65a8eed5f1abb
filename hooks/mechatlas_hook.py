"""MkDocs hooks: glue only. The work is done by the installed ``mechatlas`` package."""

from __future__ import annotations

from collections.abc import Callable

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from mechatlas.site import mkdocs_glue


@event_priority(100)  # before static-i18n (-100) reads docs_dir and the files in it
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    return mkdocs_glue.on_config(config)


def on_serve(server: LiveReloadServer, config: MkDocsConfig,
             builder: Callable[..., object]) -> LiveReloadServer:
    return mkdocs_glue.on_serve(server, config, builder)


def on_page_context(context: TemplateContext, page: Page, config: MkDocsConfig,
                    nav: Navigation) -> TemplateContext:
    return mkdocs_glue.on_page_context(context, page, config, nav)


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return mkdocs_glue.on_page_content(html, page, config)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return mkdocs_glue.on_post_page(output, page, config)


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    return mkdocs_glue.on_post_template(output_content, template_name, config)


@event_priority(-200)  # after static-i18n (-100) has built every language
def on_post_build(config: MkDocsConfig) -> None:
    mkdocs_glue.on_post_build(config)
