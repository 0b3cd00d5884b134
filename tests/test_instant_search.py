"""Instant results keep up with typing: the unfinished last word matches the words it may become."""

from tests.builders import ask, member


def instant(client, q, source="instant"):
    response = client.get("/api/v1/search", query_string={"q": q, "source": source})
    assert response.status_code == 200
    return [hit["title"] for hit in response.get_json()["results"]]


def test_a_word_being_typed_finds_the_words_it_starts(client):
    assert instant(client, "invoi")[0] == "Download invoices"
    assert instant(client, "invoi", source="api") == []  # a submitted search matches words whole


def test_a_katakana_word_being_typed_finds_japanese_pages(client):
    assert instant(client, "パスワ")[0] == "パスワードを忘れた場合の再設定方法"


def test_the_unfinished_word_prefers_what_it_completes_over_the_stem_as_typed(loaded_app):
    poster = member(loaded_app)
    ask(
        poster,
        title="Pipeline question after the upgrade",
        body="All tests passed locally and passed again on CI, then the reset step failed.",
    )
    client = loaded_app.test_client()
    assert instant(client, "reset pass")[0] == "Reset a forgotten password"


def test_a_trailing_space_means_the_word_is_finished(client):
    assert instant(client, "invoi ") == []


def test_an_unfinished_word_found_only_in_page_text_still_finds_the_page(client):
    """Completions are looked for in titles first; when no title has one, in the text."""
    assert instant(client, "expi") == ["Reset a forgotten password"]  # "Links expire after…"
