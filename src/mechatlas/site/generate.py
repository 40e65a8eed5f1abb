"""From a repository to a staging docs folder, or to a list of problems.

This is the one entry point the MkDocs hook calls; it is also what tests and
the benchmark call, so the generator is measured without MkDocs.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from mechatlas.diagnostics import Diagnostic
from mechatlas.pipeline import Project, load_project
from mechatlas.render.citestyle import CitationStyles
from mechatlas.render.site import SiteRenderer
from mechatlas.site.exports import export_files
from mechatlas.site.staging import (
    CITATION_MEMO,
    STAGING,
    hand_written,
    read_memo,
    write_memo,
    write_tree,
)


@dataclass
class Generation:
    project: Project
    files: dict[str, str | bytes] = field(default_factory=dict)
    written: int = 0

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self.project.diagnostics


def render_files(root: Path, site_url: str = "",
                 memo: dict[str, str] | None = None) -> Generation:
    """Load, validate, model and render; no file is written."""
    project = load_project(root)
    generation = Generation(project)
    if not project.ok or project.atlas is None:
        return generation
    rendered = SiteRenderer(project.atlas, project.references, root / "docs_templates",
                            CitationStyles(memo), site_url=site_url,
                            release_date=release_date(root)).render()
    files: dict[str, str | bytes] = dict(hand_written(root / "docs"))
    files.update(rendered.files)
    files.update(export_files(project))
    generation.files = files
    return generation


def release_date(root: Path) -> str:
    """The date the site states for "how to cite": ``SOURCE_DATE_EPOCH`` when set (reproducible
    builds), else the date of the last commit; never the wall clock, so builds repeat."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).date().isoformat()
    try:
        result = subprocess.run(["git", "log", "-1", "--format=%cs"], cwd=root,
                                capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


def source_epoch(root: Path) -> int | None:
    """The time a build states when none is given: the last commit's (None outside git).

    Set as ``SOURCE_DATE_EPOCH`` before MkDocs dates the sitemap, so that two builds of the same
    commit are byte-identical on any day and in any time zone.
    """
    try:
        result = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=root,
                                capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    stamp = result.stdout.strip()
    return int(stamp) if result.returncode == 0 and stamp.isdigit() else None


def generate(root: Path, staging: Path | None = None, site_url: str = "") -> Generation:
    """Render and write the staging folder, only when the input has no errors."""
    target = staging or root / STAGING
    memo_path = target.parent / CITATION_MEMO
    memo = read_memo(memo_path)
    generation = render_files(root, site_url, memo)
    if generation.project.ok:
        write_memo(memo_path, memo)
        generation.written = write_tree(target, generation.files)
    return generation
