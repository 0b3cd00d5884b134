"""Synonym candidates for the gap inbox: a word people searched for that the index does not hold,
and the indexed word it is a variant of (an English typo, or another katakana spelling).

English words are looked up like "did you mean" (spelling.py) does, in the unstemmed "spelling"
field, but closest first and keeping the first letter, which is rarely the mistyped one: one
edit, then two. "Did you mean" takes the most frequent word within two edits anywhere, which
costs six times as much per word and can pick "send" for "refnd".
Katakana words are compared kana by kana with the words the index holds, piece by piece as the
analyzer splits them ("did you mean" compares whole kana runs): ログオン is one kana from
ログイン; サインオン, which the analyzer splits into サイン + オン, becomes サインイン when
サイン + イン stands together in some page. Answers are remembered until the index changes,
since a gap page asks about the same words every time.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable

from whoosh.query import Phrase

from helpcenter.search_index.analysis import MixedScriptTokenizer
from helpcenter.search_index.query import query_words
from helpcenter.search_index.schema import FIELD_WEIGHTS
from helpcenter.search_index.text import hiragana_to_katakana

FIELDS = tuple(FIELD_WEIGHTS)
KATAKANA_RUN = re.compile(r"[\u30a1-\u30fa\u30fc]{2,}")  # after NFKC, so half-width is folded
KANA_NEIGHBOURS = 5  # indexed words one kana away tried per word and field
MIN_TWO_EDITS = 7  # two edits turn a shorter word into another word ("annual" → "actual")
MAX_REMEMBERED = 20_000


class _Remembered:
    """Answers for the index version they were computed on; any commit or rebuild forgets them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version: object = None
        self._answers: dict[str, str | None] = {}

    def answers(self, version: object) -> dict[str, str | None]:
        with self._lock:
            if version != self._version or len(self._answers) > MAX_REMEMBERED:
                self._version, self._answers = version, {}
            return self._answers


remembered = _Remembered()


def candidate_words(text: str) -> list[str]:
    """The words of a query a synonym can be suggested for: Latin words and katakana runs."""
    norm = unicodedata.normalize("NFKC", text)
    latin = [
        w for w, _s, _e, japanese in MixedScriptTokenizer("bigram").words(norm) if not japanese
    ]
    return list(dict.fromkeys([*latin, *KATAKANA_RUN.findall(norm)]))


def _held(searcher, words: list[str]) -> bool:
    """Some page holds the words (side by side when there are several)."""
    if len(words) == 1:
        return any(searcher.doc_frequency(f, words[0]) for f in FIELDS)
    return any(len(searcher.search(Phrase(f, words), limit=1)) for f in FIELDS)


def _kana_neighbours(searcher, word: str, prefix: int) -> list[str]:
    return list(
        dict.fromkeys(
            option
            for field in FIELDS
            for option in searcher.suggest(
                field, word, limit=KANA_NEIGHBOURS, maxdist=1, prefix=prefix
            )
            if option != word
        )
    )


def _katakana_variant(searcher, analyzer: MixedScriptTokenizer, word: str) -> str | None:
    tokens = [
        (t.text, t.startchar, t.endchar)
        for t in analyzer(word, mode="query", removestops=False, chars=True)
    ]
    texts = [text for text, _s, _e in tokens]
    if not texts or _held(searcher, texts):
        return None
    # Words the index lacks on their own are the likelier misspelling: try them first. A first
    # kana is rarely mistyped, so it is kept (50 times faster), except for the short pieces of a
    # split word (the オン of サインオン), where it is the part that differs.
    order = sorted(range(len(texts)), key=lambda i: _held(searcher, [texts[i]]))
    passes = [(i, 1) for i in order] + [
        (i, 0) for i in order if len(texts) > 1 and len(texts[i]) <= 3
    ]
    for i, prefix in passes:
        if len(texts[i]) < 2:
            continue
        for option in _kana_neighbours(searcher, texts[i], prefix):
            if _held(searcher, [*texts[:i], option, *texts[i + 1 :]]):
                _text, start, end = tokens[i]
                return word[:start] + hiragana_to_katakana(option) + word[end:]
    return None


def _spelling_variant(searcher, analyzer: MixedScriptTokenizer, word: str) -> str | None:
    if len(word) < 3 or word.isdigit() or searcher.doc_frequency("spelling", word):
        return None
    steps = [(1, 1)] + ([(2, 1)] if len(word) >= MIN_TWO_EDITS else [])
    for maxdist, prefix in steps:
        for option in searcher.suggest("spelling", word, limit=3, maxdist=maxdist, prefix=prefix):
            analysed = query_words(analyzer, option)
            if option != word and analysed and _held(searcher, analysed):
                return option
    return None


def indexed_variant(searcher, analyzer: MixedScriptTokenizer, word: str) -> str | None:
    """The indexed word `word` is a variant of, or None when the index holds `word` already (as
    the search analyzer sees it: "passwords" is held when "password" is) or nothing is close."""
    if KATAKANA_RUN.fullmatch(word):
        return _katakana_variant(searcher, analyzer, word)
    words = [t.text for t in analyzer(word, mode="query")]
    if not words or _held(searcher, words):
        return None
    return _spelling_variant(searcher, analyzer, word)


def indexed_variants(
    searcher, analyzer: MixedScriptTokenizer, words: Iterable[str], version: object = None
) -> dict[str, str]:
    """{word: indexed variant} for those of `words` that have one. `version` names the state of
    the index; answers for the same version are reused."""
    answers = remembered.answers(version) if version is not None else {}
    found: dict[str, str] = {}
    for word in dict.fromkeys(words):
        if word not in answers:
            answers[word] = indexed_variant(searcher, analyzer, word)
        variant = answers[word]
        if variant:
            found[word] = variant
    return found
