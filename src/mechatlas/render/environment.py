"""The Jinja environment over ``docs_templates/``: autoescaping always on."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from mechatlas.load.yaml_source import safe_load

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!-])")


def markdown_escape(value: Any) -> Markup:
    """Text safe where Markdown is parsed (a heading): HTML-escaped, then Markdown-escaped."""
    return Markup(_MARKDOWN_SPECIAL.sub(r"\\\1", str(escape(value))))


def heading_anchor(identifier: str) -> Markup:
    """An attr_list id for a Markdown heading; ``{#`` would open a Jinja comment in a template."""
    return Markup("{#") + escape(identifier) + Markup("}")


def make_environment(templates: Path, *, auto_reload: bool = True) -> Environment:
    """``auto_reload=False`` for a single build, which no template edit can follow: Jinja then
    stops checking each template's file on every include (50,000 checks at 1,000 claims)."""
    env = Environment(
        auto_reload=auto_reload,
        loader=FileSystemLoader(str(templates)),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = markdown_escape
    env.globals["anchor"] = heading_anchor
    return env


def load_strings(templates: Path, lang: str) -> dict[str, Any]:
    """A language's interface strings, parsed again only when the file changed (read-only)."""
    path = templates / "strings" / f"{lang}.yaml"
    stat = path.stat()
    return _parsed_strings(path, stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=8)
def _parsed_strings(path: Path, _size: int, _mtime_ns: int) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        strings: dict[str, Any] = safe_load(handle.read())
        return strings
