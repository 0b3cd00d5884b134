"""Cache versions shared by every process: a per-process cache stays correct across servers.

A process that keeps an answer (the home page's topic counts, its popular list) keys it on the
version of what the answer is made from. The version lives in the database and is bumped in the
same transaction as the change, by session events, so no service can forget to: whichever server
made the change, every other one sees the new version on its next request (one primary-key read).
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from helpcenter.extensions import db
from helpcenter.models import Article, CacheVersion, Category

CONTENT = "content"  # published pages and topics: what listings are counted from
CONTENT_MODELS = (Article, Category)
_PENDING = "cache_versions_to_bump"


def current(name: str = CONTENT) -> int:
    """The version now: 0 until the first change."""
    return db.session.scalar(select(CacheVersion.version).where(CacheVersion.name == name)) or 0


def bump(session: Session, name: str = CONTENT) -> None:
    """Add one to the version in the session's transaction (the row is made on first use)."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    upsert = dialect.insert(CacheVersion).values(name=name, version=1)
    session.execute(
        upsert.on_conflict_do_update(
            index_elements=[CacheVersion.name], set_={"version": CacheVersion.version + 1}
        )
    )


def _note_flushed_changes(session: Session, _context, _instances) -> None:
    changed = [
        *session.new,
        *session.deleted,
        *(o for o in session.dirty if session.is_modified(o)),
    ]
    if any(isinstance(obj, CONTENT_MODELS) for obj in changed):
        session.info.setdefault(_PENDING, set()).add(CONTENT)


def _note_bulk_statements(state) -> None:
    """`update(Article)…` through the session (scheduled publishing claims rows this way)."""
    if (state.is_update or state.is_delete or state.is_insert) and any(
        mapper.class_ in CONTENT_MODELS for mapper in state.all_mappers
    ):
        state.session.info.setdefault(_PENDING, set()).add(CONTENT)


def _bump_before_commit(session: Session) -> None:
    session.flush()  # changes not flushed yet are noted now, before the versions are written
    for name in sorted(session.info.pop(_PENDING, ())):
        bump(session, name)


def _forget(session: Session, *_args) -> None:
    session.info.pop(_PENDING, None)


def init_app(_app: Flask) -> None:
    """Listen on the one session factory once, however many apps a process creates."""
    listeners = (
        ("before_flush", _note_flushed_changes),
        ("do_orm_execute", _note_bulk_statements),
        ("before_commit", _bump_before_commit),
        ("after_rollback", _forget),
    )
    for name, listener in listeners:
        if not event.contains(db.session, name, listener):
            event.listen(db.session, name, listener)
