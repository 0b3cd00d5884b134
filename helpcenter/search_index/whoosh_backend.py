"""The embedded search backend (the default): one Whoosh index behind search / upsert / delete / rebuild.

The index lives in generations (`SEARCH_INDEX_DIR/gen-*`) named by the file `CURRENT`;
a rebuild writes a new generation beside the live one and swaps `CURRENT` atomically,
so searches keep working while it runs.
"""

from __future__ import annotations

import logging
import os
import pickle
import shutil
import struct
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from whoosh import index
from whoosh.query import Not, Query, Term

from helpcenter.search_index.analysis import DEFAULT_JA_METHOD
from helpcenter.search_index.documents import IndexDocument, SearchHit, SearchPage, SearchRequest
from helpcenter.search_index.errors import IndexUnavailable
from helpcenter.search_index.query import (
    Synonyms,
    combine,
    completions,
    filter_terms,
    highlighted_words,
    match_clauses,
    query_words,
    ranked,
)
from helpcenter.search_index.reading import Reading, SearcherPool
from helpcenter.search_index.schema import FIELD_WEIGHTS, build_schema
from helpcenter.search_index.snippets import make_snippet, match_spans, plain_snippet
from helpcenter.search_index.spelling import suggest_spelling
from helpcenter.search_index.variants import indexed_variants

log = logging.getLogger(__name__)


WRITER_TIMEOUT = 5.0
REBUILD_BATCH = 100  # documents handed to an analysing process at a time


# What reading a damaged index raises (a table of contents cut short or gone between listing and
# opening): searches answer "unavailable" and writes stay queued until `search rebuild`.
INDEX_READ_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    EOFError,
    pickle.UnpicklingError,
    struct.error,
    index.IndexError,
)


class WhooshIndex:
    """Process-wide handle on the index; holds only settings and a cached open index."""

    writes_in_transaction = False  # updates wait in the outbox for `drain_outbox`

    def __init__(self, path: str | None = None, ja_method: str = DEFAULT_JA_METHOD):
        self._path = Path(path) if path else None
        self.ja_method = ja_method
        self.build_procs = 1
        self._lock = threading.Lock()
        self._cached: tuple[str, index.Index] | None = None
        self._synonym_groups: tuple[tuple[str, ...], ...] = ()
        self._synonyms: Synonyms = []
        self._searchers = SearcherPool()

    def init_app(self, app) -> None:
        self._path = Path(app.config["SEARCH_INDEX_DIR"])
        self.ja_method = app.config.get("SEARCH_JA_METHOD", DEFAULT_JA_METHOD)
        self.build_procs = max(1, int(app.config.get("SEARCH_INDEX_PROCS", 1)))
        self._cached = None
        self._synonym_groups, self._synonyms = (), []
        self._searchers.clear()

    @property
    def path(self) -> Path:
        if self._path is None:
            raise IndexUnavailable("No search index folder is set (SEARCH_INDEX_DIR).")
        return self._path

    # -- generations -------------------------------------------------------------------------

    def _current_generation(self) -> str | None:
        try:
            return (self.path / "CURRENT").read_text().strip() or None
        except FileNotFoundError:
            return None

    def exists(self) -> bool:
        gen = self._current_generation()
        return gen is not None and index.exists_in(self.path / gen)

    def _open(self) -> index.Index:
        gen = self._current_generation()
        if gen is None or not index.exists_in(self.path / gen):
            raise IndexUnavailable(
                f"No search index in {self.path}; run `flask --app helpcenter search rebuild`."
            )
        with self._lock:
            if self._cached is None or self._cached[0] != gen:
                self._cached = (gen, index.open_dir(str(self.path / gen)))
            return self._cached[1]

    def _analyzer(self, ix: index.Index):
        return ix.schema["body"].analyzer

    def set_synonyms(self, given: Iterable[Iterable[str]]) -> None:
        """Equivalent terms, each group in its own list. Terms are analysed like queries, so
        "Sign-in" and "signing in" mean the same as "sign in". Cheap when nothing changed."""
        groups = tuple(tuple(group) for group in given)
        if groups == self._synonym_groups:
            return
        analyzer = self._analyzer(self._open())
        pairs: Synonyms = []
        for group in groups:
            analysed = [frozenset(query_words(analyzer, term)) for term in group]
            everything = frozenset().union(*analysed)
            pairs.extend((words, everything - words) for words in analysed if words)
        self._synonyms, self._synonym_groups = pairs, groups

    # -- writing -----------------------------------------------------------------------------

    def upsert(self, parents: Iterable[str], documents: Iterable[IndexDocument]) -> None:
        """Replace every document of the given pages with `documents` in one commit.

        Raises whoosh's LockError when another writer holds the index for too long; callers
        keep their outbox rows and retry later.
        """
        self.apply(lambda: (list(parents), documents))

    def apply(self, load: Callable[[], tuple[Iterable[str], Iterable[IndexDocument]]]) -> None:
        """Take the writer, then call `load()` for what to replace, then commit.

        Loading while holding the writer keeps index writes in the order their data was read:
        two processes applying updates can never put an older state of a page over a newer one.
        """
        ix = self._open()
        writer = ix.writer(timeout=WRITER_TIMEOUT)
        try:
            parents, documents = load()
            if not parents:  # nothing to replace: no empty commit
                writer.cancel()
                return
            for parent in parents:
                writer.delete_by_term("parent", parent)
            for doc in documents:
                writer.add_document(**_fields(doc))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def delete(self, parents: Iterable[str]) -> None:
        self.upsert(parents, ())

    def rebuild(self, documents: Iterable[IndexDocument]) -> int:
        """Build a fresh generation from `documents`, swap it in, drop the old ones.

        The live generation's writer is held meanwhile: an update applied to it now would be
        lost at the swap, so it waits in the outbox and goes into the new generation after."""
        self.path.mkdir(parents=True, exist_ok=True)
        try:
            held = self._open().writer(timeout=WRITER_TIMEOUT) if self.exists() else None
        except INDEX_READ_ERRORS:
            held = None  # the live index is damaged: nothing in it to keep
        try:
            return self._build_and_swap(documents)
        finally:
            if held is not None:
                held.cancel()
            self._drop_old_generations()

    def _build_and_swap(self, documents: Iterable[IndexDocument]) -> int:
        gen = f"gen-{time.strftime('%Y%m%d%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6}"
        target = self.path / gen
        target.mkdir()
        ix = index.create_in(str(target), build_schema(self.ja_method))
        if self.build_procs > 1:
            # Pages are analysed in several processes, each writing its own segment.
            writer = ix.writer(
                procs=self.build_procs, limitmb=128, multisegment=True, batchsize=REBUILD_BATCH
            )
        else:
            writer = ix.writer(limitmb=256)
        count = 0
        try:
            for doc in documents:
                writer.add_document(**_fields(doc))
                count += 1
            writer.commit()
        except BaseException:
            writer.cancel()
            shutil.rmtree(target, ignore_errors=True)
            raise
        tmp = self.path / f"CURRENT.{os.getpid()}.tmp"
        tmp.write_text(gen)
        os.replace(tmp, self.path / "CURRENT")
        return count

    def _drop_old_generations(self) -> None:
        live = self._current_generation()
        for old in self.path.glob("gen-*"):
            if old.name != live:
                shutil.rmtree(old, ignore_errors=True)

    # -- reading -----------------------------------------------------------------------------

    def pages(self) -> set[str]:
        """The pages the index holds, by key (`article:12`, `thread:7`; passages not counted),
        for `search stats` to compare with the database page by page."""
        ix = self._open()
        with ix.searcher() as searcher:
            return {
                fields["parent"]
                for fields in searcher.all_stored_fields()
                if fields["key"] == fields["parent"]
            }

    def search(self, request: SearchRequest) -> SearchPage:
        """One page of hits, one per page of content; the preferred language's hits first.

        Language preference is two ordinary top-k searches (preferred, then the rest) rather
        than a sorted search, which would score every matching document. A page asked for
        again before the index changes is answered from memory.
        """
        ix = self._open()
        with self._searchers.borrow(ix) as reading:
            page = reading.cache.pages.get_or_make(
                (request, self._synonym_groups), lambda: self._search(ix, reading, request)
            )
        assert isinstance(page, SearchPage)
        return replace(page, hits=list(page.hits))

    def _search(self, ix: index.Index, reading: Reading, request: SearchRequest) -> SearchPage:
        analyzer = self._analyzer(ix)
        page = SearchPage(request=request, total=0)
        searcher = reading.searcher
        typed = completions(searcher.reader(), request.query) if request.as_you_type else []
        clauses = match_clauses(analyzer, request.query, self._synonyms, completions=typed)
        if not clauses:
            return page
        query = ranked(clauses)
        restrictions = filter_terms(kind=request.kind, category=request.category)
        passes = _language_passes(request)
        counts = _count_pages(reading, clauses, restrictions, passes)
        if typed and not any(counts):  # no title completes the word: try the text too
            clauses = match_clauses(
                analyzer,
                request.query,
                self._synonyms,
                completions=typed,
                completed_in=tuple(FIELD_WEIGHTS),
            )
            query = ranked(clauses)
            counts = _count_pages(reading, clauses, restrictions, passes)
        segments = [
            _Segment(allowed=reading.filter_docs(combine([*restrictions, language])), count=count)
            for language, count in zip(passes, counts, strict=True)
        ]
        if len(segments) == 2 and all(counts):
            segments = _strong_answers_first(searcher, query, *segments)
        start = (request.page - 1) * request.per_page
        end = start + request.per_page
        offset = 0  # pages in earlier segments, which rank before this one's
        best: list = []
        promoted: set[int] = set()
        for segment in segments:
            if end > offset and segment.count:
                pages = segment.hits
                if pages is not None:
                    promoted.update(hit.docnum for hit in pages)
                else:
                    pages = _top_pages(
                        searcher, query, segment.allowed, end - offset, skip=segment.skip
                    )
                best.extend(pages[max(0, start - offset) : end - offset])
            offset += segment.count
        page.total = offset
        page.hits = _to_hits(searcher, best, highlighted_words(clauses), promoted=promoted)
        if page.total == 0:
            page.suggestion = suggest_spelling(
                searcher,
                analyzer,
                request.query,
                combine(restrictions),
                generation=ix.storage.folder,
            )
        return page

    def version(self) -> tuple[str, int]:
        """Changes with every commit and rebuild: a key for answers computed from the index."""
        ix = self._open()
        return ix.storage.folder, ix.latest_generation()

    def indexed_variants(self, words: Iterable[str]) -> dict[str, str]:
        """{word: the indexed word it is a variant of} for words the index lacks (gap inbox)."""
        ix = self._open()
        version = (
            ix.storage.folder,
            ix.latest_generation(),
        )  # this generation's folder, per commit
        with ix.searcher() as searcher:
            return indexed_variants(searcher, self._analyzer(ix), words, version)


def _language_passes(request: SearchRequest) -> list[Query | None]:
    if request.lang:
        return [Term("lang", request.lang)]
    if request.prefer_lang:
        preferred = Term("lang", request.prefer_lang)
        return [preferred, Not(preferred)]
    return [None]


@dataclass
class _Segment:
    """A run of the result list: a language pass (ranked on demand) or hits already chosen."""

    allowed: set[int] | None = None
    count: int = 0
    skip: frozenset[str] = frozenset()  # pages shown in an earlier segment
    hits: list | None = None


STRONG_RATIO = 2.0  # an other-language page this many times as relevant as the best own one
MOST_PROMOTED = 3


def _strong_answers_first(
    searcher, query: Query, preferred: _Segment, others: _Segment
) -> list[_Segment]:
    """When the reader's language has only weak matches, the few strong matches in the other
    language come first (the results page labels their language): a Japanese reader searching
    for SAML sees the English SAML guide before pages that mention it in passing."""
    best_own = _top_pages(searcher, query, preferred.allowed, 1)
    bar = STRONG_RATIO * float(best_own[0].score or 0.0) if best_own else 0.0
    strong = [
        hit
        for hit in _top_pages(searcher, query, others.allowed, MOST_PROMOTED)
        if float(hit.score or 0.0) >= bar
    ]
    if not strong:
        return [preferred, others]
    parents = searcher.reader().column_reader("parent")
    shown = frozenset(parents[hit.docnum] for hit in strong)
    rest = replace(others, count=others.count - len(strong), skip=shown)
    return [_Segment(count=len(strong), hits=strong), preferred, rest]


def _top_pages(
    searcher,
    query: Query,
    allowed: set[int] | None,
    wanted: int,
    *,
    skip: frozenset[str] = frozenset(),
) -> list:
    """The best hit of each page (a video's passages share their video), best first, until
    `wanted` pages: the collapsing is done here, on the ranked list, so a page never shows up
    twice and page N always starts where page N-1 ended. Asks for more hits while passages
    crowd the top. Pages in `skip` were shown earlier in the list."""
    parents = searcher.reader().column_reader("parent")
    limit = max(2 * (wanted + len(skip)), 20)
    while True:
        results = searcher.search(query, limit=limit, filter=allowed)
        best: dict[str, object] = {}
        for hit in results:
            parent = parents[hit.docnum]
            if parent not in skip:
                best.setdefault(parent, hit)
            if len(best) == wanted:
                break
        if len(best) == wanted or results.scored_length() < limit:
            return list(best.values())
        limit *= 4


def _count_pages(
    reading: Reading, clauses: list[Query], restrictions: list[Query], passes: list[Query | None]
) -> tuple[int, ...]:
    """Distinct pages matching in each language pass, unscored (top-k ranking cannot count):
    the clauses' documents as cached bitmasks (counting.py). Remembered per query until the
    index changes."""

    def count() -> tuple[int, ...]:
        matched = 0
        for clause in clauses:
            matched |= reading.mask(clause)
        matched &= reading.mask(combine(restrictions))
        pages = reading.page_map()
        return tuple(pages.count(matched & reading.mask(language)) for language in passes)

    key = (tuple(repr(c) for c in clauses), repr(restrictions), repr(passes))
    return reading.cache.counts.get_or_make(key, count)


def _fields(doc: IndexDocument) -> dict:
    return {
        "key": doc.key,
        "parent": doc.parent,
        "kind": doc.kind,
        "doc_id": doc.doc_id,
        "slug": doc.slug,
        "lang": doc.lang,
        "category": doc.category or "",
        "url": doc.url,
        "start": doc.start,
        "solved": "yes" if doc.solved else "no",
        "heading": doc.title,
        "title": doc.title if doc.start is None else "",
        "tags": " ".join(doc.tags),
        "summary": doc.summary,
        "body": doc.body,
        "spelling": f"{doc.title} {doc.summary} {doc.body}",
    }


def _to_hits(searcher, hits: list, words: list[str], *, promoted: set[int]) -> list[SearchHit]:
    """The shown hits with their snippets; stored fields are read for these hits only."""
    docnums = [hit.docnum for hit in hits]
    in_body = match_spans(searcher, "body", words, docnums)
    in_summary = match_spans(searcher, "summary", words, docnums)
    out = []
    for hit in hits:
        fields = hit.fields()
        body, summary = fields.get("body", ""), fields.get("summary", "")
        snippet = (
            make_snippet(body, in_body[hit.docnum])
            or make_snippet(summary, in_summary[hit.docnum])
            or plain_snippet(summary or body)
        )
        start = fields.get("start")
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
                score=round(float(hit.score or 0.0), 4),
                start=start,
                solved=fields.get("solved") == "yes",
                promoted=hit.docnum in promoted,
            )
        )
    return out
