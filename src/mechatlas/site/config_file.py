"""The build's one configuration: the ``mechatlas`` plugin's options in ``mkdocs.yml``.

MkDocs validates them when it loads the plugin; ``mechatlas check`` and ``mechatlas build``
read the same file through MkDocs' own YAML loader (``!ENV`` included) and validate the same
options with the same typed ``Config`` class, so every command sees the same paths.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import ConfigurationError
from mkdocs.utils.yaml import get_yaml_loader, yaml_load

from mechatlas.diagnostics import Diagnostic, error
from mechatlas.settings import (
    DEFAULT_BIBLIOGRAPHY,
    DEFAULT_CONTENT,
    DEFAULT_DOCS,
    DEFAULT_SCHEMAS,
    DEFAULT_STAGING,
    DEFAULT_TEMPLATES,
    BuildSettings,
)

CONFIG_FILE = "mkdocs.yml"
PLUGIN_NAME = "mechatlas"


class MechatlasConfig(base.Config):  # type: ignore[no-untyped-call]
    """Options of ``plugins: - mechatlas:``; paths are relative to the repository root."""

    content = c.Type(str, default=DEFAULT_CONTENT)
    bibliography = c.Type(str, default=DEFAULT_BIBLIOGRAPHY)
    schemas = c.Type(str, default=DEFAULT_SCHEMAS)
    templates = c.Type(str, default=DEFAULT_TEMPLATES)
    docs = c.Type(str, default=DEFAULT_DOCS)
    staging = c.Type(str, default=DEFAULT_STAGING)
    edit_url = c.Optional(c.Type(str))
    """Prefix of an entry's edit link; default: ``repo_url`` + ``/edit/main/``."""


def settings_from(root: Path, options: MechatlasConfig, repo_url: str | None,
                  site_url: str | None) -> BuildSettings:
    edit_url = options.edit_url
    if edit_url is None:
        edit_url = f"{repo_url.rstrip('/')}/edit/main/" if repo_url else ""
    return BuildSettings(root=root, content=options.content, bibliography=options.bibliography,
                         schemas=options.schemas, templates=options.templates, docs=options.docs,
                         staging=options.staging, work=str(Path(options.staging).parent),
                         edit_url=edit_url, site_url=site_url or "")


def read_settings(root: Path) -> tuple[BuildSettings, list[Diagnostic]]:
    """The settings ``mkdocs.yml`` gives, with its problems as located diagnostics; the
    defaults when there is no ``mkdocs.yml`` or it names no ``mechatlas`` plugin."""
    path = root / CONFIG_FILE
    if not path.is_file():
        return BuildSettings(root), []
    try:
        with path.open(encoding="utf-8") as handle:
            data = yaml_load(handle, get_yaml_loader())
    except (ConfigurationError, OSError, UnicodeDecodeError) as problem:
        return BuildSettings(root), [error(CONFIG_FILE, 1, 1, "config", str(problem))]
    raw = plugin_options(data)
    options = MechatlasConfig(config_file_path=str(path))
    options.load_dict(raw if isinstance(raw, dict) else {})
    failed, _warnings = options.validate()
    if failed or not isinstance(raw, dict):
        line = _line_of(path, PLUGIN_NAME)
        messages = [f"plugin '{PLUGIN_NAME}': option '{key}': {err}" for key, err in failed] \
            or [f"plugin '{PLUGIN_NAME}': options must be a mapping"]
        return BuildSettings(root), [error(CONFIG_FILE, line, 1, "config", m) for m in messages]
    return settings_from(root, options, data.get("repo_url"), data.get("site_url")), []


def plugin_options(data: dict[str, Any]) -> object:
    """The options given to the ``mechatlas`` plugin (``{}`` when it has none or is absent)."""
    plugins = data.get("plugins") or []
    items = plugins.items() if isinstance(plugins, dict) else (
        (next(iter(p.items())) if isinstance(p, dict) and p else (p, {})) for p in plugins)
    for name, options in items:
        if name == PLUGIN_NAME:
            return options if options is not None else {}
    return {}


def _line_of(path: Path, word: str) -> int:
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if line.strip().lstrip("- ").startswith(word):
            return number
    return 1
