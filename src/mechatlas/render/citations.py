"""Citation numbers, assigned in a second pass over a rendered page.

While Jinja evaluates a page, a citation is only a slot naming its key; the
page's reference list is a marker. Once the whole page is text, the slots are
numbered in reading order and the list is filled in, as mkdocs-autorefs fixes
references after every page is read. So the order in which templates include
their partials (or reuse a claim card rendered for another page) never changes
a number, and the number a reader clicks is the number of the list entry it
lands on (docs/decisions/0013).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markupsafe import Markup, escape

_SLOT = re.compile("\ue020([^\ue021\ue022]*)\ue022([^\ue021]*)\ue021")
LIST_MARKER = "\ue023"
"""Where the page's own reference list goes, once its entries are known."""

CiteRenderer = Callable[[str, str, int, bool], str]
"""(key, suffix, number, the page has its own list) -> the citation's HTML."""
ListRenderer = Callable[[list[tuple[int, str]]], str]
"""[(number, key), …] in number order -> the reference list's HTML."""


def cite_slot(key: str, suffix: str = "") -> str:
    """A citation whose number is not known yet (safe inside HTML text)."""
    return f"\ue020{escape(key)}\ue022{escape(suffix)}\ue021"


def list_marker() -> Markup:
    return Markup(LIST_MARKER)


def number_citations(text: str, render_cite: CiteRenderer, render_list: ListRenderer) -> str:
    """Number every slot in order of first appearance and put the list at its marker."""
    numbers: dict[str, int] = {}
    has_list = LIST_MARKER in text

    def replace(match: re.Match[str]) -> str:
        key = Markup(match.group(1)).unescape()
        number = numbers.setdefault(key, len(numbers) + 1)
        return render_cite(key, Markup(match.group(2)).unescape(), number, has_list)

    body = _SLOT.sub(replace, text)
    if not has_list:
        return body
    return body.replace(LIST_MARKER, render_list([(n, k) for k, n in numbers.items()]))
