""" "Did you mean": correct unknown Latin words against the words the index holds.

The words come from a dictionary kept per index generation, not from Whoosh's own suggester,
which walks every segment for every unknown word (seconds per word once an index has a few
segments). The dictionary reads each segment's words once, when a search first meets that
segment: a rebuild reads them all, an edit only the small segment it committed, so words added
by edits are suggested too and an edit never makes later misspelled queries slower. Lookups use
deletions (a word and the words one letter shorter point at each other), so a word costs a few
hundred dictionary probes however large the index. Only the first few unknown words of a query
are corrected: a pasted essay costs the same as a short question.
"""

from __future__ import annotations

import threading
from collections import defaultdict

from whoosh.query import Query

from helpcenter.search_index.analysis import MixedScriptTokenizer
from helpcenter.search_index.query import build_query

MAX_CORRECTED_WORDS = 3  # per query: bounded work whatever is pasted into the box
MIN_WORD, MAX_WORD = 3, 30


class SpellingDictionary:
    """Indexed words with their document frequency, and their one-letter deletions."""

    def __init__(self, frequencies: dict[str, int] | None = None) -> None:
        self.frequencies: dict[str, int] = {}
        self.shorter: dict[str, list[str]] = defaultdict(list)
        self.add(frequencies or {})

    def add(self, frequencies: dict[str, int]) -> None:
        """Take in the words of one more segment. A word already known keeps the larger count
        (a merged segment repeats words of the segments it replaced)."""
        for word, count in frequencies.items():
            if word in self.frequencies:
                self.frequencies[word] = max(self.frequencies[word], count)
                continue
            self.frequencies[word] = count  # before `shorter`: a reader finds no unknown word
            if MIN_WORD <= len(word) <= MAX_WORD:
                for variant in _deletions(word):
                    self.shorter[variant].append(word)

    def correct(self, word: str) -> str | None:
        """The closest indexed word within two edits; among equally close, the most frequent."""
        candidates = set(self.shorter.get(word, ()))  # one letter missing from `word`
        for variant in _deletions(word):
            if variant in self.frequencies:  # one letter too many
                candidates.add(variant)
            candidates.update(self.shorter.get(variant, ()))  # one letter wrong or swapped
        ranked = [
            (distance, -self.frequencies[candidate], candidate)
            for candidate in candidates
            if (distance := _edit_distance(word, candidate)) <= 2
        ]
        return min(ranked)[2] if ranked else None


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions, swaps."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                best = min(best, previous2[j - 2] + 1)
            current.append(best)
        previous2, previous = previous, current
    return previous[-1]


class _Dictionaries:
    """One dictionary per index generation, growing by the segments that commits add."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._generation: object = None
        self._dictionary = SpellingDictionary()
        self._segments: set[str] = set()

    def get(self, generation: object, searcher) -> SpellingDictionary:
        with self._lock:
            if generation != self._generation:
                self._generation, self._dictionary = generation, SpellingDictionary()
                self._segments = set()
            for leaf, _docbase in searcher.reader().leaf_readers():
                if not hasattr(leaf, "segment"):
                    continue  # an empty index has no segments
                segment_id = leaf.segment().segment_id()
                if segment_id not in self._segments:
                    self._dictionary.add(_words(leaf))
                    self._segments.add(segment_id)
            return self._dictionary


def _words(reader) -> dict[str, int]:
    return {
        term.decode("utf-8") if isinstance(term, bytes) else term: info.doc_frequency()
        for term, info in reader.iter_field("spelling")
    }


dictionaries = _Dictionaries()


def suggest_spelling(
    searcher,
    analyzer: MixedScriptTokenizer,
    text: str,
    filter_q: Query | None,
    *,
    generation: object,
) -> str | None:
    """A corrected query that has results, or None. Japanese words are left as typed."""
    dictionary = dictionaries.get(generation, searcher)
    unknown = [
        (word, start, end)
        for word, start, end, japanese in analyzer.words(text)
        if not japanese
        and MIN_WORD <= len(word) <= MAX_WORD
        and not word.isdigit()
        and word not in dictionary.frequencies
    ][:MAX_CORRECTED_WORDS]
    corrected = text
    changed = False
    for word, start, end in reversed(unknown):
        option = dictionary.correct(word)
        if option:
            corrected = corrected[:start] + option + corrected[end:]
            changed = True
    if not changed:
        return None
    hits = searcher.search(build_query(analyzer, corrected), limit=1, filter=filter_q)
    return corrected if len(hits) else None
