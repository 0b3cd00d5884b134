"""Pages that are not search do not pay for one: an article's related pages are searched once
per index state, and listings never read article bodies."""

from helpcenter.extensions import search_index
from tests.conftest import counted_statements


def test_related_articles_are_searched_once_per_index_state(client, loaded_app, monkeypatch):
    calls = []
    real_search = search_index.search
    monkeypatch.setattr(search_index, "search", lambda req: calls.append(req) or real_search(req))
    first = client.get("/articles/en/reset-password").get_data(as_text=True)
    second = client.get("/articles/en/reset-password").get_data(as_text=True)
    assert len(calls) == 1
    related = first.split('id="related-heading"')[1].split("</section>")[0]
    assert related == second.split('id="related-heading"')[1].split("</section>")[0]
    assert "/videos/en/getting-started" in related


def test_the_home_page_lists_popular_articles_without_reading_bodies(client, loaded_app):
    with counted_statements(loaded_app) as statements:
        assert client.get("/").status_code == 200
    listings = [s for s in statements if "FROM article" in s and "article_view" in s]
    assert listings and all("body_html" not in s and "body_md" not in s for s in listings)
