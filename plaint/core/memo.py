"""Reads remembered for the length of a block, for work that repeats them many times over.

The clock sweep acts on a hundred complaints in one transaction; each expiry tells the same
managers, checks the same notification preferences and looks up the same organisation's webhook
endpoints. Within ``memoised()`` such a read is done once per key; outside it, ``memo`` simply
reads. Only reads that cannot change within the block belong here (the block is one transaction).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

_memo: ContextVar[dict[Hashable, object] | None] = ContextVar("memo", default=None)


@contextmanager
def memoised() -> Iterator[None]:
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def memo(key: Hashable, load: Callable[[], T]) -> T:
    """``load()``, once per ``key`` within a ``memoised()`` block."""
    cache = _memo.get()
    if cache is None:
        return load()
    if key not in cache:
        cache[key] = load()
    return cache[key]  # type: ignore[return-value]
