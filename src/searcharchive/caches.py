"""Caches a client cannot grow without end.

Every cache that a query can add to is bounded twice: by its number of
entries and by its bytes, where each entry costs a fixed overhead on top of
what it holds, so that a miss remembered as such (a word not in the index)
is not free. `BoundedCache` is the LRU of that kind; `word_cache` is an
`lru_cache` for functions of one word that keeps no word longer than
`MAX_CACHED_WORD` characters (longer ones are computed every time), so that
its bytes are bounded by its entries.
"""

from __future__ import annotations

import functools
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

ENTRY_OVERHEAD = 512  # bytes: the key, the dict node, the value's container
MAX_CACHED_WORD = 64  # characters

V = TypeVar("V")
R = TypeVar("R")


def key_bytes(key: Hashable) -> int:
    """What a key of strings (or a tuple of them) holds, beyond ENTRY_OVERHEAD."""
    parts = key if isinstance(key, tuple) else (key,)
    return sum(sys.getsizeof(part) for part in parts)


class BoundedCache(Generic[V]):
    """A thread-safe LRU bounded by entries and by bytes (each entry's `cost`
    plus ENTRY_OVERHEAD plus its key's size): the least recently used entries
    go first when either bound is passed."""

    def __init__(self, max_entries: int, max_bytes: int):
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.bytes = 0
        self._entries: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            hit = self._entries.get(key)
            if hit is None:
                return None
            self._entries.move_to_end(key)
            return hit[0]

    def put(self, key: Hashable, value: V, cost: int) -> None:
        """Keep `value` (an entry larger than the whole bound is not kept: it would
        push out every other entry, then itself)."""
        size = cost + ENTRY_OVERHEAD + key_bytes(key)
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.bytes -= old[1]
            if size > self.max_bytes:
                return
            self._entries[key] = (value, size)
            self.bytes += size
            while self._entries and (
                len(self._entries) > self.max_entries or self.bytes > self.max_bytes
            ):
                _, (_, evicted) = self._entries.popitem(last=False)
                self.bytes -= evicted

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.bytes = 0


def word_cache(maxsize: int) -> Callable[[Callable[..., R]], Callable[..., R]]:
    """`functools.lru_cache(maxsize)` for a function whose first argument is a word,
    skipped for words longer than MAX_CACHED_WORD: at most `maxsize` entries of
    bounded size. The wrapper keeps `cache_info` and `cache_clear`."""

    def decorate(function: Callable[..., R]) -> Callable[..., R]:
        cached = functools.lru_cache(maxsize=maxsize)(function)

        @functools.wraps(function)
        def wrapper(word: str, *rest: str) -> R:
            if len(word) > MAX_CACHED_WORD:
                return function(word, *rest)
            return cached(word, *rest)

        wrapper.cache_info = cached.cache_info  # type: ignore[attr-defined]
        wrapper.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
        return wrapper

    return decorate
