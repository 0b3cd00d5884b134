"""BM25F in SQL over the postings table, with the Whoosh backend's scores and order.

A query is the same weighted clauses the Whoosh backend builds (query.match_clauses): each term
clause adds weight x idf x BM25's term-frequency part for every document holding it, a Japanese
one-character prefix is scored as Whoosh scores it, a solved thread gains SOLVED_BONUS. Documents of one
page collapse to their best; pages are ranked per language pass with exact counts in the same
statement, so the result list, its totals and its pagination come from one round trip.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, text
from whoosh.query import Prefix, Query, Term

from helpcenter.search_index.postgres.postings import FIELD_NUMBER, FIELDS
from helpcenter.search_index.postgres.store import State
from helpcenter.search_index.query import SOLVED_BONUS

B, K1 = 0.75, 1.2  # Whoosh's BM25F defaults, as the Whoosh backend searches with
TERM_END = "\U0010ffff"  # after every word that starts with a prefix, in code point order


@dataclass(frozen=True)
class Filters:
    kind: str | None = None
    category: str | None = None
    lang: str | None = None  # only this language
    prefer_lang: str | None = None  # this language first (pass 0), the others after (pass 1)


@dataclass(frozen=True)
class RankedPage:
    document_id: int
    score: float
    language_pass: int


def _weighted_terms(
    conn: Connection, state: State, clauses: Sequence[Query]
) -> list[tuple[int, str, float, float]]:
    """(field, term, weight, average field length) to look up. A term clause is scored by BM25F
    (weight = boost x idf). A prefix clause is scored as Whoosh scores it: when one indexed word
    has the prefix, as that word unboosted; when several do, each adds boost x its frequency
    (average 0 marks those). Words no document holds are left out."""
    prefixes = [
        (FIELD_NUMBER[c.fieldname], c.text, c.boost)
        for c in clauses
        if isinstance(c, Prefix) and c.fieldname in FIELD_NUMBER
    ]
    terms = [
        (FIELD_NUMBER[c.fieldname], c.text, c.boost)
        for c in clauses
        if isinstance(c, Term) and c.fieldname in FIELD_NUMBER
    ]
    constant: list[tuple[int, str, float, float]] = []
    for field, start, boost in prefixes:
        words = conn.execute(
            text(
                "SELECT term FROM search_term WHERE generation = :g AND field = :f"
                " AND term >= :start AND term < :end"
            ),
            {"g": state.generation, "f": field, "start": start, "end": start + TERM_END},
        ).scalars()
        expanded = list(words)
        if len(expanded) == 1:
            terms.append((field, expanded[0], 1.0))
        else:
            constant.extend((field, word, boost, 0.0) for word in expanded)
    frequencies: dict[tuple[int, str], int] = {}
    if terms:
        rows = conn.execute(
            text(
                "SELECT field, term, documents FROM search_term WHERE generation = :g"
                " AND (field, term) IN (SELECT * FROM unnest(CAST(:f AS smallint[]),"
                " CAST(:t AS text[])))"
            ),
            {"g": state.generation, "f": [t[0] for t in terms], "t": [t[1] for t in terms]},
        )
        frequencies = {(field, term): n for field, term, n in rows}
    count = state.documents or 1
    weighted = []
    for field, term, boost in terms:
        df = frequencies.get((field, term))
        if not df:
            continue
        idf = math.log(count / (df + 1)) + 1
        average = (state.field_lengths[field] / count) or 1
        weighted.append((field, term, boost * idf, average))
    return weighted + constant


RANKED_SQL = """
WITH q(field, term, weight, average) AS (
    SELECT * FROM unnest(CAST(:fields AS smallint[]), CAST(:terms AS text[]),
                         CAST(:weights AS float8[]), CAST(:averages AS float8[]))
),
scored(document_id, score) AS (
    SELECT p.document_id,
           CASE WHEN q.average = 0 THEN q.weight * p.frequency
           ELSE q.weight * p.frequency * :k1_plus_1
                / (p.frequency + :k1 * (:one_minus_b + :b * p.length / q.average)) END
    FROM q JOIN search_posting p
      ON p.generation = :g AND p.field = q.field AND p.term = q.term
),
per_document AS MATERIALIZED (
    SELECT document_id, sum(score) AS score FROM scored GROUP BY document_id
),
best AS (
    SELECT DISTINCT ON (d.parent) d.id, d.parent,
           pd.score + CASE WHEN d.solved THEN :solved_bonus ELSE 0 END AS score,
           {language_pass} AS language_pass
    FROM per_document pd JOIN search_document d ON d.id = pd.document_id
    WHERE d.generation = :g {restrictions}
    ORDER BY d.parent, score DESC, d.id
),
ranked AS (
    SELECT id, score, language_pass,
           row_number() OVER (PARTITION BY language_pass ORDER BY score DESC, id) AS place,
           count(*) OVER (PARTITION BY language_pass) AS pages
    FROM best
)
SELECT id, score, language_pass, pages FROM ranked WHERE place <= :wanted
ORDER BY language_pass, place
"""


def ranked_pages(
    conn: Connection,
    state: State,
    clauses: Sequence[Query],
    filters: Filters,
    *,
    wanted: int,
) -> tuple[list[list[RankedPage]], list[int]]:
    """Per language pass: its best `wanted` pages (best document each) and how many pages
    match in all. One pass, or two when a language is preferred."""
    passes = 2 if filters.prefer_lang and not filters.lang else 1
    weighted = _weighted_terms(conn, state, clauses)
    if not weighted:
        return [[] for _ in range(passes)], [0] * passes
    restrictions = []
    params: dict = {
        "g": state.generation,
        "fields": [w[0] for w in weighted],
        "terms": [w[1] for w in weighted],
        "weights": [w[2] for w in weighted],
        "averages": [w[3] for w in weighted],
        "k1": K1,
        "k1_plus_1": K1 + 1,
        "b": B,
        "one_minus_b": 1 - B,
        "solved_bonus": SOLVED_BONUS,
        "wanted": wanted,
    }
    for name in ("kind", "category", "lang"):
        value = getattr(filters, name)
        if value:
            restrictions.append(f"AND d.{name} = :{name}")
            params[name] = value
    language_pass = "0"  # noqa: S105 - SQL, not a password
    if passes == 2:
        language_pass = "CASE WHEN d.lang = :prefer THEN 0 ELSE 1 END"  # noqa: S105
        params["prefer"] = filters.prefer_lang
    sql = RANKED_SQL.format(language_pass=language_pass, restrictions=" ".join(restrictions))
    lists: list[list[RankedPage]] = [[] for _ in range(passes)]
    totals = [0] * passes
    for row in conn.execute(text(sql), params):
        lists[row.language_pass].append(RankedPage(row.id, float(row.score), row.language_pass))
        totals[row.language_pass] = row.pages
    return lists, totals


def stored_documents(conn: Connection, ids: Sequence[int]) -> dict[int, dict]:
    rows = conn.execute(
        text(
            "SELECT id, kind, doc_id, slug, lang, category, url, start, solved, heading,"
            " summary, body FROM search_document WHERE id = ANY(:ids)"
        ),
        {"ids": list(ids)},
    ).mappings()
    return {row["id"]: dict(row) for row in rows}


def match_spans(
    conn: Connection, state: State, words: Sequence[str], ids: Sequence[int]
) -> dict[tuple[int, str], list[tuple[int, int]]]:
    """{(document id, field name): (start, end) spans of `words`} for summary and body."""
    spans: dict[tuple[int, str], list[tuple[int, int]]] = {}
    if not words or not ids:
        return spans
    rows = conn.execute(
        text(
            "SELECT document_id, field, spans FROM search_posting WHERE generation = :g"
            " AND field = ANY(:fields) AND term = ANY(:words) AND document_id = ANY(:ids)"
            " AND spans IS NOT NULL"
        ),
        {
            "g": state.generation,
            "fields": [FIELD_NUMBER["summary"], FIELD_NUMBER["body"]],
            "words": list(words),
            "ids": list(ids),
        },
    )
    for document_id, field, flat in rows:
        found = spans.setdefault((document_id, FIELDS[field]), [])
        found.extend(zip(flat[::2], flat[1::2], strict=True))
    return spans
