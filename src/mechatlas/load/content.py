"""Walk ``content/`` and read every entry, keeping positions."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mechatlas.diagnostics import Diagnostic, error
from mechatlas.load.files import regular_file_names, regular_files
from mechatlas.load.yaml_source import YamlDocument, parse_yaml, read_text
from mechatlas.model.kinds import KIND_BY_FOLDER

EntryCache = dict[str, tuple[tuple[int, int], "Entry | None", list[Diagnostic]]]
"""Display path -> (size, mtime_ns) of the file, its entry (None if unreadable), its problems."""


@dataclass
class Entry:
    """One YAML file under ``content/<folder>/``, parsed."""

    kind: str
    stem: str
    document: YamlDocument
    modified: int = 0
    """Modification time (ns): of two entries claiming one id, the older keeps it."""

    @property
    def path(self) -> str:
        return self.document.path

    @property
    def data(self) -> dict[str, Any]:
        data: dict[str, Any] = self.document.data
        return data


MAX_ENTRIES = 100_000
"""Ten times the largest content the benchmark builds (10,000 claims and their entities)."""


@dataclass(frozen=True)
class Unreadable:
    """An entry file that could not be parsed: its id is known from its name alone."""

    kind: str
    stem: str
    path: str


def content_files(content_dir: Path) -> list[Path]:
    """Every regular file below ``content/``, in a stable order independent of the file system."""
    return regular_files(content_dir, content_dir.parent)[0]


def load_content(root: Path, folder: str = "content",
                 cache: EntryCache | None = None) -> tuple[list[Entry], list[Diagnostic]]:
    """Parse every entry; files in the wrong place are reported, not skipped silently."""
    entries, _, problems = read_entries(root, folder, cache)
    return entries, problems


EntryReader = Callable[[str, str, str], tuple["Entry | None", list[Diagnostic]]]
"""Reads one entry file (its path, display path, kind): ``read_entry``, or a store's reader."""


def read_entries(root: Path, folder: str = "content", cache: EntryCache | None = None,
                 reader: EntryReader | None = None,
                 ) -> tuple[list[Entry], list[Unreadable], list[Diagnostic]]:
    """Entries, the entry files that failed to parse, and every problem found.

    With a ``cache`` (a long-running build's), a file whose size and mtime are unchanged is
    not read again; the cache is left holding exactly the files seen this time. A
    ``reader`` replaces ``read_entry`` (``mechatlas check``'s persistent store).
    """
    read = reader or read_entry
    entries: list[Entry] = []
    unreadable: list[Unreadable] = []
    seen: EntryCache = {}
    base = root / folder
    names, problems = regular_file_names(base, root)
    root_text, base_text = root.as_posix(), base.as_posix()
    candidates = 0
    for name in names:
        display, relative = _relative(name, root_text, base_text)
        file_name = relative[-1]
        stem, dot, suffix = file_name.rpartition(".")
        stem = stem if dot else file_name
        if file_name.startswith(".") or file_name == "README.md":
            continue
        if suffix == "yml" and dot:
            problems.append(error(display, 1, 1, "file-name",
                                  f"rename to {stem}.yaml: entries use the .yaml extension"))
            continue
        if suffix != "yaml" or not dot:
            continue
        if len(relative) != 2 or relative[0] not in KIND_BY_FOLDER:
            folders = ", ".join(f"content/{kind_folder}/" for kind_folder in KIND_BY_FOLDER)
            problems.append(error(display, 1, 1, "wrong-folder",
                                  f"entries live directly in one of {folders}"))
            continue
        candidates += 1
        if candidates > MAX_ENTRIES:
            problems.append(error(display, 1, 1, "too-many-entries",
                                  f"{folder}/ holds more than {MAX_ENTRIES:,} entries; "
                                  "this file and the ones after it were not read"))
            break
        kind = KIND_BY_FOLDER[relative[0]].name
        if cache is not None:
            stat = os.stat(name)
            stamp = (stat.st_size, stat.st_mtime_ns)
            hit = cache.get(display)
            if hit is None or hit[0] != stamp:
                entry, found = read(name, display, kind)
                hit = (stamp, entry, found)
            seen[display] = hit
            entry, found = hit[1], hit[2]
        else:
            entry, found = read(name, display, kind)
        problems += found
        if entry is None:
            unreadable.append(Unreadable(kind, stem, display))
        else:
            entries.append(entry)
    if cache is not None:
        cache.clear()
        cache.update(seen)
    return entries, unreadable, problems


def _relative(path: str, root: str, base: str) -> tuple[str, tuple[str, ...]]:
    """The display path (from the root) and the parts below ``base`` of a file found there:
    by string, as ``Path.relative_to`` costs more than the rest of a stored check's walk."""
    if path.startswith(f"{base}/") and base.startswith(f"{root}/"):
        return path[len(root) + 1:], tuple(path[len(base) + 1:].split("/"))
    return (Path(path).relative_to(root).as_posix(), Path(path).relative_to(base).parts)


def read_entry(path: str | Path, display: str, kind: str,
               ) -> tuple[Entry | None, list[Diagnostic]]:
    path = Path(path)
    text, found = read_text(path, display)
    if text is None:
        return None, found
    document, more = parse_yaml(text, display)
    if document is None:
        return None, found + more
    return Entry(kind, path.stem, document, path.stat().st_mtime_ns), found + more
