"""What this machine offers the suite: the PostgreSQL database to run against (when
HELPCENTER_TEST_DATABASE_URL names one), the Chromium the browser tests drive, and the fixture
content every test app imports. Test modules read these from here, as conftest.py does."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from helpcenter.extensions import db

FIXTURE_CONTENT = Path(__file__).parent / "fixtures" / "content"


def _worker_database(url: str | None) -> str | None:
    """Under pytest-xdist each worker has a PostgreSQL database of its own (the configured
    name, suffixed with the worker's id, created on first use), as every test resets the schema."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    base = make_url(url)
    name = f"{base.database}_{worker}"
    server = create_engine(base, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        exists = text("SELECT 1 FROM pg_database WHERE datname = :name")
        if conn.scalar(exists, {"name": name}) is None:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    server.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


PG_URL = _worker_database(os.environ.get("HELPCENTER_TEST_DATABASE_URL"))


def reset_postgres() -> None:
    """An empty schema in the app's PostgreSQL database (inside an app context)."""
    with db.engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))


CHROMIUM = os.environ.get("HELPCENTER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

BROWSER_TESTS = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)),
        reason=f"no Chromium at {CHROMIUM}: install Debian's chromium (apt-get install chromium) "
        "or set HELPCENTER_CHROMIUM",
    ),
]
