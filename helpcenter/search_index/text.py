"""Text normalisation shared by indexing, querying and analytics (NFKC, case, width, kana)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

_KATAKANA_START, _KATAKANA_END = 0x30A1, 0x30F6
_HIRAGANA_START, _HIRAGANA_END = 0x3041, 0x3096
_VOICED_MARKS = "\u3099\u309a"
_PUNCT_OR_SPACE = re.compile(r"[\W_]+", re.UNICODE)


JAPANESE_CHARS = "\u3040-\u30ff\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff\u3005\u3006\u31f0"


def is_japanese_char(ch: str) -> bool:
    """Kana, CJK ideographs and the marks that live inside Japanese words."""
    o = ord(ch)
    return (
        0x3040 <= o <= 0x30FF  # hiragana, katakana (incl. ー)
        or 0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0xF900 <= o <= 0xFAFF
        or o in (0x3005, 0x3006, 0x30F6, 0x31F0)  # 々 〆 ヶ
    )


def has_japanese(text: str) -> bool:
    return any(is_japanese_char(ch) for ch in text)


def katakana_to_hiragana(text: str) -> str:
    return "".join(
        chr(ord(ch) - 0x60) if _KATAKANA_START <= ord(ch) <= _KATAKANA_END else ch for ch in text
    )


def hiragana_to_katakana(text: str) -> str:
    """The katakana spelling of a folded index word (the index holds katakana as hiragana)."""
    return "".join(
        chr(ord(ch) + 0x60) if _HIRAGANA_START <= ord(ch) <= _HIRAGANA_END else ch for ch in text
    )


@lru_cache(maxsize=4096)
def _nfkc_char(ch: str) -> str:
    return unicodedata.normalize("NFKC", ch).lower()


def normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """NFKC + lower-case `text`, keeping for each output char the index of its source char.

    Highlighting needs offsets into the original text, and NFKC may change length
    (half-width ｶﾞ becomes ガ), so normalisation is done char by char with a map.
    """
    if text.isascii():
        return text.lower(), list(range(len(text)))
    if "Σ" not in text and unicodedata.is_normalized("NFKC", text):
        # Most stored text is already normalised: one call instead of one per char. (Σ lowers
        # by context, ς at a word's end, which the char-by-char path below never does.)
        lowered = text.lower()
        if len(lowered) == len(text):
            return lowered, list(range(len(text)))
    out: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        norm = _nfkc_char(ch)
        if norm and norm[0] in _VOICED_MARKS and out:
            combined = unicodedata.normalize("NFC", out[-1] + norm[0])
            if len(combined) == 1:  # カ + ゛ is ガ; a mark after anything else stays a char
                out[-1] = combined
                norm = norm[1:]
        for c in norm:
            out.append(c)
            offsets.append(i)
    return "".join(out), offsets


def normalize_query(text: str) -> str:
    """The grouping key for a query: NFKC, case, width and kana folded, punctuation to spaces."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = katakana_to_hiragana(text)
    return " ".join(_PUNCT_OR_SPACE.sub(" ", text).split())


def fold_case_and_width(text: str) -> str:
    """The form under which "Dark mode", "dark mode" and "ｄａｒｋ ｍｏｄｅ" are one word."""
    return unicodedata.normalize("NFKC", text).casefold()


def distinct_spellings(words: Iterable[str]) -> list[str]:
    """`words` without repeats that differ only in case or width, each in its first spelling."""
    seen: dict[str, str] = {}
    for word in words:
        seen.setdefault(fold_case_and_width(word), word)
    return list(seen.values())
