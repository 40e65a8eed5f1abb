""""Did you mean": the existing id or key closest to a misspelt or renamed one.

``difflib.get_close_matches`` alone ranks by character overlap, which fails the commonest
case, a rename: ``mtor-signalling`` renamed ``mtor`` scored closest to
``adenosine-signalling``. Two more signals fix that: ids whose hyphenated words contain one
another (``mtor`` ⊂ ``mtor-signalling``) count as close, and an id nothing refers to yet (the
new name of a renamed entry, which every old reference still misses) is preferred.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable

CUTOFF = 0.6
_UNREFERENCED_BONUS = 0.3
_WORDS_CONTAINED = 0.75


def _words(identifier: str) -> set[str]:
    return set(identifier.split("-"))


def similarity(wanted: str, candidate: str) -> float:
    """0..1: character overlap, or one word more or less (``mtor`` and ``mtor-signalling``)."""
    ratio = difflib.SequenceMatcher(None, wanted, candidate).ratio()
    mine, theirs = _words(wanted), _words(candidate)
    shared = mine & theirs
    if shared and len(mine ^ theirs) == 1 and sum(map(len, shared)) >= 3:
        ratio = max(ratio, _WORDS_CONTAINED)
    return ratio


def closest(wanted: str, pool: Iterable[str],
            unreferenced: Collection[str] = ()) -> str | None:
    """The best candidate above the cutoff; ties go to the alphabetically first.

    An unreferenced candidate gets a bonus only if it shares a word with the wanted id or
    half its characters, so that an unrelated new entry is never proposed.
    """
    best: tuple[float, str] | None = None
    for candidate in pool:
        if candidate == wanted:
            continue
        score = similarity(wanted, candidate)
        related = score >= 0.5 or bool(_words(wanted) & _words(candidate))
        if candidate in unreferenced and related:
            score += _UNREFERENCED_BONUS
        if score >= CUTOFF and (best is None or (-score, candidate) < (-best[0], best[1])):
            best = (score, candidate)
    return best[1] if best else None
