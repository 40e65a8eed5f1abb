"""Where the build reads and writes: the one set of paths and names every command shares.

The values come from the ``mechatlas`` plugin's options in ``mkdocs.yml``
(``mechatlas.site.config_file``); this module holds only the resolved result, with no
MkDocs import, so the loader and the renderer can take it without depending on an engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DEFAULT_CONTENT = "content"
DEFAULT_BIBLIOGRAPHY = "references.bib"
DEFAULT_SCHEMAS = "schemas"
DEFAULT_TEMPLATES = "docs_templates"
DEFAULT_DOCS = "docs"
DEFAULT_STAGING = ".mechatlas-build/docs"
DEFAULT_SYNONYMS = "search-synonyms.yaml"


@dataclass(frozen=True)
class BuildSettings:
    """Paths relative to ``root`` (as contributors see them in messages), and the edit URL."""

    root: Path
    content: str = DEFAULT_CONTENT
    bibliography: str = DEFAULT_BIBLIOGRAPHY
    schemas: str = DEFAULT_SCHEMAS
    templates: str = DEFAULT_TEMPLATES
    docs: str = DEFAULT_DOCS
    staging: str = DEFAULT_STAGING
    work: str = str(Path(DEFAULT_STAGING).parent)
    """The build's own files (citation memo, search words): beside the configured staging
    folder, and kept there when a command writes the tree elsewhere (``build --out``)."""
    edit_url: str = ""
    """Prefix of an entry's edit link (``https://github.com/o/r/edit/main/``); empty: none."""
    site_url: str = ""
    synonyms: str = DEFAULT_SYNONYMS
    """The bilingual search synonym groups ("adverse effects / 不良反应 / 副作用")."""

    def path(self, name: str) -> Path:
        return self.root / name

    @property
    def content_dir(self) -> Path:
        return self.root / self.content

    @property
    def bibliography_file(self) -> Path:
        return self.root / self.bibliography

    @property
    def schema_dir(self) -> Path:
        return self.root / self.schemas

    @property
    def template_dir(self) -> Path:
        return self.root / self.templates

    @property
    def docs_dir(self) -> Path:
        return self.root / self.docs

    @property
    def staging_dir(self) -> Path:
        return self.root / self.staging

    @property
    def work_dir(self) -> Path:
        return self.root / self.work

    @property
    def watched(self) -> tuple[str, ...]:
        """The inputs whose edits change the generated tree (``mkdocs serve`` watches them)."""
        return (self.content, self.docs, self.templates, self.schemas, self.bibliography,
                self.synonyms)
