"""`mechatlas diff REV`: what a change means to readers, checked on small git repositories.

Each test commits the mini repository, changes its working tree the way a contributor
would, and compares the whole report.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO
from mechatlas.cli import main
from mechatlas.diff.entries import translate_ids

CLAIM = "content/claims/test-diet-inhibits-test-pathway.yaml"
CLAIM_HEAD = ("- claim `test-diet-inhibits-test-pathway` — Test diet inhibits Test pathway in "
              "Test epilepsy (`content/claims/test-diet-inhibits-test-pathway.yaml`)")
EVIDENCE = "evidence 1 (li2021review §2, ref. 6)"


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org",
                    "-c", "commit.gpgsign=false", *args], cwd=root, check=True,
                   capture_output=True)


@pytest.fixture
def repo(mini_repo: Path) -> Path:
    """The mini repository, committed: HEAD is the atlas before the change."""
    git(mini_repo, "init", "-q")
    git(mini_repo, "add", "-A")
    git(mini_repo, "commit", "-qm", "base")
    return mini_repo


def edit(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{relative} has no {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def diff(capsys, root: Path, *args: str) -> tuple[int, list[str], list[str]]:
    """Exit code, report lines and stderr lines of ``mechatlas diff``."""
    code = main(["--root", str(root), "diff", *args])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


def test_an_unchanged_working_tree_has_nothing_to_report(repo, capsys):
    assert diff(capsys, repo, "HEAD") == (0, [
        "# Atlas changes since `HEAD`",
        "",
        "No change a reader would see.",
    ], [])


def test_an_evidence_design_changed_moves_the_headline_badge_and_matrix_mark(repo, capsys):
    edit(repo, CLAIM, "design: animal", "design: clinical-trial")
    edit(repo, CLAIM, "organism: animal", "organism: human")
    assert diff(capsys, repo, "HEAD") == (0, [
        "# Atlas changes since `HEAD`",
        "",
        "Entries: 0 added, 0 removed, 0 renamed, 1 changed. Reader-facing summaries that "
        "change: 3. New problems: 0.",
        "",
        "## Entries",
        "",
        "**Changed**",
        "",
        CLAIM_HEAD,
        f"  - {EVIDENCE} › design: Animal study → Clinical trial",
        f"  - {EVIDENCE} › studied_in › organism: `animal` → `human`",
        "",
        "## What readers see change",
        "",
        "**Headline evidence per therapy and condition**",
        "",
        "| Therapy | Condition | Shown on | Before | After |",
        "| --- | --- | --- | --- | --- |",
        "| Test diet | Test epilepsy | therapy and condition pages | Animal study (1 direct) "
        "| Clinical trial (1 direct) |",
        "",
        "**Evidence badges of claims**",
        "",
        "| Claim | Before | After |",
        "| --- | --- | --- |",
        "| `test-diet-inhibits-test-pathway` | Animal study (1 direct) | Clinical trial "
        "(1 direct) |",
        "",
        "**Matrix marks** (therapy × pathway)",
        "",
        "| Therapy | Pathway | Before | After |",
        "| --- | --- | --- | --- |",
        "| Test diet | Test pathway | ⊣ An | ⊣ CT |",
    ], [])


def test_a_claim_added_the_other_way_shows_its_conflict(repo, capsys):
    text = (repo / CLAIM).read_text(encoding="utf-8")
    for old, new in (("inhibits-test-pathway", "activates-test-pathway"),
                     ("effect: inhibits", "effect: activates"),
                     ("inhibits the pathway", "activates the pathway"), ("抑制", "激活"),
                     ("pS6 fell by 35%.", "pS6 rose by 20%."), ("pS6 下降 35%。", "pS6 上升 20%。"),
                     ("design: animal", "design: in-vitro"),
                     ("organism: animal", "organism: in-vitro")):
        text = text.replace(old, new)
    (repo / "content/claims/test-diet-activates-test-pathway.yaml").write_text(text)
    assert diff(capsys, repo, "HEAD") == (0, [
        "# Atlas changes since `HEAD`",
        "",
        "Entries: 1 added, 0 removed, 0 renamed, 0 changed. Reader-facing summaries that "
        "change: 3. New problems: 0.",
        "",
        "## Entries",
        "",
        "**Added**",
        "",
        "- claim `test-diet-activates-test-pathway` — Test diet activates Test pathway in Test "
        "epilepsy (`content/claims/test-diet-activates-test-pathway.yaml`)",
        "",
        "## What readers see change",
        "",
        "**Headline evidence per therapy and condition**",
        "",
        "| Therapy | Condition | Shown on | Before | After |",
        "| --- | --- | --- | --- | --- |",
        "| Test diet | Test epilepsy | therapy and condition pages | Animal study (1 direct) "
        "| Animal study (2 direct) |",
        "",
        "**Matrix marks** (therapy × pathway)",
        "",
        "| Therapy | Pathway | Before | After |",
        "| --- | --- | --- | --- |",
        "| Test diet | Test pathway | ⊣ An | ⇅ conflict · ↑ IV · ⊣ An |",
        "",
        "**Conflicts**",
        "",
        "- appears: Test diet on Test pathway (activating: test-diet-activates-test-pathway; "
        "inhibiting: test-diet-inhibits-test-pathway)",
    ], [])


def test_a_fact_removed_is_listed_with_its_subjects(repo, capsys):
    (repo / "content/facts/test-diet-ratio.yaml").unlink()
    assert diff(capsys, repo, "HEAD") == (0, [
        "# Atlas changes since `HEAD`",
        "",
        "Entries: 0 added, 1 removed, 0 renamed, 0 changed. Reader-facing summaries that "
        "change: 0. New problems: 0.",
        "",
        "## Entries",
        "",
        "**Removed**",
        "",
        "- fact `test-diet-ratio` — protocol fact on Test diet, Test epilepsy "
        "(`content/facts/test-diet-ratio.yaml`)",
    ], [])


def test_a_renamed_entity_is_one_rename_with_the_links_that_follow_it(repo, capsys):
    old = repo / "content/pathways/test-pathway.yaml"
    (repo / "content/pathways/test-axis.yaml").write_text(
        old.read_text(encoding="utf-8").replace("id: test-pathway", "id: test-axis"))
    old.unlink()
    edit(repo, CLAIM, "pathway: test-pathway", "pathway: test-axis")
    edit(repo, "content/genes/test-gene.yaml", "test-pathway", "test-axis")
    edit(repo, "content/therapies/test-diet.yaml", "test-pathway", "test-axis")
    assert diff(capsys, repo, "HEAD") == (0, [
        "# Atlas changes since `HEAD`",
        "",
        "Entries: 0 added, 0 removed, 1 renamed, 0 changed. Reader-facing summaries that "
        "change: 0. New problems: 0.",
        "",
        "## Entries",
        "",
        "**Renamed** (same content, new id)",
        "",
        "- pathway `test-pathway` → `test-axis` — Test pathway "
        "(`content/pathways/test-pathway.yaml` → `content/pathways/test-axis.yaml`); "
        "page `/pathways/test-pathway/` → `/pathways/test-axis/`",
        "  - links that follow it (3): claim `test-diet-inhibits-test-pathway`, "
        "gene `test-gene`, therapy `test-diet`",
        "",
        "## What readers see change",
        "",
        "**Pages**",
        "",
        "- added: `/pathways/test-axis/`, `/zh/pathways/test-axis/`",
        "- removed: `/pathways/test-pathway/`, `/zh/pathways/test-pathway/`",
    ], [])


def test_a_reference_removed_with_its_citations(repo, capsys):
    bib = repo / "references.bib"
    text = bib.read_text(encoding="utf-8")
    bib.write_text(text[text.index("@article{li2021review"):], encoding="utf-8")
    edit(repo, CLAIM, ", primary: doe2020diet", "")
    edit(repo, "content/therapies/test-diet.yaml", "[@doe2020diet]", "[@li2021review]")
    assert diff(capsys, repo, "HEAD") == (0, [
        "# Atlas changes since `HEAD`",
        "",
        "Entries: 0 added, 0 removed, 0 renamed, 2 changed. Reader-facing summaries that "
        "change: 0. New problems: 0.",
        "",
        "## Entries",
        "",
        "**Changed**",
        "",
        CLAIM_HEAD,
        f"  - {EVIDENCE} › source › primary removed: `doe2020diet`",
        "- therapy `test-diet` — Test diet (`content/therapies/test-diet.yaml`)",
        "  - summary: **English changed, Chinese not**: …pathway\\]\\] "
        "\\[@~~doe2020diet~~ **li2021review**\\].",
        "",
        "## References",
        "",
        "- removed: `doe2020diet`",
    ], [])


def test_a_reference_removed_while_still_cited_leaves_a_working_tree_that_does_not_load(
        repo, capsys):
    bib = repo / "references.bib"
    text = bib.read_text(encoding="utf-8")
    bib.write_text(text[text.index("@article{li2021review"):], encoding="utf-8")
    assert diff(capsys, repo, "HEAD") == (1, [
        "# Atlas changes since `HEAD`",
        "",
        "Entries: 0 added, 0 removed, 0 renamed, 0 changed. New problems: 2.",
        "",
        "> **The working tree does not load** (2 errors, 2 of them under New problems), so "
        "only entries, pages and references are compared: headline evidence, matrix marks "
        "and conflicts are not.",
        "",
        "## References",
        "",
        "- removed: `doe2020diet`",
        "",
        "## New problems",
        "",
        "- `content/claims/test-diet-inhibits-test-pathway.yaml:21:87: unknown-citation: "
        "citation key 'doe2020diet' is not in references.bib`",
        "- `content/therapies/test-diet.yaml:7:7: unknown-citation: [@doe2020diet] is not "
        "in references.bib`",
    ], [])


def test_a_text_changed_in_one_language_only_is_flagged(repo, capsys):
    edit(repo, CLAIM, "in epileptic rats.", "in rats with epilepsy.")
    assert diff(capsys, repo, "HEAD") == (0, [
        "# Atlas changes since `HEAD`",
        "",
        "Entries: 0 added, 0 removed, 0 renamed, 1 changed. Reader-facing summaries that "
        "change: 0. New problems: 0.",
        "",
        "## Entries",
        "",
        "**Changed**",
        "",
        CLAIM_HEAD,
        "  - statement: **English changed, Chinese not**: …the pathway in "
        "~~epileptic rats~~ **rats with epilepsy**.",
    ], [])


def test_a_number_changed_in_both_languages_gives_old_and_new_values(repo, capsys):
    edit(repo, CLAIM, "pS6 fell by 35%.", "pS6 fell by 40%.")
    edit(repo, CLAIM, "pS6 下降 35%。", "pS6 下降 40%。")
    assert diff(capsys, repo, "HEAD") == (0, [
        "# Atlas changes since `HEAD`",
        "",
        "Entries: 0 added, 0 removed, 0 renamed, 1 changed. Reader-facing summaries that "
        "change: 0. New problems: 0.",
        "",
        "## Entries",
        "",
        "**Changed**",
        "",
        CLAIM_HEAD,
        f"  - {EVIDENCE} › finding, English: pS6 fell by ~~35~~ **40**%. "
        "(numbers 35% → 40%)",
        f"  - {EVIDENCE} › finding, Chinese: pS6 下降 ~~35~~ **40**%。 (numbers 35% → 40%)",
    ], [])


def test_a_revision_that_does_not_load_is_named_and_its_entries_still_compared(repo, capsys):
    edit(repo, CLAIM, "pathway: test-pathway", "pathway: test-pathwya")
    git(repo, "commit", "-qam", "typo")
    edit(repo, CLAIM, "pathway: test-pathwya", "pathway: test-pathway")
    assert diff(capsys, repo, "HEAD") == (0, [
        "# Atlas changes since `HEAD`",
        "",
        "Entries: 0 added, 0 removed, 0 renamed, 1 changed. New problems: 0.",
        "",
        "> **The atlas at `HEAD` does not load** (1 error), so only entries, pages and "
        "references are compared: headline evidence, matrix marks and conflicts are not.",
        ">",
        "> - `content/claims/test-diet-inhibits-test-pathway.yaml:5:10: unknown-id: unknown "
        "pathway 'test-pathwya'; did you mean 'test-pathway'?`",
        "",
        "## Entries",
        "",
        "**Changed**",
        "",
        CLAIM_HEAD,
        "  - pathway: `test-pathwya` → Test pathway (`test-pathway`)",
    ], [])


def test_an_unknown_revision_is_one_line_and_exit_2(repo, capsys):
    assert diff(capsys, repo, "no-such-branch") == (
        2, [], ["mechatlas diff: unknown revision 'no-such-branch'"])


def test_a_revision_that_looks_like_an_option_is_unknown(repo, capsys):
    assert diff(capsys, repo, "--", "--output=x") == (
        2, [], ["mechatlas diff: unknown revision '--output=x'"])


def test_a_folder_outside_git_is_one_line_and_exit_2(mini_repo, capsys, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(mini_repo.parent))
    assert diff(capsys, mini_repo, "HEAD") == (
        2, [], [f"mechatlas diff: {mini_repo} is not in a git repository"])


def test_the_github_format_folds_each_changed_entry(repo, capsys):
    edit(repo, CLAIM, "in epileptic rats.", "in rats with epilepsy.")
    assert diff(capsys, repo, "HEAD", "--format", "github") == (0, [
        "# Atlas changes since `HEAD`",
        "",
        "Entries: 0 added, 0 removed, 0 renamed, 1 changed. Reader-facing summaries that "
        "change: 0. New problems: 0.",
        "",
        "## Entries",
        "",
        "**Changed**",
        "",
        "<details><summary>claim <code>test-diet-inhibits-test-pathway</code> — Test diet "
        "inhibits Test pathway in Test epilepsy "
        "(<code>content/claims/test-diet-inhibits-test-pathway.yaml</code>)</summary>",
        "",
        "  - statement: **English changed, Chinese not**: …the pathway in "
        "~~epileptic rats~~ **rats with epilepsy**.",
        "",
        "</details>",
    ], [])


def test_entry_text_cannot_inject_markup_into_the_report(repo, capsys):
    edit(repo, "content/therapies/test-diet.yaml", "name: {en: Test diet",
         'name: {en: "<img src=x onerror=alert(1)> [x](javascript:y) | *z*"')
    _, report, _ = diff(capsys, repo, "HEAD", "--format", "github")
    assert report[8:12] == [
        "<details><summary>therapy <code>test-diet</code> — &lt;img src=x "
        "onerror=alert(1)&gt; [x](javascript:y) | *z* "
        "(<code>content/therapies/test-diet.yaml</code>)</summary>",
        "",
        "  - name: **English changed, Chinese not**: ~~Test diet~~ **&lt;img src=x "
        "onerror=alert(1)&gt; \\[x\\](javascript:y) \\| \\*z\\*** (numbers none → 1)",
        "",
    ]


def test_a_new_reference_with_missing_data_is_newly_to_verify(repo, capsys):
    bib = repo / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8") + "@article{roe2019fast,\n"
                   "  author = {Roe, Richard},\n  title = {Fasting and Seizures},\n"
                   "  journal = {Epilepsia},\n  year = {2019}\n}\n", encoding="utf-8")
    assert diff(capsys, repo, "HEAD") == (0, [
        "# Atlas changes since `HEAD`",
        "",
        "Entries: 0 added, 0 removed, 0 renamed, 0 changed. Reader-facing summaries that "
        "change: 0. New problems: 0.",
        "",
        "## References",
        "",
        "- added: `roe2019fast`",
        "- newly to verify: `roe2019fast` (no pages; no DOI)",
    ], [])


def test_a_renamed_claim_moves_its_address_on_the_therapy_page(repo, capsys):
    old = repo / CLAIM
    (repo / "content/claims/test-diet-curbs-test-pathway.yaml").write_text(
        old.read_text(encoding="utf-8").replace("id: test-diet-inhibits-test-pathway",
                                                "id: test-diet-curbs-test-pathway"))
    old.unlink()
    assert diff(capsys, repo, "HEAD") == (0, [
        "# Atlas changes since `HEAD`",
        "",
        "Entries: 0 added, 0 removed, 1 renamed, 0 changed. Reader-facing summaries that "
        "change: 0. New problems: 0.",
        "",
        "## Entries",
        "",
        "**Renamed** (same content, new id)",
        "",
        "- claim `test-diet-inhibits-test-pathway` → `test-diet-curbs-test-pathway` — Test diet "
        "inhibits Test pathway in Test epilepsy (`content/claims/test-diet-inhibits-test-pathway"
        ".yaml` → `content/claims/test-diet-curbs-test-pathway.yaml`); address "
        "`/therapies/test-diet/#claim-test-diet-inhibits-test-pathway` → "
        "`/therapies/test-diet/#claim-test-diet-curbs-test-pathway`",
        "  - no other entry links to it",
    ], [])


def test_a_text_changed_in_both_languages_is_not_flagged(repo, capsys):
    edit(repo, "content/conditions/test-condition.yaml", "Recurrent seizures.",
         "Recurrent unprovoked seizures.")
    edit(repo, "content/conditions/test-condition.yaml", "反复发作的癫痫。",
         "反复无诱因发作的癫痫。")
    code, report, _ = diff(capsys, repo, "HEAD")
    assert (code, report[8:]) == (0, [
        "- condition `test-condition` — Test epilepsy "
        "(`content/conditions/test-condition.yaml`)",
        "  - summary, English: Recurrent **unprovoked** seizures.",
        "  - summary, Chinese: 反复**无诱因**发作的癫痫。",
    ])


def test_a_revision_with_unparsable_and_odd_entries_still_compares(repo, capsys):
    (repo / "content/claims/broken.yaml").write_text("id: [unclosed\n")
    (repo / "content/facts/a-list.yaml").write_text("- one\n- two\n")
    edit(repo, CLAIM, "evidence:\n", "evidence:\n  - just a string\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "odd entries")
    for name in ("content/claims/broken.yaml", "content/facts/a-list.yaml"):
        (repo / name).unlink()
    edit(repo, CLAIM, "evidence:\n  - just a string\n", "evidence:\n")
    code, report, errors = diff(capsys, repo, "HEAD")
    assert (code, errors, report[4]) == (0, [], (
        "> **The atlas at `HEAD` does not load** (3 errors), so only entries, pages and "
        "references are compared: headline evidence, matrix marks and conflicts are not."))
    assert report[-3:] == ["", CLAIM_HEAD, "  - evidence 1 (?) removed: `just a string`"]


def test_a_node_direction_changed_is_named_by_its_node(repo, capsys):
    edit(repo, "content/pathways/test-pathway.yaml", "genes: [test-gene]\n",
         "genes: [test-gene]\nnodes:\n  - {id: up, name: {en: Up, zh: 上}}\n"
         "  - {id: down, name: {en: Down, zh: 下}}\n")
    edit(repo, CLAIM, "pathway: test-pathway\n", "pathway: test-pathway\ntargets:\n"
         "  - {node: up, effect: activates}\n  - {node: down, effect: inhibits}\n")
    git(repo, "commit", "-qam", "nodes")
    edit(repo, CLAIM, "{node: down, effect: inhibits}", "{node: down, effect: activates}")
    code, report, _ = diff(capsys, repo, "HEAD")
    assert (code, report[8:]) == (0, [
        CLAIM_HEAD,
        "  - targets › down › effect: `inhibits` → `activates`",
        "",
        "## What readers see change",
        "",
        "**Matrix marks** (therapy × pathway)",
        "",
        "| Therapy | Pathway | Before | After |",
        "| --- | --- | --- | --- |",
        "| Test diet | Test pathway | ↑Up ⊣Down An | ↑Up ↑Down An |",
    ])


def test_a_node_id_does_not_follow_the_rename_of_an_entity_with_the_same_id():
    claim = {"genes": ["test-gene"], "targets": [{"node": "test-gene", "effect": "activates"}],
             "statement": {"en": "Acts on [[test-gene|TG1]].", "zh": "作用于[[test-gene]]。"}}
    assert translate_ids(claim, {"test-gene": "tg1"}) == {
        "genes": ["tg1"], "targets": [{"node": "test-gene", "effect": "activates"}],
        "statement": {"en": "Acts on [[tg1|TG1]].", "zh": "作用于[[tg1]]。"}}


GUIDE_CLAIM = "content/claims/acupuncture-raises-serotonin.yaml"
GUIDE_CHANGE = ("studied_in: {organism: human, condition: depression}\n"
                "    model: {en: 80 patients",
                "studied_in: {organism: human, condition: drug-resistant-epilepsy}\n"
                "    model: {en: 80 patients")
"""The one-word change the contributing guide shows: a trial in depression recorded as DRE."""


def guide_report(language: str) -> list[str]:
    """The report printed in the contributing guide of ``language``, without the prompt."""
    text = (REPO / "docs" / language / "contributing.md").read_text(encoding="utf-8")
    start = text.index("```text\n$ mechatlas diff main\n") + len("```text\n$ mechatlas diff main\n")
    return text[start:text.index("\n```", start)].splitlines()


def test_the_contributing_guides_show_the_real_report_of_their_change(tmp_path, capsys):
    root = tmp_path / "real"
    for name in ("content", "schemas", "docs_templates"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "references.bib", root / "references.bib")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "real content")
    edit(root, GUIDE_CLAIM, *GUIDE_CHANGE)
    code, report, errors = diff(capsys, root, "main")
    assert (code, errors) == (0, [])
    assert guide_report("en") == report
    assert guide_report("zh") == report
