"""The PostgreSQL search backend: every app server searches the same tables, and a page is
searchable on all of them the moment the transaction that changed it commits.

Pages are analysed in Python exactly as for Whoosh (postings.py), stored as postings with a
B-tree on (generation, field, term), ranked with BM25F in SQL (ranking.py). Answers are kept
per process for the version the state row carries, which every index write bumps.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

from sqlalchemy import Connection, text

from helpcenter.extensions import db
from helpcenter.search_index.analysis import DEFAULT_JA_METHOD, make_analyzer
from helpcenter.search_index.documents import IndexDocument, SearchHit, SearchPage, SearchRequest
from helpcenter.search_index.errors import IndexUnavailable
from helpcenter.search_index.postgres import lexicon, ranking, store
from helpcenter.search_index.postgres.store import State
from helpcenter.search_index.query import (
    Synonyms,
    highlighted_words,
    match_clauses,
    query_words,
)
from helpcenter.search_index.reading import LRU, REMEMBERED_PAGES
from helpcenter.search_index.schema import FIELD_WEIGHTS
from helpcenter.search_index.snippets import make_snippet, merged_spans, plain_snippet
from helpcenter.search_index.spelling import corrected_query
from helpcenter.search_index.variants import indexed_variants
from helpcenter.search_index.whoosh_backend import MOST_PROMOTED, STRONG_RATIO


class PostgresIndex:
    """Process-wide handle: settings and caches only; the index is in the database."""

    writes_in_transaction = True  # the outbox is applied by the transaction that fills it

    def __init__(self) -> None:
        self.ja_method = DEFAULT_JA_METHOD
        self.build_procs = 1
        self._synonym_groups: tuple[tuple[str, ...], ...] = ()
        self._synonyms: Synonyms = []
        self._pages: LRU[SearchPage] = LRU(REMEMBERED_PAGES)
        self._spelling = lexicon.SpellingDictionaries()

    def init_app(self, app) -> None:
        self.ja_method = app.config.get("SEARCH_JA_METHOD", DEFAULT_JA_METHOD)
        self.build_procs = max(1, int(app.config.get("SEARCH_INDEX_PROCS", 1)))

    @property
    def analyzer(self):
        return make_analyzer(self.ja_method)

    def _state(self, conn: Connection) -> State:
        state = store.read_state(conn)
        if state is None:
            raise IndexUnavailable(
                "The search tables are empty; run `flask --app helpcenter search rebuild`."
            )
        return state

    def exists(self) -> bool:
        return store.read_state(db.session.connection()) is not None

    def set_synonyms(self, given: Iterable[Iterable[str]]) -> None:
        groups = tuple(tuple(group) for group in given)
        if groups == self._synonym_groups:
            return
        analyzer = self.analyzer
        pairs: Synonyms = []
        for group in groups:
            analysed = [frozenset(query_words(analyzer, term)) for term in group]
            everything = frozenset().union(*analysed)
            pairs.extend((words, everything - words) for words in analysed if words)
        self._synonyms, self._synonym_groups = pairs, groups

    # -- writing -----------------------------------------------------------------------------

    def apply(self, load: Callable[[], tuple[Iterable[str], Iterable[IndexDocument]]]) -> None:
        """Lock the index for this transaction, then replace what `load()` returns. The caller
        commits: the index changes with the data, or not at all."""
        conn = db.session.connection()
        state = store.lock_for_writing(conn)
        parents, documents = load()
        parents = list(parents)
        if parents:
            store.replace_pages(conn, state, parents, documents, ja_method=self.ja_method)

    def upsert(self, parents: Iterable[str], documents: Iterable[IndexDocument]) -> None:
        self.apply(lambda: (list(parents), documents))

    def delete(self, parents: Iterable[str]) -> None:
        self.upsert(parents, ())

    def rebuild(
        self,
        documents: Iterable[IndexDocument],
        on_written: Callable[[int], None] | None = None,
    ) -> int:
        db.session.commit()  # this session may hold the writers' lock, which the rebuild awaits
        return store.rebuild(
            db.engine,
            documents,
            ja_method=self.ja_method,
            procs=self.build_procs,
            on_written=on_written,
        )

    # -- reading -----------------------------------------------------------------------------

    def version(self) -> tuple[int, int]:
        state = self._state(db.session.connection())
        return state.generation, state.version

    def pages(self) -> set[str]:
        conn = db.session.connection()
        state = self._state(conn)
        rows = conn.execute(
            text("SELECT parent FROM search_document WHERE generation = :g AND key = parent"),
            {"g": state.generation},
        )
        return set(rows.scalars())

    def search(self, request: SearchRequest) -> SearchPage:
        conn = db.session.connection()
        state = self._state(conn)
        key = (state.generation, state.version, request, self._synonym_groups)
        page = self._pages.get_or_make(key, lambda: self._search(conn, state, request))
        return replace(page, hits=list(page.hits))

    def _search(self, conn: Connection, state: State, request: SearchRequest) -> SearchPage:
        analyzer = self.analyzer
        page = SearchPage(request=request, total=0)
        typed = lexicon.completions(conn, state, request.query) if request.as_you_type else []
        clauses = match_clauses(analyzer, request.query, self._synonyms, completions=typed)
        if not clauses:
            return page
        filters = ranking.Filters(
            kind=request.kind,
            category=request.category,
            lang=request.lang,
            prefer_lang=request.prefer_lang,
        )
        start = (request.page - 1) * request.per_page
        end = start + request.per_page
        wanted = end + MOST_PROMOTED
        lists, totals = ranking.ranked_pages(conn, state, clauses, filters, wanted=wanted)
        if typed and not any(totals):  # no title completes the word: try the text too
            clauses = match_clauses(
                analyzer,
                request.query,
                self._synonyms,
                completions=typed,
                completed_in=tuple(FIELD_WEIGHTS),
            )
            lists, totals = ranking.ranked_pages(conn, state, clauses, filters, wanted=wanted)
        ordered, promoted = _strong_answers_first(lists, totals)
        page.total = sum(totals)
        shown = ordered[start:end]
        page.hits = _to_hits(conn, state, shown, highlighted_words(clauses), promoted=promoted)
        if page.total == 0:
            page.suggestion = self._suggestion(conn, state, request, filters)
        return page

    def _suggestion(
        self, conn: Connection, state: State, request: SearchRequest, filters: ranking.Filters
    ) -> str | None:
        analyzer = self.analyzer
        latin, kana = self._spelling.get(conn, state)
        corrected = corrected_query(analyzer, request.query, latin, kana)
        if corrected is None:  # perhaps a word written since the dictionaries were read
            latin, kana = self._spelling.get(conn, state, current=True)
            corrected = corrected_query(analyzer, request.query, latin, kana)
        if corrected is None:
            return None
        clauses = match_clauses(analyzer, corrected)
        filters = replace(filters, prefer_lang=None)
        _lists, totals = ranking.ranked_pages(conn, state, clauses, filters, wanted=1)
        return corrected if any(totals) else None

    def indexed_variants(self, words: Iterable[str]) -> dict[str, str]:
        """{word: the indexed word it is a variant of} for words the index lacks (gap inbox)."""
        conn = db.session.connection()
        state = self._state(conn)
        reader = lexicon.LexiconReader(conn, state)
        version = ("postgresql", state.generation, state.version)
        return indexed_variants(reader, self.analyzer, words, version)


def _strong_answers_first(
    lists: list[list[ranking.RankedPage]], totals: list[int]
) -> tuple[list[ranking.RankedPage], set[int]]:
    """The Whoosh backend's order: when the reader's language has only weak matches, the few
    strong matches in the other language come first."""
    if len(lists) == 1:
        return lists[0], set()
    own, others = lists
    if not (totals[0] and totals[1]):
        return own + others, set()
    bar = STRONG_RATIO * own[0].score
    strong = [hit for hit in others[:MOST_PROMOTED] if hit.score >= bar]
    shown = {hit.document_id for hit in strong}
    rest = [hit for hit in others if hit.document_id not in shown]
    return strong + own + rest, shown


def _to_hits(
    conn: Connection,
    state: State,
    shown: list[ranking.RankedPage],
    words: list[str],
    *,
    promoted: set[int],
) -> list[SearchHit]:
    ids = [hit.document_id for hit in shown]
    stored = ranking.stored_documents(conn, ids)
    spans = ranking.match_spans(conn, state, words, ids)
    out = []
    for hit in shown:
        fields = stored[hit.document_id]
        body, summary = fields["body"], fields["summary"]
        snippet = (
            make_snippet(body, merged_spans(spans.get((hit.document_id, "body"), [])))
            or make_snippet(summary, merged_spans(spans.get((hit.document_id, "summary"), [])))
            or plain_snippet(summary or body)
        )
        start = fields["start"]
        url = fields["url"] if start is None else f"{fields['url']}?t={int(start)}"
        out.append(
            SearchHit(
                kind=fields["kind"],
                doc_id=fields["doc_id"],
                slug=fields["slug"],
                lang=fields["lang"],
                category=fields["category"],
                title=fields["heading"],
                url=url,
                snippet=str(snippet),
                score=round(hit.score, 4),
                start=start,
                solved=bool(fields["solved"]),
                promoted=hit.document_id in promoted,
            )
        )
    return out
