"""Walk ``content/`` and read every entry, keeping positions."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mechatlas.diagnostics import Diagnostic, error
from mechatlas.load.yaml_source import YamlDocument, parse_yaml, read_text
from mechatlas.model.kinds import KIND_BY_FOLDER


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


def load_content(root: Path) -> tuple[list[Entry], list[Diagnostic]]:
    """Parse every entry; files in the wrong place are reported, not skipped silently."""
    entries: list[Entry] = []
    problems: list[Diagnostic] = []
    for path in content_files(root / "content"):
        display = path.relative_to(root).as_posix()
        relative = path.relative_to(root / "content")
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
        text, found = read_text(path, display)
        problems += found
        if text is None:
            continue
        document, found = parse_yaml(text, display)
        problems += found
        if document is None:
            continue
        entries.append(Entry(KIND_BY_FOLDER[relative.parts[0]].name, path.stem, document))
    return entries, problems
