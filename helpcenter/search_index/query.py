"""Turn a visitor's words into a Whoosh query, without ever parsing them as query syntax.

Every analysed word becomes a Term in every weighted field, OR-ed together (BM25F does the
ranking), so quotes, brackets, `*`, `AND` or `field:` are just text. A one-character Japanese
word also matches as a prefix, so 「税」 finds 「税金」.
"""

from __future__ import annotations

import heapq
import math
import re
import unicodedata
from collections.abc import Sequence

from whoosh.query import And, AndMaybe, ConstantScoreQuery, NullQuery, Or, Prefix, Query, Term

from helpcenter.search_index.analysis import MixedScriptTokenizer
from helpcenter.search_index.schema import FIELD_WEIGHTS
from helpcenter.search_index.text import (
    is_japanese_char,
    katakana_to_hiragana,
    normalize_with_offsets,
)

MAX_QUERY_WORDS = 64
SOLVED_BONUS = 3.0


def query_words(analyzer: MixedScriptTokenizer, text: str) -> list[str]:
    """Distinct analysed words of `text`, in order, capped so a huge paste stays cheap.

    A query made only of stop words ("how", 「方法」) keeps them rather than finding nothing.
    """
    for removestops in (True, False):
        seen: dict[str, None] = {}
        for token in analyzer(text, mode="query", removestops=removestops):
            seen.setdefault(token.text, None)
            if len(seen) >= MAX_QUERY_WORDS:
                break
        if seen:
            return list(seen)
    return []


def single_japanese_chars(text: str) -> set[str]:
    """Japanese words of one character standing alone in the query, as the index spells them."""
    norm, _ = normalize_with_offsets(text)
    runs = "".join(ch if is_japanese_char(ch) else " " for ch in norm).split()
    return {katakana_to_hiragana(run) for run in runs if len(run) == 1}


SYNONYM_WEIGHT = 0.7  # a synonym counts a little less than the word the visitor typed

Synonyms = list[tuple[frozenset[str], frozenset[str]]]  # (words of a term, words it adds)


def expand(words: list[str], synonyms: Synonyms) -> list[str]:
    """Words that synonyms add: for each term whose words are all in the query, its partners'."""
    present = set(words)
    added: dict[str, None] = {}
    for term, alternatives in synonyms:
        if term and term <= present:
            for word in alternatives - present:
                added.setdefault(word, None)
    return list(added)


def build_query(
    analyzer: MixedScriptTokenizer, text: str, synonyms: Synonyms | None = None
) -> Query:
    return ranked(match_clauses(analyzer, text, synonyms))


# The unfinished word is looked for in titles and tags first: what a page is about. Its possible
# completions are the commonest words of that start, and OR-ing a dozen of them over every body
# cost as much again as the rest of the query (10,000 pages per language: p50 22 -> 12 ms).
# When nothing matches so, every field is tried.
COMPLETED_FIELDS = ("title", "tags")


def match_clauses(
    analyzer: MixedScriptTokenizer,
    text: str,
    synonyms: Synonyms | None = None,
    *,
    completions: Sequence[tuple[str, float]] = (),
    completed_in: Sequence[str] = COMPLETED_FIELDS,
) -> list[Query]:
    """One weighted clause per analysed word (and synonym) per field: a page matching any of
    them is a result. With `completions` (as-you-type), the unfinished last word is not looked
    up as typed but as the indexed words it may become, in the `completed_in` fields."""
    if completions:
        text = _TRAILING_WORD.sub("", _folded(text))
    words = query_words(analyzer, text)
    singles = single_japanese_chars(text)
    extra = expand(words, synonyms or [])
    clauses: list[Query] = []
    for fieldname, weight in FIELD_WEIGHTS.items():
        for word in words:
            clauses.append(Term(fieldname, word, boost=weight))
            if word in singles:
                clauses.append(Prefix(fieldname, word, boost=weight * 0.5))
        for word in extra:
            clauses.append(Term(fieldname, word, boost=weight * SYNONYM_WEIGHT))
        if fieldname in completed_in:
            for word, likelihood in completions:
                boost = (
                    weight * likelihood * (TITLE_COMPLETION_BOOST if fieldname == "title" else 1)
                )
                clauses.append(Term(fieldname, word, boost=boost))
    return clauses


TITLE_COMPLETION_BOOST = 2.0  # as you type, a page whose title the word completes comes first
COMPLETIONS = 12  # indexed words tried for an unfinished word, most frequent first
_TRAILING_WORD = re.compile(r"(?:[0-9a-z]+|[\u30a1-\u30fa\u30fc]+)$")


def unfinished_word(text: str) -> str | None:
    """The word being typed at the end of `text` (Latin, or a katakana run), as typed; None when
    the text ends in a space or punctuation, or the word is too short to complete usefully."""
    match = _TRAILING_WORD.search(_folded(text))
    return match.group() if match and len(match.group()) >= 2 else None


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def completions(reader, text: str) -> list[tuple[str, float]]:
    """The indexed words (title and body) that the unfinished last word of `text` may become,
    most frequent first, each with how likely it is meant (by how many pages use it, relative to
    the most used): "pass" is more often on its way to "password" than to "passed". Bounded, so
    a two-letter start costs no more than a word."""
    typed = unfinished_word(text)
    if typed is None:
        return []
    start = katakana_to_hiragana(typed)
    frequencies: dict[str, int] = {}
    for fieldname in ("title", "body"):
        for term, info in reader.iter_prefix(fieldname, start):
            word = term.decode("utf-8") if isinstance(term, bytes) else term
            frequencies[word] = frequencies.get(word, 0) + info.doc_frequency()
    return likeliest_completions(frequencies)


def likeliest_completions(frequencies: dict[str, int]) -> list[tuple[str, float]]:
    """The COMPLETIONS words on most pages, each with how likely it is meant."""
    likeliest = heapq.nlargest(COMPLETIONS, frequencies, key=lambda w: (frequencies[w], w))
    if not likeliest:
        return []
    most = frequencies[likeliest[0]]
    return [(word, math.sqrt(frequencies[word] / most)) for word in likeliest]


def ranked(clauses: list[Query]) -> Query:
    """The clauses OR-ed for BM25F; among matches, a solved thread outranks an unsolved one of
    similar relevance."""
    if not clauses:
        return NullQuery
    return AndMaybe(Or(clauses), ConstantScoreQuery(Term("solved", "yes"), SOLVED_BONUS))


def highlighted_words(clauses: list[Query]) -> list[str]:
    """The indexed words a snippet marks: every word the clauses look for."""
    return list(dict.fromkeys(c.text for c in clauses if isinstance(c, Term)))


def filter_terms(**fields: str | None) -> list[Query]:
    """Term restrictions for the given stored fields, skipping those left empty."""
    return [Term(name, value) for name, value in fields.items() if value]


def combine(restrictions: list[Query | None]) -> Query | None:
    """All of `restrictions` at once, or None when there is nothing to restrict."""
    present = [r for r in restrictions if r is not None]
    if not present:
        return None
    return present[0] if len(present) == 1 else And(present)
