"""Bitmask counting (search_index/counting.py) against counting by hand."""

import random

from helpcenter.search_index.counting import EVERYTHING, PageMap, bits, to_mask


def test_masks_hold_exactly_the_documents_given():
    docs = {0, 7, 8, 63, 64, 1000}
    assert set(bits(to_mask(docs, 1001))) == docs
    assert to_mask([], 10) == 0
    assert to_mask(docs, 1001) & EVERYTHING == to_mask(docs, 1001)


class _Reader:
    def __init__(self, parents):
        self.parents = parents

    def column_reader(self, name):
        assert name == "parent"
        return iter(self.parents)


def test_a_page_counts_once_however_many_of_its_documents_match():
    rng = random.Random(3)
    # articles alone; videos with passages sharing their page, in any order in the index
    parents = [f"article:{n}" for n in range(200)]
    for video in range(20):
        parents += [f"video:{video}"] * rng.randint(1, 6)
    rng.shuffle(parents)
    pages = PageMap.read(_Reader(parents))
    for _ in range(200):
        matched = {n for n in range(len(parents)) if rng.random() < 0.3}
        assert pages.count(to_mask(matched, len(parents))) == len({parents[n] for n in matched})
