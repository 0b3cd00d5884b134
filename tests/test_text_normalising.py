"""Normalised text keeps one source offset per character, whatever marks it holds."""

from helpcenter.search_index.analysis import make_analyzer
from helpcenter.search_index.text import normalize_with_offsets


def test_a_voiced_mark_that_joins_nothing_keeps_its_own_offset():
    for text in (",ﾞ", "aﾞb", "ｶﾞ字,ﾞ①", "Σ ΟΔΟΣ ｶﾞ", "İstanbul ｶﾞ"):
        norm, offsets = normalize_with_offsets(text)
        assert len(norm) == len(offsets), text
        assert offsets == sorted(offsets) and offsets[-1] < len(text), text


def test_a_voiced_mark_joins_the_kana_before_it():
    assert normalize_with_offsets("ｶﾞｲﾄﾞ") == ("ガイド", [0, 2, 3])


def test_queries_with_stray_marks_are_analysed_not_refused():
    analyzer = make_analyzer()
    words = [t.text for t in analyzer("パスワード,ﾞ reset", mode="query")]
    assert words[0] == "ぱすわーど" and words[-1] == "reset"
