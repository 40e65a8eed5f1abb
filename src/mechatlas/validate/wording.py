"""Wording as a reader will see it: doubled phrases and self-repeating parentheses.

Entry text is read after link substitution (``[[id]]`` becomes the words the page
prints), because that is where "pathway pathway" and "Acupuncture (including
electroacupuncture), including electroacupuncture" come from. Problems are
warnings at the text's own line: the page still builds, ``--strict`` fails.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from mechatlas.diagnostics import Diagnostic, warning
from mechatlas.load.content import Entry
from mechatlas.model.bilingual import Pointer, Texts, bilingual_texts
from mechatlas.model.kinds import ENTITY_KINDS, LANGUAGES
from mechatlas.model.link_text import LinkName, link_names, plain_text
from mechatlas.model.wording import wording_faults

_CONTEXT = 30


def entry_link_names(entries: list[Entry]) -> dict[str, LinkName]:
    """What each link target's ``[[id]]`` says, read from the entries as written."""
    entities: dict[str, LinkName] = {}
    claims: dict[str, tuple[str, str]] = {}
    for entry in entries:
        data = entry.data if isinstance(entry.data, dict) else {}
        entry_id = data.get("id")
        if not isinstance(entry_id, str):
            continue
        if entry.kind in (*ENTITY_KINDS, "source"):
            entities[entry_id] = LinkName.of(data)
        elif entry.kind == "claim" and isinstance(data.get("therapy"), str) \
                and isinstance(data.get("pathway"), str):
            claims[entry_id] = (data["therapy"], data["pathway"])
    return link_names(entities, claims)


def check_wording(entry: Entry, names: Mapping[str, LinkName],
                  texts: Texts | None = None) -> list[Diagnostic]:
    """``texts``: the entry's bilingual texts when the caller has already walked them."""
    problems: list[Diagnostic] = []
    for pointer, lang, text in _texts(bilingual_texts(entry.data) if texts is None else texts):
        rendered = plain_text(text, names, lang)
        where = ".".join(str(p) for p in (*pointer, lang))
        line, col = entry.document.position((*pointer, lang))
        for fault in wording_faults(rendered):
            start = max(0, fault.offset - _CONTEXT)
            context = rendered[start:fault.offset + len(fault.words) + _CONTEXT].replace("\n", " ")
            problems.append(warning(entry.path, line, col, fault.code,
                                    f"{where} {fault.describe()} as the page prints it: "
                                    f"“…{context}…”; reword it or write [[id|your words]]"))
    return problems


def _texts(texts: Iterable[tuple[Pointer, dict[str, Any]]],
           ) -> Iterator[tuple[Pointer, str, str]]:
    """Each language's string of every bilingual text, with its path."""
    for where, text in texts:
        for lang in LANGUAGES:
            if isinstance(text.get(lang), str):
                yield where, lang, text[lang]
