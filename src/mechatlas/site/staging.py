"""The staging docs folder the build owns: hand-written pages plus generated ones.

MkDocs and mkdocs-static-i18n then treat every page as an ordinary file (see
docs/decisions/0002-staging-folder.md). Only files whose bytes changed are
rewritten and stale ones removed, so ``mkdocs serve --dirty`` rebuilds just the
pages an edit touched, and the tree never depends on the order of past builds.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path

from mechatlas.settings import BuildSettings

STAGING = Path(".mechatlas-build") / "docs"
"""Relative to the repository root; ignored by git."""
CITATION_MEMO = "citations.json"
"""Formatted references remembered between builds, keyed by a digest of record and style."""
WATCHED = BuildSettings(Path()).watched
"""The default layout's inputs (``BuildSettings.watched`` is the one definition)."""


def fingerprint(root: Path, watched: Iterable[str] = WATCHED) -> str:
    """A hash of the names, sizes and modification times of every file under ``watched``
    (names relative to ``root``, or absolute).

    Walked with ``os.walk`` and plain strings (``Path.rglob`` and ``Path`` objects cost a
    tenth of a rebuild under ``mkdocs serve`` at 1,000 claims)."""
    digest = hashlib.sha256()
    for name in watched:
        base = os.path.join(root, name)
        if os.path.isfile(base):
            paths = [base]
        else:
            paths = []
            for folder, folders, files in os.walk(base):
                folders.sort()
                paths += sorted(os.path.join(folder, file) for file in files)
        for path in paths:
            try:
                stat = os.stat(path)
            except OSError:  # gone since the listing, or a dangling link
                continue
            digest.update(f"{os.path.relpath(path, root)}\0{stat.st_size}\0"
                          f"{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def hand_written(docs_dir: Path) -> dict[str, bytes]:
    """Pages and assets under ``docs/``, except engineering notes (decisions)."""
    files: dict[str, bytes] = {}
    if not docs_dir.is_dir():
        return files
    for path in sorted(docs_dir.rglob("*")):
        relative = path.relative_to(docs_dir).as_posix()
        # A symlink is never published: the pipeline reports it (load/files.py).
        if path.is_file() and not path.is_symlink() and not relative.startswith("decisions/"):
            files[relative] = path.read_bytes()
    return files


def write_tree(target: Path, files: Mapping[str, bytes | str]) -> int:
    """Make ``target`` hold exactly ``files``; returns how many files were written."""
    return sync_tree(target, files)[0]


Stamp = tuple[int, int]
"""A file's size and modification time (ns), as written."""


def sync_tree(target: Path, files: Mapping[str, bytes | str],
              known: Mapping[str, Stamp] | None = None) -> tuple[int, dict[str, Stamp]]:
    """Make ``target`` hold exactly ``files``, writing only files whose bytes changed.

    ``known`` names files the caller knows it wrote with these same contents last time, with
    the stamp they had then; one whose stamp is unchanged on disk is not read back to be
    compared. Returns how many files were written and every file's stamp now.
    """
    tree = StagingTree(target, known)
    for relative, content in files.items():
        tree.put(relative, content)
    return tree.finish()


class StagingTree:
    """A folder brought to hold exactly the files put into it, one file at a time.

    A single build hands over each page as soon as it is rendered and keeps none: at 10,000
    claims the pages of both languages are a third of the generator's memory. Only files whose
    bytes changed are written; ``finish`` removes the files nothing put. Nothing is created
    until the first ``put``.
    """

    def __init__(self, target: Path, known: Mapping[str, Stamp] | None = None) -> None:
        self.target = target
        self.known = known or {}
        self.written = 0
        self.stamps: dict[str, Stamp] = {}

    def put(self, relative: str, content: bytes | str) -> None:
        path = self.target / relative
        try:
            stat = path.stat()
            stamp: Stamp | None = (stat.st_size, stat.st_mtime_ns)
        except OSError:
            stamp = None
        if stamp is not None and self.known.get(relative) == stamp:
            self.stamps[relative] = stamp
            return
        data = content.encode("utf-8") if isinstance(content, str) else content
        if stamp is None or stamp[0] != len(data) or path.read_bytes() != data:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            self.written += 1
            stat = path.stat()
            stamp = (stat.st_size, stat.st_mtime_ns)
        self.stamps[relative] = stamp

    def finish(self) -> tuple[int, dict[str, Stamp]]:
        """Remove what was not put (and emptied folders); how many files were written, and
        every file's stamp."""
        self.target.mkdir(parents=True, exist_ok=True)
        wanted = {self.target / relative for relative in self.stamps}
        for dirpath, _dirnames, filenames in os.walk(self.target, topdown=False):
            for name in filenames:
                path = Path(dirpath) / name
                if path not in wanted:
                    path.unlink()
            if dirpath != str(self.target) and not os.listdir(dirpath):
                shutil.rmtree(dirpath)
        return self.written, self.stamps


def read_memo(path: Path) -> dict[str, str]:
    """A remembered mapping, or an empty one if it is missing or unreadable."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def write_memo(path: Path, memo: Mapping[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(dict(sorted(memo.items())), ensure_ascii=False), "utf-8")
