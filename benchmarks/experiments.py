#!/usr/bin/env python3
"""Before/after measurements of the fixes proposed in docs/decisions/0006-performance.md.

Each fix is applied by patching one function of the installed ``mechatlas`` package in this
process only (src/ is not changed), then the generator or ``load_project`` is timed again and
its output compared with the unpatched output:

* ``relative``  — urls.relative by string arithmetic on the URL segments, memoised, instead of
  ``posixpath.relpath`` (which normalises and calls ``os.getcwd`` on every link);
* ``rivals``    — views.rival_groups with a reverse index of ``competes_with`` built once per
  atlas, instead of scanning every claim for every claim of a therapy (quadratic);
* ``check cache`` — not a patch but an estimate: what ``mechatlas check`` would cost on a
  repository whose files are unchanged since the last check, if each file's parse, schema and
  text results and the ids and keys it refers to were kept in a per-file cache (keyed by
  size and mtime): stat every file, load the cache, re-check every reference against the
  current ids and keys.

Run it on the same code as run.py measured, e.g. ``PYTHONPATH=/tmp/bench/pkg``.

    python benchmarks/experiments.py --claims 1000 [--root REPO] [--repeat 2]

Prints a table and, as the last line, one JSON object. CPU seconds of this process are
reported (robust when other jobs share the machine), wall seconds beside them.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import pickle
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import mechatlas.pipeline as pipeline  # noqa: E402
import mechatlas.render.prose as prose  # noqa: E402
import mechatlas.render.urls as urls  # noqa: E402
import mechatlas.render.views as views  # noqa: E402
import mechatlas.validate.schema as schema  # noqa: E402
import run  # noqa: E402
import synthetic  # noqa: E402
from mechatlas.site.generate import render_files  # noqa: E402

# --- the fixes ---------------------------------------------------------------------------------

_original_relative = urls.relative


@functools.lru_cache(maxsize=1 << 18)
def fast_relative(from_url: str, to_url: str) -> str:
    """Same result as urls.relative for site-relative URLs ("", "a/", "a/b/", "a/b/#x")."""
    anchor = ""
    if "#" in to_url:
        to_url, anchor = to_url.split("#", 1)
        anchor = f"#{anchor}"
    base = [p for p in from_url.rstrip("/").split("/") if p] if from_url.strip("/") else []
    target = [p for p in to_url.rstrip("/").split("/") if p] if to_url.strip("/") else []
    common = 0
    while common < min(len(base), len(target)) and base[common] == target[common]:
        common += 1
    parts = [".."] * (len(base) - common) + target[common:]
    if not parts:
        return anchor or "./"
    rel = "/".join(parts)
    return f"{rel}/{anchor}" if to_url.endswith("/") or to_url == "" else f"{rel}{anchor}"


_original_rival_groups = views.rival_groups
_rivals_index: dict[int, tuple[Any, dict[str, set[str]]]] = {}


def indexed_rival_groups(claims: list, atlas: Any) -> list[list]:
    """views.rival_groups with the reverse ``competes_with`` index computed once per atlas."""
    cached = _rivals_index.get(id(atlas))
    if cached is None or cached[0] is not atlas:
        linked: dict[str, set[str]] = defaultdict(set)
        for claim in atlas.claims.values():
            for other in claim.competes_with:
                linked[claim.id].add(other)
                linked[other].add(claim.id)
        cached = (atlas, linked)
        _rivals_index[id(atlas)] = cached
    linked = cached[1]
    ids = {c.id for c in claims}
    groups: list[list] = []
    seen: set[str] = set()
    for claim in sorted(claims, key=lambda c: c.id):
        if claim.id in seen:
            continue
        members = {claim.id}
        frontier = [claim.id]
        while frontier:
            current = frontier.pop()
            for other in sorted(linked.get(current, set()) - members):
                members.add(other)
                frontier.append(other)
        if len(members) > 1 and members & ids:
            seen |= members
            groups.append(sorted((atlas.claims[i] for i in members), key=lambda c: c.id))
    return groups


FIXES: dict[str, tuple[Any, str, Callable, Callable]] = {
    "relative": (urls, "relative", _original_relative, fast_relative),
    "rivals": (views, "rival_groups", _original_rival_groups, indexed_rival_groups),
}


def cold() -> None:
    """Empty every in-process cache, so each run costs what a fresh build process pays."""
    fast_relative.cache_clear()
    _rivals_index.clear()
    prose.sanitise_markdown.cache_clear()
    for name in ("_bundled", "_validators"):
        getattr(getattr(schema, name, None), "cache_clear", lambda: None)()


def apply(names: set[str]) -> None:
    for name, (module, attr, original, fixed) in FIXES.items():
        setattr(module, attr, fixed if name in names else original)
    cold()


# --- measuring ----------------------------------------------------------------------------------

def timed(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    cold()
    start, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.process_time() - cpu, time.perf_counter() - start


def best(fn: Callable[[], Any], repeat: int) -> tuple[Any, float, float]:
    runs = [timed(fn) for _ in range(repeat)]
    return runs[-1][0], min(r[1] for r in runs), min(r[2] for r in runs)


def _references(entry: Any) -> tuple[list[str], list[str]]:
    """Ids and citation keys one entry refers to (the inputs of its cross-file checks)."""
    from mechatlas.model.prose_tokens import cited_keys, links_in

    ids: list[str] = []
    keys: list[str] = []

    def walk(value: Any, field: str) -> None:
        if isinstance(value, dict):
            for key, child in value.items():
                walk(child, key)
        elif isinstance(value, list):
            for child in value:
                walk(child, field)
        elif isinstance(value, str):
            if field in ("en", "zh"):
                ids.extend(links_in(value))
                keys.extend(cited_keys(value))
            elif field in ("cite", "primary", "sources"):
                keys.append(value)
            elif field != "id":
                ids.append(value)  # over-approximation: every other string may be an id

    walk(entry.data, "")
    return sorted(set(ids)), sorted(set(keys))


def check_cache(root: Path, project: Any) -> dict[str, Any]:
    """What a per-file cache would hold after one full check."""
    files = {}
    by_path = {e.path: e for e in project.entries}
    for path in sorted((root / "content").rglob("*.yaml")):
        rel = path.relative_to(root).as_posix()
        stat = path.stat()
        entry = by_path.get(rel)
        refs = _references(entry) if entry else ([], [])
        files[rel] = (stat.st_size, stat.st_mtime_ns, entry.kind if entry else None,
                      entry.data.get("id") if entry else None, refs,
                      [d for d in project.diagnostics if d.path == rel])
    bib = (root / "references.bib").stat()
    return {"files": files, "bib": (bib.st_size, bib.st_mtime_ns),
            "keys": sorted(project.references)}


def warm_check(root: Path, cache_file: Path) -> tuple[bool, int]:
    """Stat every file, load the cache, re-check every cached reference: no file parsed."""
    cache = pickle.loads(cache_file.read_bytes())
    files = cache["files"]
    unchanged = True
    for dirpath, _dirs, names in os.walk(root / "content"):
        for name in names:
            stat = os.stat(os.path.join(dirpath, name))
            rel = os.path.relpath(os.path.join(dirpath, name), root)
            cached = files.get(rel)
            if cached is None or cached[0] != stat.st_size or cached[1] != stat.st_mtime_ns:
                unchanged = False
    bib = (root / "references.bib").stat()
    unchanged &= cache["bib"] == (bib.st_size, bib.st_mtime_ns)
    ids = {v[3] for v in files.values() if v[3]}
    keys = set(cache["keys"])
    missing = 0
    for _size, _mtime, _kind, _id, (refs, cites), _diags in files.values():
        missing += sum(1 for r in refs if r not in ids) + sum(1 for k in cites if k not in keys)
    return unchanged, len(files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=1000)
    parser.add_argument("--root", type=Path, help="an existing synthetic repository")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--seed", type=int, default=20240601)
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="mechatlas-exp-"))
    try:
        root = args.root
        if root is None:
            root = work / "repo"
            run.copy_repository(root)
            synthetic.write_repository(root, args.claims, args.seed)
        rows: list[tuple[str, float, float, str]] = []

        # the generator, every fix alone and all together
        apply(set())
        baseline, cpu, wall = best(lambda: render_files(root), args.repeat)
        assert baseline.project.ok
        rows.append(("render_files: as is", cpu, wall, "—"))
        results: dict[str, Any] = {"render_files": {"baseline": [cpu, wall]}}
        for combo in (["relative"], ["rivals"], ["relative", "rivals"]):
            apply(set(combo))
            patched, cpu, wall = best(lambda: render_files(root), args.repeat)
            same = "identical" if patched.files == baseline.files else "DIFFERENT"
            rows.append((f"render_files: + {' + '.join(combo)}", cpu, wall, same))
            results["render_files"]["+".join(combo)] = [cpu, wall, same]
        apply(set())

        # check: load_project as mechatlas check calls it, then a warm per-file cache
        project, cpu, wall = best(lambda: pipeline.load_project(root, build_model=False),
                                  args.repeat)
        rows.append(("load_project (as check calls it)", cpu, wall,
                     f"{len(project.diagnostics)} diagnostics"))
        results["load_project"] = [cpu, wall]
        cache_file = work / "check-cache.pickle"
        cache_file.write_bytes(pickle.dumps(check_cache(root, project), protocol=5))
        (ok, n), cpu, wall = best(lambda: warm_check(root, cache_file), args.repeat)
        rows.append((f"check from a warm per-file cache ({cache_file.stat().st_size // 1024} KiB)",
                     cpu, wall, f"{n} files, {'all unchanged' if ok else 'CHANGED'}"))
        results["warm_check"] = [cpu, wall]
    finally:
        shutil.rmtree(work, ignore_errors=True)

    width = max(len(r[0]) for r in rows)
    print(f"{'measurement':<{width}}  {'CPU s':>8}  {'wall s':>8}  output")
    for name, cpu, wall, note in rows:
        print(f"{name:<{width}}  {cpu:8.2f}  {wall:8.2f}  {note}")
    print(json.dumps({"claims": args.claims, **results}, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
