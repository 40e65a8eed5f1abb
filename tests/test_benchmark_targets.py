"""The benchmark's target rows name the size each figure was measured at (issue 13, item 6)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import targets


def _result(claims: int, build: float, plain: float, check: float) -> dict[str, float | int]:
    return {"claims": claims, "build_cpu_s": build, "plain_cpu_s": plain, "check_cpu_s": check,
            "generator_cpu_s": build / 10, "build_peak_mib": 300, "check_peak_mib": 100,
            "generator_peak_mib": 200}


def test_a_target_stated_at_10000_claims_is_never_met_by_a_1000_claim_run():
    figures = targets.measured({1000: _result(1000, 9.0, 10.0, 0.5)}, "cpu")
    assert figures["check_s"] == {"value": 0.5, "at_claims": 1000, "stated_at": 10000,
                                  "met": None}
    assert figures["build_vs_plain"]["met"] is True
    lines = targets.target_lines(figures).splitlines()
    check = next(line for line in lines if "mechatlas check" in line)
    assert "at 1,000 claims" in check and "not measured there" in check


def test_each_figure_is_taken_at_the_size_its_target_is_stated_at():
    figures = targets.measured({1000: _result(1000, 12.0, 10.0, 0.5),
                                10000: _result(10000, 280.0, 200.0, 3.0)}, "cpu")
    assert figures["build_vs_plain"]["at_claims"] == 1000
    assert figures["build_vs_plain"]["met"] is False  # 1.2x at 1,000 claims
    assert (figures["build_s"]["value"], figures["build_s"]["met"]) == (280.0, True)
    assert (figures["check_s"]["value"], figures["check_s"]["met"]) == (3.0, False)
    assert figures["search_query_kib"] == {"value": None, "at_claims": None,
                                           "stated_at": 1000, "met": None}


def test_page_weight_search_and_lighthouse_figures_are_read_from_their_measurements():
    result = {**_result(1000, 9.0, 10.0, 0.5), "search_en_kib": 385.0, "search_zh_kib": 429.0,
              "page_weight": {"heaviest_page_bytes": 1.5 * 2**20},
              "lighthouse": {"therapy": {"page": "therapies/x/", "score": 93},
                             "matrix": {"page": "matrix/", "score": 88}}}
    figures = targets.measured({1000: result}, "cpu")
    assert (figures["search_query_kib"]["value"], figures["search_query_kib"]["met"]) == (
        429.0, True)
    assert (figures["heaviest_page_kib"]["value"], figures["heaviest_page_kib"]["met"]) == (
        1536.0, False)
    assert (figures["lighthouse_min"]["value"], figures["lighthouse_min"]["met"]) == (88, False)


def test_the_generator_worker_measures_the_build_core_as_it_is(mini_repo, tmp_path):
    """The worker times the core's parts by name; a part moved elsewhere would stop it."""
    import json
    import subprocess

    out = tmp_path / "generator.json"
    worker = Path(__file__).resolve().parent.parent / "benchmarks" / "workers.py"
    subprocess.run([sys.executable, str(worker), "generator", str(mini_repo), str(out)],
                   check=True, capture_output=True)
    report = json.loads(out.read_text("utf-8"))
    assert report["ok"] and report["pages"]
    assert {"read_entries", "load_project", "export_files"} <= set(report["stages_s"])
