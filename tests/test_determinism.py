"""The real repository builds to the same bytes whatever the machine around it.

Two copies of the repository's build inputs are made in temporary folders, one creating
its files in sorted order, the other in reverse order (so directory listings come back in
another order) and with other modification times. They are built with different hash seeds,
time zones and locales, SOURCE_DATE_EPOCH unset for both or set to the same value for both,
and every file of the two sites must be byte-identical. With SOURCE_DATE_EPOCH set, the only
date in the site is that one, in UTC; the wall clock appears nowhere.
"""

from __future__ import annotations

import datetime as dt
import difflib
import gzip
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sitebuild import tree_bytes

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
INPUTS = ("content", "references.bib", "schemas", "docs_templates", "docs", "hooks",
          "mkdocs.yml")
PAST_EPOCH = 1262347200  # 2010-01-01T12:00:00Z


def repository_files() -> list[Path]:
    files: list[Path] = []
    for name in INPUTS:
        path = REPO / name
        candidates = [path] if path.is_file() else path.rglob("*")
        files += [p for p in candidates if p.is_file() and "__pycache__" not in p.parts]
    return sorted(files)


def copy_repository(target: Path, *, reverse: bool, mtime: float | None = None) -> Path:
    """The build inputs of the real repository, files created in (reverse) sorted order."""
    files = repository_files()
    for source in reversed(files) if reverse else files:
        destination = target / source.relative_to(REPO)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
        if mtime is not None:
            os.utime(destination, (mtime, mtime))
    return target


def build(root: Path, site: Path, **env: str) -> dict[str, bytes]:
    """``mkdocs build --strict`` as ``sitebuild.mkdocs_build`` runs it, SOURCE_DATE_EPOCH
    inherited from no one: only what ``env`` says."""
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("SOURCE_DATE_EPOCH", "PYTHONHASHSEED", "TZ", "LC_ALL", "LANG")}
    environment |= {"NO_MKDOCS_2_WARNING": "1", **env}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
        cwd=root, env=environment, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-4000:]
    return tree_bytes(site)


def first_difference(first: dict[str, bytes], second: dict[str, bytes]) -> str | None:
    """A readable account of the first file that differs, or None."""
    only_first = sorted(set(first) - set(second))
    only_second = sorted(set(second) - set(first))
    if only_first or only_second:
        return (f"files only in the first site: {only_first[:10]}\n"
                f"files only in the second site: {only_second[:10]}")
    differing = [name for name in sorted(first) if first[name] != second[name]]
    if not differing:
        return None
    name = differing[0]
    a, b = first[name], second[name]
    if name.endswith(".gz"):
        inner = gzip.decompress(a) == gzip.decompress(b)
        header = f"gzip headers {a[:10].hex()} vs {b[:10].hex()}; contents " + (
            "identical" if inner else "differ")
        return f"{len(differing)} file(s) differ; first: {name}: {header}\nall: {differing[:20]}"
    try:
        left, right = a.decode("utf-8").splitlines(), b.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        at = next(i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y)
        return f"{len(differing)} file(s) differ; first: {name} (binary) at byte {at}"
    diff = list(difflib.unified_diff(left, right, "first/" + name, "second/" + name,
                                     lineterm="", n=1))
    excerpt = "\n".join(line[:200] for line in diff[:30])
    return f"{len(differing)} file(s) differ; first: {name}\n{excerpt}\nall: {differing[:20]}"


def utc_day(epoch: float) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).date().isoformat()


@pytest.mark.parametrize("source_date_epoch", ["unset", "set"])
def test_real_site_is_byte_identical_across_machines(tmp_path: Path, source_date_epoch: str):
    """Hash seed, time zone, locale, file order and mtimes change; the bytes do not.

    SOURCE_DATE_EPOCH is unset for both builds, or set to the same value for both (a
    moment whose UTC date differs from its date in Kiritimati, UTC+14)."""
    epoch = {"SOURCE_DATE_EPOCH": str(PAST_EPOCH)} if source_date_epoch == "set" else {}
    first_root = copy_repository(tmp_path / "first", reverse=False)
    second_root = copy_repository(tmp_path / "second", reverse=True, mtime=1_000_000_000)
    started = time.time()
    first = build(first_root, tmp_path / "site-first", PYTHONHASHSEED="1", TZ="UTC",
                  LC_ALL="C", LANG="C", **epoch)
    second = build(second_root, tmp_path / "site-second", PYTHONHASHSEED="2742",
                   TZ="Pacific/Kiritimati", LC_ALL="C.UTF-8", LANG="C.UTF-8", **epoch)
    if not epoch and utc_day(started) != utc_day(time.time()):
        pytest.skip("the builds straddled midnight (UTC): MkDocs' sitemap dates differ")
    assert len(first) > 100
    problem = first_difference(first, second)
    assert problem is None, problem
    if epoch:
        assert_dated_by_source_date_epoch(first)


def assert_dated_by_source_date_epoch(site: dict[str, bytes]) -> None:
    """The only date a build writes is SOURCE_DATE_EPOCH's, in UTC; never the wall clock."""
    day = utc_day(PAST_EPOCH)
    sitemap = site["sitemap.xml"].decode("utf-8")
    assert set(re.findall(r"<lastmod>([^<]+)</lastmod>", sitemap)) == {day}
    assert gzip.decompress(site["sitemap.xml.gz"]) == site["sitemap.xml"]
    midnight = dt.datetime.fromisoformat(day).replace(tzinfo=dt.UTC)
    assert int.from_bytes(site["sitemap.xml.gz"][4:8], "little") == int(midnight.timestamp())
    today = utc_day(time.time())
    dated = sorted(name for name, data in site.items()
                   if today.encode() in data or today.replace("-", "/").encode() in data)
    assert dated == [], f"today's date ({today}) is written into {dated}"
