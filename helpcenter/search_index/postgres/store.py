"""Writing the PostgreSQL search tables: pages replaced inside the caller's transaction, and a
rebuild that fills a new generation beside the live one and swaps it in.

Writers take the state row's lock, so index writes apply one at a time in commit order, and a
shared advisory lock that a rebuild holds exclusively: while a rebuild runs, writes leave their
outbox rows for it to apply after the swap instead of waiting minutes for it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice
from multiprocessing import get_context

from sqlalchemy import Connection, Engine, delete, insert, select, text

from helpcenter.models.search import SearchDocument, SearchPosting, SearchState
from helpcenter.search_index.documents import IndexDocument
from helpcenter.search_index.errors import IndexBusy, IndexUnavailable
from helpcenter.search_index.postgres.postings import (
    FIELDS,
    SPELLING_FIELD,
    AnalysedDocument,
    analyse,
    analyse_batch,
    spelling_words,
)

REBUILD_LOCK = 0x4843_5352  # pg advisory lock key: "HCSR"
STATE_ID = 1
REBUILD_BATCH = 200  # documents analysed and copied at a time


@dataclass(frozen=True)
class State:
    generation: int
    version: int
    documents: int
    field_lengths: tuple[int, ...]


def read_state(conn: Connection, *, for_update: bool = False) -> State | None:
    query = select(
        SearchState.generation,
        SearchState.version,
        SearchState.documents,
        SearchState.field_lengths,
    ).where(SearchState.id == STATE_ID)
    row = conn.execute(query.with_for_update() if for_update else query).first()
    if row is None or not row.generation:
        return None
    lengths = tuple(row.field_lengths or ()) or (0,) * len(FIELDS)
    return State(row.generation, row.version, row.documents, lengths)


def lock_for_writing(conn: Connection) -> State:
    """Take the right to write the live generation until the transaction ends."""
    if not conn.scalar(text("SELECT pg_try_advisory_xact_lock_shared(:k)"), {"k": REBUILD_LOCK}):
        raise IndexBusy("A search rebuild is running; queued updates wait for it.")
    state = read_state(conn, for_update=True)
    if state is None:
        raise IndexUnavailable("No search index yet; run `flask --app helpcenter search rebuild`.")
    return state


def replace_pages(
    conn: Connection,
    state: State,
    parents: Iterable[str],
    documents: Iterable[IndexDocument],
    *,
    ja_method: str,
) -> None:
    """Every document of `parents` replaced by `documents`, the word counts and statistics
    kept exact, the version bumped: caches on every server see the change."""
    generation = state.generation
    parents = list(parents)
    delta: Counter[tuple[int, str]] = Counter()
    lengths = list(state.field_lengths)
    count = state.documents
    old = conn.execute(
        select(
            SearchDocument.id,
            SearchDocument.heading,
            SearchDocument.summary,
            SearchDocument.body,
            SearchDocument.field_lengths,
        ).where(SearchDocument.generation == generation, SearchDocument.parent.in_(parents))
    ).all()
    if old:
        ids = [row.id for row in old]
        counted = conn.execute(
            text(
                "SELECT field, term, count(*) FROM search_posting"
                " WHERE generation = :g AND document_id = ANY(:ids) GROUP BY field, term"
            ),
            {"g": generation, "ids": ids},
        )
        for field, term, documents_with in counted:
            delta[(field, term)] -= documents_with
        for row in old:
            gone = IndexDocument(
                key="",
                parent="",
                kind="",
                doc_id=0,
                slug="",
                lang="",
                category="",
                url="",
                title=row.heading,
                summary=row.summary,
                body=row.body,
            )
            for word in spelling_words(gone):
                delta[(SPELLING_FIELD, word)] -= 1
            lengths = [a - b for a, b in zip(lengths, row.field_lengths, strict=True)]
            count -= 1
        conn.execute(
            delete(SearchPosting).where(
                SearchPosting.generation == generation, SearchPosting.document_id.in_(ids)
            )
        )
        conn.execute(delete(SearchDocument).where(SearchDocument.id.in_(ids)))
    analysed = [analyse(doc, ja_method) for doc in documents]
    if analysed:
        new_ids = conn.execute(
            insert(SearchDocument).returning(SearchDocument.id, sort_by_parameter_order=True),
            [document_row(generation, item) for item in analysed],
        ).scalars()
        postings = []
        for document_id, item in zip(new_ids, analysed, strict=True):
            postings.extend(posting_rows(generation, document_id, item))
            for posting in item.postings:
                delta[(posting.field, posting.term)] += 1
            for word in item.spelling:
                delta[(SPELLING_FIELD, word)] += 1
            lengths = [a + b for a, b in zip(lengths, item.field_lengths, strict=True)]
            count += 1
        conn.execute(insert(SearchPosting), postings)
    _apply_term_counts(conn, generation, delta)
    conn.execute(
        text(
            "UPDATE search_state SET version = version + 1, documents = :n,"
            " field_lengths = CAST(:lengths AS json) WHERE id = :id"
        ),
        {"n": count, "lengths": _json(lengths), "id": STATE_ID},
    )


def document_row(generation: int, item: AnalysedDocument) -> dict:
    doc = item.document
    return {
        "generation": generation,
        "key": doc.key,
        "parent": doc.parent,
        "kind": doc.kind,
        "doc_id": doc.doc_id,
        "slug": doc.slug,
        "lang": doc.lang,
        "category": doc.category or "",
        "url": doc.url,
        "start": doc.start,
        "solved": doc.solved,
        "heading": doc.title,
        "summary": doc.summary,
        "body": doc.body,
        "field_lengths": list(item.field_lengths),
    }


def posting_rows(generation: int, document_id: int, item: AnalysedDocument) -> list[dict]:
    return [
        {
            "generation": generation,
            "field": posting.field,
            "term": posting.term,
            "document_id": document_id,
            "frequency": posting.frequency,
            "length": posting.length,
            "spans": posting.spans,
        }
        for posting in item.postings
    ]


def _apply_term_counts(conn: Connection, generation: int, delta: Counter[tuple[int, str]]) -> None:
    changed = [(key, n) for key, n in delta.items() if n]
    if not changed:
        return
    params = {
        "g": generation,
        "fields": [field for (field, _term), _n in changed],
        "terms": [term for (_field, term), _n in changed],
        "deltas": [n for _key, n in changed],
    }
    conn.execute(
        text(
            "INSERT INTO search_term (generation, field, term, documents)"
            " SELECT :g, f, t, d FROM unnest(CAST(:fields AS smallint[]),"
            " CAST(:terms AS text[]), CAST(:deltas AS integer[])) AS u(f, t, d)"
            " ON CONFLICT (generation, field, term)"
            " DO UPDATE SET documents = search_term.documents + EXCLUDED.documents"
        ),
        params,
    )
    conn.execute(
        text(
            "DELETE FROM search_term AS s USING unnest(CAST(:fields AS smallint[]),"
            " CAST(:terms AS text[])) AS u(f, t) WHERE s.generation = :g AND s.field = u.f"
            " AND s.term = u.t AND s.documents <= 0"
        ),
        {key: params[key] for key in ("g", "fields", "terms")},
    )


def _json(values: list[int]) -> str:
    return "[" + ",".join(str(int(v)) for v in values) + "]"


# -- rebuilding ------------------------------------------------------------------------------


def _batches(documents: Iterable[IndexDocument]) -> Iterator[list[IndexDocument]]:
    iterator = iter(documents)
    while batch := list(islice(iterator, REBUILD_BATCH)):
        yield batch


def _analysed(
    documents: Iterable[IndexDocument], *, ja_method: str, procs: int
) -> Iterator[list[AnalysedDocument]]:
    """Batches analysed in `procs` processes (analysis is most of a rebuild's time)."""
    if procs <= 1:
        for batch in _batches(documents):
            yield analyse_batch(batch, ja_method)
        return
    with ProcessPoolExecutor(max_workers=procs, mp_context=get_context("spawn")) as pool:
        pending: list = []
        for batch in _batches(documents):
            pending.append(pool.submit(analyse_batch, batch, ja_method))
            if len(pending) > 2 * procs:
                yield pending.pop(0).result()
        for future in pending:
            yield future.result()


def rebuild(
    engine: Engine,
    documents: Iterable[IndexDocument],
    *,
    ja_method: str,
    procs: int = 1,
    on_written: Callable[[int], None] | None = None,
) -> int:
    """Write a new generation from `documents`, swap it in, delete the old one; returns the
    documents written. Searches read the live generation meanwhile; writes queue in the
    outbox (the caller applies them after)."""
    with engine.connect() as lock:
        lock.execute(text("SELECT pg_advisory_lock(:k)"), {"k": REBUILD_LOCK})
        lock.commit()
        try:
            return _rebuild_locked(
                engine, documents, ja_method=ja_method, procs=procs, on_written=on_written
            )
        finally:
            lock.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": REBUILD_LOCK})
            lock.commit()


def _rebuild_locked(
    engine: Engine,
    documents: Iterable[IndexDocument],
    *,
    ja_method: str,
    procs: int,
    on_written: Callable[[int], None] | None,
) -> int:
    with engine.begin() as conn:
        live = read_state(conn)
        generation = (live.generation if live else 0) + 1
        _delete_generations(conn, "generation >= :g", generation)  # a crashed rebuild's rows
    spelling: Counter[str] = Counter()
    lengths = [0] * len(FIELDS)
    count = 0
    for batch in _analysed(documents, ja_method=ja_method, procs=procs):
        with engine.begin() as conn:
            _copy_batch(conn, generation, batch)
        for item in batch:
            spelling.update(item.spelling)
            lengths = [a + b for a, b in zip(lengths, item.field_lengths, strict=True)]
        count += len(batch)
        if on_written:
            on_written(len(batch))
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO search_term (generation, field, term, documents)"
                " SELECT generation, field, term, count(*) FROM search_posting"
                " WHERE generation = :g GROUP BY generation, field, term"
            ),
            {"g": generation},
        )
        cursor = _copy_cursor(conn)
        with cursor.copy(
            "COPY search_term (generation, field, term, documents) FROM STDIN"
        ) as copy:
            for word, n in spelling.items():
                copy.write_row((generation, SPELLING_FIELD, word, n))
        conn.execute(
            text(
                "INSERT INTO search_state (id, generation, version, documents, field_lengths)"
                " VALUES (:id, :g, 1, :n, CAST(:lengths AS json)) ON CONFLICT (id) DO UPDATE"
                " SET generation = EXCLUDED.generation, version = search_state.version + 1,"
                " documents = EXCLUDED.documents, field_lengths = EXCLUDED.field_lengths"
            ),
            {"id": STATE_ID, "g": generation, "n": count, "lengths": _json(lengths)},
        )
    with engine.begin() as conn:
        _delete_generations(conn, "generation < :g", generation)
        # Fresh statistics, or the planner takes the new tables for empty and loops over them.
        conn.execute(text("ANALYZE search_document, search_posting, search_term"))
    return count


def _copy_cursor(conn: Connection):
    """A psycopg cursor on the connection's own transaction, for COPY."""
    driver = conn.connection.driver_connection
    if driver is None:
        raise RuntimeError("The database connection is closed.")
    return driver.cursor()


def _delete_generations(conn: Connection, condition: str, generation: int) -> None:
    for table in ("search_posting", "search_document", "search_term"):
        conn.execute(text(f"DELETE FROM {table} WHERE {condition}"), {"g": generation})  # noqa: S608


def _copy_batch(conn: Connection, generation: int, batch: list[AnalysedDocument]) -> None:
    """Documents and postings by COPY, ids drawn from the documents' sequence beforehand."""
    ids = conn.execute(
        text(
            "SELECT nextval(pg_get_serial_sequence('search_document', 'id'))"
            " FROM generate_series(1, :n)"
        ),
        {"n": len(batch)},
    ).scalars()
    cursor = _copy_cursor(conn)
    columns = (
        "id",
        "generation",
        "key",
        "parent",
        "kind",
        "doc_id",
        "slug",
        "lang",
        "category",
        "url",
        "start",
        "solved",
        "heading",
        "summary",
        "body",
        "field_lengths",
    )
    rows = []
    with cursor.copy(f"COPY search_document ({', '.join(columns)}) FROM STDIN") as copy:
        for document_id, item in zip(ids, batch, strict=True):
            row = document_row(generation, item)
            row["id"] = document_id
            row["field_lengths"] = _json(row["field_lengths"])
            copy.write_row(tuple(row[c] for c in columns))
            rows.append((document_id, item))
    posting_columns = ("generation", "field", "term", "document_id", "frequency", "length", "spans")
    with cursor.copy(f"COPY search_posting ({', '.join(posting_columns)}) FROM STDIN") as copy:
        for document_id, item in rows:
            for posting in item.postings:
                copy.write_row(
                    (
                        generation,
                        posting.field,
                        posting.term,
                        document_id,
                        posting.frequency,
                        posting.length,
                        posting.spans,
                    )
                )
