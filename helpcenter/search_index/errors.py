"""What the search backends raise, whichever holds the index."""

from whoosh.index import LockError


class IndexUnavailable(RuntimeError):
    """The index has not been built yet (run `flask --app helpcenter search rebuild`)."""


class IndexBusy(LockError):
    """Another writer holds the index (a Whoosh writer, or a PostgreSQL rebuild): queued updates
    stay in the outbox and are applied later. A LockError, so callers catch both alike."""
