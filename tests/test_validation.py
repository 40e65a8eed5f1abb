"""Each contributor mistake gives one diagnostic at the right place, and a valid repo none."""

from pathlib import Path

import pytest

from mechatlas.pipeline import load_project


def problems(root: Path) -> list[str]:
    return [str(d) for d in load_project(root).diagnostics]


def test_valid_repository_has_no_problems(mini_repo):
    project = load_project(mini_repo)
    assert project.diagnostics == []
    assert project.atlas is not None
    assert sorted(project.atlas.claims) == ["test-diet-inhibits-test-pathway"]


def test_unknown_field_suggests_the_nearest_valid_field(mini_repo, write):
    write("content/methods/test-method.yaml",
          "id: test-method\nname: {en: M, zh: 甲}\nsumary: {en: S, zh: 乙}\n"
          "summary: {en: S, zh: 乙}\n")
    assert problems(mini_repo) == [
        "content/methods/test-method.yaml:3:1: unknown-field: unknown field 'sumary'; "
        "did you mean 'summary'?"
    ]


def test_wrong_enum_value_suggests_the_nearest(mini_repo):
    path = mini_repo / "content/claims/test-diet-inhibits-test-pathway.yaml"
    path.write_text(path.read_text().replace("effect: inhibits", "effect: inhibit"))
    assert problems(mini_repo) == [
        "content/claims/test-diet-inhibits-test-pathway.yaml:4:9: schema: effect: 'inhibit' "
        "is not allowed; did you mean 'inhibits'?"
    ]


def test_wrong_type_names_expected_and_found(mini_repo):
    path = mini_repo / "content/therapies/test-diet.yaml"
    path.write_text(path.read_text().replace("aliases: [TD, 测试]", "aliases: TD"))
    assert problems(mini_repo) == [
        "content/therapies/test-diet.yaml:4:10: schema: aliases: expected a list, found text"
    ]


def test_unknown_therapy_in_claim_suggests_the_nearest_id(mini_repo):
    path = mini_repo / "content/claims/test-diet-inhibits-test-pathway.yaml"
    path.write_text(path.read_text().replace("therapy: test-diet", "therapy: test-dite"))
    assert problems(mini_repo) == [
        "content/claims/test-diet-inhibits-test-pathway.yaml:3:10: unknown-id: unknown therapy "
        "'test-dite'; did you mean 'test-diet'?"
    ]


def test_id_of_the_wrong_kind_is_reported(mini_repo):
    path = mini_repo / "content/claims/test-diet-inhibits-test-pathway.yaml"
    path.write_text(path.read_text().replace("pathway: test-pathway", "pathway: test-gene"))
    assert problems(mini_repo) == [
        "content/claims/test-diet-inhibits-test-pathway.yaml:5:10: wrong-kind: 'test-gene' is a "
        "gene, but this field takes a pathway"
    ]


def test_unknown_citation_key_in_evidence(mini_repo):
    path = mini_repo / "content/claims/test-diet-inhibits-test-pathway.yaml"
    path.write_text(path.read_text().replace("cite: li2021review", "cite: li2021reviw"))
    assert problems(mini_repo) == [
        "content/claims/test-diet-inhibits-test-pathway.yaml:21:20: unknown-citation: citation "
        "key 'li2021reviw' is not in references.bib; did you mean 'li2021review'?"
    ]


def test_unknown_link_and_citation_in_prose(mini_repo, write):
    write("content/conditions/test-condition.yaml",
          "id: test-condition\nname: {en: C, zh: 丙}\n"
          "summary: {en: 'See [[test-pathwy]] [@nobody2000]', zh: 见}\n")
    assert problems(mini_repo) == [
        "content/conditions/test-condition.yaml:3:15: unknown-citation: [@nobody2000] is not in "
        "references.bib",
        "content/conditions/test-condition.yaml:3:15: unknown-id: [[test-pathwy]] links to no "
        "entry; did you mean 'test-pathway'?",
    ]


def test_duplicate_id_across_kinds(mini_repo, write):
    write("content/methods/test-diet.yaml",
          "id: test-diet\nname: {en: M, zh: 甲}\nsummary: {en: S, zh: 乙}\n")
    # The file written last is the duplicate, whatever the folders' alphabetical order.
    assert problems(mini_repo) == [
        "content/methods/test-diet.yaml:1:5: duplicate-id: id 'test-diet' is already used by "
        "content/therapies/test-diet.yaml; ids are unique across all kinds: give this entry its "
        "own, e.g. set id: test-diet-2 and name the file test-diet-2.yaml",
    ]


def test_id_that_differs_from_file_name(mini_repo, write):
    write("content/methods/other.yaml",
          "id: another\nname: {en: M, zh: 甲}\nsummary: {en: S, zh: 乙}\n")
    assert problems(mini_repo) == [
        "content/methods/other.yaml:1:5: id-mismatch: id 'another' differs from the file name; "
        "rename the file to another.yaml or set id: other"
    ]


def test_id_that_is_not_a_slug(mini_repo, write):
    write("content/methods/Bad_Id.yaml",
          "id: Bad_Id\nname: {en: M, zh: 甲}\nsummary: {en: S, zh: 乙}\n")
    assert problems(mini_repo) == [
        "content/methods/Bad_Id.yaml:1:5: bad-id: id: 'Bad_Id' is not a slug; use lowercase "
        "letters, digits and single hyphens, e.g. 'bad-id'"
    ]


def test_missing_required_field(mini_repo, write):
    write("content/methods/m.yaml", "id: m\nname: {en: M, zh: 甲}\n")
    assert problems(mini_repo) == [
        "content/methods/m.yaml:1:1: missing-field: missing required field 'summary'"
    ]


def test_missing_translation_is_a_warning(mini_repo, write):
    write("content/methods/m.yaml", "id: m\nname: {en: M, zh: 甲}\nsummary: {en: Only English}\n")
    project = load_project(mini_repo)
    assert project.ok
    assert [str(d) for d in project.diagnostics] == [
        "content/methods/m.yaml:3:10: missing-translation: warning: "
        "summary has no Chinese (zh) text"
    ]


def test_empty_text_is_an_error(mini_repo, write):
    write("content/methods/m.yaml", "id: m\nname: {en: M, zh: 甲}\nsummary: {en: '', zh: ' '}\n")
    assert problems(mini_repo) == [
        "content/methods/m.yaml:3:10: empty-text: summary is empty; write it in English (en) "
        "and Chinese (zh)"
    ]


@pytest.mark.parametrize(("en", "zh", "field"), [
    ("这是一段中文的说明文字", "这是中文", "en"),
    ("English text", "This is English in the Chinese field", "zh"),
])
def test_text_in_the_wrong_language_field(mini_repo, write, en, zh, field):
    write("content/methods/m.yaml", f"id: m\nname: {{en: M, zh: 甲}}\nsummary:\n  en: {en}\n"
                                    f"  zh: {zh}\n")
    found = load_project(mini_repo).diagnostics
    assert [(d.code, d.line) for d in found] == [("wrong-language", 4 if field == "en" else 5)]


def test_file_in_an_unknown_folder(mini_repo, write):
    write("content/drugs/x.yaml", "id: x\n")
    assert problems(mini_repo) == [
        "content/drugs/x.yaml:1:1: wrong-folder: entries live directly in one of "
        "content/pathways/, content/therapies/, content/conditions/, content/genes/, "
        "content/methods/, content/sources/, content/claims/, content/facts/"
    ]


def test_yml_extension_is_reported_not_ignored(mini_repo, write):
    write("content/methods/x.yml", "id: x\n")
    assert problems(mini_repo) == [
        "content/methods/x.yml:1:1: file-name: rename to x.yaml: entries use the .yaml extension"
    ]


def test_every_problem_is_reported_at_once(mini_repo, write):
    write("content/methods/a.yaml", "id: a\nname: {en: M, zh: 甲}\n")
    write("content/methods/b.yaml", "id: b\n\tname: x\n")
    write("content/methods/c.yaml", "")
    assert [d.code for d in load_project(mini_repo).diagnostics] == [
        "missing-field", "yaml-syntax", "empty-file"]


def test_entry_that_is_not_a_mapping(mini_repo, write):
    write("content/methods/a.yaml", "- just\n- a list\n")
    assert problems(mini_repo) == [
        "content/methods/a.yaml:1:1: schema: an entry is a mapping of fields, not a list"
    ]


def test_a_schema_edited_between_two_checks_in_one_process_is_seen(mini_repo):
    """`mkdocs serve` validates in one long process: compiled schemas follow their files."""
    import os

    from mechatlas.pipeline import load_project

    assert load_project(mini_repo).ok
    schema = mini_repo / "schemas/method.schema.json"
    text = schema.read_text("utf-8")
    schema.write_text(text.replace('"molecular-tool"', '"molecular-tool", "survey"'), "utf-8")
    os.utime(schema, ns=(schema.stat().st_atime_ns, schema.stat().st_mtime_ns + 10**9))
    method = mini_repo / "content/methods/test-method.yaml"
    method.write_text(method.read_text("utf-8").replace("category: imaging", "category: survey"),
                      "utf-8")
    codes = {d.code for d in load_project(mini_repo).diagnostics}
    assert codes == {"vocabulary"}, codes  # the schema now allows it; the generator does not
    schema.write_text(text, "utf-8")
    os.utime(schema, ns=(schema.stat().st_atime_ns, schema.stat().st_mtime_ns + 2 * 10**9))
    problems = load_project(mini_repo).diagnostics
    assert [d.code for d in problems] == ["schema"], problems
    assert "'survey' is not allowed" in problems[0].message
