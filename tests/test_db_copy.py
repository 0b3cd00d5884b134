"""`db copy-from`: a single-server SQLite help center moved into the (PostgreSQL) database of a
new install, then searched, signed into and written to there."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from helpcenter import create_app
from helpcenter.config import TestingConfig
from helpcenter.extensions import db
from helpcenter.models import Article, SearchEvent, Thread, User
from helpcenter.services.community import posts
from helpcenter.services.content import imports
from helpcenter.services.search import indexing
from tests.builders import make_thread, make_user, sign_in
from tests.environment import PG_URL


@pytest.fixture
def old_site(tmp_path, content_dir):
    """The SQLite install being moved: content, people, a solved thread, searches."""
    path = tmp_path / "old" / "helpcenter.sqlite3"
    path.parent.mkdir()
    app = create_app(
        TestingConfig,
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
            "SEARCH_INDEX_DIR": str(tmp_path / "old" / "index"),
        },
    )
    app.instance_path = str(tmp_path / "old")
    with app.app_context():
        db.create_all()
        imports.import_content(content_dir)
        indexing.rebuild_index()
    make_user(app, "reader@example.com")
    make_thread(app, answers=["Use the board menu: Export."], accepted=0)
    reader = app.test_client()
    for query in ("invoice", "パスワード", "nothing matches this"):
        reader.get("/search", query_string={"q": query})
    yield app, f"sqlite:///{path}"
    with app.app_context():
        db.engine.dispose()


def _counts(app) -> dict[str, int]:
    with app.app_context():
        return {
            table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables
        }


def _copy(app, source_url: str):
    return app.test_cli_runner().invoke(args=["db", "copy-from", source_url])


def test_copy_moves_every_row_and_the_new_site_works(app, old_site):
    old_app, old_url = old_site
    result = _copy(app, old_url)
    assert result.exit_code == 0, result.output
    expected = _counts(old_app)
    assert _counts(app) == expected
    assert f"Copied {sum(expected.values())} rows" in result.output
    with app.app_context():
        invoices = db.session.scalars(select(Article).where(Article.slug == "download-invoices"))
        assert invoices.one().tags == ["invoice", "receipt"]  # JSON kept as a list
        thread = db.session.scalars(select(Thread)).one()
        assert thread.created_at is not None and thread.accepted_post_id is not None
        assert db.session.scalar(select(func.count()).select_from(SearchEvent)) == 3
        indexing.rebuild_index()
    client = app.test_client()
    assert "/articles/en/download-invoices" in client.get("/search?q=invoice").get_data(
        as_text=True
    )
    signed_in = sign_in(client, "reader@example.com")  # with the password set on the old site
    assert signed_in.status_code == 303 and "/signin" not in signed_in.headers["Location"]
    with app.app_context():  # new rows get new ids: the sequences moved past the copied ones
        reader = db.session.scalars(select(User).where(User.email == "reader@example.com")).one()
        posts.reply(reader, db.session.scalars(select(Thread)).one(), "Thanks, that worked.")
        newcomer = make_user(app, "newcomer@example.com")
    assert newcomer > _max_user_id(old_app)


def _max_user_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.max(User.id)))


@pytest.mark.skipif(
    not PG_URL, reason="set HELPCENTER_TEST_DATABASE_URL to copy SQLite into PostgreSQL"
)
def test_the_copy_reaches_postgresql(app, old_site):
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
    assert _copy(app, old_site[1]).exit_code == 0
    with app.app_context():
        assert db.engine.dialect.name == "postgresql"
    assert _counts(app) == _counts(old_site[0])


def test_a_target_with_data_is_refused_and_left_as_it_was(app, old_site):
    make_user(app, "already@example.com")
    result = _copy(app, old_site[1])
    assert result.exit_code == 1
    assert "already holds data" in result.output and "db upgrade" in result.output
    assert _counts(app)["user"] == 1


def test_copying_the_database_into_itself_is_refused(app):
    result = _copy(app, app.config["SQLALCHEMY_DATABASE_URI"])
    assert result.exit_code == 1
    assert "own database" in result.output
