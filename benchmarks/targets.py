"""The project's performance targets, and each one's figure at the size it was measured at.

A target is stated at one size (1,000 or 10,000 claims). A run that did not reach that size
still reports the figure at the largest size it measured, and says so in the row, so a
1,000-claim run never passes for a 10,000-claim result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Figure = Callable[[dict[str, Any], str], Any]
"""(one size's result, clock) -> the figure, or None when that run did not measure it."""


def _time(result: dict[str, Any], name: str, clock: str) -> float:
    if name == "plain_build":
        return float(result["plain_cpu_s" if clock == "cpu" else "plain_build_s"])
    return float(result[f"{name}_cpu_s" if clock == "cpu" else f"{name}_s"])


def _served(key: str) -> Figure:
    """Edit to view in ``mkdocs serve``: the server's CPU seconds (or wall), slower edit."""
    def figure(result: dict[str, Any], clock: str) -> Any:
        served = result.get(key) or {}
        if "error" in served:
            return None
        return served.get("edit_server_cpu_max_s" if clock == "cpu" else "edit_to_view_max_s")
    return figure


def _peak(result: dict[str, Any], clock: str) -> Any:
    keys = ("build_peak_mib", "check_peak_mib", "generator_peak_mib")
    return max(result[k] for k in keys) if all(k in result for k in keys) else None


def _worst_lighthouse(result: dict[str, Any]) -> Any:
    """The lowest performance score over the page kinds Lighthouse scored at this size."""
    scored = result.get("lighthouse") or {}
    scores = [kind["score"] for kind in scored.values() if isinstance(kind, dict)
              and "score" in kind]
    return min(scores) if scores else None


@dataclass(frozen=True)
class Target:
    key: str
    label: str
    limit: str
    at_claims: int
    figure: Figure
    met: Callable[[float], bool]
    unit: str
    spec: str = ".2f"

    def shown(self, value: Any) -> str:
        if value is None:
            return "—"
        if self.unit == "%":
            return f"{100 * value:{self.spec}} %"
        return f"{value:{self.spec}}{self.unit}"


TARGETS = (
    Target("build_vs_plain", "whole build / plain MkDocs on the same pages", "<= 1.0x", 1000,
           lambda r, c: _time(r, "build", c) / _time(r, "plain_build", c),
           lambda v: v <= 1.0 + 1e-9, "x"),
    Target("edit_to_view_s", "mkdocs serve, edit to view", "<= 2 s", 1000,
           _served("serve"), lambda v: v <= 2.0, " s", ".1f"),
    Target("edit_to_view_dirty_s", "mkdocs serve --dirty, edit to view", "<= 2 s", 1000,
           _served("serve_dirty"), lambda v: v <= 2.0, " s", ".1f"),
    Target("search_query_kib", "search download for one query (larger of en, zh)", "<= 500 KiB",
           1000,
           lambda r, c: max(r["search_en_kib"], r["search_zh_kib"]) if "search_en_kib" in r
           else None, lambda v: v <= 500, " KiB", ".0f"),
    Target("heaviest_page_kib", "heaviest page (HTML)", "< 1 MiB", 1000,
           lambda r, c: r["page_weight"]["heaviest_page_bytes"] / 1024
           if "page_weight" in r else None, lambda v: v < 1024, " KiB", ".0f"),
    Target("build_s", "whole build", "<= 300 s", 10000,
           lambda r, c: _time(r, "build", c), lambda v: v <= 300, " s", ".0f"),
    Target("peak_mib", "peak memory", "< 1 GiB", 10000, _peak, lambda v: v < 1024, " MiB",
           ".0f"),
    Target("check_s", "mechatlas check", "< 2 s", 10000,
           lambda r, c: _time(r, "check", c), lambda v: v < 2.0, " s"),
    Target("lighthouse_min", "Lighthouse mobile performance, worst page kind", ">= 90", 1000,
           lambda r, c: _worst_lighthouse(r), lambda v: v >= 90, "", ".0f"),
    Target("generator_share", "generator share of the whole build", "< 10 %", 10000,
           lambda r, c: _time(r, "generator", c) / _time(r, "build", c),
           lambda v: v < 0.10, "%", ".1f"),
)


def measured(results: dict[int, dict[str, Any]], clock: str) -> dict[str, dict[str, Any]]:
    """Each target's figure: at its stated size when the run measured that size, else at the
    largest size that has the figure; ``at_claims`` always says which."""
    out: dict[str, dict[str, Any]] = {}
    for target in TARGETS:
        sizes = [target.at_claims] if target.at_claims in results else []
        sizes += sorted((n for n in results if n != target.at_claims), reverse=True)
        value, size = None, None
        for n in sizes:
            try:
                value = target.figure(results[n], clock)
            except (KeyError, ZeroDivisionError):
                value = None
            if value is not None:
                size = n
                break
        out[target.key] = {"value": value, "at_claims": size, "stated_at": target.at_claims,
                           "met": None if value is None or size != target.at_claims
                           else bool(target.met(float(value)))}
    return out


def target_lines(figures: dict[str, dict[str, Any]]) -> str:
    """One line per target: what, limit, figure, the size it was measured at, verdict."""
    lines = []
    for target in TARGETS:
        f = figures[target.key]
        size = f["at_claims"]
        where = "—" if size is None else f"at {size:,} claims"
        if f["value"] is None:
            state = "not measured"
        elif size != target.at_claims:
            state = f"stated at {target.at_claims:,} claims: not measured there"
        else:
            state = "met" if f["met"] else "MISSED"
        lines.append(f"  {target.label + f' ({target.at_claims:,} claims)':<62} "
                     f"{target.limit:>10}  {target.shown(f['value']):>10}  {where:<18} {state}")
    return "\n".join(lines)
