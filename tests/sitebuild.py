"""Helpers to build a repository's site with the real ``mkdocs`` command."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from mechatlas.site.staging import WATCHED

REPO = Path(__file__).resolve().parent.parent
INPUTS = (*WATCHED, "mkdocs.yml")
"""What a build reads from a repository (the generator's watched inputs and the MkDocs
configuration): copies hold these and nothing else."""
PAST_EPOCH = 1262347200  # 2010-01-01T12:00:00Z
MACHINE_A = {"PYTHONHASHSEED": "1", "TZ": "UTC", "LC_ALL": "C", "LANG": "C",
             "SOURCE_DATE_EPOCH": str(PAST_EPOCH)}
"""The environment of the shared real-site build; the determinism test varies all of it."""


def build_command(site_dir: Path, *, inherit: bool = True, strict: bool = True,
                  **env: str) -> tuple[list[str], dict[str, str]]:
    """The ``mkdocs build`` command line into ``site_dir`` and its environment.

    ``strict=False`` only for input that must build despite its warnings (the injection
    fixture, whose payloads the loader rightly warns about).

    With ``inherit=False`` the variables that could change the output (hash seed, time
    zone, locale, SOURCE_DATE_EPOCH) come only from ``env``.
    """
    environment = dict(os.environ) if inherit else {
        k: v for k, v in os.environ.items()
        if k not in ("SOURCE_DATE_EPOCH", "PYTHONHASHSEED", "TZ", "LC_ALL", "LANG")}
    environment |= {"NO_MKDOCS_2_WARNING": "1", **env}
    argv = [sys.executable, "-m", "mkdocs", "build", "--strict" if strict else "--no-strict",
            "-d", str(site_dir)]
    return argv, environment


def mkdocs_build(root: Path, site_dir: Path, *, inherit: bool = True, strict: bool = True,
                 **env: str) -> subprocess.CompletedProcess[str]:
    """``mkdocs build --strict`` at ``root`` into ``site_dir``, as a user runs it (see
    ``build_command``)."""
    argv, environment = build_command(site_dir, inherit=inherit, strict=strict, **env)
    return subprocess.run(argv, cwd=root, env=environment, capture_output=True, text=True,
                          timeout=900)


def repository_files() -> list[Path]:
    files: list[Path] = []
    for name in INPUTS:
        path = REPO / name
        candidates = [path] if path.is_file() else path.rglob("*")
        files += [p for p in candidates if p.is_file() and "__pycache__" not in p.parts]
    return sorted(files)


def copy_inputs(target: Path, *, reverse: bool = False, mtime: float | None = None) -> Path:
    """The build inputs of the real repository, files created in (reverse) sorted order."""
    files = repository_files()
    for source in reversed(files) if reverse else files:
        destination = target / source.relative_to(REPO)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
        if mtime is not None:
            os.utime(destination, (mtime, mtime))
    return target


def tree_bytes(site_dir: Path) -> dict[str, bytes]:
    return {p.relative_to(site_dir).as_posix(): p.read_bytes()
            for p in sorted(site_dir.rglob("*")) if p.is_file()}
