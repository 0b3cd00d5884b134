"""Search finds words in English and unspaced Japanese and never fails on what people type."""

import pytest

from helpcenter.extensions import db, search_index
from helpcenter.search_index import SearchRequest
from tests.builders import make_user


def search(app, query, **kwargs):
    with app.app_context():
        return search_index.search(SearchRequest(query=query, **kwargs))


def titles(page):
    return [hit.title for hit in page.hits]


def test_japanese_word_is_found_inside_unspaced_text(loaded_app):
    page = search(loaded_app, "パスワード")
    assert titles(page)[0] == "パスワードを忘れた場合の再設定方法"


def test_japanese_match_is_highlighted_in_the_snippet(loaded_app):
    page = search(loaded_app, "再設定", lang="ja")
    assert "<mark" in page.hits[0].snippet


def test_conjugated_japanese_verb_matches_its_dictionary_form(loaded_app):
    assert titles(search(loaded_app, "忘れる"))[0] == "パスワードを忘れた場合の再設定方法"


def test_full_width_and_half_width_forms_match(loaded_app):
    assert titles(search(loaded_app, "ﾊﾟｽﾜｰﾄﾞ"))[0] == "パスワードを忘れた場合の再設定方法"
    assert (
        titles(search(loaded_app, "ＰＡＳＳＷＯＲＤ", lang="en"))[0] == "Reset a forgotten password"
    )


def test_one_character_japanese_query_finds_words_containing_it(loaded_app):
    assert titles(search(loaded_app, "税")) == ["2段階認証を設定する"]


def test_english_words_are_stemmed(loaded_app):
    assert titles(search(loaded_app, "invoicing"))[0] == "Download invoices"


def test_natural_question_uses_or_semantics(loaded_app):
    page = search(loaded_app, "what should I do when I forgot my password yesterday")
    assert titles(page)[0] == "Reset a forgotten password"


@pytest.mark.parametrize(
    "query",
    [
        '"unbalanced quote',
        "password)",
        "(password AND",
        "title:password",
        "pass*",
        "~!@#$%^&*()_+{}|:\"<>?`-=[]\\;',./「」『』【】",
        "NOT OR AND",
        "password^5",
        "a" * 10_000,
        "パスワード" * 2_000,
    ],
)
def test_any_text_is_searched_without_error(loaded_app, query):
    page = search(loaded_app, query)
    assert page.total >= 0


def test_query_syntax_is_treated_as_text(loaded_app):
    assert titles(search(loaded_app, "title:password"))[0] == "Reset a forgotten password"


def test_snippet_escapes_html_from_the_content(loaded_app):
    page = search(loaded_app, "forgot <script>")
    assert all("<script" not in hit.snippet for hit in page.hits)


def test_filters_by_type_category_and_language(loaded_app):
    assert {
        h.kind for h in search(loaded_app, "workspace calendar password", kind="video").hits
    } == {"video"}
    assert {
        h.category for h in search(loaded_app, "password invoice", category="billing").hits
    } == {"billing"}
    assert {h.lang for h in search(loaded_app, "password パスワード", lang="ja").hits} == {"ja"}


def test_readers_language_comes_first_then_the_other_language(loaded_app):
    query = "password パスワード"
    assert [h.lang for h in search(loaded_app, query, prefer_lang="ja").hits][0] == "ja"
    langs = [h.lang for h in search(loaded_app, query, prefer_lang="en").hits]
    assert langs[0] == "en" and "ja" in langs
    assert langs == sorted(langs, key=lambda lang: lang != "en")


def test_drafts_are_not_searchable(loaded_app):
    assert search(loaded_app, "cancelling subscription unpublished").total == 0


def test_transcript_hit_links_to_the_second_the_words_are_spoken(loaded_app):
    page = search(loaded_app, "calendar integration deadlines")
    hit = page.hits[0]
    assert (hit.kind, hit.start) == ("video", 40.0)
    assert hit.url == "/videos/en/getting-started?t=40"


def test_video_appears_once_however_many_passages_match(loaded_app):
    page = search(loaded_app, "workspace calendar tour thanks")
    assert [h.kind for h in page.hits].count("video") == 1


def test_did_you_mean_on_zero_results(loaded_app):
    page = search(loaded_app, "pasword")
    assert page.total == 0
    assert page.suggestion == "password"


def test_no_suggestion_when_nothing_close_exists(loaded_app):
    assert search(loaded_app, "zzqxj").suggestion is None


def test_pagination_splits_results(loaded_app):
    first = search(loaded_app, "password invoice workspace パスワード", per_page=2)
    second = search(loaded_app, "password invoice workspace パスワード", per_page=2, page=2)
    assert first.total == second.total >= 3
    assert len(first.hits) == 2
    assert not {h.url for h in first.hits} & {h.url for h in second.hits}


def test_question_boilerplate_does_not_drown_the_topic(loaded_app):
    # 「方法」 and 「教えてください」 frame the question; the password article's title has 「方法」.
    assert (
        titles(search(loaded_app, "2段階認証を設定する方法を教えてください"))[0]
        == "2段階認証を設定する"
    )
    assert titles(search(loaded_app, "パスワードを再設定する方法を知りたい"))[0] == (
        "パスワードを忘れた場合の再設定方法"
    )


def test_a_query_of_only_stop_words_still_searches_them(loaded_app):
    assert titles(search(loaded_app, "方法"))[0] == "パスワードを忘れた場合の再設定方法"
    assert titles(search(loaded_app, "you can", lang="en"))[0] == "Reset a forgotten password"


def test_paging_one_by_one_walks_both_languages_without_gaps_or_repeats(loaded_app):
    query = "password invoice workspace パスワード 設定"
    everything = search(loaded_app, query, prefer_lang="ja", per_page=50)
    walked = [
        search(loaded_app, query, prefer_lang="ja", per_page=1, page=n).hits[0]
        for n in range(1, everything.total + 1)
    ]
    assert [h.url for h in walked] == [h.url for h in everything.hits]
    assert [h.lang for h in walked] == sorted((h.lang for h in walked), key=lambda x: x != "ja")
    assert {"ja", "en"} <= {h.lang for h in walked}
    assert (
        search(loaded_app, query, prefer_lang="ja", page=everything.total + 1, per_page=1).hits
        == []
    )


def test_did_you_mean_prefers_the_closest_word_over_a_frequent_one(loaded_app):
    from helpcenter.models import Article, User
    from helpcenter.services.content import curation

    staff_id = make_user(loaded_app, "speller@example.com", role="staff")
    with loaded_app.app_context():
        staff = db.session.get(User, staff_id)
        pages = [
            (
                "Send invoices",
                "send-invoices",
                "Send the invoice. Send it again. We send receipts.",
            ),
            ("Send reminders", "send-reminders", "Send a reminder; send another."),
            ("Ask for a refund", "ask-refund", "Contact us within 30 days."),
        ]
        for title, slug, body in pages:
            draft = curation.new_article("en")
            curation.save_article(
                staff, draft, curation.Fields(title, "", body, "", None, slug), publish=True
            )
        assert db.session.query(Article).filter_by(slug="ask-refund").one().is_published
    assert search(loaded_app, "refnd").suggestion == "refund"  # one edit away, not "send" (two)
