"""Rules that make per-condition summaries possible: populations and node-level targets.

* ``studied_in.condition`` names a condition entry, or says ``other`` / ``not-stated``:
  the site decides directness from it, so a typo must not silently become "indirect".
* A claim on a pathway that declares ``nodes`` (AMPK/mTOR) says which node moves which
  way (``targets``), and names only declared nodes: no view may merge AMPK activation and
  mTOR inhibition into one arrow.
"""

from __future__ import annotations

from mechatlas.diagnostics import Diagnostic, error
from mechatlas.load.content import Entry
from mechatlas.model.entities import NOT_STATED, OTHER_POPULATION
from mechatlas.validate.links import IdIndex, did_you_mean

POPULATION_WORDS = (OTHER_POPULATION, NOT_STATED)


def pathway_nodes(entries: list[Entry]) -> dict[str, list[str]]:
    """Pathway id -> the node ids it declares (only pathways that declare some)."""
    found: dict[str, list[str]] = {}
    for entry in entries:
        data = entry.data if isinstance(entry.data, dict) else {}
        nodes = data.get("nodes")
        if entry.kind == "pathway" and isinstance(nodes, list) and isinstance(data.get("id"), str):
            found[data["id"]] = [n["id"] for n in nodes
                                 if isinstance(n, dict) and isinstance(n.get("id"), str)]
    return found


def check_evidence_rules(entry: Entry, ids: IdIndex,
                         nodes: dict[str, list[str]]) -> list[Diagnostic]:
    if entry.kind != "claim" or not isinstance(entry.data, dict):
        return []
    return [*_check_populations(entry, ids), *_check_targets(entry, nodes)]


def _check_populations(entry: Entry, ids: IdIndex) -> list[Diagnostic]:
    problems = []
    evidence = entry.data.get("evidence")
    for index, item in enumerate(evidence if isinstance(evidence, list) else ()):
        studied = item.get("studied_in") if isinstance(item, dict) else None
        value = studied.get("condition") if isinstance(studied, dict) else None
        if not isinstance(value, str) or value in POPULATION_WORDS:
            continue
        pointer = ("evidence", index, "studied_in", "condition")
        found = ids.kinds.get(value)
        if found == "condition":
            continue
        line, col = entry.document.position(pointer)
        hint = ids.suggest(value, ("condition",))
        problems.append(error(
            entry.path, line, col, "unknown-population",
            f"studied_in.condition '{value}' is no condition; use a condition id, "
            f"'{OTHER_POPULATION}' (another population or model, described in 'model') or "
            f"'{NOT_STATED}'{did_you_mean(hint)}"))
    return problems


def _check_targets(entry: Entry, nodes: dict[str, list[str]]) -> list[Diagnostic]:
    pathway = entry.data.get("pathway")
    declared = nodes.get(pathway) if isinstance(pathway, str) else None
    targets = entry.data.get("targets")
    doc = entry.document
    if declared and not targets:
        line, col = doc.position(("pathway",))
        return [error(entry.path, line, col, "missing-targets",
                      f"pathway '{pathway}' has nodes ({', '.join(declared)}): say which node "
                      f"moves which way, e.g. targets: "
                      f"[{{node: {declared[0]}, effect: activates}}]")]
    if not isinstance(targets, list):
        return []
    if not declared:
        line, col = doc.position(("targets",))
        return [error(entry.path, line, col, "unexpected-targets",
                      f"pathway '{pathway}' declares no nodes; remove 'targets' or add "
                      f"'nodes' to the pathway")]
    problems = []
    for index, target in enumerate(targets):
        node = target.get("node") if isinstance(target, dict) else None
        if isinstance(node, str) and node not in declared:
            line, col = doc.position(("targets", index, "node"))
            problems.append(error(entry.path, line, col, "unknown-node",
                                  f"'{node}' is not a node of pathway '{pathway}' "
                                  f"({', '.join(declared)})"))
    return problems
