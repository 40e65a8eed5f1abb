"""One-shot generation, for tests, the benchmark and scripts: a fresh ``BuildCore`` each call.

Long-running callers (the MkDocs plugin under ``mkdocs serve``) keep one core instead, so
that an edit re-renders only what it touches.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from mechatlas.settings import BuildSettings
from mechatlas.site.core import BuildCore, Update

Generation = Update
"""The result of one generation (kept under its old name for callers and tests)."""


def render_files(root: Path, site_url: str = "",
                 memo: dict[str, str] | None = None) -> Generation:
    """Load, validate, model and render once, from nothing; no file is written."""
    core = BuildCore(settings_for(root, site_url), incremental=False)
    if memo is not None:
        core.use_memo(memo)
    return core.render()


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
    """Render and write the staging folder once, only when the input has no errors."""
    settings = settings_for(root, site_url)
    if staging is not None:
        settings = replace(settings, staging=os.path.relpath(staging, settings.root))
    return BuildCore(settings, incremental=False).generate(force=True)


def settings_for(root: Path, site_url: str = "") -> BuildSettings:
    """The repository's paths (``mkdocs.yml``'s ``mechatlas`` options, else the defaults), with
    ``site_url`` as given: one-shot callers render without the deployed address."""
    from mechatlas.site.config_file import read_settings

    settings, _problems = read_settings(root.resolve())
    return replace(settings, site_url=site_url)
