"""The gap inbox page: each gap's trend as a small chart with its numbers in words, and a one-click
synonym when people searched for a variant of a word the help center does use."""

import re
from datetime import timedelta

import pytest

from helpcenter.models.base import utcnow
from tests.builders import (
    add_synonyms,
    csrf_token,
    gap_section,
    insert_rows,
    make_user,
    search_row,
    sign_in,
)


@pytest.fixture
def sign_in_article(content_dir):
    """A Japanese page that says サインイン, written before the index is built."""
    (content_dir / "articles" / "ja" / "account" / "sign-in.md").write_text(
        "---\ntitle: サインインの手順\nlang: ja\ncategory: account\ntags: [アカウント]\n"
        "summary: メールアドレスでサインインします。\n---\n\n画面右上からサインインしてください。\n",
        encoding="utf-8",
    )


def failed(app, query, people, lang="en", **kwargs):
    with app.app_context():
        insert_rows(
            [
                search_row(query, f"{query}-{n}", lang=lang, result_count=0, **kwargs)
                for n in range(people)
            ]
        )


def test_each_gap_has_a_daily_sparkline_whose_text_gives_first_last_and_peak(loaded_app, staff):
    with loaded_app.app_context():
        insert_rows(
            [
                search_row("gantt export", f"a{n}", ago=timedelta(days=3, hours=1), result_count=0)
                for n in range(2)
            ]
            + [
                search_row("gantt export", f"b{n}", ago=timedelta(days=1, hours=1), result_count=0)
                for n in range(5)
            ]
            + [search_row("gantt export", "c", ago=timedelta(hours=1), result_count=0)]
            + [
                search_row("gantt export", "ok", ago=timedelta(hours=2), clicked_at=utcnow())
            ]  # not failed
        )
    today = utcnow().date()
    section = gap_section(staff.get("/staff/gaps?days=7").get_data(as_text=True), "gantt export")
    svg = re.search(
        r'<svg class="sparkline"[^>]*aria-label="([^"]+)"[^>]*>(.*?)</svg>', section, re.S
    )
    assert svg, section
    start = (utcnow() - timedelta(days=7)).date()
    label = (
        f"Failed searches per day, {start.isoformat()} to {today.isoformat()}: first 0, last 1, "
        f"peak 5 ({(today - timedelta(days=1)).isoformat()})."
    )
    assert svg.group(1) == label and f"<title>{label}</title>" in svg.group(2)
    assert len(svg.group(2).split('points="')[1].split('"')[0].split()) == 8  # one point a day


def test_long_periods_count_failed_searches_per_week(loaded_app, staff):
    failed(loaded_app, "gantt export", 3, ago=timedelta(days=50))
    failed(loaded_app, "gantt export", 4, ago=timedelta(days=2))
    section = gap_section(staff.get("/staff/gaps?days=90").get_data(as_text=True), "gantt export")
    label = re.search(r'<svg class="sparkline"[^>]*aria-label="([^"]+)"', section).group(1)
    assert label.startswith("Failed searches per week") and "peak 4" in label
    assert "Failed searches per week</figcaption>" in section


def test_a_misspelt_english_word_suggests_a_synonym_that_one_click_saves(loaded_app, staff):
    failed(loaded_app, "pasword reset", 3)
    page = staff.get("/staff/gaps").get_data(as_text=True)
    section = gap_section(page, "pasword reset")
    assert "Suggest synonym: pasword = password" in section
    form = re.search(
        r'<form method="post" action="/staff/synonyms".*?</form>', section, re.S
    ).group(0)
    assert 'name="lang" value="en"' in form and 'name="terms" value="pasword, password"' in form
    response = staff.post(
        "/staff/synonyms",
        data={"csrf_token": csrf_token(form), "lang": "en", "terms": "pasword, password"},
    )
    assert response.status_code == 303
    reader = loaded_app.test_client()
    results = reader.get("/api/v1/search?q=pasword&lang=en").get_json()["results"]
    assert results[0]["title"] == "Reset a forgotten password"
    # Grouped now: the suggestion is gone.
    assert "Suggest synonym" not in gap_section(
        staff.get("/staff/gaps").get_data(as_text=True), "pasword reset"
    )


def test_a_katakana_variant_suggests_the_spelling_the_pages_use(loaded_app, staff):
    failed(loaded_app, "ログオンできない", 4, lang="ja")
    section = gap_section(staff.get("/staff/gaps").get_data(as_text=True), "ログオンできない")
    assert "Suggest synonym: ログオン = ログイン" in section
    assert (
        'name="lang" value="ja"' in section and 'name="terms" value="ログオン, ログイン"' in section
    )


def test_a_split_katakana_word_is_matched_as_a_whole(sign_in_article, loaded_app, staff):
    failed(loaded_app, "サインオン", 3, lang="ja")
    page = staff.get("/staff/gaps?lang=ja").get_data(as_text=True)
    assert "Suggest synonym: サインオン = サインイン" in gap_section(page, "サインオン")


def test_japanese_staff_see_the_suggestion_in_japanese(loaded_app, staff):
    failed(loaded_app, "ﾛｸﾞｵﾝ", 2, lang="ja")
    staff.set_cookie("hc_lang", "ja")
    page = staff.get("/staff/gaps").get_data(as_text=True)
    assert "ギャップ受信箱" in page  # the page is in Japanese
    section = gap_section(page, "ﾛｸﾞｵﾝ")
    assert (
        'name="lang" value="ja"' in section and 'name="terms" value="ログオン, ログイン"' in section
    )
    assert "1日あたりの失敗した検索数" in section  # the trend's caption


def test_no_suggestion_when_the_words_already_match_or_are_unrelated(loaded_app, staff):
    failed(loaded_app, "Passwords", 3)  # "password" is indexed: stemming already matches
    failed(loaded_app, "ログイン できない", 3, lang="ja")  # the indexed spelling
    failed(loaded_app, "ﾊﾟｽﾜｰﾄﾞ", 3, lang="ja")  # half-width: the same word once folded
    failed(loaded_app, "zebra xylophone", 3)  # nothing close in the index
    page = staff.get("/staff/gaps").get_data(as_text=True)
    assert page.count('<section class="panel gap">') == 4
    assert "Suggest synonym" not in page


def test_no_suggestion_for_a_word_already_in_a_synonym_group(loaded_app, staff):
    assert add_synonyms(staff, "ja", "ログオン, サインイン").status_code == 303
    failed(loaded_app, "ログオン", 3, lang="ja")
    assert "Suggest synonym" not in gap_section(
        staff.get("/staff/gaps").get_data(as_text=True), "ログオン"
    )


def test_each_gap_says_how_many_people_wait_for_an_answer(loaded_app, staff):
    from helpcenter.extensions import db
    from helpcenter.models import AnswerAlert
    from helpcenter.search_index.gap_key import gap_key

    failed(loaded_app, "gantt export", 3)
    failed(loaded_app, "dark mode", 2)
    with loaded_app.app_context():
        key = gap_key("gantt export")
        db.session.add_all(
            [
                AnswerAlert(gap_key=key, query="gantt export", lang="en", email="a@example.com"),
                AnswerAlert(gap_key=key, query="gantt export", lang="en", email="b@example.com"),
                AnswerAlert(
                    gap_key=key,
                    query="gantt export",
                    lang="en",
                    email="c@example.com",
                    notified_at=utcnow(),
                ),
            ]
        )
        db.session.commit()
    page = staff.get("/staff/gaps").get_data(as_text=True)
    assert '<span class="waiting">2 waiting</span>' in gap_section(page, "gantt export")
    assert 'class="waiting"' not in gap_section(page, "dark mode")  # nobody waits: nothing said


def test_a_word_the_index_learns_later_is_suggested_once_it_is_there(
    loaded_app, content_dir, staff
):
    from helpcenter.services.content import imports
    from helpcenter.services.search import indexing

    failed(loaded_app, "gant chart", 3)
    assert "Suggest synonym" not in staff.get("/staff/gaps").get_data(as_text=True)
    (content_dir / "articles" / "en" / "billing" / "gantt.md").write_text(
        "---\ntitle: Gantt view\nlang: en\ncategory: billing\nsummary: Plan on a timeline.\n---\n\n"
        "The Gantt view shows tasks on a timeline.\n",
        encoding="utf-8",
    )
    with loaded_app.app_context():
        imports.import_content(content_dir)
        indexing.drain_outbox()
    assert "Suggest synonym: gant = gantt" in staff.get("/staff/gaps").get_data(as_text=True)


def test_status_tabs_keep_the_period_language_and_topic(loaded_app):

    staff = loaded_app.test_client()
    make_user(loaded_app, "tabs@example.com", role="staff")
    sign_in(staff, "tabs@example.com")
    page = staff.get("/staff/gaps?days=7&lang=ja&category=billing").get_data(as_text=True)
    assert "/staff/gaps?days=7&amp;lang=ja&amp;category=billing&amp;status=planned" in page
