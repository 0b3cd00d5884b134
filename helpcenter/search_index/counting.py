"""Exact page counts from bitmasks: a set of documents is a Python int with bit n for document n.

A result total is the number of distinct pages among the documents any clause matches, in each
language pass. Walking every clause's postings and looking up each document's page cost more
than ranking the top ten. Here each query word's documents are read once per index version and
kept as a bitmask; a count is then a few integer ORs and ANDs and one `bit_count()`. Only
documents that share their page with others (a video's passages) are looked at one by one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

EVERYTHING = -1  # the mask of no restriction: every bit set


def to_mask(docnums: Iterable[int], size: int) -> int:
    buffer = bytearray(size // 8 + 1)
    for docnum in docnums:
        buffer[docnum >> 3] |= 1 << (docnum & 7)
    return int.from_bytes(buffer, "little")


def bits(mask: int) -> Iterator[int]:
    """The document numbers set in `mask`, lowest first."""
    while mask:
        lowest = mask & -mask
        yield lowest.bit_length() - 1
        mask ^= lowest


@dataclass(frozen=True)
class PageMap:
    """Which documents are a page on their own, and which share one (passages with their video)."""

    alone: int  # documents whose page has no other document
    shared: dict[int, str]  # the others: document number -> its page

    @classmethod
    def read(cls, reader) -> PageMap:
        parents = list(reader.column_reader("parent"))
        sizes = Counter(parents)
        alone = to_mask((n for n, p in enumerate(parents) if sizes[p] == 1), len(parents))
        shared = {n: p for n, p in enumerate(parents) if sizes[p] > 1}
        return cls(alone=alone, shared=shared)

    def count(self, matched: int) -> int:
        """Distinct pages among the documents in `matched`."""
        together = matched & ~self.alone
        return (matched & self.alone).bit_count() + len({self.shared[n] for n in bits(together)})
