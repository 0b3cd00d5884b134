"""The public pages a reader sees, in both languages."""

import re

from sqlalchemy import select

from helpcenter.extensions import db
from helpcenter.models import ArticleView


def text(response):
    return response.get_data(as_text=True)


def test_home_shows_search_categories_popular_articles_and_videos(client):
    html = text(client.get("/", headers={"Accept-Language": "en"}))
    assert 'role="search"' in html
    assert "Account" in html and "Billing" in html
    assert "Reset a forgotten password" in html
    assert "Getting started tour" in html


def test_interface_follows_accept_language(client):
    html = text(client.get("/", headers={"Accept-Language": "ja,en;q=0.5"}))
    assert '<html lang="ja">' in html
    assert "アカウント" in html
    assert "パスワードを忘れた場合の再設定方法" in html


def test_readers_choice_of_language_beats_accept_language(client):
    response = client.get(
        "/language/en?next=/categories/account", headers={"Accept-Language": "ja"}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/categories/account"
    html = text(client.get("/", headers={"Accept-Language": "ja"}))
    assert '<html lang="en">' in html


def test_language_switch_refuses_external_next(client):
    response = client.get("/language/ja?next=//evil.example")
    assert response.headers["Location"] == "/"


def test_category_lists_readers_language_first_and_labels_the_rest(client):
    html = text(client.get("/categories/account", headers={"Accept-Language": "en"}))
    assert "Reset a forgotten password" in html
    # the Japanese translation of that article is hidden; the untranslated one is labelled
    assert "パスワードを忘れた場合" not in html
    assert "2段階認証を設定する" in html and 'class="badge" lang="ja"' in html


def test_article_page_has_breadcrumbs_toc_translation_and_feedback(client):
    html = text(client.get("/articles/en/reset-password"))
    assert 'aria-label="Breadcrumbs"' in html and 'href="/categories/account"' in html
    assert 'href="#request-a-reset-link"' in html and 'id="request-a-reset-link"' in html
    assert 'href="/articles/ja/password-reset"' in html
    assert "Was this article helpful?" in html
    assert 'name="csrf_token"' in html


def test_article_view_is_recorded(client, loaded_app):
    client.get("/articles/en/reset-password")
    with loaded_app.app_context():
        assert db.session.scalars(select(ArticleView)).one().is_crawler is False


def test_draft_and_missing_articles_are_styled_404s(client):
    for path in (
        "/articles/en/cancel-plan",
        "/articles/en/nope",
        "/articles/xx/reset-password",
        "/nope",
    ):
        response = client.get(path)
        assert response.status_code == 404
        assert "Page not found" in text(response) and "site.css" in text(response)


def test_api_404_is_json(client):
    response = client.get("/api/v1/nothing")
    assert response.status_code == 404 and response.is_json


def test_unexpected_error_is_a_styled_500(loaded_app):
    @loaded_app.get("/boom")
    def boom():
        raise RuntimeError("kaboom")

    response = loaded_app.test_client().get("/boom")
    assert response.status_code == 500
    assert "Something went wrong" in text(response) and "kaboom" not in text(response)


def test_video_page_shows_transcript_with_timestamps_and_external_link(client):
    html = text(client.get("/videos/en/getting-started"))
    assert "videos.example.com" in html and "Watch the video" in html
    assert 'href="?t=40#t40"' in html and "0:40" in html
    assert "calendar integration" in html


def test_video_page_marks_the_cue_at_t(client):
    html = text(client.get("/videos/en/getting-started?t=45"))
    assert '<li id="t40" class="current">' in html


def test_video_page_ignores_a_bad_t(client):
    assert client.get("/videos/en/getting-started?t=abc").status_code == 200
    assert client.get("/videos/en/getting-started?t=-5").status_code == 200


def test_security_headers_on_html_json_and_errors(client):
    for path in ("/", "/api/v1/search?q=x", "/nope"):
        headers = client.get(path).headers
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"]


def test_pages_have_no_inline_script_and_no_external_assets(client):
    for path in (
        "/",
        "/articles/en/reset-password",
        "/videos/en/getting-started",
        "/search?q=password",
    ):
        html = text(client.get(path))
        # A page's own full address for search engines is a link, not an asset to load.
        html = re.sub(r'<link rel="(?:canonical|alternate)"[^>]*>', "", html)
        assert "<script>" not in html and "onclick" not in html
        assert 'src="http' not in html and 'href="http://' not in html
        assert "fonts.googleapis" not in html


def test_visitor_cookie_is_random_and_http_only(client):
    cookie = client.get("/articles/en/reset-password").headers["Set-Cookie"]
    assert cookie.startswith("hc_vid=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def topic_counts(html: str) -> list[str]:
    import re

    return re.findall(r'<p class="count">(.*?)</p>', html)


def test_home_topic_cards_count_articles_and_videos_apart(client, loaded_app, content_dir):
    from helpcenter.services.content import imports

    video = (content_dir / "videos" / "getting-started.en.md").read_text(encoding="utf-8")
    (content_dir / "videos" / "getting-started.ja.md").write_text(
        video.replace("lang: en", "lang: ja").replace("Getting started tour", "はじめてのツアー"),
        encoding="utf-8",
    )
    with loaded_app.app_context():
        assert imports.import_content(content_dir).ok

    english = topic_counts(text(client.get("/", headers={"Accept-Language": "en"})))
    assert english == ["1 article · 1 video", "1 article"]  # Account, Billing (and a draft)
    japanese = topic_counts(text(client.get("/", headers={"Accept-Language": "ja"})))
    assert japanese == ["2件の記事 · 1本の動画", "0件の記事"]
