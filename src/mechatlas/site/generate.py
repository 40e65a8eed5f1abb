"""From a repository to a staging docs folder, or to a list of problems.

This is the one entry point the MkDocs hook calls; it is also what tests and
the benchmark call, so the generator is measured without MkDocs.
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from mechatlas.diagnostics import Diagnostic
from mechatlas.model.han import HAN_RUN
from mechatlas.pipeline import Project, load_project
from mechatlas.render.citestyle import CitationStyles
from mechatlas.render.site import SiteRenderer
from mechatlas.site.exports import export_files
from mechatlas.site.search_terms import NAMES_FILE, SYNONYMS_FILE, entity_names, load_synonyms
from mechatlas.site.staging import (
    CITATION_MEMO,
    SEARCH_WORDS,
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
    search_words: str = ""
    """A jieba user dictionary: Chinese names and aliases kept whole by search segmentation."""

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self.project.diagnostics


_HAN_RUN = HAN_RUN


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
    generation.search_words = search_dictionary(project)
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


def search_dictionary(project: Project) -> str:
    """One word a line, jieba's format: ``雷帕霉素 100000 n`` finds the page as one word.

    Entity names, aliases and the Chinese terms of the search synonyms (不良反应, 副作用).
    """
    atlas = project.atlas
    assert atlas is not None
    words: set[str] = set()
    synonyms = [t for group in load_synonyms(project.root / SYNONYMS_FILE) for t in group]
    for entity in atlas.entities.values():
        for term in (entity.name.zh or "", *entity.aliases, *synonyms):
            for part in _HAN_RUN.findall(term):
                if len(part) >= 2:
                    words.add(part)
    return "".join(f"{word} 100000 n\n" for word in sorted(words))


def generate(root: Path, staging: Path | None = None, site_url: str = "") -> Generation:
    """Render and write the staging folder, only when the input has no errors."""
    target = staging or root / STAGING
    memo_path = target.parent / CITATION_MEMO
    memo = read_memo(memo_path)
    generation = render_files(root, site_url, memo)
    if generation.project.ok:
        write_memo(memo_path, memo)
        generation.written = write_tree(target, generation.files)
        (target.parent / SEARCH_WORDS).write_text(generation.search_words, encoding="utf-8")
        assert generation.project.atlas is not None
        (target.parent / NAMES_FILE).write_text(
            json.dumps(entity_names(generation.project.atlas), ensure_ascii=False, indent=0),
            encoding="utf-8")
    return generation
