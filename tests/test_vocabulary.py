"""One definition per vocabulary: schemas, strings, stylesheet and renderer follow it."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import yaml

from mechatlas.cli import main
from mechatlas.model.vocabulary import (
    CERTAINTY,
    DESIGN,
    DIRECTION,
    DOSE_BASIS,
    EFFECT,
    FACT_CATEGORY,
    METHOD_CATEGORY,
    ORGANISM,
    PATHWAY_CATEGORY,
    SOURCE_KIND,
    THERAPY_CATEGORY,
    VOCABULARIES,
)
from mechatlas.site.generate import generate
from mechatlas.validate.vocabulary import check_vocabularies

REPO = Path(__file__).resolve().parent.parent


def test_the_repository_agrees_with_every_vocabulary():
    assert check_vocabularies(REPO) == []


def test_every_css_vocabulary_has_its_classes():
    css = (REPO / "docs/assets/mechatlas.css").read_text("utf-8")
    for vocabulary in VOCABULARIES:
        if vocabulary.css_prefix:
            for value in vocabulary.values:
                assert f".{vocabulary.css_prefix}{value}" in css, value


def test_a_value_added_only_to_the_schema_is_a_located_error_not_a_crash(mini_repo, capsys):
    path = mini_repo / "schemas/defs.schema.json"
    text = path.read_text("utf-8")
    path.write_text(text.replace('"modulates"', '"modulates", "potentiates"', 1), "utf-8")
    claim = mini_repo / "content/claims/test-diet-inhibits-test-pathway.yaml"
    claim.write_text(claim.read_text("utf-8").replace("effect: inhibits", "effect: potentiates"),
                     "utf-8")
    assert main(["--root", str(mini_repo), "check"]) == 1
    out = capsys.readouterr().out
    line = next(n for n, row in enumerate(text.splitlines(), 1) if '"modulates"' in row)
    assert re.search(rf"^schemas/defs\.schema\.json:{line}:\d+: vocabulary: effect "
                     r"'potentiates' is unknown to the generator; add it to "
                     r"src/mechatlas/model/vocabulary\.py", out, re.M), out
    assert "Traceback" not in out
    generation = generate(mini_repo)
    assert not generation.project.ok and not generation.files


def test_a_label_missing_in_one_language_names_the_strings_file(mini_repo, capsys):
    path = mini_repo / "docs_templates/strings/zh.yaml"
    text = path.read_text("utf-8")
    path.write_text(re.sub(r"(?m)^(  restores: .*\n)", "", text, count=1), "utf-8")
    assert main(["--root", str(mini_repo), "check"]) == 1
    out = capsys.readouterr().out
    assert ("docs_templates/strings/zh.yaml" in out
            and "section 'effects' has no label for effect 'restores'" in out), out


def _write(root: Path, folder: str, data: dict[str, object]) -> None:
    path = root / "content" / folder / f"{data['id']}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


def _text(en: str, zh: str) -> dict[str, str]:
    return {"en": en, "zh": zh}


def test_every_schema_value_of_every_vocabulary_renders(mini_repo):
    """Entries that use every value of every vocabulary pass the check and render."""
    evidence = []
    for n, (design, direction, certainty, organism) in enumerate(zip(
            DESIGN.values, itertools.cycle(DIRECTION.values), itertools.cycle(CERTAINTY.values),
            itertools.cycle(ORGANISM.values), strict=False)):
        evidence.append({
            "design": design, "direction": direction, "certainty": certainty,
            "studied_in": {"organism": organism, "condition": "test-condition"},
            "model": _text("rat model", "大鼠模型"),
            "finding": _text(f"Finding {n}.", f"发现 {n}。"),
            "source": {"cite": "li2021review", "locator": _text(f"§{n + 1}", f"第{n + 1}节")}})
    for effect in EFFECT.values:
        _write(mini_repo, "claims", {
            "id": f"test-diet-{effect}-test-pathway", "therapy": "test-diet", "effect": effect,
            "pathway": "test-pathway", "condition": "test-condition",
            "statement": _text(f"The diet {effect} the pathway.", "该饮食作用于该通路。"),
            "evidence": evidence})
    for category, basis in zip(FACT_CATEGORY.values, itertools.cycle(DOSE_BASIS.values),
                               strict=False):
        fact: dict[str, object] = {
            "id": f"test-fact-{category}", "category": category,
            "subjects": ["test-diet", "test-condition"],
            "text": _text(f"A {category} fact.", "一条事实。"),
            "source": {"cite": "li2021review", "locator": _text("§1", "第1节")}}
        if category == "protocol":
            fact["dose_basis"] = basis
        _write(mini_repo, "facts", fact)
    for basis in DOSE_BASIS.values:
        _write(mini_repo, "facts", {
            "id": f"test-dose-{basis}", "category": "protocol", "dose_basis": basis,
            "subjects": ["test-diet"], "text": _text("A dose.", "一个剂量。"),
            "source": {"cite": "li2021review", "locator": _text("§1", "第1节")}})
    for category in THERAPY_CATEGORY.values:
        _write(mini_repo, "therapies", {
            "id": f"test-therapy-{category}", "name": _text(category, f"疗法{category}"),
            "category": category, "summary": _text("A therapy.", "一种疗法。")})
    for category in PATHWAY_CATEGORY.values:
        _write(mini_repo, "pathways", {
            "id": f"test-pathway-{category}", "name": _text(category, f"通路{category}"),
            "category": category, "summary": _text("A pathway.", "一条通路。")})
    for category in METHOD_CATEGORY.values:
        _write(mini_repo, "methods", {
            "id": f"test-method-{category}", "name": _text(category, f"方法{category}"),
            "category": category, "summary": _text("A method.", "一种方法。")})
    for kind in SOURCE_KIND.values:
        _write(mini_repo, "sources", {
            "id": f"test-source-{kind}", "cite": "li2021review", "kind": kind,
            "name": _text(kind, f"来源{kind}"), "summary": _text("A source.", "一个来源。"),
            "scope": _text("Its claims.", "其论断。")})
    staging = mini_repo / "staging"
    generation = generate(mini_repo, staging)
    errors = [d for d in generation.project.diagnostics if d.is_error]
    assert errors == []
    therapy_pages = "\n".join(path.read_text("utf-8")
                              for path in sorted(staging.glob("*/therapies/*.md")))
    for effect in EFFECT.values:
        assert f"ma-effect--{effect}" in therapy_pages, effect
    assert json.loads((staging / "data/atlas.json").read_text("utf-8"))["claims"]
