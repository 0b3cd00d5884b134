"""A throwaway Helpcenter instance for benchmarks: its own SQLite file and index in a folder."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask import Flask  # noqa: E402
from sqlalchemy import text  # noqa: E402

from helpcenter import create_app  # noqa: E402
from helpcenter.config import TestingConfig  # noqa: E402
from helpcenter.extensions import db  # noqa: E402

# Where `--backend postgresql` keeps its tables (the database is emptied first).
BENCH_DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/helpcenter_bench"


def scratch_app(folder: Path, database_url: str | None = None, **overrides) -> Flask:
    """An app whose database (tables created) and index live in `folder`; or, given a
    PostgreSQL `database_url`, in that database, emptied first."""
    app = create_app(
        TestingConfig,
        {
            "SQLALCHEMY_DATABASE_URI": database_url or f"sqlite:///{folder / 'bench.sqlite3'}",
            "SEARCH_INDEX_DIR": str(folder / "index"),
            **overrides,
        },
    )
    with app.app_context():
        if database_url:
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        db.create_all()
    return app
