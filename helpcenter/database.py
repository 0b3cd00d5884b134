"""Database connection settings: SQLite gets WAL mode, a busy timeout and foreign keys."""

from typing import Any, cast

from flask import Flask
from sqlalchemy import CursorResult, Executable, event
from sqlalchemy.engine import Engine
from sqlalchemy.sql.dml import UpdateBase

from helpcenter.extensions import db

SQLITE_BUSY_TIMEOUT_MS = 5000


def _configure_sqlite(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def init_app(app: Flask) -> None:
    with app.app_context():
        engine: Engine = db.engine
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _configure_sqlite)


def insert_missing(model: type, rows: list[dict]) -> None:
    """INSERT rows, skipping any that a unique constraint says exist already: two requests
    filling the same rows at once both succeed (ON CONFLICT DO NOTHING, on either database)."""
    if not rows:
        return
    statement: Executable
    if db.engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        statement = postgresql_insert(model).values(rows).on_conflict_do_nothing()
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        statement = sqlite_insert(model).values(rows).on_conflict_do_nothing()
    db.session.execute(statement)


def changed_rows(statement: UpdateBase) -> int:
    """Run an UPDATE or DELETE in the session and say how many rows it changed. (Its result is a
    CursorResult, which carries the count; Session.execute is typed as returning any Result.)"""
    return cast(CursorResult[Any], db.session.execute(statement)).rowcount
