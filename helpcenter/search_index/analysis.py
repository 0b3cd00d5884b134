"""Analyzers that find words in English and in unspaced Japanese (DESIGN.md §3).

Text is split into runs by script. Latin runs become lower-cased, stop-worded, stemmed words.
Japanese runs are segmented by the configured method ("sudachi", "bigram", "sudachi+bigram",
"janome"); katakana is folded to hiragana so that either spelling matches. Whoosh pickles the
analyzer into the index, so everything here is importable and holds only plain settings.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from functools import lru_cache

from whoosh.analysis import STOP_WORDS, Composable, Token
from whoosh.lang.porter import stem

from helpcenter.search_index.text import (
    JAPANESE_CHARS,
    katakana_to_hiragana,
    normalize_with_offsets,
)

JA_METHODS = ("sudachi", "bigram", "sudachi+bigram", "janome")
DEFAULT_JA_METHOD = "sudachi"  # measured best: see bench/search_quality.py and the README

# Whoosh's list plus question words that carry no topic in help-center queries.
EN_STOP_WORDS = frozenset(STOP_WORDS) | frozenset(
    "i my me do does did how what why which who there so but its am was were been has had"
    " should would could into about than then they them their our any".split()
)

# Sudachi parts of speech that carry no topic: particles, auxiliaries, symbols, blanks.
_JA_SKIP_POS = frozenset({"助詞", "助動詞", "補助記号", "空白", "記号"})
# Words that frame a question rather than name its topic (知りたい, 教えてください, どうすれば…):
# the Japanese counterpart of the English question words above. Normalised forms.
JA_STOP_WORDS = frozenset(
    "する ある いる なる できる 出来る 知る 教える 思う 言う いう 良い よい いい ください 下さい"
    " こと もの 事 物 ため 為 よう 様 とき 時 場合 方法 方 どう どの どこ いつ 何 なに なん"
    " これ それ あれ この その あの ここ そこ 等 など"
    # the same words as Sudachi normalises them (する is 為る, ください is 下さる, ...)
    " 為る 有る 居る 成る 下さる 彼れ 此処 此の 此れ 其の 其れ".split()
)
_local = threading.local()


@lru_cache(maxsize=50_000)
def _stem(word: str) -> str:
    return stem(word)


def _sudachi():
    """One Sudachi tokenizer per thread (it is not thread-safe); loaded on first use."""
    tok = getattr(_local, "sudachi", None)
    if tok is None:
        from sudachipy import Dictionary, SplitMode

        # Short units (mode A) split compounds, so 年金 finds 国民年金: measured best for search.
        tok = Dictionary(dict="core").tokenizer(mode=SplitMode.A, fields={"pos", "normalized_form"})
        _local.sudachi = tok
    return tok


def _janome():
    tok = getattr(_local, "janome", None)
    if tok is None:
        from janome.tokenizer import Tokenizer  # optional, only for measuring

        tok = Tokenizer()
        _local.janome = tok
    return tok


def _bigrams(run: str) -> Iterator[tuple[str, int, int]]:
    if len(run) == 1:
        yield run, 0, 1
        return
    for i in range(len(run) - 1):
        yield run[i : i + 2], i, i + 2
    yield run[-1], len(run) - 1, len(run)  # lets a one-character query find the last char


def _sudachi_words(run: str) -> Iterator[tuple[str, int, int]]:
    for m in _sudachi().tokenize(run):
        if m.part_of_speech()[0] in _JA_SKIP_POS:
            continue
        yield m.normalized_form(), m.begin(), m.end()


def _janome_words(run: str) -> Iterator[tuple[str, int, int]]:
    pos = 0
    for t in _janome().tokenize(run):
        start = pos
        pos += len(t.surface)
        if t.part_of_speech.split(",")[0] in ("助詞", "助動詞", "記号"):
            continue
        base = t.base_form if t.base_form != "*" else t.surface
        yield base, start, pos


def segment_japanese(run: str, method: str) -> Iterator[tuple[str, int, int]]:
    """Words of one unspaced Japanese run as (text, start, end) relative to the run."""
    if method == "bigram":
        yield from _bigrams(run)
    elif method == "sudachi":
        yield from _sudachi_words(run)
    elif method == "sudachi+bigram":
        yield from _sudachi_words(run)
        yield from _bigrams(run)
    elif method == "janome":
        yield from _janome_words(run)
    else:
        raise ValueError(f"unknown Japanese analysis method {method!r}; use one of {JA_METHODS}")


def one_word(run: str, method: str) -> str | None:
    """The word a kana run is to the segmenter, in its normalised form (めーる is メール), or
    None when it breaks the run into pieces, as Sudachi breaks a loanword typed in hiragana
    (ぱすわーど becomes ぱ + す + わー + ど). Bigrams match kana either way: the run itself."""
    if method == "janome":
        tokens = list(_janome().tokenize(run))
        if len(tokens) != 1:
            return None
        return tokens[0].base_form if tokens[0].base_form != "*" else run
    if "sudachi" in method:
        morphemes = _sudachi().tokenize(run)
        return morphemes[0].normalized_form() if len(morphemes) == 1 else None
    return run


class MixedScriptTokenizer(Composable):
    """Tokenizes English and Japanese in one pass, with offsets into the original text."""

    is_morph = True

    def __init__(self, ja_method: str = DEFAULT_JA_METHOD, stem_english: bool = True):
        self.ja_method = ja_method
        self.stem_english = stem_english

    def __eq__(self, other):
        return (
            isinstance(other, MixedScriptTokenizer)
            and self.ja_method == other.ja_method
            and self.stem_english == other.stem_english
        )

    def __hash__(self):
        return hash((self.ja_method, self.stem_english))

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        mode: str = "",
        **kwargs,
    ) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        # Stop words are indexed and dropped only from queries, so a query of nothing else
        # can still fall back to them.
        drop_stops = removestops and mode == "query"
        pos = start_pos
        for text, start, end, japanese in self.words(value):
            if japanese:
                text = katakana_to_hiragana(text)
                if drop_stops and text in JA_STOP_WORDS:
                    continue
            elif drop_stops and text in EN_STOP_WORDS:
                continue
            elif self.stem_english:
                text = _stem(text)
            t.text = text
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = value[start:end]
            if positions:
                t.pos = pos
                pos += 1
            if chars:
                t.startchar = start_char + start
                t.endchar = start_char + end
            yield t

    def words(self, value: str) -> Iterator[tuple[str, int, int, bool]]:
        """(normalised word, original start, original end, is Japanese) for each word."""
        norm, offsets = normalize_with_offsets(value)
        for run in _WORD_RUNS.finditer(norm):
            i, j = run.span()
            if run.lastgroup == "ja":
                for word, s, e in segment_japanese(run.group(), self.ja_method):
                    yield word, offsets[i + s], offsets[i + e - 1] + 1, True
            else:
                yield run.group(), offsets[i], offsets[j - 1] + 1, False


# A run of Japanese characters, or of other letters and digits (str.isalnum: \w without _).
_WORD_RUNS = re.compile(f"(?P<ja>[{JAPANESE_CHARS}]+)|[^\\W_{JAPANESE_CHARS}]+")


class SpellingTokenizer(Composable):
    """Plain lower-cased Latin words, unstemmed: the vocabulary the Latin "did you mean" draws
    from (Japanese words are read from the search fields, spelling.py)."""

    def __call__(self, value: str, positions=False, chars=False, mode="", **kwargs):
        t = Token(positions, chars, mode=mode, **kwargs)
        for i, (text, start, end, japanese) in enumerate(
            MixedScriptTokenizer("bigram").words(value)
        ):
            if japanese or len(text) < 3 or text.isdigit():
                continue
            t.text, t.boost, t.stopped = text, 1.0, False
            if positions:
                t.pos = i
            if chars:
                t.startchar, t.endchar = start, end
            yield t


def make_analyzer(ja_method: str = DEFAULT_JA_METHOD) -> MixedScriptTokenizer:
    if ja_method not in JA_METHODS:
        raise ValueError(f"unknown Japanese analysis method {ja_method!r}; use one of {JA_METHODS}")
    return MixedScriptTokenizer(ja_method)
