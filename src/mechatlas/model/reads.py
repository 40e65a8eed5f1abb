"""A log of what a page read while it was rendered: the dependency trace of that page.

A read is a token, a tuple of strings naming one question asked of the input ("the entity
``ampk-mtor``", "the claims of ``ketogenic-diet``", "the template ``therapy.md.j2``").
Rendering records them; the build core later asks each question again of the edited input
and re-renders exactly the pages whose answers changed (``mechatlas.site.tracking``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from _collections_abc import dict_items, dict_keys, dict_values

Token = tuple[str, ...]
V = TypeVar("V")


class ReadLog:
    """Nested recording scopes: a read is added to every open scope (page, and claim card)."""

    def __init__(self) -> None:
        self._scopes: list[set[Token]] = []
        self._paused = 0

    @property
    def active(self) -> bool:
        return bool(self._scopes) and not self._paused

    def read(self, token: Token) -> None:
        if self._scopes and not self._paused:
            for scope in self._scopes:
                scope.add(token)

    def extend(self, tokens: Iterable[Token]) -> None:
        """Replay the reads of a fragment rendered earlier and reused here (a claim card)."""
        if self._scopes and not self._paused:
            for scope in self._scopes:
                scope.update(tokens)

    @contextmanager
    def scope(self) -> Iterator[set[Token]]:
        reads: set[Token] = set()
        self._scopes.append(reads)
        try:
            yield reads
        finally:
            self._scopes.pop()

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Inside a query that is itself recorded as one token: its own look-ups are not."""
        self._paused += 1
        try:
            yield
        finally:
            self._paused -= 1


class RecordingDict(dict[str, V]):
    """A dict whose look-ups are reads of ``(*prefix, key)``; a walk over it reads it all."""

    def __init__(self, data: Mapping[str, V], prefix: Token, whole: Token,
                 log: ReadLog) -> None:
        super().__init__(data)
        self._prefix, self._whole, self._log = prefix, whole, log

    def __getitem__(self, key: str) -> V:
        self._log.read((*self._prefix, key))
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self._log.read((*self._prefix, key))
        return super().get(key, default)

    def __contains__(self, key: object) -> bool:
        # Only whether the key is there: a narrower read than its value.
        self._log.read(("has", *self._prefix, str(key)))
        return super().__contains__(key)

    def __iter__(self) -> Iterator[str]:
        self._log.read(self._whole)
        return super().__iter__()

    def __bool__(self) -> bool:
        self._log.read(("nonempty", *self._whole))  # whether there is any, not which
        return super().__len__() > 0

    def __len__(self) -> int:
        self._log.read(self._whole)
        return super().__len__()

    def keys(self) -> dict_keys[str, V]:
        self._log.read(self._whole)
        return super().keys()

    def values(self) -> dict_values[str, V]:
        self._log.read(self._whole)
        return super().values()

    def items(self) -> dict_items[str, V]:
        self._log.read(self._whole)
        return super().items()
