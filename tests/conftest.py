"""A real app per test: a real database (SQLite file, or PostgreSQL when
HELPCENTER_TEST_DATABASE_URL is set), a real Whoosh index in a temporary folder, and the
fixture content in tests/fixtures/content."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from helpcenter import create_app
from helpcenter.config import TestingConfig
from helpcenter.extensions import db
from helpcenter.services import content_import, indexing

FIXTURE_CONTENT = Path(__file__).parent / "fixtures" / "content"
PG_URL = os.environ.get("HELPCENTER_TEST_DATABASE_URL")


def _reset_postgres() -> None:
    with db.engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))


@pytest.fixture
def content_dir(tmp_path) -> Path:
    """A private copy of the fixture content, so a test may edit or delete files."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, target)
    return target


@pytest.fixture
def app(tmp_path, content_dir):
    database = PG_URL or f"sqlite:///{tmp_path / 'test.sqlite3'}"
    app = create_app(
        TestingConfig,
        {
            "SQLALCHEMY_DATABASE_URI": database,
            "SEARCH_INDEX_DIR": str(tmp_path / "index"),
            "CONTENT_DIR": str(content_dir),
        },
    )
    app.instance_path = str(tmp_path / "instance")
    with app.app_context():
        if PG_URL:
            _reset_postgres()
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def loaded_app(app, content_dir):
    """The app with the fixture content imported and indexed."""
    with app.app_context():
        summary = content_import.import_content(content_dir)
        assert summary.ok, summary.failed
        indexing.rebuild_index()
    return app


@pytest.fixture
def client(loaded_app):
    return loaded_app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)
