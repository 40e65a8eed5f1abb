"""``mkdocs serve`` rebuilds only the pages an edit touched, without ``--dirty``.

Left to itself, ``mkdocs serve`` rebuilds every page of both languages after any edit (9.5 s
of CPU at 1,000 claims); started with ``--dirty``, it rebuilds only the pages whose Markdown
is newer than their HTML. For the atlas that rule is exact whenever only the inputs the build
core tracks changed (entries, references, page templates, schemas, hand-written pages): the
core rewrites the staging file of every page whose output changed and no other (decision 0015),
no generated page is in the navigation, and the plugin deletes the HTML of pages that are gone
(``stale_outputs``). It is not exact for what MkDocs renders around every page: the theme's
overrides, ``mkdocs.yml``, the search synonyms (``on_page_content``). So each rebuild after the
first is dirty when none of those changed since the last build, and full otherwise
(docs/decisions/0021-incremental-serve.md).

MkDocs 1.6 has no event for this: ``serve`` and mkdocs-static-i18n (which builds the second
language inside the first one's build) each call ``build`` with a ``dirty`` of their own. For
one rebuild, both modules are given a ``build`` that is dirty.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

from mkdocs.commands import build as build_module

from mechatlas.site.staging import fingerprint

CALLERS = ("mkdocs.commands.serve", "mkdocs_static_i18n.plugin")
"""The modules whose ``build(config, dirty=…)`` calls make up one ``mkdocs serve`` rebuild."""


def stamp(paths: Iterable[Path]) -> str:
    """A digest of the names, sizes and modification times of every file under ``paths``."""
    return fingerprint(Path(os.sep), [str(path.absolute()) for path in paths])


@contextmanager
def dirty_builds() -> Iterator[None]:
    """While inside, every ``build`` that ``serve`` and static-i18n start is a dirty one.

    Changes nothing when ``mkdocs serve`` no longer calls ``build`` by that name (another
    MkDocs version): the rebuild is then a full one, as MkDocs would make it.
    """
    callers: list[ModuleType] = []
    for name in CALLERS:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        if getattr(module, "build", None) is build_module.build:
            callers.append(module)
    if not any(module.__name__ == CALLERS[0] for module in callers):
        yield
        return

    def dirty_build(config: Any, **options: Any) -> None:
        build_module.build(config, **{**options, "dirty": True})

    for module in callers:
        module.build = dirty_build  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for module in callers:
            module.build = build_module.build  # type: ignore[attr-defined]


class Rebuilds:
    """The builder ``mkdocs serve`` calls after an edit: dirty when that is exact, else full."""

    def __init__(self, full: Callable[[], object], engine_inputs: list[Path]):
        """``engine_inputs``: files and folders (present or not) whose edits need a full one."""
        self._full = full
        self._engine_inputs = engine_inputs
        self._seen = stamp(engine_inputs)

    def __call__(self) -> None:
        now = stamp(self._engine_inputs)
        unchanged, self._seen = now == self._seen, now
        if not unchanged:
            self._full()
            return
        with dirty_builds():
            self._full()


def stale_outputs(before: set[str], now: set[str], site: Path) -> None:
    """Delete the files an earlier build wrote and this one did not.

    A dirty build never cleans the site folder, so the page of a deleted entry would go on
    being served. Only files MkDocs itself wrote from a page or asset are considered.
    """
    for name in sorted(before - now):
        path = site / name
        if path.is_file():
            path.unlink()
        parent = path.parent
        while parent != site and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent


class ThemeListings:
    """The theme's static files, listed once per session instead of once per language build.

    Before every build MkDocs walks the theme's folders (Material's hold 14,000 files, most
    of them icons) and matches each name against a dozen patterns
    (``Files.add_files_from_theme``): a quarter of a rebuild at 1,000 claims. The answer
    changes only with what the key holds: the theme's folders, a stamp of the project's own
    theme folder (``custom_dir``; the installed theme does not change while serving), the
    theme's ``static_templates`` (the one setting MkDocs' filter reads) and the filter's code.
    """

    def __init__(self) -> None:
        self._listed: dict[tuple[object, ...], tuple[str, list[str]]] = {}
        """(theme folders, settings, filter) -> (stamp of custom_dir, listing): one listing
        per language's theme, replaced when the project's theme folder changes."""

    def install(self, theme: Any) -> None:
        """Make ``theme.get_env`` give environments whose ``list_templates`` is remembered."""
        make_env = theme.get_env
        if getattr(make_env, "listings", None) is self:
            return

        def get_env() -> Any:
            env = make_env()
            list_templates = env.list_templates

            def listed(extensions: Any = None, filter_func: Any = None) -> list[str]:
                custom = [Path(theme.custom_dir)] if theme.custom_dir else []
                now = stamp(custom)
                key = (tuple(theme.dirs), tuple(theme.static_templates), repr(extensions),
                       getattr(filter_func, "__code__", filter_func))
                kept = self._listed.get(key)
                if kept is None or kept[0] != now:  # the listing of the theme as it is now
                    kept = self._listed[key] = (now, list(list_templates(extensions,
                                                                         filter_func)))
                return list(kept[1])

            env.list_templates = listed
            return env

        get_env.listings = self  # type: ignore[attr-defined]
        theme.get_env = get_env
