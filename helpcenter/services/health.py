"""Whether this server can serve pages: a load balancer sends traffic only where both answer."""

from __future__ import annotations

import logging

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from helpcenter.extensions import db, search_index
from helpcenter.search_index import INDEX_READ_ERRORS, IndexUnavailable

log = logging.getLogger(__name__)
OK = "ok"
UNAVAILABLE = "unavailable"


def check() -> dict[str, str]:
    """`ok` or `unavailable` for the database and the search index. Cheap enough to run every
    few seconds: one `SELECT 1` and the index's version. A failure is logged by its type only,
    so a load balancer asking every second does not fill the log with tracebacks."""
    return {"database": _database(), "search": _search()}


def _database() -> str:
    try:
        db.session.execute(text("SELECT 1"))
        return OK
    except SQLAlchemyError as exc:
        log.warning("health check: the database did not answer (%s)", type(exc).__name__)
        return UNAVAILABLE
    finally:
        db.session.rollback()


def _search() -> str:
    try:
        search_index.version()
        return OK
    except IndexUnavailable:
        log.warning("health check: no search index; run `flask --app helpcenter search rebuild`")
    except INDEX_READ_ERRORS as exc:
        log.warning("health check: the search index could not be read (%s)", type(exc).__name__)
    return UNAVAILABLE
