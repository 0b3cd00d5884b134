"""Two servers, one database: what one server's process keeps in memory never hides a change
made through the other. Each app here stands for a server: its own instance folder and its own
caches, on the same database (and, as on one machine, the same search index)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from helpcenter import create_app
from helpcenter.config import TestingConfig
from helpcenter.extensions import db
from helpcenter.models import Article, User
from helpcenter.models.base import utcnow
from helpcenter.models.content import STATUS_PUBLISHED
from helpcenter.services.content import curation
from helpcenter.services.search import synonyms
from tests.builders import make_user


@pytest.fixture
def server_b(loaded_app, tmp_path):
    """A second app on the first one's database, as another server would run it."""
    app = create_app(
        TestingConfig,
        {
            "SQLALCHEMY_DATABASE_URI": loaded_app.config["SQLALCHEMY_DATABASE_URI"],
            "SEARCH_INDEX_DIR": loaded_app.config["SEARCH_INDEX_DIR"],
            "CONTENT_DIR": loaded_app.config["CONTENT_DIR"],
        },
    )
    app.instance_path = str(tmp_path / "instance-b")
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _topic_line(html: str, topic: str) -> str:
    return html.split(f'/{topic}"')[1].split('class="count">')[1].split("<")[0]


def _popular(client) -> str:
    html = client.get("/?hl=en").get_data(as_text=True)
    return html.split('id="popular-heading"')[1].split("</section>")[0]


def _staff(app) -> int:
    return make_user(app, "staff@example.com", role="staff")


def test_topic_counts_follow_an_archive_made_on_another_server(loaded_app, server_b):
    reader_b = server_b.test_client()
    assert _topic_line(reader_b.get("/?hl=en").get_data(as_text=True), "billing") == "1 article"
    staff = _staff(loaded_app)
    with loaded_app.app_context():
        page = db.session.scalars(select(Article).where(Article.slug == "download-invoices")).one()
        curation.archive(db.session.get(User, staff), page)
    assert _topic_line(reader_b.get("/?hl=en").get_data(as_text=True), "billing") == "0 articles"


def test_topic_counts_follow_the_database_even_while_the_index_update_waits(loaded_app, server_b):
    """The index can lag (another process holding it): counts must not wait for it."""
    reader_b = server_b.test_client()
    assert _topic_line(reader_b.get("/?hl=en").get_data(as_text=True), "billing") == "1 article"
    with loaded_app.app_context():
        page = db.session.scalars(select(Article).where(Article.slug == "cancel-plan")).one()
        page.status = STATUS_PUBLISHED  # committed; the index is not told
        db.session.commit()
    assert _topic_line(reader_b.get("/?hl=en").get_data(as_text=True), "billing") == "2 articles"


def test_a_page_published_on_another_server_joins_the_popular_list_at_once(loaded_app, server_b):
    reader_b = server_b.test_client()
    assert "/articles/en/export-board" not in _popular(reader_b)  # counted and kept
    staff = _staff(loaded_app)
    with loaded_app.app_context():
        curation.save_article(
            db.session.get(User, staff),
            curation.new_article("en"),
            curation.Fields(
                "Export a board",
                "Download every task as CSV.",
                "Open the board menu and choose Export.",
                "",
                "account",
                "export-board",
            ),
            publish=True,
        )
    assert "/articles/en/export-board" in _popular(reader_b)


def test_synonyms_added_on_another_server_expand_searches_at_once(loaded_app, server_b):
    reader_b = server_b.test_client()
    assert "/articles/en/reset-password" not in reader_b.get("/search?q=passphrase").get_data(
        as_text=True
    )
    staff = _staff(loaded_app)
    with loaded_app.app_context():
        synonyms.add_group(db.session.get(User, staff), "en", "passphrase, password")
    found = reader_b.get("/search?q=passphrase").get_data(as_text=True)
    assert "/articles/en/reset-password" in found


def test_an_article_published_on_schedule_by_another_server_is_counted_at_once(
    loaded_app, server_b
):
    reader_a = loaded_app.test_client()
    reader_a.get("/")  # A looks for due articles now, and not again for a minute
    staff = _staff(loaded_app)
    with loaded_app.app_context():
        page = db.session.scalars(select(Article).where(Article.slug == "cancel-plan")).one()
        curation.schedule(db.session.get(User, staff), page, utcnow() + timedelta(hours=1))
        page.publish_at = utcnow() - timedelta(minutes=1)  # the hour has passed
        db.session.commit()
    assert _topic_line(reader_a.get("/?hl=en").get_data(as_text=True), "billing") == "1 article"
    server_b.test_client().get("/")  # B's request finds the article due and publishes it
    assert _topic_line(reader_a.get("/?hl=en").get_data(as_text=True), "billing") == "2 articles"
