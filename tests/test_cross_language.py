"""A reader's own language comes first, unless it has only weak matches and the other language
has a strong one: then that answer leads, labelled with its language, and nothing is lost."""

import pytest

from helpcenter.config import PROJECT_ROOT
from helpcenter.services.content import imports
from helpcenter.services.search import indexing

# (query, reader's language, the title that must lead, whether it is in the other language)
CASES = [
    ("SAML", "ja", "Set up SAML single sign-on", True),
    ("SAML", "en", "Set up SAML single sign-on", False),
    ("Slack 連携", "ja", "Slack連携の設定", False),  # strong in both: own language first
    ("API", "ja", "APIトークンの発行と管理", False),
    ("請求書", "ja", "請求書・領収書のダウンロード", False),
]


@pytest.fixture
def sample_client(app):
    with app.app_context():
        assert imports.import_content(PROJECT_ROOT / "content").ok
        indexing.rebuild_index()
    return app.test_client()


def results(client, query, lang):
    response = client.get(
        "/api/v1/search", query_string={"q": query}, headers={"Accept-Language": lang}
    )
    assert response.status_code == 200
    return response.get_json()["results"]


@pytest.mark.parametrize(("query", "lang", "leader", "other_language"), CASES)
def test_strong_other_language_answers_lead_weak_own_ones(
    sample_client, query, lang, leader, other_language
):
    hits = results(sample_client, query, lang)
    assert hits[0]["title"] == leader
    assert (hits[0]["lang"] != lang) is other_language
    assert hits[0]["promoted"] is other_language


def test_with_no_own_language_match_the_other_language_is_simply_all_there_is(sample_client):
    hits = results(sample_client, "パスワード", "en")
    assert hits[0]["title"] == "パスワードを忘れた場合の再設定方法"
    assert not any(hit["promoted"] for hit in hits)


def test_the_promoted_answer_is_labelled_and_not_repeated_under_the_divider(sample_client):
    html = sample_client.get(
        "/search", query_string={"q": "SAML"}, headers={"Accept-Language": "ja"}
    ).get_data(as_text=True)
    first_result = html.index('class="result-title"')
    assert html.index("Set up SAML single sign-on") > first_result
    assert html.count("Set up SAML single sign-on") == 1
    label = html.index('<span class="badge" lang="en">', first_result)
    divider = html.index('class="lang-divider"')
    assert label < divider, "the leading English answer carries its language label"
