"""Keep the search index in step with the database through the outbox (DESIGN.md §6).

A change queues an outbox row in its own transaction; `drain_outbox` applies queued rows with
one writer and deletes them only once the index holds them, so a crash or a lock conflict
delays an update but never loses it. `rebuild_index` rebuilds everything from the database.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import partial

from sqlalchemy import delete, event, func, select, tuple_
from sqlalchemy.orm import Session, selectinload
from whoosh.index import LockError

from helpcenter.extensions import db, search_index
from helpcenter.models import Article, Post, SearchOutbox, Thread
from helpcenter.models.content import KIND_VIDEO, STATUS_PUBLISHED
from helpcenter.search_index import INDEX_READ_ERRORS, IndexDocument, IndexUnavailable

log = logging.getLogger(__name__)

PASSAGE_SECONDS = 30.0
PASSAGE_CHARS = 320
DRAIN_BATCH = 200
DELETE_CHUNK = 500  # rows per DELETE: well under every database's parameter limit


def outbox_row(kind: str, doc_id: int) -> SearchOutbox:
    return SearchOutbox(doc_kind=kind, doc_id=doc_id)


def queue(article: Article) -> None:
    """Record that `article` must be (re)indexed; part of the caller's transaction."""
    db.session.add(outbox_row(article.kind, article.id))


def parent_key(article: Article) -> str:
    return f"{article.kind}:{article.id}"


def documents_for(article: Article) -> Iterator[IndexDocument]:
    """The page itself, and for a video one passage per ~30 seconds of transcript."""
    page = IndexDocument(
        key=parent_key(article),
        parent=parent_key(article),
        kind=article.kind,
        doc_id=article.id,
        slug=article.slug,
        lang=article.lang,
        category=article.category.slug if article.category else "",
        url=article.path,
        title=article.title,
        body=article.body_text,
        tags=tuple(article.tags or ()),
        summary=article.summary or "",
    )
    yield page
    if article.kind != KIND_VIDEO:
        return

    def passage(number: int, text: str, start: float) -> IndexDocument:
        return replace(
            page, key=f"{page.parent}@{number}", body=text, start=start, tags=(), summary=""
        )

    words: list[str] = []
    start = None
    number = 0
    for cue in article.cues:
        if start is None:
            start = cue.start_seconds
        words.append(cue.text)
        text = " ".join(words)
        if cue.end_seconds - start >= PASSAGE_SECONDS or len(text) >= PASSAGE_CHARS:
            yield passage(number, text, start)
            words, start, number = [], None, number + 1
    if words and start is not None:
        yield passage(number, " ".join(words), start)


def thread_documents(thread: Thread) -> Iterator[IndexDocument]:
    """One document per visible thread: the question, then every reply still standing."""
    posts = db.session.scalars(
        select(Post)
        .where(Post.thread_id == thread.id, Post.deleted_at.is_(None), Post.hidden_at.is_(None))
        .order_by(Post.created_at)
    ).all()
    opening = next((p.body_text for p in posts if p.is_opening), "")
    yield IndexDocument(
        key=f"thread:{thread.id}",
        parent=f"thread:{thread.id}",
        kind="thread",
        doc_id=thread.id,
        slug=str(thread.id),
        lang=thread.lang,
        category=thread.category.slug if thread.category else "",
        url=thread.path,
        title=thread.title,
        tags=tuple(thread.tags or ()),
        summary=opening[:500],
        body="\n".join(p.body_text for p in posts),
        solved=thread.is_solved,
    )


def _documents_for_rows(rows: list[SearchOutbox]) -> list[IndexDocument]:
    thread_ids = {r.doc_id for r in rows if r.doc_kind == "thread"}
    article_ids = {r.doc_id for r in rows if r.doc_kind != "thread"}
    docs: list[IndexDocument] = []
    articles = db.session.scalars(
        select(Article).where(Article.id.in_(article_ids)).options(selectinload(Article.cues))
    ).all()
    for article in articles:
        if article.status == STATUS_PUBLISHED:
            docs.extend(documents_for(article))
    for thread in db.session.scalars(select(Thread).where(Thread.id.in_(thread_ids))):
        if thread.is_visible:
            docs.extend(thread_documents(thread))
    return docs


def _delete_rows(rows: list) -> None:
    """Delete exactly these outbox rows, (id, queued at) pairs: SQLite reuses an id once the
    table empties, so the time tells an old row from a new one with the same id."""
    for start in range(0, len(rows), DELETE_CHUNK):
        chunk = rows[start : start + DELETE_CHUNK]
        db.session.execute(
            delete(SearchOutbox).where(tuple_(SearchOutbox.id, SearchOutbox.created_at).in_(chunk))
        )


def _load_batch(batch: list[SearchOutbox]) -> tuple[set[str], list[IndexDocument]]:
    """The next queued rows (kept in `batch`), and the documents their pages have now."""
    batch.extend(
        db.session.scalars(select(SearchOutbox).order_by(SearchOutbox.id).limit(DRAIN_BATCH))
    )
    return {f"{row.doc_kind}:{row.doc_id}" for row in batch}, _documents_for_rows(batch)


def apply_in_transaction(session: Session) -> None:
    """With a backend that writes in the content's transaction (PostgreSQL), apply the outbox
    rows this transaction queued before it commits: the page is searchable on every server the
    moment the change is, and a rolled-back change never reaches search. While a rebuild runs
    (or before the first), the rows stay queued and the rebuild applies them after."""
    if not getattr(search_index, "writes_in_transaction", False):
        return
    queued = session.info.pop(QUEUED, False) or any(
        isinstance(item, SearchOutbox) for item in session.new
    )
    if not queued:
        return
    session.flush()
    try:
        with session.begin_nested():
            while True:
                batch: list[SearchOutbox] = []
                search_index.apply(partial(_load_batch, batch))
                if not batch:
                    return
                _delete_rows([(row.id, row.created_at) for row in batch])
                if len(batch) < DRAIN_BATCH:
                    return
    except (IndexUnavailable, LockError):
        log.info("Search is being rebuilt or not built yet; the update waits in the outbox.")


def _note_queued(session: Session, _context, _instances) -> None:
    if any(isinstance(item, SearchOutbox) for item in session.new):
        session.info[QUEUED] = True


def _forget_queued(session: Session, *_args) -> None:
    session.info.pop(QUEUED, None)


QUEUED = "search_outbox_queued"
SESSION_HOOKS = (
    ("before_flush", _note_queued),
    ("before_commit", apply_in_transaction),
    ("after_soft_rollback", _forget_queued),
)


def init_app(_app) -> None:
    """Listen to every session's commits (once per process, whatever the number of apps)."""
    for name, hook in SESSION_HOOKS:
        if not event.contains(Session, name, hook):
            event.listen(Session, name, hook)


def drain_outbox() -> int:
    """Apply queued index updates; returns how many pages were updated (0 if the index is busy).

    Each batch is read while holding the index writer, from the database as it is now (not as it
    was when the row was queued), and only the rows applied are deleted afterwards: matched by id
    and time, since SQLite hands out an id again once the table has emptied. A crash between the
    index commit and the delete only applies the batch again."""
    done = 0
    while True:
        db.session.commit()  # end any read transaction: the batch must see what is committed now
        if db.session.scalar(select(SearchOutbox.id).limit(1)) is None:
            return done  # nothing queued: no need to take the writer
        batch: list[SearchOutbox] = []
        try:
            search_index.apply(partial(_load_batch, batch))
        except IndexUnavailable:
            log.info("No search index yet; queued updates wait for `search rebuild`.")
            return done
        except LockError:
            log.warning("Search index busy; queued updates stay queued.")
            return done
        except INDEX_READ_ERRORS:  # the change is saved; the index waits for `search rebuild`
            db.session.rollback()
            log.exception("Search index damaged; queued updates wait for `search rebuild`.")
            return done
        if not batch:
            return done
        _delete_rows([(row.id, row.created_at) for row in batch])
        db.session.commit()
        done += len({(row.doc_kind, row.doc_id) for row in batch})


def _visible_threads():
    return select(Thread).where(Thread.hidden_at.is_(None), Thread.deleted_at.is_(None))


def indexable_count() -> int:
    """Published pages and visible threads: what a rebuild goes through."""
    pages = db.session.scalar(
        select(func.count()).select_from(Article).where(Article.status == STATUS_PUBLISHED)
    )
    threads = db.session.scalar(select(func.count()).select_from(_visible_threads().subquery()))
    return (pages or 0) + (threads or 0)


def rebuild_index(progress: Callable[[int], None] | None = None) -> int:
    """Rebuild the index from the database and swap it in; returns documents written.

    Updates queued before the rebuild read the database are in it: exactly those rows are
    deleted. Updates queued while it runs stay queued (the live index is held) and are applied
    to the new generation afterwards."""
    before = db.session.execute(select(SearchOutbox.id, SearchOutbox.created_at)).all()

    def documents() -> Iterator[IndexDocument]:
        query = (
            select(Article)
            .where(Article.status == STATUS_PUBLISHED)
            .order_by(Article.id)
            .options(selectinload(Article.cues))
            .execution_options(yield_per=200)
        )
        for article in db.session.scalars(query):
            yield from documents_for(article)
            if progress:
                progress(1)
        for thread in db.session.scalars(_visible_threads().order_by(Thread.id)):
            yield from thread_documents(thread)
            if progress:
                progress(1)

    written = search_index.rebuild(documents())
    _delete_rows([tuple(row) for row in before])
    db.session.commit()
    drain_outbox()
    return written


def pending_updates() -> int:
    return db.session.scalar(select(func.count()).select_from(SearchOutbox)) or 0


@dataclass
class KindStats:
    """One kind of page in the index against the database, page by page."""

    indexed: int
    in_db: int
    missing: list[str]  # in the database, not in the index
    extra: list[str]  # in the index, no longer public in the database

    @property
    def in_step(self) -> bool:
        return not self.missing and not self.extra


def index_stats() -> dict[str, KindStats]:
    """Per kind: the pages in the index against the published pages and visible threads in the
    database, compared by identity (equal counts can hide a missing page and a stale one)."""
    indexed = search_index.pages()
    rows = db.session.execute(
        select(Article.kind, Article.id).where(Article.status == STATUS_PUBLISHED)
    ).all()
    in_db = {f"{kind}:{page_id}" for kind, page_id in rows}
    threads = db.session.scalars(_visible_threads().with_only_columns(Thread.id))
    in_db |= {f"thread:{thread_id}" for thread_id in threads}
    kinds = sorted({key.split(":")[0] for key in indexed | in_db})
    return {
        kind: KindStats(
            indexed=len([k for k in indexed if k.startswith(f"{kind}:")]),
            in_db=len([k for k in in_db if k.startswith(f"{kind}:")]),
            missing=sorted(k for k in in_db - indexed if k.startswith(f"{kind}:")),
            extra=sorted(k for k in indexed - in_db if k.startswith(f"{kind}:")),
        )
        for kind in kinds
    }
