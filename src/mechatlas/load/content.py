"""Walk ``content/`` and read every entry, keeping positions."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mechatlas.diagnostics import Diagnostic, error
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

    @property
    def path(self) -> str:
        return self.document.path

    @property
    def data(self) -> dict[str, Any]:
        data: dict[str, Any] = self.document.data
        return data


def content_files(content_dir: Path) -> list[Path]:
    """Every file below ``content/``, in a stable order independent of the file system."""
    if not content_dir.is_dir():
        return []
    return sorted((p for p in content_dir.rglob("*") if p.is_file()), key=lambda p: p.as_posix())


def load_content(root: Path, folder: str = "content",
                 cache: EntryCache | None = None) -> tuple[list[Entry], list[Diagnostic]]:
    """Parse every entry; files in the wrong place are reported, not skipped silently.

    With a ``cache`` (a long-running build's), a file whose size and mtime are unchanged is
    not read again; the cache is left holding exactly the files seen this time.
    """
    entries: list[Entry] = []
    problems: list[Diagnostic] = []
    seen: EntryCache = {}
    for path in content_files(root / folder):
        display = path.relative_to(root).as_posix()
        relative = path.relative_to(root / folder)
        if path.name.startswith(".") or path.name == "README.md":
            continue
        if path.suffix == ".yml":
            problems.append(error(display, 1, 1, "file-name",
                                  f"rename to {path.stem}.yaml: entries use the .yaml extension"))
            continue
        if path.suffix != ".yaml":
            continue
        if len(relative.parts) != 2 or relative.parts[0] not in KIND_BY_FOLDER:
            folders = ", ".join(f"content/{name}/" for name in KIND_BY_FOLDER)
            problems.append(error(display, 1, 1, "wrong-folder",
                                  f"entries live directly in one of {folders}"))
            continue
        if cache is not None:
            stat = path.stat()
            stamp = (stat.st_size, stat.st_mtime_ns)
            hit = cache.get(display)
            if hit is None or hit[0] != stamp:
                entry, found = _read_entry(path, display, relative.parts[0])
                hit = (stamp, entry, found)
            seen[display] = hit
            entry, found = hit[1], hit[2]
        else:
            entry, found = _read_entry(path, display, relative.parts[0])
        problems += found
        if entry is not None:
            entries.append(entry)
    if cache is not None:
        cache.clear()
        cache.update(seen)
    return entries, problems


def _read_entry(path: Path, display: str, folder: str) -> tuple[Entry | None, list[Diagnostic]]:
    text, found = read_text(path, display)
    if text is None:
        return None, found
    document, more = parse_yaml(text, display)
    if document is None:
        return None, found + more
    return Entry(KIND_BY_FOLDER[folder].name, path.stem, document), found + more
