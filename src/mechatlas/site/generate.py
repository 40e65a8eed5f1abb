"""From a repository to a staging docs folder, or to a list of problems.

This is the one entry point the MkDocs hook calls; it is also what tests and
the benchmark call, so the generator is measured without MkDocs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from mechatlas.diagnostics import Diagnostic
from mechatlas.pipeline import Project, load_project
from mechatlas.render.site import SiteRenderer
from mechatlas.site.exports import export_files
from mechatlas.site.staging import SEARCH_WORDS, STAGING, hand_written, write_tree


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


_HAN_RUN = re.compile(r"[\u3400-\u9fff]+")


def render_files(root: Path, site_url: str = "") -> Generation:
    """Load, validate, model and render; no file is written."""
    project = load_project(root)
    generation = Generation(project)
    if not project.ok or project.atlas is None:
        return generation
    rendered = SiteRenderer(project.atlas, project.references, root / "docs_templates",
                            site_url=site_url).render()
    files: dict[str, str | bytes] = dict(hand_written(root / "docs"))
    files.update(rendered.files)
    files.update(export_files(project))
    generation.files = files
    generation.search_words = search_dictionary(project)
    return generation


def search_dictionary(project: Project) -> str:
    """One word a line, jieba's format: ``雷帕霉素 100000 n`` finds the page as one word."""
    atlas = project.atlas
    assert atlas is not None
    words: set[str] = set()
    for entity in atlas.entities.values():
        for term in (entity.name.zh or "", *entity.aliases):
            for part in _HAN_RUN.findall(term):
                if len(part) >= 2:
                    words.add(part)
    return "".join(f"{word} 100000 n\n" for word in sorted(words))


def generate(root: Path, staging: Path | None = None, site_url: str = "") -> Generation:
    """Render and write the staging folder, only when the input has no errors."""
    generation = render_files(root, site_url)
    if generation.project.ok:
        target = staging or root / STAGING
        generation.written = write_tree(target, generation.files)
        (target.parent / SEARCH_WORDS).write_text(generation.search_words, encoding="utf-8")
    return generation
