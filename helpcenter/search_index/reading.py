"""Open searchers kept between searches, and what they compute that stays true until a commit.

Opening a searcher reads the index's table of contents and every segment's headers, and a
language or kind filter is a set of documents that only changes when the index does: both were
paid again by every search. A few idle searchers are kept (any threading model can borrow one;
a searcher is used by one search at a time) and dropped as soon as a commit makes them stale.
Per index version (generation folder, commit), filters, page counts and whole result pages are
kept in small LRUs: help-center queries repeat heavily, and instant search asks for the same
words keystroke after keystroke.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

from whoosh import index
from whoosh.query import Query
from whoosh.scoring import BM25F

from helpcenter.search_index.counting import EVERYTHING, PageMap, to_mask

IDLE_SEARCHERS = 4
REMEMBERED_FILTERS = 64
REMEMBERED_COUNTS = 1024
REMEMBERED_PAGES = 512
REMEMBERED_WORDS = 2048  # bitmasks of a word's documents: doc count / 8 bytes each

T = TypeVar("T")


class LRU(Generic[T]):
    """A small least-recently-used map; `get_or_make` computes outside the lock."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, T] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_make(self, key: Hashable, make: Callable[[], T]) -> T:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value


class VersionCache:
    """What stays true for one version of the index."""

    def __init__(self, version: Hashable) -> None:
        self.version = version
        self.filters: LRU[set[int]] = LRU(REMEMBERED_FILTERS)
        self.masks: LRU[int] = LRU(REMEMBERED_WORDS + REMEMBERED_FILTERS)
        self.counts: LRU[tuple[int, ...]] = LRU(REMEMBERED_COUNTS)
        self.pages: LRU[object] = LRU(REMEMBERED_PAGES)
        self.page_map: LRU[PageMap] = LRU(1)


class Reading:
    """A borrowed searcher and the cache of the version it reads."""

    def __init__(self, searcher, cache: VersionCache) -> None:
        self.searcher = searcher
        self.cache = cache

    def filter_docs(self, restriction: Query | None) -> set[int] | None:
        """The documents a restriction allows (None: all), computed once per version; shared,
        so never changed by the caller (Whoosh takes a plain set as a filter)."""
        if restriction is None:
            return None
        return self.cache.filters.get_or_make(
            repr(restriction), lambda: set(restriction.docs(self.searcher))
        )

    def mask(self, query: Query | None) -> int:
        """The documents `query` matches as a bitmask (counting.py), once per version; None
        matches everything. The boost does not change which documents match."""
        if query is None:
            return EVERYTHING
        size = self.searcher.reader().doc_count_all()
        return self.cache.masks.get_or_make(
            repr(query.with_boost(1.0)), lambda: to_mask(query.docs(self.searcher), size)
        )

    def page_map(self) -> PageMap:
        return self.cache.page_map.get_or_make(None, lambda: PageMap.read(self.searcher.reader()))


class SearcherPool:
    """Idle searchers of the current index, with the current version's cache."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle: list[tuple[index.Index, Any]] = []
        self._cache: VersionCache | None = None

    @contextmanager
    def borrow(self, ix: index.Index) -> Iterator[Reading]:
        searcher = self._take(ix)
        version = (ix.storage.folder, searcher.reader().generation())
        with self._lock:
            if self._cache is None or self._cache.version != version:
                self._cache = VersionCache(version)
            cache = self._cache
        try:
            yield Reading(searcher, cache)
        finally:
            self._give_back(ix, searcher)

    def clear(self) -> None:
        with self._lock:
            idle, self._idle, self._cache = self._idle, [], None
        for _ix, searcher in idle:
            searcher.close()

    def _take(self, ix: index.Index):
        while True:
            with self._lock:
                if not self._idle:
                    break
                owner, searcher = self._idle.pop()
            if owner is ix and searcher.up_to_date():
                return searcher
            searcher.close()
        return ix.searcher(weighting=BM25F(B=0.75, K1=1.2))

    def _give_back(self, ix: index.Index, searcher) -> None:
        with self._lock:
            if len(self._idle) < IDLE_SEARCHERS:
                self._idle.append((ix, searcher))
                return
        searcher.close()
