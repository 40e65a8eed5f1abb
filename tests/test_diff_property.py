"""Property: whatever a field of an entry becomes, on either side, the diff reports and never
raises. Both directions are tried, because a broken revision and a broken working tree take
different paths through the comparison."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import MINI, REPO
from mechatlas.diff.compare import compare_projects
from mechatlas.diff.report import write_report
from mechatlas.diff.summaries import Labels
from mechatlas.pipeline import Project, load_project

CLAIM = "content/claims/test-diet-inhibits-test-pathway.yaml"
FIELDS = ("therapy", "effect", "pathway", "condition", "statement", "evidence", "genes",
          "outcome", "targets")
VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=12),
    st.lists(st.text(max_size=8), max_size=3),
    st.lists(st.dictionaries(st.sampled_from(["node", "effect", "design", "source", "id"]),
                             st.text(max_size=6) | st.integers(), max_size=3), max_size=2),
    st.dictionaries(st.sampled_from(["en", "zh", "x"]), st.text(max_size=10), max_size=2),
    st.dictionaries(st.integers() | st.booleans(), st.text(max_size=4), min_size=1, max_size=2),
)


@pytest.fixture(scope="module")
def sides(tmp_path_factory) -> tuple[Path, Project, Labels]:
    root = tmp_path_factory.mktemp("diff-property") / "repo"
    for name in ("schemas",):
        shutil.copytree(REPO / name, root / name)
    shutil.copytree(MINI / "content", root / "content")
    shutil.copy(MINI / "references.bib", root / "references.bib")
    return root, load_project(root), Labels.load(REPO / "docs_templates")


@settings(max_examples=30, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(FIELDS), value=VALUES, item=st.booleans())
def test_any_value_of_a_claim_field_is_reported_both_ways(sides, field, value, item):
    root, valid, labels = sides
    path = root / CLAIM
    original = path.read_text(encoding="utf-8")
    data = yaml.safe_load(original)
    if item and isinstance(data.get(field), list) and data[field]:
        data[field][0] = value
    else:
        data[field] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    try:
        changed = load_project(root)
    finally:
        path.write_text(original, encoding="utf-8")
    for old, new in ((valid, changed), (changed, valid)):
        diff = compare_projects(old, new, "HEAD", labels)
        for fmt in ("markdown", "github"):
            report = write_report(diff, labels, fmt)
            assert report.startswith("# Atlas changes since `HEAD`\n")
