"""The words the PostgreSQL backend holds, read the ways "did you mean", completions and the gap
inbox's variants need (the Whoosh backend reads its term lists for the same).

`LexiconReader` answers the three questions variants.py asks a Whoosh searcher: on how many
documents a word is, which held words are a few edits away, and whether some document holds
several words in one field (the Whoosh backend asks for them side by side; without positions
this backend asks for them in the same field of one document).
"""

from __future__ import annotations

import threading
import time

from sqlalchemy import Connection, text

from helpcenter.search_index.postgres.postings import FIELD_NUMBER, FIELDS, SPELLING_FIELD
from helpcenter.search_index.postgres.store import State
from helpcenter.search_index.query import likeliest_completions, unfinished_word
from helpcenter.search_index.spelling import (
    FIRST_HIRAGANA,
    KANA_WORD,
    LAST_HIRAGANA,
    MIN_WORD,
    SpellingDictionary,
    _edit_distance,
)
from helpcenter.search_index.text import katakana_to_hiragana

TERM_END = "\U0010ffff"
# Words added since are suggested once this long has passed: reading every word again on each
# community post would cost more than an occasional late suggestion.
SPELLING_REFRESH_SECONDS = 60
FIELD_ALIASES = {**FIELD_NUMBER, "spelling": SPELLING_FIELD}


def completions(conn: Connection, state: State, typed_text: str) -> list[tuple[str, float]]:
    """As query.completions: title and body words the unfinished last word may become."""
    typed = unfinished_word(typed_text)
    if typed is None:
        return []
    start = katakana_to_hiragana(typed)
    rows = conn.execute(
        text(
            "SELECT term, sum(documents) FROM search_term WHERE generation = :g"
            " AND field = ANY(:fields) AND term >= :start AND term < :end GROUP BY term"
        ),
        {
            "g": state.generation,
            "fields": [FIELD_NUMBER["title"], FIELD_NUMBER["body"]],
            "start": start,
            "end": start + TERM_END,
        },
    )
    return likeliest_completions({term: int(n) for term, n in rows})


class SpellingDictionaries:
    """The Latin and kana dictionaries of "did you mean", read per generation, again every
    SPELLING_REFRESH_SECONDS, and again when a correction fails on an older version (a word an
    edit just added is suggested at once; a busy community does not re-read them on every post)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._read: tuple[int, int] | None = None  # (generation, version) read
        self._read_at = 0.0
        self._pair = (SpellingDictionary(), SpellingDictionary())

    def get(
        self, conn: Connection, state: State, *, current: bool = False
    ) -> tuple[SpellingDictionary, SpellingDictionary]:
        with self._lock:
            read = (state.generation, state.version)
            stale = time.monotonic() - self._read_at > SPELLING_REFRESH_SECONDS
            if (
                self._read is None
                or self._read[0] != state.generation
                or stale
                or (current and self._read != read)
            ):
                self._pair = _read_dictionaries(conn, state)
                self._read, self._read_at = read, time.monotonic()
            return self._pair


def _read_dictionaries(
    conn: Connection, state: State
) -> tuple[SpellingDictionary, SpellingDictionary]:
    latin: dict[str, int] = dict(
        conn.execute(
            text("SELECT term, documents FROM search_term WHERE generation = :g AND field = :f"),
            {"g": state.generation, "f": SPELLING_FIELD},
        ).all()
    )
    kana: dict[str, int] = {}
    rows = conn.execute(
        text(
            "SELECT term, documents FROM search_term WHERE generation = :g"
            " AND field = ANY(:fields) AND term >= :first AND term <= :last"
        ),
        {
            "g": state.generation,
            "fields": list(range(len(FIELDS))),
            "first": FIRST_HIRAGANA,
            "last": LAST_HIRAGANA + TERM_END,
        },
    )
    for term, n in rows:
        if len(term) >= MIN_WORD and KANA_WORD.fullmatch(term):
            kana[term] = max(kana.get(term, 0), n)
    return SpellingDictionary(latin), SpellingDictionary(kana)


class _Found(list):
    """What `LexiconReader.search` returns: only its length is read."""


class LexiconReader:
    """The few searcher methods variants.py uses, answered from the PostgreSQL tables."""

    def __init__(self, conn: Connection, state: State) -> None:
        self.conn, self.state = conn, state

    def doc_frequency(self, fieldname: str, word: str) -> int:
        return int(
            self.conn.scalar(
                text(
                    "SELECT documents FROM search_term WHERE generation = :g AND field = :f"
                    " AND term = :t"
                ),
                {"g": self.state.generation, "f": FIELD_ALIASES[fieldname], "t": word},
            )
            or 0
        )

    def search(self, query, limit: int = 1) -> _Found:
        """A Phrase query: some document holds every word in that field."""
        words = list(query.words)
        found = self.conn.scalar(
            text(
                "SELECT document_id FROM search_posting WHERE generation = :g AND field = :f"
                " AND term = ANY(:words) GROUP BY document_id"
                " HAVING count(DISTINCT term) = :n LIMIT 1"
            ),
            {
                "g": self.state.generation,
                "f": FIELD_ALIASES[query.fieldname],
                "words": words,
                "n": len(set(words)),
            },
        )
        return _Found([found] if found is not None else [])

    def suggest(
        self, fieldname: str, word: str, limit: int = 5, maxdist: int = 2, prefix: int = 0
    ) -> list[str]:
        """Held words within `maxdist` edits that share the first `prefix` letters, closest
        first, then on most documents."""
        start = word[:prefix]
        rows = self.conn.execute(
            text(
                "SELECT term, documents FROM search_term WHERE generation = :g AND field = :f"
                " AND term >= :start AND term < :end"
                " AND char_length(term) BETWEEN :shortest AND :longest"
            ),
            {
                "g": self.state.generation,
                "f": FIELD_ALIASES[fieldname],
                "start": start,
                "end": start + TERM_END,
                "shortest": len(word) - maxdist,
                "longest": len(word) + maxdist,
            },
        )
        close = [
            (distance, -n, term)
            for term, n in rows
            if (distance := _edit_distance(word, term)) <= maxdist
        ]
        return [term for _d, _n, term in sorted(close)[:limit]]
