"""``mechatlas diff REV``: load both revisions through the same pipeline, compare, report."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from mechatlas.diff.compare import compare_projects
from mechatlas.diff.report import write_report
from mechatlas.diff.revision import materialise, resolve
from mechatlas.pipeline import load_project


@dataclass(frozen=True)
class DiffResult:
    report: str
    working_tree_loads: bool


def diff_against(root: Path, revision: str, fmt: str = "markdown") -> DiffResult:
    """The report from ``revision`` to the working tree at ``root``.

    Raises ``RevisionError`` for a revision git does not know; a revision whose content is
    invalid is compared as far as it can be, and the report says so.
    """
    root = root.resolve()
    commit = resolve(root, revision)
    with tempfile.TemporaryDirectory(prefix="mechatlas-diff-") as folder:
        old = load_project(materialise(root, commit, Path(folder)))
    new = load_project(root)
    diff = compare_projects(old, new, revision, root / "docs_templates")
    return DiffResult(write_report(diff, root / "docs_templates", fmt), new.ok)
