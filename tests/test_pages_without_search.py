"""Pages that are not search do not pay for one: an article's related pages are searched once
per index state, and listings never read article bodies."""

from sqlalchemy import select

from helpcenter.extensions import db, search_index
from helpcenter.models import Article, User
from helpcenter.services.content import curation
from tests.builders import counted_statements, make_user


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


def _popular_list(client) -> str:
    html = client.get("/").get_data(as_text=True)
    return html.split('id="popular-heading"')[1].split("</section>")[0]


def test_popular_articles_are_counted_once_per_refresh_but_never_show_an_archived_page(
    client, loaded_app
):
    staff = make_user(loaded_app, "staff@example.com", role="staff")
    client.get("/")
    with counted_statements(loaded_app) as statements:
        listing = _popular_list(client)
    assert not [s for s in statements if "article_view" in s]  # the count is kept, not redone
    with loaded_app.app_context():
        pages = db.session.scalars(select(Article).where(Article.lang == "en")).all()
        page = next(a for a in pages if f"/articles/en/{a.slug}" in listing)
        curation.archive(db.session.get(User, staff), page)
        slug = page.slug
    assert f"/articles/en/{slug}" not in _popular_list(client)


def test_topic_counts_are_grouped_once_per_content_state(client, loaded_app):
    def grouped(statements):
        return [s for s in statements if "GROUP BY article.category_id" in s]

    client.get("/")
    with counted_statements(loaded_app) as statements:
        assert client.get("/").status_code == 200
    assert not grouped(statements)  # kept from the first view
    staff = make_user(loaded_app, "staff@example.com", role="staff")
    with loaded_app.app_context():
        page = db.session.scalars(select(Article).where(Article.slug == "download-invoices")).one()
        curation.archive(db.session.get(User, staff), page)
    with counted_statements(loaded_app) as statements:
        assert client.get("/").status_code == 200
    assert len(grouped(statements)) == 1  # the content changed: counted again
