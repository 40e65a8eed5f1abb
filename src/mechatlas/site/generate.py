"""From a repository to a staging docs folder, or to a list of problems.

This is the one entry point the MkDocs hook calls; it is also what tests and
the benchmark call, so the generator is measured without MkDocs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from mechatlas.diagnostics import Diagnostic
from mechatlas.pipeline import Project, load_project
from mechatlas.render.site import SiteRenderer
from mechatlas.site.exports import export_files
from mechatlas.site.staging import STAGING, hand_written, write_tree


@dataclass
class Generation:
    project: Project
    files: dict[str, str | bytes] = field(default_factory=dict)
    written: int = 0

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self.project.diagnostics


def render_files(root: Path) -> Generation:
    """Load, validate, model and render; no file is written."""
    project = load_project(root)
    generation = Generation(project)
    if not project.ok or project.atlas is None:
        return generation
    rendered = SiteRenderer(project.atlas, project.references, root / "docs_templates").render()
    files: dict[str, str | bytes] = dict(hand_written(root / "docs"))
    files.update(rendered.files)
    files.update(export_files(project))
    generation.files = files
    return generation


def generate(root: Path, staging: Path | None = None) -> Generation:
    """Render and write the staging folder, only when the input has no errors."""
    generation = render_files(root)
    if generation.project.ok:
        generation.written = write_tree(staging or root / STAGING, generation.files)
    return generation
