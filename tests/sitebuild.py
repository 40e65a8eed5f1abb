"""Helpers to build a repository's site with the real ``mkdocs`` command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def mkdocs_build(root: Path, site_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """``mkdocs build --strict`` at ``root`` into ``site_dir``, as a user runs it."""
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **env}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site_dir)],
        cwd=root, env=environment, capture_output=True, text=True, timeout=900,
    )


def tree_bytes(site_dir: Path) -> dict[str, bytes]:
    return {p.relative_to(site_dir).as_posix(): p.read_bytes()
            for p in sorted(site_dir.rglob("*")) if p.is_file()}
