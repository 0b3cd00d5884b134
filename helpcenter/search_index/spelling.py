""" "Did you mean": correct unknown words against the words the index holds.

The words come from dictionaries kept per index generation, not from Whoosh's own suggester,
which walks every segment for every unknown word (seconds per word once an index has a few
segments). The dictionaries read each segment's words once, when a search first meets that
segment: a rebuild reads them all, an edit only the small segment it committed, so words added
by edits are suggested too and an edit never makes later misspelled queries slower. Lookups use
deletions (a word and the words one letter shorter point at each other), so a word costs a few
hundred dictionary probes however large the index. Only the first few unknown words of a query
are corrected: a pasted essay costs the same as a short question.

Latin words come from the unstemmed "spelling" field and may be two edits away. Japanese words
are the katakana and hiragana runs of a query, compared with the indexed words written all in
kana. The search fields hold those as the analyzer folds them, in hiragana, so they are read from
the search fields themselves (only the hiragana slice of each sorted term list). A katakana run
the index lacks becomes the word one kana away (パスワド → パスワード, ログオン → ログイン). A
hiragana run is corrected only when the segmenter breaks it into pieces, as it breaks a loanword
typed in hiragana (ぱすわーど → パスワード); a run it reads as a word (めーる, ください) is
ordinary Japanese and left alone. Corrections are written in katakana, the spelling of the
loanwords nearly all kana-only index words are, unless hiragana was typed and the word is a
hiragana one (いつも). Kanji are not compared: a wrong kanji is a homophone, not a misspelling.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterator
from itertools import islice

from whoosh.query import Query

from helpcenter.search_index.analysis import MixedScriptTokenizer, one_word
from helpcenter.search_index.query import build_query
from helpcenter.search_index.schema import FIELD_WEIGHTS
from helpcenter.search_index.text import (
    hiragana_to_katakana,
    katakana_to_hiragana,
    normalize_with_offsets,
)

MAX_CORRECTED_WORDS = 3  # per query: bounded work whatever is pasted into the box
MIN_WORD, MAX_WORD = 3, 30
KANA_DISTANCE = 1  # katakana words are short: two changes turn サイン into デザイン
# After NFKC: a hiragana run or a katakana run (ー belongs to either), and an indexed word all in
# kana, which the analyzer has folded to hiragana.
KANA_RUN = re.compile(r"(?P<hiragana>[\u3041-\u3096\u30fc]+)|(?P<katakana>[\u30a1-\u30fa\u30fc]+)")
KANA_WORD = re.compile(r"[\u3041-\u3096][\u3041-\u3096\u30fc]*")
FIRST_HIRAGANA, LAST_HIRAGANA = "\u3041", "\u3096"
_MARKS = str.maketrans("", "", "\u30fc\u3063\u3099\u309a")  # ー っ and the split-off ゛ ゜
_SMALL_KANA = str.maketrans("ぁぃぅぇぉゃゅょゎゕゖ", "あいうえおやゆよわかけ")


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

    def correct(
        self, word: str, max_distance: int = 2, alike: Callable[[str, str], bool] | None = None
    ) -> str | None:
        """The closest indexed word within `max_distance` edits (at most two); among equally
        close, the one `alike(word, candidate)` holds for, then the most frequent."""
        candidates = set(self.shorter.get(word, ()))  # one letter missing from `word`
        for variant in _deletions(word):
            if variant in self.frequencies:  # one letter too many
                candidates.add(variant)
            candidates.update(self.shorter.get(variant, ()))  # one letter wrong or swapped
        ranked = [
            (
                distance,
                not (alike and alike(word, candidate)),
                -self.frequencies[candidate],
                candidate,
            )
            for candidate in candidates
            if (distance := _edit_distance(word, candidate)) <= max_distance
        ]
        return min(ranked)[3] if ranked else None


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
    """One pair of dictionaries (Latin, kana) per index generation, growing by the segments that
    commits add."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._generation: object = None
        self._latin = SpellingDictionary()
        self._kana = SpellingDictionary()
        self._segments: set[str] = set()

    def get(self, generation: object, searcher) -> tuple[SpellingDictionary, SpellingDictionary]:
        with self._lock:
            if generation != self._generation:
                self._generation = generation
                self._latin, self._kana = SpellingDictionary(), SpellingDictionary()
                self._segments = set()
            for leaf, _docbase in searcher.reader().leaf_readers():
                if not hasattr(leaf, "segment"):
                    continue  # an empty index has no segments
                segment_id = leaf.segment().segment_id()
                if segment_id not in self._segments:
                    self._latin.add(_words(leaf))
                    self._kana.add(_kana_words(leaf))
                    self._segments.add(segment_id)
            return self._latin, self._kana


def _words(reader) -> dict[str, int]:
    return {
        term.decode("utf-8") if isinstance(term, bytes) else term: info.doc_frequency()
        for term, info in reader.iter_field("spelling")
    }


def _kana_words(reader) -> dict[str, int]:
    """The searched fields' words written all in kana, with the most pages any field has them
    in. Terms are sorted, so only the hiragana slice of each field's list is read."""
    words: dict[str, int] = {}
    for field in FIELD_WEIGHTS:
        for term, info in reader.iter_field(field, FIRST_HIRAGANA):
            text = term.decode("utf-8") if isinstance(term, bytes) else term
            if text[0] > LAST_HIRAGANA:
                break
            if len(text) >= MIN_WORD and KANA_WORD.fullmatch(text):
                words[text] = max(words.get(text, 0), info.doc_frequency())
    return words


dictionaries = _Dictionaries()


def _kana_runs(text: str) -> Iterator[tuple[int, int, str, bool]]:
    """(original start, original end, run, is katakana) for each kana run of `text`."""
    norm, offsets = normalize_with_offsets(text)
    for match in KANA_RUN.finditer(norm):
        run = match.group()
        if MIN_WORD <= len(run) <= MAX_WORD and run.strip("\u30fc"):
            start, end = match.span()
            yield offsets[start], offsets[end - 1] + 1, run, match.lastgroup == "katakana"


def _unknown_words(
    analyzer: MixedScriptTokenizer,
    text: str,
    latin: SpellingDictionary,
    kana: SpellingDictionary,
) -> list[tuple[int, int, str, str]]:
    """The first few words to correct, in the order typed: (start, end, word, script), with
    script "latin", "katakana" or "hiragana" and Japanese words folded to hiragana. Hiragana
    runs go through the segmenter one by one, only until enough words are found."""
    words = [
        (start, end, word, "latin")
        for word, start, end, japanese in analyzer.words(text)
        if not japanese
        and MIN_WORD <= len(word) <= MAX_WORD
        and not word.isdigit()
        and word not in latin.frequencies
    ]
    words.extend(
        (start, end, katakana_to_hiragana(run), "katakana" if katakana else "hiragana")
        for start, end, run, katakana in _kana_runs(text)
        if not katakana or katakana_to_hiragana(run) not in kana.frequencies
    )
    words.sort()

    def wanted(word: tuple[int, int, str, str]) -> bool:
        _start, _end, text, script = word
        return script != "hiragana" or one_word(text, analyzer.ja_method) is None

    return list(islice(filter(wanted, words), MAX_CORRECTED_WORDS))


def _kana_correction(
    kana: SpellingDictionary, word: str, typed_in_katakana: bool = True, method: str = "sudachi"
) -> str | None:
    """The indexed word a folded kana word stands for: itself when the index holds it (a
    loanword typed in hiragana), else the word one kana away, one that differs only in a mark
    first (リセト is リセット before リスト), then the most frequent. Written in katakana, the
    spelling of the loanwords nearly all such words are, unless hiragana was typed and the word
    is a hiragana word (いつも)."""
    option = word if word in kana.frequencies else kana.correct(word, KANA_DISTANCE, _same_sounds)
    if option is None:
        return None
    if not typed_in_katakana:
        form = one_word(option, method)
        if form is not None and katakana_to_hiragana(form) == option:
            return form  # as the segmenter writes it: いつも, or メール for めーる
    return hiragana_to_katakana(option)


def _same_sounds(a: str, b: str) -> bool:
    """The two differ only in marks easily left out or mistyped: ー, っ, small kana, ゛ and ゜."""
    return _bare(a) == _bare(b)


def _bare(word: str) -> str:
    plain = unicodedata.normalize("NFD", word).translate(_MARKS)
    return plain.translate(_SMALL_KANA)


def suggest_spelling(
    searcher,
    analyzer: MixedScriptTokenizer,
    text: str,
    filter_q: Query | None,
    *,
    generation: object,
) -> str | None:
    """A corrected query that has results, or None."""
    latin, kana = dictionaries.get(generation, searcher)
    corrected = corrected_query(analyzer, text, latin, kana)
    if corrected is None:
        return None
    hits = searcher.search(build_query(analyzer, corrected), limit=1, filter=filter_q)
    return corrected if len(hits) else None


def corrected_query(
    analyzer: MixedScriptTokenizer,
    text: str,
    latin: SpellingDictionary,
    kana: SpellingDictionary,
) -> str | None:
    """`text` with its first few unknown words corrected, or None when none could be."""
    corrected = text
    changed = False
    for start, end, word, script in reversed(_unknown_words(analyzer, text, latin, kana)):
        if script == "latin":
            option = latin.correct(word)
        else:
            option = _kana_correction(kana, word, script == "katakana", analyzer.ja_method)
        if option:
            corrected = corrected[:start] + option + corrected[end:]
            changed = True
    return corrected if changed else None
