"""Search behind one interface (search, upsert, delete, rebuild, suggestions, variants), held
by one of two backends chosen with SEARCH_BACKEND:

- `whoosh` (the default): an embedded index in the instance folder, for one machine;
- `postgresql`: tables in the application's PostgreSQL database, shared by every app server,
  written in the same transaction as the content they follow.

Both analyse text the same way (analysis.py) and rank with the same BM25F weights.
"""

from __future__ import annotations

from typing import Any

from helpcenter.search_index.documents import IndexDocument, SearchHit, SearchPage, SearchRequest
from helpcenter.search_index.errors import IndexBusy, IndexUnavailable
from helpcenter.search_index.whoosh_backend import INDEX_READ_ERRORS, WhooshIndex

__all__ = [
    "BACKENDS",
    "INDEX_READ_ERRORS",
    "IndexBusy",
    "IndexDocument",
    "IndexUnavailable",
    "SearchHit",
    "SearchIndex",
    "SearchPage",
    "SearchRequest",
]

BACKENDS = ("whoosh", "postgresql")


class SearchIndex:
    """The process-wide handle the app uses; every call goes to the configured backend."""

    def __init__(self) -> None:
        self.backend: Any = WhooshIndex()

    def init_app(self, app) -> None:
        if app.config.get("SEARCH_BACKEND", "whoosh") == "postgresql":
            from helpcenter.search_index.postgres import PostgresIndex

            self.backend = PostgresIndex()
        else:
            self.backend = WhooshIndex()
        self.backend.init_app(app)
        app.extensions["search_index"] = self

    def __getattr__(self, name: str) -> Any:
        return getattr(self.backend, name)

    def __setattr__(self, name: str, value: Any) -> None:
        """Settings changed at run time (tests, benchmarks) are the backend's."""
        if name == "backend":
            object.__setattr__(self, name, value)
        else:
            setattr(self.backend, name, value)

    def __delattr__(self, name: str) -> None:
        delattr(self.backend, name)
