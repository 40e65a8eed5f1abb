#!/usr/bin/env python3
"""A linear replacement for mkdocs-static-i18n's quadratic search de-duplication, and a way to
measure it: ``python benchmarks/i18n_dedupe.py [--patched] -- build --strict -d SITE``.

``ExtendedPlugin.reconfigure_search_duplicates`` (mkdocs-static-i18n 1.3.1) compares every
search entry of the default language with every entry of the other languages
(``filter(lambda …)`` inside a loop over entries): sections² comparisons, the largest single
cost of a 10,000-claim build. ``reconfigure_search: false`` would skip it but also drops the
other languages from the search configuration (``lang: [en]`` instead of ``[en, zh]``), so the
fix belongs in the de-duplication itself: index the other languages' entries by
``(title, text)`` once, then look each default-language entry up. The entries removed are the
same (an entry whose location ends with the default entry's location and whose title and text
are equal), in the same order — except that the original, which removes from the list it is
still iterating over, can skip an entry after a removal; on this site nothing is removed.
"""

from __future__ import annotations

import sys
from typing import Any


def reconfigure_search_duplicates(self: Any, search_index_entries: list[dict]) -> None:
    prefixes = tuple(f"{lang}/" for lang in self.build_languages)
    by_content: dict[tuple[str, str], list[dict]] = {}
    for entry in search_index_entries:
        if entry["location"].startswith(prefixes):
            by_content.setdefault((entry["title"], entry["text"]), []).append(entry)
    if not by_content:
        return
    duplicates: list[dict] = []
    seen: set[int] = set()
    for entry in search_index_entries:
        if entry["location"].startswith(prefixes):
            continue
        for other in by_content.get((entry["title"], entry["text"]), ()):
            if id(other) not in seen and other["location"].endswith(entry["location"]):
                seen.add(id(other))
                duplicates.append(other)
    if duplicates:
        search_index_entries[:] = [e for e in search_index_entries if id(e) not in seen]


def patch() -> None:
    from mkdocs_static_i18n.reconfigure import ExtendedPlugin

    ExtendedPlugin.reconfigure_search_duplicates = reconfigure_search_duplicates


if __name__ == "__main__":
    args = sys.argv[1:]
    if args and args[0] == "--patched":
        patch()
        args = args[1:]
    if args and args[0] == "--":
        args = args[1:]
    from mkdocs.__main__ import cli

    sys.argv = ["mkdocs", *args]
    cli()
