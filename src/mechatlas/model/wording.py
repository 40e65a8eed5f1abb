"""Wording faults a reader sees in rendered text: doubled words, self-repeating parentheses.

These are the faults link insertion produces ("pathway pathway", "通路通路",
"Acupuncture (including electroacupuncture), including electroacupuncture").
The same functions check entry text in ``mechatlas check`` (after link
substitution) and the built site in the tests, so both agree on what a fault is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mechatlas.model.han import HAN_RANGES

MAX_DEPTH = 2
"""Parentheses nested deeper than this (three levels) are reported."""

_LATIN_REPEAT = re.compile(
    r"(?<![\w\-/])([A-Za-z][\w\-–/κβαγ]*(?:[ \t]+[\w\-–/κβαγ]+){0,5})[ \t]+\1(?![\w\-/])",
    re.IGNORECASE)
_HAN_REPEAT = re.compile(f"([{HAN_RANGES}]{{2,12}})\\1")
_LATIN_LETTER = re.compile(r"[A-Za-z]", re.IGNORECASE)  # as the repeat sees letters (ſ, K)
_HAN = re.compile(f"[{HAN_RANGES}]")
_PARENTHESIS = re.compile("[()（）]")
_OPEN, _CLOSE = "(（", ")）"
_WORD_EDGE = "\"'“”‘’,，、;；:：.。!?！？"
_EDGE = re.compile(r"^[\s,，、;；:：.。]+")


@dataclass(frozen=True)
class WordingFault:
    """One fault: its code, the words concerned and where in the text they start."""

    code: str
    words: str
    offset: int

    def describe(self) -> str:
        if self.code == "doubled-words":
            return f"'{self.words}' is doubled"
        if self.code == "self-repeating-parenthesis":
            return f"'{self.words}' repeats itself in or around its parentheses"
        return f"parentheses nested {MAX_DEPTH + 1} deep around '{self.words}'"


def wording_faults(text: str) -> list[WordingFault]:
    """Every doubled phrase, self-repeating parenthesis and over-deep nesting in ``text``."""
    faults = [*_doubled(text), *_parenthesis_faults(text)]
    return sorted(faults, key=lambda f: (f.offset, f.code))


def _doubled(text: str) -> list[WordingFault]:
    found = []
    # A Latin repeat needs a letter and a space or tab between its copies, a Han repeat a Han
    # character: most texts lack one of them and skip the slower scan.
    if ("\t" in text or " " in text) and _LATIN_LETTER.search(text):
        for match in _LATIN_REPEAT.finditer(text):
            words = match.group(1)
            if len(words) > 1 and not words.replace(" ", "").isdigit():
                found.append(WordingFault("doubled-words", words, match.start()))
    if _HAN.search(text):
        for match in _HAN_REPEAT.finditer(text):
            found.append(WordingFault("doubled-words", match.group(1), match.start()))
    return found


def _parenthesis_faults(text: str) -> list[WordingFault]:
    found: list[WordingFault] = []
    stack: list[int] = []
    reported_depth = False
    for match in _PARENTHESIS.finditer(text):  # only the parentheses, not every character
        index, char = match.start(), match.group()
        if char in _OPEN:
            stack.append(index)
            if len(stack) > MAX_DEPTH and not reported_depth:
                found.append(WordingFault("nested-parentheses", _inner(text, index), index))
                reported_depth = True
        elif char in _CLOSE and stack:
            start = stack.pop()
            if not stack:
                reported_depth = False
            inside = text[start + 1:index]
            if _repeats(text[:start], inside, text[index + 1:]):
                found.append(WordingFault("self-repeating-parenthesis", inside.strip(), start))
    return found


def _inner(text: str, index: int) -> str:
    end = min((p for p in (text.find(c, index) for c in _CLOSE) if p != -1), default=len(text))
    return text[index + 1:end].strip()


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def _repeats(before: str, inside: str, after: str) -> bool:
    """The parenthesis restates the words just before it, or the words after restate it."""
    inner = _fold(inside)
    if len(inner) < 2:
        return False
    head = _fold(before)
    if head.endswith(inner):
        return True
    tail = _fold(_EDGE.sub("", after))
    if len(inner) >= 4 and tail.startswith(inner):
        return True
    last_word = head.rsplit(" ", 1)[-1].strip(_WORD_EDGE)
    first_word = inner.split(" ", 1)[0].strip(_WORD_EDGE)
    return last_word == first_word and len(first_word) > 2 and not first_word.isdigit()
