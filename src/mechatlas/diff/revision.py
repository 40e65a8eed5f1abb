"""The input files of the atlas at a git revision, written to a folder of our own.

Only what the pipeline reads is taken (``content/``, ``references.bib``, ``schemas/``), so
the revision is validated with its own schemas and the copy stays small and fast.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path, PurePosixPath

INPUTS = ("content", "references.bib", "schemas")
"""Paths below the repository root that ``load_project`` reads."""


class RevisionError(Exception):
    """A revision git does not know, or no git repository at all: a one-line message."""


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=root, capture_output=True, check=False)
    except FileNotFoundError as missing:
        raise RevisionError("git is not installed") from missing


def resolve(root: Path, revision: str) -> str:
    """The commit ``revision`` names, or ``RevisionError``."""
    if revision.startswith("-"):  # never let a revision be read as an option
        raise RevisionError(f"unknown revision '{revision}'")
    inside = _git(root, "rev-parse", "--is-inside-work-tree")
    if inside.returncode != 0:
        raise RevisionError(f"{root} is not in a git repository")
    found = _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options",
                 f"{revision}^{{commit}}")
    if found.returncode != 0:
        raise RevisionError(f"unknown revision '{revision}'")
    return found.stdout.decode().strip()


def materialise(root: Path, commit: str, target: Path) -> Path:
    """Write the atlas inputs of ``commit`` under ``target``; return ``target``.

    Paths are taken relative to ``root``, so a repository root below the top of the git
    work tree works too. A revision lacking some inputs yields a folder lacking them, and
    the pipeline reports that like any other problem.
    """
    listed = _git(root, "ls-tree", "--name-only", commit, "--", *INPUTS)
    present = [name for name in listed.stdout.decode().splitlines() if name]
    target.mkdir(parents=True, exist_ok=True)
    if not present:
        return target
    archive = _git(root, "archive", "--format=tar", commit, "--", *present)
    if archive.returncode != 0:
        message = archive.stderr.decode(errors="replace").strip().splitlines()
        raise RevisionError(message[0] if message else f"git archive {commit} failed")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        for member in tar:
            _write_member(tar, member, target)
    return target


def _write_member(tar: tarfile.TarFile, member: tarfile.TarInfo, target: Path) -> None:
    """Regular files only, and only below ``target``: links and odd names are not entries.

    Written by hand rather than with ``extractall(filter="data")``, which Python 3.11 has
    only from 3.11.4 on, and which would also restore modes and times nobody reads.
    """
    name = PurePosixPath(member.name)
    if not member.isfile() or name.is_absolute() or ".." in name.parts:
        return
    source = tar.extractfile(member)
    if source is None:
        return
    destination = target.joinpath(*name.parts)
    destination.parent.mkdir(parents=True, exist_ok=True)
    destination.write_bytes(source.read())
