"""A throwaway Helpcenter instance for benchmarks: its own SQLite file and index in a folder."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask import Flask  # noqa: E402

from helpcenter import create_app  # noqa: E402
from helpcenter.config import TestingConfig  # noqa: E402
from helpcenter.extensions import db  # noqa: E402


def scratch_app(folder: Path, **overrides) -> Flask:
    """An app whose database (tables created) and index live in `folder`."""
    app = create_app(
        TestingConfig,
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite3'}",
            "SEARCH_INDEX_DIR": str(folder / "index"),
            **overrides,
        },
    )
    with app.app_context():
        db.create_all()
    return app
