"""The real repository builds to the same bytes whatever the machine around it.

The session's shared build of the real repository (tests/conftest.py) is compared with a
second build of another copy, whose files are created in reverse order (so directory
listings come back in another order) with other modification times, built with another
hash seed, time zone and locale: every file must be byte-identical, and the only date in
the site is SOURCE_DATE_EPOCH's, in UTC; the wall clock appears nowhere. (With
SOURCE_DATE_EPOCH unset, the hook takes it from git; the mini-repository test in
test_build.py covers that case without git.)
"""

from __future__ import annotations

import datetime as dt
import difflib
import gzip
import re
import time
from pathlib import Path

import pytest

from sitebuild import PAST_EPOCH, tree_bytes

pytestmark = pytest.mark.slow

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


def test_real_site_is_byte_identical_across_machines(real_site: Path,
                                                      real_site_elsewhere: Path):
    """The shared build (machine A: files in sorted order, hash seed 1, UTC, C locale) and a
    build on machine B (files created in reverse order with other mtimes, another seed, the
    Kiritimati time zone (UTC+14), a UTF-8 locale; tests/conftest.py) give the same bytes;
    the only date in them is SOURCE_DATE_EPOCH's, a moment whose UTC date differs from
    Kiritimati's."""
    first, second = tree_bytes(real_site), tree_bytes(real_site_elsewhere)
    assert len(first) > 100
    # the search index too: content-hashed chunks, result fragments, per-language metadata
    assert {"pagefind/pagefind-entry.json", "pagefind/pagefind.js"} <= set(first)
    assert sum(name.startswith("pagefind/fragment/") for name in first) > 100
    problem = first_difference(first, second)
    assert problem is None, problem
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
