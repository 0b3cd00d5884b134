""" "Did you mean": correct unknown Latin words against the words the index holds."""

from __future__ import annotations

from whoosh.query import Query

from helpcenter.search_index.analysis import MixedScriptTokenizer
from helpcenter.search_index.query import build_query


def suggest_spelling(
    searcher, analyzer: MixedScriptTokenizer, text: str, filter_q: Query | None
) -> str | None:
    """A corrected query that has results, or None. Japanese words are left as typed."""
    words = [(w, s, e) for w, s, e, japanese in analyzer.words(text) if not japanese]
    corrected = text
    changed = False
    for word, start, end in reversed(words):
        if len(word) < 3 or word.isdigit() or searcher.doc_frequency("spelling", word):
            continue
        # The closest words first: within two edits, the most frequent word wins, and "refnd"
        # would become "send" rather than "refund".
        options = searcher.suggest("spelling", word, limit=1, maxdist=1) or searcher.suggest(
            "spelling", word, limit=1, maxdist=2
        )
        if options:
            corrected = corrected[:start] + options[0] + corrected[end:]
            changed = True
    if not changed:
        return None
    hits = searcher.search(build_query(analyzer, corrected), limit=1, filter=filter_q)
    return corrected if len(hits) else None
