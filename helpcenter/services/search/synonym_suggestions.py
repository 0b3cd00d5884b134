"""Synonym suggestions on the gap page: when a failed query uses a word the index does not hold
but a close variant of it is indexed ("pasword" and "password", ログオン and ログイン), staff can
declare them synonyms in one click. Words staff already grouped are not suggested again."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from helpcenter.extensions import search_index
from helpcenter.search_index import IndexUnavailable
from helpcenter.search_index.gap_key import gap_key
from helpcenter.search_index.text import has_japanese
from helpcenter.search_index.variants import candidate_words
from helpcenter.services.search import synonyms

log = logging.getLogger(__name__)

SAMPLES = 3  # the sample queries of a gap that are looked at


@dataclass(frozen=True)
class SynonymSuggestion:
    lang: str
    word: str  # as people searched for it
    indexed: str  # the variant the index holds

    @property
    def terms(self) -> str:
        """The synonym form's input: terms separated by commas."""
        return f"{self.word}, {self.indexed}"


def fill_suggestions(rows: list) -> None:
    """Give each gap row (gaps.GapRow) its suggestions; one index searcher for all rows. Without
    an index there is nothing to compare with, so no row gets any."""
    words = {
        row.key: [w for q in row.samples[:SAMPLES] for w in candidate_words(q)] for row in rows
    }
    grouped = {gap_key(term) for group in synonyms.all_groups() for term in group}
    wanted = {w for ws in words.values() for w in ws if gap_key(w) not in grouped}
    if not wanted:
        return
    try:
        variants = search_index.indexed_variants(sorted(wanted))
    except IndexUnavailable:
        log.info("No search index: no synonym suggestions on the gap page.")
        return
    for row in rows:
        latin_lang = "ja" if row.langs == ["ja"] else "en"
        for word in dict.fromkeys(words[row.key]):
            if word in variants:
                lang = "ja" if has_japanese(word) else latin_lang
                row.suggestions.append(SynonymSuggestion(lang, word, variants[word]))
