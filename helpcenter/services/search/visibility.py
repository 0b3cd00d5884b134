"""Search never shows what was taken down, even while the index is still catching up.

The index follows the database through the outbox, so an update can wait (another process holds
the writer, a worker restarts). A page hidden, deleted, merged or unpublished must still leave
the results the moment its action returns: the hits about to be shown are checked against the
database (one query per kind, for at most one page of hits) and what is no longer public is
dropped.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from helpcenter.extensions import db
from helpcenter.models import Article, Thread
from helpcenter.models.content import STATUS_PUBLISHED
from helpcenter.search_index import SearchPage


def _public_ids(page: SearchPage) -> tuple[set[int], set[int]]:
    thread_ids = {hit.doc_id for hit in page.hits if hit.kind == "thread"}
    page_ids = {hit.doc_id for hit in page.hits if hit.kind != "thread"}
    threads = set()
    if thread_ids:
        threads = set(
            db.session.scalars(
                select(Thread.id).where(
                    Thread.id.in_(thread_ids),
                    Thread.hidden_at.is_(None),
                    Thread.deleted_at.is_(None),
                )
            )
        )
    pages = set()
    if page_ids:
        pages = set(
            db.session.scalars(
                select(Article.id).where(
                    Article.id.in_(page_ids), Article.status == STATUS_PUBLISHED
                )
            )
        )
    return threads, pages


def without_taken_down(page: SearchPage) -> SearchPage:
    """The page with hits on content that is no longer public removed (and the total with it)."""
    if not page.hits:
        return page
    threads, pages = _public_ids(page)
    kept = [
        hit
        for hit in page.hits
        if (hit.doc_id in threads if hit.kind == "thread" else hit.doc_id in pages)
    ]
    if len(kept) == len(page.hits):
        return page
    return replace(page, hits=kept, total=max(len(kept), page.total - (len(page.hits) - len(kept))))
