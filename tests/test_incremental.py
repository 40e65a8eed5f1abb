"""The build core re-renders exactly the pages an edit touches, and ends where a clean build does.

Each test copies the real repository, brings one long-lived ``BuildCore`` up to date, edits one
input (an entry, a reference, a template, a schema), updates again and compares every generated
file, in memory and in the staging folder on disk, with a clean build of the edited input.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mechatlas.settings import BuildSettings
from mechatlas.site.config_file import read_settings
from mechatlas.site.core import EXPORTS, BuildCore, Update

REPO = Path(__file__).resolve().parent.parent
INPUTS = ("content", "references.bib", "schemas", "docs_templates", "docs", "mkdocs.yml")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    for name in INPUTS:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            shutil.copy(source, root / name)
    return root


@pytest.fixture
def core(repo: Path) -> BuildCore:
    settings, problems = read_settings(repo)
    assert not problems
    core = BuildCore(settings)
    first = core.generate()
    assert first.project.ok, first.diagnostics[:3]
    return core


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def on_disk(staging: Path) -> dict[str, bytes]:
    return {p.relative_to(staging).as_posix(): p.read_bytes()
            for p in sorted(staging.rglob("*")) if p.is_file()}


def as_bytes(files: dict[str, str | bytes]) -> dict[str, bytes]:
    return {k: v.encode("utf-8") if isinstance(v, str) else v for k, v in files.items()}


def assert_equals_clean_build(core: BuildCore, update: Update) -> dict[str, str | bytes]:
    clean = BuildCore(core.settings, incremental=False).render()  # a one-shot build
    assert clean.project.ok
    assert update.files.keys() == clean.files.keys()
    differing = sorted(k for k in clean.files if clean.files[k] != update.files[k])
    assert differing == []
    assert on_disk(core.settings.staging_dir) == as_bytes(clean.files)
    return clean.files


def changed_pages(before: dict[str, str | bytes], after: dict[str, str | bytes]) -> set[str]:
    return {k for k in after.keys() | before.keys() if before.get(k) != after.get(k)}


def pages(update: Update) -> set[str]:
    return update.rendered - {EXPORTS}


def test_entry_edit_renders_its_dependants_only_and_equals_a_clean_build(core: BuildCore) -> None:
    before = dict(core.last.files) if core.last else {}
    traces = dict(core._traces)
    edit(core.settings.content_dir / "therapies" / "ketogenic-diet.yaml",
         "regarded as one of the key", "regarded as one of the main")
    update = core.generate()
    after = assert_equals_clean_build(core, update)
    changed = changed_pages(before, after)
    assert "en/therapies/ketogenic-diet.md" in changed
    assert changed <= update.rendered | {"references.bib", "data/atlas.json", "data/claims.csv"}
    # Exactly the pages whose recorded reads include an answer the edit changed.
    assert pages(update) == {u for u, t in traces.items() if t & update.changed_reads} - {EXPORTS}
    assert ("entity", "ketogenic-diet") in update.changed_reads
    # A page that never reads the ketogenic diet's entry is neither rendered nor written.
    assert "en/pathways/serotonin.md" not in update.rendered
    assert len(pages(update)) < len([k for k in after if k.endswith(".md")]) / 3
    assert update.written == len(changed)


def test_reference_edit_renders_the_pages_citing_it(core: BuildCore) -> None:
    before = dict(core.last.files) if core.last else {}
    edit(core.settings.bibliography_file, "难治性癫痫相关发病机制及研究进展",
         "难治性癫痫的发病机制及研究进展")
    update = core.generate()
    after = assert_equals_clean_build(core, update)
    changed = changed_pages(before, after)
    assert "en/references/index.md" in changed
    assert changed - {"references.bib", "data/atlas.json", "data/references.json"} \
        <= update.rendered
    assert any(read[0] in ("ref", "formatted") for read in update.changed_reads)
    untouched = {k for k in after if k.endswith(".md")} - update.rendered
    assert "en/methods/index.md" in untouched


def test_template_edit_renders_the_pages_using_it_without_a_restart(core: BuildCore) -> None:
    traces = dict(core._traces)
    partial = core.settings.template_dir / "partials" / "backlinks.md.j2"
    edit(partial, '<div class="ma-links">', '<div class="ma-links" data-edited="yes">')
    update = core.generate()
    after = assert_equals_clean_build(core, update)
    using = {u for u, t in traces.items() if ("template", "partials/backlinks.md.j2") in t}
    assert pages(update) == using
    assert any('data-edited="yes"' in str(after[u]) for u in using)
    assert "en/index.md" not in update.rendered


def test_a_sequence_of_edits_ends_where_a_clean_build_does(core: BuildCore) -> None:
    content = core.settings.content_dir
    kd = content / "therapies" / "ketogenic-diet.yaml"
    edit(kd, "regarded as one of the key", "regarded as one of the main")
    core.generate()
    # a new claim, copied from an existing one under a new id
    source = next(iter(sorted((content / "claims").glob("kd-*.yaml"))))
    copy = content / "claims" / "kd-copy-for-the-test.yaml"
    copy.write_text(source.read_text("utf-8").replace(f"id: {source.stem}",
                                                      "id: kd-copy-for-the-test"), "utf-8")
    added = core.generate()
    assert added.project.ok, added.diagnostics[:3]
    assert_equals_clean_build(core, added)
    copy.unlink()
    removed = core.generate()
    assert_equals_clean_build(core, removed)
    edit(kd, "regarded as one of the main", "regarded as one of the key")
    back = core.generate()
    assert_equals_clean_build(core, back)


def test_a_single_build_streams_the_tree_a_clean_build_holds(core: BuildCore) -> None:
    """A one-shot build hands each page to the staging folder as it renders it and keeps
    none; the folder ends as a clean build's files, rewriting only what changed."""
    staging = core.settings.staging_dir
    (staging / "en" / "stale.md").write_text("# left over\n", "utf-8")
    before = on_disk(staging)
    edit(core.settings.content_dir / "therapies" / "ketogenic-diet.yaml",
         "regarded as one of the key", "regarded as one of the main")
    single = BuildCore(core.settings, incremental=False).generate(force=True)
    assert single.project.ok and single.files == {}
    clean = BuildCore(core.settings, incremental=False).render()
    assert single.count == len(clean.files)
    after = on_disk(staging)
    assert after == as_bytes(clean.files)
    rewritten = {k for k in after if before.get(k) != after[k]}
    assert single.written == len(rewritten) and 0 < len(rewritten) < len(after) // 4


def test_schema_edit_is_seen_without_a_restart(core: BuildCore) -> None:
    schema = core.settings.schema_dir / "therapy.schema.json"
    original = schema.read_text("utf-8")
    edit(schema, '"required": [', '"required": [\n    "no_such_field",')
    broken = core.generate()
    assert not broken.project.ok
    assert any("no_such_field" in d.message for d in broken.diagnostics)
    staged = on_disk(core.settings.staging_dir)
    schema.write_text(original, "utf-8")
    fixed = core.generate()
    assert fixed.project.ok
    assert on_disk(core.settings.staging_dir) == staged  # nothing was written while broken


def test_an_unchanged_input_is_not_rendered_again(core: BuildCore) -> None:
    assert core.generate().skipped
    entry = core.settings.content_dir / "therapies" / "ketogenic-diet.yaml"
    entry.write_text(entry.read_text("utf-8"), "utf-8")  # same bytes, new mtime
    update = core.generate()
    assert not update.skipped and update.rendered == set() and update.written == 0


def test_settings_come_from_the_plugin_options(repo: Path) -> None:
    (repo / "content").rename(repo / "entries")
    config = repo / "mkdocs.yml"
    edit(config, "      content: content", "      content: entries")
    settings, problems = read_settings(repo)
    assert problems == []
    assert settings.content == "entries" and settings.staging == ".mechatlas-build/docs"
    assert settings.edit_url.endswith("/edit/main/")
    project = BuildCore(settings).check()
    assert project.ok and project.entries
    assert all(e.path.startswith("entries/") for e in project.entries)


def test_a_wrong_plugin_option_is_a_located_error(repo: Path) -> None:
    config = repo / "mkdocs.yml"
    edit(config, "      content: content", "      content: [content]")
    settings, problems = read_settings(repo)
    assert settings == BuildSettings(repo)
    assert len(problems) == 1
    line = config.read_text("utf-8").splitlines()[problems[0].line - 1]
    assert problems[0].path == "mkdocs.yml" and "mechatlas" in line
    assert "content" in problems[0].message


def test_reused_record_json_is_byte_identical_to_the_whole_document_encoded() -> None:
    from mechatlas.pipeline import load_project
    from mechatlas.site.exports import _json, atlas_document, document_json

    project = load_project(REPO)
    assert project.atlas is not None
    document = atlas_document(project.atlas, project)
    memory: dict[str, str] = {}
    assert document_json(document, memory) == _json(document)
    assert memory  # records were remembered, and are reused the second time
    assert document_json(document, memory) == _json(document)
    odd = {"a": [], "b": 1, "c": [{"x": [1, {"y": "雷帕霉素"}]}, {}], "d": {"e": None}}
    assert document_json(odd, {}) == _json(odd)


GENE_TEXT = "A gene of the [[test-pathway]]."


def test_a_long_session_reports_what_a_fresh_check_reports(mini_repo: Path) -> None:
    """The cross-entry results a session keeps (links, wording, evidence rules) follow every
    edit, including a broken link's suggestion, which prefers an entity nothing refers to: it
    changes when another entry starts referring to that entity."""
    from mechatlas.diagnostics import format_plain
    from mechatlas.pipeline import load_project

    settings, problems = read_settings(mini_repo)
    assert not problems
    core = BuildCore(settings)
    content = mini_repo / "content"
    pathway, gene = content / "pathways" / "test-pathway.yaml", content / "genes" / "test-gene.yaml"
    twin = content / "therapies" / "test-dyet.yaml"
    steps = [
        lambda: twin.write_text((content / "therapies" / "test-diet.yaml").read_text("utf-8")
                                .replace("id: test-diet", "id: test-dyet"), encoding="utf-8"),
        lambda: edit(pathway, "An energy-sensing pathway.",
                     "An energy-sensing [[test-diat]] pathway."),
        lambda: edit(gene, GENE_TEXT, f"{GENE_TEXT[:-1]} [[test-dyet]]."),
        lambda: edit(gene, f"{GENE_TEXT[:-1]} [[test-dyet]].", GENE_TEXT),
        lambda: edit(pathway, "[[test-diat]] ", ""),
        lambda: twin.unlink(),
    ]
    seen = []
    for step in [None, *steps]:
        if step is not None:
            step()
        kept = [format_plain(d) for d in core.check().diagnostics]
        assert kept == [format_plain(d) for d in load_project(mini_repo).diagnostics]
        seen.append(kept)
    assert seen[2] != seen[3] and seen[2] == seen[4]  # the suggestion moved, and back
    assert seen[-1] == seen[0]


def test_a_recording_view_hands_out_recorded_entities_from_indexes_built_before_it() -> None:
    """Indexes the plain atlas built on first use are not shared with the recording view, whose
    entities record their reads: otherwise a page's read of a source's summary would escape."""
    from mechatlas.model.reads import ReadLog
    from mechatlas.pipeline import load_project
    from mechatlas.site.tracking import RecordedEntity, RecordingAtlas

    atlas = load_project(REPO).atlas
    assert atlas is not None
    whole = next(e.id for e in atlas.entities.values() if atlas.parts_of(e.id))
    assert atlas.sources_by_cite() and atlas.parts_of(whole)  # built on the plain atlas first
    log = ReadLog()
    recording = RecordingAtlas.wrap(atlas, log)
    handed = [*recording.sources_by_cite().values(), *recording.parts_of(whole)]
    assert handed and all(isinstance(e, RecordedEntity) for e in handed)
    with log.scope() as reads:
        str(handed[0].summary)
    assert any(token[:2] == ("entity", handed[0].id) for token in reads)
