""" "Did you mean" for Japanese: a katakana word one kana from an indexed word, or a loanword
typed in hiragana, is corrected to the indexed word in katakana (the fixture content has
パスワード and ログイン)."""

import pytest
from sqlalchemy import select

from helpcenter.extensions import db
from helpcenter.models import Article, User
from helpcenter.search_index.analysis import MixedScriptTokenizer, one_word
from helpcenter.search_index.spelling import (
    MAX_CORRECTED_WORDS,
    SpellingDictionary,
    _kana_correction,
    _unknown_words,
)
from helpcenter.services.content import curation
from tests.builders import make_user


def api_search(client, query: str) -> dict:
    response = client.get("/api/v1/search", query_string={"q": query})
    assert response.status_code == 200
    return response.get_json()


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("パスワド", "パスワード"),  # a long-vowel mark left out
        ("ログオン", "ログイン"),  # one kana wrong
        ("ぱすわーど", "パスワード"),  # the indexed word, typed in hiragana
        ("ぱすわど", "パスワード"),  # both
        ("ろぐいん", "ログイン"),
        ("ﾛｸﾞｵﾝ", "ログイン"),  # half-width katakana is replaced whole
    ],
)
def test_a_japanese_typo_or_variant_gets_a_suggestion_that_has_results(client, typed, meant):
    data = api_search(client, typed)
    assert data["total"] == 0
    assert data["suggestion"] == meant
    assert api_search(client, data["suggestion"])["total"] > 0


def test_the_rest_of_the_query_is_kept_as_typed(client):
    assert api_search(client, "ログオンできない")["suggestion"] == "ログインできない"
    # English and Japanese corrected in one query, each in its own script
    assert api_search(client, "ログオン invoise")["suggestion"] == "ログイン invoice"


def test_no_suggestion_for_a_japanese_word_with_nothing_close(client):
    data = api_search(client, "ズンドコ")
    assert (data["total"], data["suggestion"]) == (0, None)


def test_english_did_you_mean_still_works(client):
    data = api_search(client, "pasword")
    assert (data["total"], data["suggestion"]) == (0, "password")


def test_the_search_page_links_the_japanese_suggestion(client):
    html = client.get("/search", query_string={"q": "パスワド"}).get_data(as_text=True)
    assert "Did you mean" in html and ">パスワード</a>" in html
    html = client.get(
        "/search", query_string={"q": "ログオン"}, headers={"Accept-Language": "ja"}
    ).get_data(as_text=True)
    assert "もしかして" in html and ">ログイン</a>" in html


def test_only_the_first_few_japanese_words_are_corrected(client):
    typed = "パスワド ログオン パスワド ログオン パスワド"
    corrected = ["パスワード", "ログイン", "パスワード"][:MAX_CORRECTED_WORDS]
    expected = " ".join(corrected + typed.split()[len(corrected) :])
    assert api_search(client, typed)["suggestion"] == expected


def test_a_katakana_word_an_edit_added_is_suggested(client, loaded_app):
    """The kana dictionary takes in the segment an edit commits, as the Latin one does."""
    assert api_search(client, "ダッシュボド")["suggestion"] is None
    staff_id = make_user(loaded_app, "writer@example.com", role="staff")
    with loaded_app.app_context():
        staff = db.session.get(User, staff_id)
        article = db.session.scalars(select(Article).where(Article.slug == "two-step")).one()
        body = f"{article.body_md}\n\nダッシュボードからも設定できます。"
        tags = ", ".join(article.tags or ())
        category = article.category.slug if article.category else None
        fields = curation.Fields(article.title, article.summary, body, tags, category, article.slug)
        curation.save_article(staff, article, fields, publish=True)
    assert api_search(client, "ダッシュボド")["suggestion"] == "ダッシュボード"


# -- the dictionary and the choice of words, without an index ---------------------------------


def test_among_equally_close_kana_words_a_mark_away_wins_then_the_most_frequent():
    kana = SpellingDictionary({"りすと": 50, "りせっと": 1, "ろぐいん": 9, "ろぐおふ": 2})
    assert _kana_correction(kana, "りせと") == "リセット"  # only っ left out, not a kana changed
    assert _kana_correction(kana, "ろぐおん") == "ログイン"  # both one kana away: the frequent one
    assert _kana_correction(kana, "りせっと") == "リセット"  # held: its katakana spelling
    assert _kana_correction(kana, "ずんどこ") is None


def test_a_hiragana_word_is_written_as_the_segmenter_writes_it_and_a_loanword_in_katakana():
    kana = SpellingDictionary({"いつも": 3, "ぱすわーど": 3, "めーる": 3})
    assert _kana_correction(kana, "いつま", typed_in_katakana=False) == "いつも"
    assert _kana_correction(kana, "ぱすわど", typed_in_katakana=False) == "パスワード"
    assert _kana_correction(kana, "めーろ", typed_in_katakana=False) == "メール"
    assert _kana_correction(kana, "いつま", typed_in_katakana=True) == "イツモ"  # as typed


def test_kana_runs_the_segmenter_reads_as_words_are_left_alone():
    analyzer = MixedScriptTokenizer("sudachi")
    assert one_word("ください", "sudachi") == "下さる"
    assert one_word("めーる", "sudachi") == "メール"
    assert one_word("ぱすわーど", "sudachi") is None
    empty = SpellingDictionary()
    words = _unknown_words(analyzer, "ぱすわーど ください ログオン", empty, empty)
    assert [(word, script) for _s, _e, word, script in words] == [
        ("ぱすわーど", "hiragana"),
        ("ろぐおん", "katakana"),
    ]
