"""The build core: one object that turns a repository into the generated docs tree, again
and again, doing only the work an edit calls for.

MkDocs (through the plugin), ``mechatlas check`` and ``mechatlas build`` all drive one
``BuildCore``; it holds every cache a long-running ``mkdocs serve`` needs, so nothing lives
at module level. Each page's reads are recorded while it renders (``tracking``); after an
edit, only the pages whose recorded answers changed are rendered again, and only files whose
bytes changed are written (docs/decisions/0015-build-core.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from mechatlas.diagnostics import Diagnostic
from mechatlas.model.kinds import LANGUAGES
from mechatlas.model.reads import ReadLog, RecordingDict, Token
from mechatlas.pipeline import LoadCache, Project, load_project
from mechatlas.settings import BuildSettings
from mechatlas.site.staging import (
    CITATION_MEMO,
    StagingTree,
    fingerprint,
    hand_written,
    read_memo,
    sync_tree,
    write_memo,
)
from mechatlas.site.tracking import Answers, RecordingAtlas
from mechatlas.validate.stored import CheckStore

if TYPE_CHECKING:
    from jinja2 import Environment

EXPORTS = "(exports)"
"""The unit that writes the open-data files (``data/atlas.json``…)."""


@dataclass
class Update:
    """What one call of the core produced."""

    project: Project
    files: dict[str, str | bytes] = field(default_factory=dict)
    """Every generated file, unless they were handed over one by one (``BuildCore.render``)."""
    count: int = 0
    """How many files the generated tree holds."""
    rendered: set[str] = field(default_factory=set)
    """Units rendered this time: page paths (``en/therapies/x.md``) and ``(exports)``."""
    written: int = 0
    changed_reads: set[Token] = field(default_factory=set)
    """Recorded reads whose answers this update found changed: why pages were rendered."""
    skipped: bool = False
    """True when no input had changed since the last update, so nothing was done."""

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self.project.diagnostics


class BuildCore:
    """Load → validate → model → render → staging tree, incrementally."""

    def __init__(self, settings: BuildSettings, release_date: Callable[[Path], str] | None = None,
                 *, incremental: bool = True) -> None:
        """``incremental=False`` for a single build: pages' reads are not recorded, which saves
        the recording's time and memory when no later update will use them."""
        from mechatlas.site.generate import release_date as commit_date

        self.settings = settings
        self._release_date = release_date or commit_date
        self.incremental = incremental
        self._load_cache = LoadCache()
        self._memo: dict[str, str] | None = None
        self._traces: dict[str, frozenset[Token]] = {}
        self._answers: dict[Token, str] = {}
        self._outputs: dict[str, str] = {}
        self._exports: dict[str, str] = {}
        self._context: tuple[str, ...] = ()
        self._stamp = ""
        self._written: dict[str, tuple[int, int]] = {}
        self._objects: dict[int, tuple[object, str]] = {}
        self._pretty: dict[str, str] = {}
        self._last_written: dict[str, str | bytes] = {}
        self.last: Update | None = None
        self._log = ReadLog()
        self._env: Environment | None = None

    # --- the three uses -----------------------------------------------------------------
    def check(self, *, build_model: bool = False, stored: bool = False) -> Project:
        """Load and validate, as ``mechatlas check`` does (parses only files that changed);
        ``stored``: answer for files unchanged since the last check from its store on disk."""
        store = (CheckStore(self.settings.work_dir, self.settings.schema_dir)
                 if stored and not build_model else None)
        return load_project(self.settings.root, build_model=build_model,
                            settings=self.settings,
                            cache=self._load_cache if self.incremental else None, store=store)

    def render(self, sink: Callable[[str, str | bytes], None] | None = None) -> Update:
        """Bring the generated files up to date in memory (``Update.files``); nothing is written.

        With a ``sink`` (a single build), each file goes to it as soon as it is made and none
        is kept, and the parsed entries are let go once the model is built: the pages are a
        third, the entries' positions a tenth of the memory at 10,000 claims."""
        project = self.check(build_model=True)
        update = Update(project)
        if not project.ok or project.atlas is None:
            return update
        if sink is not None and not self.incremental:
            for entry in project.entries:
                entry.document.release_positions()
        put = update.files.__setitem__ if sink is None else sink

        def keep(path: str, content: str | bytes) -> None:
            put(path, content)
            update.count += 1
        settings = self.settings
        for path, data in hand_written(settings.docs_dir).items():
            keep(path, data)  # first: a generated file of the same path replaces it
        context = (settings.site_url, self._release_date(settings.root))
        if context != self._context:  # a new site URL or release date shows on every page
            self._traces, self._answers, self._context = {}, {}, context
        # The renderer's modules (Jinja, citeproc) are imported here, not by `mechatlas check`.
        from mechatlas.render.citestyle import CitationStyles
        from mechatlas.render.environment import make_environment
        from mechatlas.render.reference_titles import with_translated_titles
        from mechatlas.render.site import SiteRenderer, record_templates
        from mechatlas.site.exports import export_files

        if self._env is None:
            # One template environment for the session: Jinja recompiles a template only when
            # its file changed (auto_reload), so a template edit is seen without a restart.
            self._env = make_environment(self.settings.template_dir,
                                         auto_reload=self.incremental)
            record_templates(self._env, self._log)
        if self._memo is None:
            self._memo = read_memo(self.memo_path)
        styles = CitationStyles(self._memo)
        ordered = [project.references[k] for k in sorted(project.references)]
        formatted = {lang: with_translated_titles(styles.format_all(ordered, lang),
                                                  project.references, lang)
                     for lang in LANGUAGES}
        live = {id(o): o for o in (*project.atlas.entities.values(), *project.atlas.claims.values(),
                                   *project.atlas.facts.values(), *project.references.values())}
        self._objects = {k: v for k, v in self._objects.items() if live.get(k) is v[0]}
        answers = Answers(project.atlas, project.references, formatted, settings.template_dir,
                          settings.root, self._objects)
        stale: set[Token] = set()
        for token, digest in self._answers.items():
            now = answers.digest(token)
            if now != digest:
                stale.add(token)
                self._answers[token] = now

        update.changed_reads = stale
        log = self._log
        atlas = RecordingAtlas.wrap(project.atlas, log) if self.incremental else project.atlas
        references = (RecordingDict(project.references, ("ref",), ("refs",), log)
                      if self.incremental else project.references)
        renderer = SiteRenderer(atlas, references, settings.template_dir, styles,
                                site_url=settings.site_url, release_date=context[1],
                                reads=log if self.incremental else None,
                                environment=self._env)
        traces: dict[str, frozenset[Token]] = {}
        outputs: dict[str, str] = {}

        def fresh(unit: str) -> bool:
            trace = self._traces.get(unit)
            return trace is not None and not (trace & stale)

        for lang in LANGUAGES:
            site = renderer.site_data(lang)
            for path, make in renderer.page_makers(site):
                unit = f"{lang}/{path}"
                if fresh(unit) and unit in self._outputs:
                    outputs[unit], traces[unit] = self._outputs[unit], self._traces[unit]
                    continue
                update.rendered.add(unit)
                if not self.incremental:
                    keep(unit, make())
                    continue
                with log.scope() as reads:
                    log.read(("template", f"strings/{lang}.yaml"))
                    outputs[unit] = make()
                traces[unit] = frozenset(reads)
                self._remember(reads, answers)
        if not fresh(EXPORTS) or not self._exports:
            with log.scope() as reads:
                log.read(("file", f"{settings.schemas}/atlas.schema.json"))
                exports = export_files(replace(project, atlas=atlas, references=references),
                                       settings.schema_dir, self._pretty)
            traces[EXPORTS] = frozenset(reads)
            update.rendered.add(EXPORTS)
            if self.incremental:
                self._exports = exports
                self._remember(reads, answers)
        else:
            exports, traces[EXPORTS] = self._exports, self._traces[EXPORTS]

        if self.incremental:
            self._traces, self._outputs = traces, outputs
            if len(self._answers) > 2 * sum(len(t) for t in traces.values()):
                # Forget the answers no page reads any more (pages removed or rewritten).
                wanted = set().union(*traces.values())
                self._answers = {t: d for t, d in self._answers.items() if t in wanted}
        for files in (outputs, exports):
            for path, content in files.items():
                keep(path, content)
        return update

    def generate(self, *, force: bool = False) -> Update:
        """Render and write the staging folder, only when the input has no errors; an update
        whose inputs (names, sizes, mtimes) are unchanged since the last one does nothing."""
        stamp = fingerprint(self.settings.root, self.settings.watched)
        if not force and self.last is not None and stamp == self._stamp \
                and self.settings.staging_dir.is_dir():
            return replace(self.last, rendered=set(), written=0, skipped=True)
        target = self.settings.staging_dir
        if self.incremental:
            update = self.render()
            if update.project.ok:
                known = {path: stamp for path, stamp in self._written.items()
                         if self._last_written.get(path) is update.files.get(path)}
                update.written, self._written = sync_tree(target, update.files, known)
                self._last_written = dict(update.files)
        else:  # a single build keeps nothing of the pages: MkDocs needs the memory next
            tree = StagingTree(target)
            update = self.render(sink=tree.put)
            if update.project.ok:
                update.written = tree.finish()[0]
        if not update.project.ok:
            self._stamp = ""
            return update
        assert self._memo is not None
        write_memo(self.memo_path, self._memo)
        self._stamp = stamp
        self.last = update if self.incremental else replace(update, files={}, project=Project(
            update.project.root, diagnostics=update.project.diagnostics))
        return update

    def _remember(self, reads: set[Token], answers: Answers) -> None:
        """Store the current answer of every read a page just made (few are new)."""
        known = self._answers
        for token in reads:
            if token not in known:
                known[token] = answers.digest(token)

    def use_memo(self, memo: dict[str, str]) -> None:
        """Format references through this memo (filled in place) instead of the stored one."""
        self._memo = memo

    @property
    def memo_path(self) -> Path:
        return self.settings.work_dir / CITATION_MEMO
