"""Building the generated docs tree with an engine that knows nothing of the atlas.

The build core writes a plain docs tree (``mechatlas build``); this module hands that tree to a
static-site engine and then runs the post-build steps, which need only the built folder
(``built_site.finish_site``). Every engine config is derived from ``mkdocs.yml`` — the one
configuration — less the ``mechatlas`` plugin, so navigation, theme and translations are never
written twice (docs/decisions/0019-engine-plan.md).

* ``mkdocs`` and ``properdocs`` (the maintained MkDocs 1.x fork): one build of both languages,
  Material + mkdocs-static-i18n, as ``mkdocs.yml`` says.
* ``zensical``: it ignores static-i18n, so one build per language, each from a tree of its
  own (the language's pages, the shared assets and data), English at the root and Chinese
  under ``zh/``; ``engines/zensical/zensical.yml`` holds what only Zensical reads.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from mkdocs.utils.yaml import get_yaml_loader, yaml_load

from mechatlas.load.yaml_source import safe_load
from mechatlas.model.kinds import LANGUAGES
from mechatlas.settings import BuildSettings
from mechatlas.site.built_site import finish_site
from mechatlas.site.config_file import CONFIG_FILE, PLUGIN_NAME
from mechatlas.site.staging import sync_tree
from mechatlas.site.theme_extra import theme_extra

ENGINES = ("mkdocs", "properdocs", "zensical")
ZENSICAL_SETTINGS = Path("engines") / "zensical" / "zensical.yml"
"""Zensical's own settings, merged over the derived config of each language."""
DEFAULT_LANGUAGE = LANGUAGES[0]
_CLIMBING_LINK = re.compile(r"\]\(((?:\.\./)+)")
"""The start of a Markdown link target that climbs out of a folder: ``](../assets/x.png)``."""


class EngineError(Exception):
    """The engine is not installed, or its build failed; the message says which."""


def engine_command(engine: str) -> list[str]:
    """The engine's command: beside this Python first (same virtual environment), else PATH."""
    beside = Path(sys.executable).parent / engine
    if beside.is_file():
        return [str(beside)]
    found = shutil.which(engine)
    if found is None:
        raise EngineError(f"{engine} is not installed: install it (docs/en/engines.md) or put "
                          f"its command on PATH")
    return [found]


def read_site_config(root: Path) -> dict[str, Any]:
    """``mkdocs.yml`` as MkDocs reads it (``!ENV`` resolved)."""
    with (root / CONFIG_FILE).open(encoding="utf-8") as handle:
        data = yaml_load(handle, get_yaml_loader())
    return dict(data)


def without_plugin(plugins: object) -> list[object]:
    """The ``plugins:`` list less the ``mechatlas`` plugin (its work is in the tree)."""
    items: list[object]
    if isinstance(plugins, dict):
        items = [{name: options} for name, options in plugins.items()]
    else:
        items = list(plugins) if isinstance(plugins, list) else []
    kept: list[object] = []
    for item in items:
        name = next(iter(item)) if isinstance(item, dict) and item else item
        if name != PLUGIN_NAME:
            kept.append(item)
    return kept


def plugin_free_config(root: Path, settings: BuildSettings, tree: Path,
                       site: Path) -> dict[str, Any]:
    """``mkdocs.yml`` for building ``tree`` into ``site`` without the ``mechatlas`` plugin."""
    config = read_site_config(root)
    config["docs_dir"] = str(tree.resolve())
    config["site_dir"] = str(site.resolve())
    config["plugins"] = without_plugin(config.get("plugins"))
    theme = dict(config.get("theme") or {})
    if theme.get("custom_dir"):
        theme["custom_dir"] = str((root / theme["custom_dir"]).resolve())
    config["theme"] = theme
    config.pop("watch", None)  # the engine watches the tree; the inputs are the core's
    config["extra"] = {**(config.get("extra") or {}), **theme_extra(settings)}
    return config


def language_config(root: Path, lang: str, *, engine_settings: Mapping[str, Any]
                    ) -> dict[str, Any]:
    """One language's config for an engine without static-i18n, from ``mkdocs.yml``.

    The language's site name, description and navigation titles come from static-i18n's
    options; ``engine_settings`` (the engine's own file) is merged over the result.
    """
    config = read_site_config(root)
    i18n = _i18n_options(config)
    language: dict[str, Any] = next((entry for entry in i18n.get("languages", [])
                                     if entry.get("locale") == lang), {})
    titles: dict[str, str] = language.get("nav_translations") or {}
    for key in ("site_name", "site_description"):
        if language.get(key):
            config[key] = language[key]
    if lang != DEFAULT_LANGUAGE and config.get("site_url"):
        config["site_url"] = config["site_url"].rstrip("/") + f"/{lang}/"
    config["nav"] = _translated_nav(config.get("nav") or [], titles)
    theme = dict(config.get("theme") or {})
    theme["language"] = lang
    config["theme"] = theme
    config["plugins"] = [p for p in without_plugin(config.get("plugins"))
                         if not (isinstance(p, dict) and "i18n" in p)]
    config["docs_dir"] = "docs"
    config["site_dir"] = "site"
    for key in ("watch", "validation", "edit_uri"):
        config.pop(key, None)
    return _merged(config, engine_settings)


def language_tree(tree: Path, lang: str) -> dict[str, bytes]:
    """The files of one language's build: its pages at the root, with the shared assets,
    data files and bibliography beside them (one copy per language).

    A Markdown link that climbed out of the language folder to a shared file
    (``](../assets/x.png)`` in ``en/about.md``) climbs one level less, as the shared files now
    sit at the language's root.
    """
    files: dict[str, bytes] = {}
    for path in sorted(tree.rglob("*")):
        if not path.is_file():
            continue
        relative = path.relative_to(tree).as_posix()
        first = relative.split("/", 1)[0]
        if first == lang:
            inner = relative[len(lang) + 1:]
            data = path.read_bytes()
            if inner.endswith(".md"):
                depth = inner.count("/")
                data = _lower_links(data.decode("utf-8"), depth).encode("utf-8")
            files[inner] = data
        elif first not in LANGUAGES:
            files[relative] = path.read_bytes()
    return files


def build_site(engine: str, root: Path, settings: BuildSettings, site: Path) -> None:
    """Build the generated tree (``settings.staging_dir``) into ``site`` with ``engine``."""
    if engine not in ENGINES:
        raise EngineError(f"unknown engine {engine!r}; one of: {', '.join(ENGINES)}")
    command = engine_command(engine)
    tree = settings.staging_dir
    work = settings.work_dir / "engines" / engine
    work.mkdir(parents=True, exist_ok=True)
    if engine == "zensical":
        _build_per_language(command, root, tree, work, site)
    else:
        config_path = work / CONFIG_FILE
        _write_yaml(config_path, plugin_free_config(root, settings, tree, site))
        _run([*command, "build", "--strict", "--config-file", str(config_path)], work)
        finish_site(site)  # Zensical's builds keep Zensical's own search (engines/zensical/)


def _build_per_language(command: list[str], root: Path, tree: Path, work: Path,
                        site: Path) -> None:
    extra_path = root / ZENSICAL_SETTINGS
    extra = read_yaml(extra_path) if extra_path.is_file() else {}
    if site.exists():
        shutil.rmtree(site)
    for lang in LANGUAGES:
        project = work / lang  # Zensical wants docs_dir and site_dir inside the config's folder
        sync_tree(project / "docs", language_tree(tree, lang))
        config = language_config(root, lang, engine_settings=extra)
        theme = config["theme"]
        if theme.get("custom_dir"):
            theme["custom_dir"] = str((root / theme["custom_dir"]).resolve())
        _write_yaml(project / CONFIG_FILE, config)
        built = project / "site"
        if built.exists():
            shutil.rmtree(built)
        _run([*command, "build", "--clean", "--config-file", str(project / CONFIG_FILE)],
             project)
        target = site if lang == DEFAULT_LANGUAGE else site / lang
        shutil.copytree(built, target, dirs_exist_ok=True)


def read_yaml(path: Path) -> dict[str, Any]:
    data = safe_load(path.read_text("utf-8")) or {}
    if not isinstance(data, dict):
        raise EngineError(f"{path}: a mapping of settings expected")
    return data


def _run(command: list[str], cwd: Path) -> None:
    environment = {**os.environ, "DISABLE_MKDOCS_2_WARNING": "true", "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False,
                            env=environment)
    if result.returncode != 0:
        raise EngineError(f"{' '.join(command)} failed ({result.returncode}):\n"
                          f"{(result.stderr or result.stdout)[-4000:]}")


def _write_yaml(path: Path, data: Mapping[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(dict(data), allow_unicode=True, sort_keys=False), "utf-8")


def _i18n_options(config: Mapping[str, Any]) -> dict[str, Any]:
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and "i18n" in plugin:
            return dict(plugin["i18n"] or {})
    return {}


def _translated_nav(nav: list[Any], titles: Mapping[str, str]) -> list[Any]:
    translated: list[Any] = []
    for item in nav:
        if isinstance(item, dict):
            translated.append({titles.get(k, k): _translated_nav(v, titles)
                               if isinstance(v, list) else v for k, v in item.items()})
        else:
            translated.append(item)
    return translated


def _merged(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    result = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(result.get(key), dict):
            result[key] = _merged(result[key], value)
        else:
            result[key] = value
    return result


def _lower_links(markdown: str, depth: int) -> str:
    """Links that climb above the language folder from a page ``depth`` folders below it."""
    def lowered(match: re.Match[str]) -> str:
        climb = match.group(1)
        return "](" + (climb[3:] if len(climb) // 3 > depth else climb)

    return _CLIMBING_LINK.sub(lowered, markdown)
