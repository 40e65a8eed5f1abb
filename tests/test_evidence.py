"""Summaries say no more than their items: direct evidence per condition, node-level
directions, named conflicts, scope, and rows that say "not reported" instead of vanishing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mechatlas.model.evidence import directness
from mechatlas.model.vocabulary import DESIGNS
from mechatlas.pipeline import load_project
from mechatlas.site.generate import render_files

REPO = Path(__file__).resolve().parent.parent
CLAIM = "content/claims/test-diet-inhibits-test-pathway.yaml"


def pages(root: Path) -> dict[str, str]:
    generation = render_files(root)
    assert generation.project.ok, generation.diagnostics
    return generation.files


def problems(root: Path) -> list[str]:
    return [str(d) for d in load_project(root).diagnostics]


def glance(page: str) -> str:
    return page.split('class="ma-glance"', 1)[1].split("</dl>", 1)[0]


@pytest.fixture
def trial_in_other_condition(mini_repo, write):
    """The claim's only evidence: a clinical trial in depression, filed under test epilepsy."""
    write("content/conditions/depression.yaml",
          "id: depression\nname: {en: Depression, zh: 抑郁症}\n"
          "summary: {en: Low mood., zh: 情绪低落。}\n")
    claim = (mini_repo / CLAIM).read_text("utf-8")
    write(CLAIM, claim.replace("design: animal", "design: clinical-trial").replace(
        "{organism: animal, condition: test-condition}",
        "{organism: human, condition: depression}"))
    return mini_repo


def test_a_trial_in_another_condition_sets_no_headline(trial_in_other_condition):
    page = pages(trial_in_other_condition)["en/therapies/test-diet.md"]
    rows = glance(page)
    assert "No direct evidence" in rows
    assert "Indirect: Clinical trial — in depression, not in test epilepsy" in rows
    assert 'ma-badge--clinical-trial" title="Best direct evidence"' not in page


def test_the_indirect_trial_is_named_in_chinese_too(trial_in_other_condition):
    rows = glance(pages(trial_in_other_condition)["zh/therapies/test-diet.md"])
    assert "无直接证据" in rows and "间接证据：临床试验，来自抑郁症，而非测试癫痫" in rows


def test_the_matrix_mark_of_an_indirect_only_claim_is_not_a_design(trial_in_other_condition):
    matrix = pages(trial_in_other_condition)["en/matrix/index.md"]
    assert "ma-mark--indirect" in matrix
    assert "test epilepsy" not in matrix or "— no direct evidence" in matrix
    assert f'data-level="{len(DESIGNS) + 1}"' in matrix


def test_direct_evidence_in_a_sub_condition_counts_for_the_parent(mini_repo, write):
    write("content/conditions/sub-epilepsy.yaml",
          "id: sub-epilepsy\nname: {en: Sub epilepsy, zh: 亚型癫痫}\npart_of: test-condition\n"
          "summary: {en: A kind., zh: 一种。}\n")
    claim = (mini_repo / CLAIM).read_text("utf-8")
    write(CLAIM, claim.replace("condition: test-condition}", "condition: sub-epilepsy}"))
    atlas = load_project(mini_repo).atlas
    assert atlas is not None
    item = atlas.claims["test-diet-inhibits-test-pathway"].evidence[0]
    assert directness(item, "test-condition", atlas.lineage) == "direct"
    assert directness(item, "sub-epilepsy", atlas.lineage) == "direct"
    assert atlas.headline(atlas.claims["test-diet-inhibits-test-pathway"]).direct == "animal"


def test_a_missing_population_is_an_error_at_its_line(mini_repo, write):
    claim = (mini_repo / CLAIM).read_text("utf-8")
    write(CLAIM, claim.replace("    studied_in: {organism: animal, condition: test-condition}\n",
                               ""))
    assert problems(mini_repo) == [
        f"{CLAIM}:14:5: missing-field: missing required field 'studied_in' in evidence[0]"]


def test_an_unknown_population_condition_is_an_error_with_a_hint(mini_repo, write):
    claim = (mini_repo / CLAIM).read_text("utf-8")
    write(CLAIM, claim.replace("condition: test-condition}", "condition: test-conditon}"))
    assert problems(mini_repo) == [
        f"{CLAIM}:15:47: unknown-population: studied_in.condition 'test-conditon' is no "
        "condition; use a condition id, 'other' (another population or model, described in "
        "'model') or 'not-stated'; did you mean 'test-condition'?"]


COMPOSITE = """\
id: ampk-mtor
name: {en: AMPK/mTOR pathway, zh: AMPK/mTOR通路}
nodes:
  - {id: ampk, name: {en: AMPK, zh: AMPK}}
  - {id: mtor, name: {en: mTOR, zh: mTOR}}
summary: {en: Energy sensing., zh: 能量感知。}
"""


@pytest.fixture
def composite(mini_repo, write):
    write("content/pathways/ampk-mtor.yaml", COMPOSITE)
    claim = (mini_repo / CLAIM).read_text("utf-8")
    write(CLAIM, claim.replace("pathway: test-pathway\n", "pathway: ampk-mtor\n").replace(
        "genes: [test-gene]\n", "targets:\n  - {node: ampk, effect: activates}\n"
        "  - {node: mtor, effect: inhibits}\ngenes: [test-gene]\n"))
    return mini_repo


def test_a_composite_pathway_shows_each_node_moving_its_own_way(composite):
    files = pages(composite)
    card = files["en/therapies/test-diet.md"].split('id="claim-test-diet-inhibits-test-pathway"')[1]
    head = card.split("</p>", 1)[0]
    assert head.index("activates</span> <span class=\"ma-node-name\">AMPK") < head.index(
        "inhibits</span> <span class=\"ma-node-name\">mTOR")
    diagram = files["en/pathways/ampk-mtor.md"]
    assert "Test diet — activates → AMPK (AMPK/mTOR pathway)" in diagram
    assert "Test diet — inhibits → mTOR (AMPK/mTOR pathway)" in diagram
    assert "Test diet — inhibits → AMPK/mTOR pathway" not in diagram


def test_a_claim_on_a_composite_pathway_must_name_its_nodes(composite, write):
    claim = (composite / CLAIM).read_text("utf-8")
    write(CLAIM, claim.replace("targets:\n  - {node: ampk, effect: activates}\n"
                               "  - {node: mtor, effect: inhibits}\n", ""))
    assert problems(composite) == [
        f"{CLAIM}:5:10: missing-targets: pathway 'ampk-mtor' has nodes (ampk, mtor): say which "
        "node moves which way, e.g. targets: [{node: ampk, effect: activates}]"]


def test_a_target_names_a_declared_node(composite, write):
    claim = (composite / CLAIM).read_text("utf-8")
    write(CLAIM, claim.replace("{node: mtor,", "{node: tor,"))
    assert problems(composite) == [
        f"{CLAIM}:13:12: unknown-node: 'tor' is not a node of pathway 'ampk-mtor' (ampk, mtor)"]


@pytest.fixture
def conflict(composite, write):
    """A second claim: the same diet inhibits AMPK in the same condition."""
    claim = (composite / CLAIM).read_text("utf-8")
    write("content/claims/test-diet-inhibits-ampk.yaml",
          claim.replace("id: test-diet-inhibits-test-pathway", "id: test-diet-inhibits-ampk")
          .replace("  - {node: ampk, effect: activates}\n  - {node: mtor, effect: inhibits}\n",
                   "  - {node: ampk, effect: inhibits}\n"))
    return composite


def test_a_therapy_moving_one_node_both_ways_is_a_named_conflict(conflict):
    files = pages(conflict)
    rows = glance(files["en/therapies/test-diet.md"])
    assert "Conflicting directions" in rows
    assert "The sources describe test diet as both activating and inhibiting AMPK" in rows
    assert "claim-test-diet-inhibits-ampk" in rows
    assert "claim-test-diet-inhibits-test-pathway" in rows
    assert "ma-matrix__conflict" in files["en/matrix/index.md"]
    assert "ma-edge--conflict" in files["en/therapies/test-diet.md"]
    assert "方向相互矛盾" in glance(files["zh/therapies/test-diet.md"])


def test_opposite_directions_in_unrelated_conditions_are_no_conflict(conflict, write):
    write("content/conditions/depression.yaml",
          "id: depression\nname: {en: Depression, zh: 抑郁症}\n"
          "summary: {en: Low mood., zh: 情绪低落。}\n")
    claim = (conflict / "content/claims/test-diet-inhibits-ampk.yaml").read_text("utf-8")
    write("content/claims/test-diet-inhibits-ampk.yaml",
          claim.replace("condition: test-condition\n", "condition: depression\n"))
    assert "Conflicting directions" not in glance(pages(conflict)["en/therapies/test-diet.md"])


def test_glance_rows_say_not_reported_instead_of_disappearing(mini_repo):
    rows = glance(pages(mini_repo)["en/therapies/test-diet.md"])
    for label in ("Key outcomes", "Adverse effects", "Dosing and protocol"):
        assert f"<dt>{label}</dt>" in rows
    adverse = rows.split("<dt>Adverse effects</dt>", 1)[1].split("</dd>", 1)[0]
    assert "Not reported in these sources." in adverse


def test_a_fact_in_the_glance_is_not_repeated_further_down(mini_repo):
    page = pages(mini_repo)["en/therapies/test-diet.md"]
    assert page.count('id="fact-test-diet-ratio"') == 1
    assert "Fat to non-fat ratio of 4:1." in glance(page)


def test_a_mechanistic_dose_is_flagged(mini_repo, write):
    fact = (mini_repo / "content/facts/test-diet-ratio.yaml").read_text("utf-8")
    write("content/facts/test-diet-ratio.yaml",
          fact.replace("dose_basis: clinical", "dose_basis: mechanistic"))
    rows = glance(pages(mini_repo)["en/therapies/test-diet.md"])
    assert ("route, species or population not stated; not a dosing recommendation") in rows


def test_a_protocol_fact_must_say_its_dose_basis(mini_repo, write):
    fact = (mini_repo / "content/facts/test-diet-ratio.yaml").read_text("utf-8")
    write("content/facts/test-diet-ratio.yaml", fact.replace("dose_basis: clinical\n", ""))
    assert problems(mini_repo) == [
        "content/facts/test-diet-ratio.yaml:2:1: missing-field: missing required field "
        "'dose_basis'"]


def test_every_page_states_its_scope_first(mini_repo):
    files = pages(mini_repo)
    for path in ("therapies/test-diet.md", "pathways/test-pathway.md",
                 "conditions/test-condition.md"):
        page = files[f"en/{path}"]
        assert page.index('class="ma-scope"') < page.index('class="ma-glance"')
        assert "Not a systematic review." in page
        assert "本页并非系统综述。" in files[f"zh/{path}"]


def test_a_page_resting_on_an_unverified_source_says_so_near_the_top(mini_repo, write):
    bib = (mini_repo / "references.bib").read_text("utf-8")
    write("references.bib", bib.replace("  author = {李明 and 王芳},\n", ""))
    page = pages(mini_repo)["en/therapies/test-diet.md"]
    notice = page.split('ma-scope--unverified', 1)[1].split("</p>", 1)[0]
    assert "Diet review 2021 is incomplete (no authors, no DOI)" in notice
    assert page.index("ma-scope--unverified") < page.index('class="ma-glance"')
    assert 'class="ma-cite__unverified"' in page


def test_coverage_never_says_nothing_is_missing_while_references_are_to_verify(mini_repo,
                                                                               write):
    bib = (mini_repo / "references.bib").read_text("utf-8")
    write("references.bib", bib.replace("  author = {李明 and 王芳},\n", ""))
    page = pages(mini_repo)["en/coverage/index.md"]
    assert "Nothing is missing" not in page
    assert "1 references to verify" in page


def test_cited_by_reads_as_use_on_this_site(mini_repo):
    files = pages(mini_repo)
    assert re.search(r"Used in \d+ statements on this site", files["en/references/index.md"])
    assert re.search(r"本站有\d+条陈述引用", files["zh/references/index.md"])
    assert "cited by" not in files["en/references/index.md"]


# --- the real content ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real():
    project = load_project(REPO)
    assert project.atlas is not None, project.diagnostics
    return project


def test_no_headline_on_the_real_content_rests_on_indirect_evidence(real):
    atlas = real.atlas
    for claim in atlas.claims.values():
        head = atlas.headline(claim)
        direct = [i.design for i in claim.evidence if i.direction == "supports"
                  and directness(i, claim.condition, atlas.lineage) == "direct"]
        assert head.direct == (min(direct, key=DESIGNS.index) if direct else None), claim.id


def test_every_real_therapy_page_has_the_fixed_rows_in_both_languages():
    files = render_files(REPO).files
    labels = {"en": ("Conditions and evidence", "Key outcomes", "Adverse effects",
                     "Dosing and protocol"),
              "zh": ("疾病与证据", "主要结局", "不良反应", "剂量与方案")}
    therapies = sorted(p.stem for p in (REPO / "content/therapies").glob("*.yaml"))
    for lang, words in labels.items():
        for therapy in therapies:
            rows = glance(files[f"{lang}/therapies/{therapy}.md"])
            for word in words:
                assert f"<dt>{word}</dt>" in rows, (lang, therapy, word)


def test_a_population_with_markup_characters_is_escaped_once(trial_in_other_condition, write):
    claim = (trial_in_other_condition / CLAIM).read_text("utf-8")
    write(CLAIM, claim.replace("{organism: human, condition: depression}",
                               "{organism: human, condition: other}")
          .replace("kainic-acid rat model", "rats <3 months & healthy"))
    rows = glance(pages(trial_in_other_condition)["en/therapies/test-diet.md"])
    assert "in another population (rats &lt;3 months &amp; healthy)" in rows
    assert "&amp;lt;" not in rows and "&amp;amp;" not in rows
