"""Run a visitor's search and log it, so every miss is counted (DESIGN.md §4)."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from flask import current_app
from sqlalchemy.exc import OperationalError

from helpcenter.extensions import db, search_index
from helpcenter.models import SearchEvent
from helpcenter.models.analytics import SearchSource
from helpcenter.search_index import INDEX_READ_ERRORS, IndexUnavailable, SearchPage, SearchRequest
from helpcenter.search_index.text import has_japanese
from helpcenter.services.insights import events
from helpcenter.services.insights.events import Actor
from helpcenter.services.search import synonyms, visibility

SEARCH_FAILURES: tuple[type[BaseException], ...] = (IndexUnavailable, *INDEX_READ_ERRORS)

log = logging.getLogger(__name__)
LOG_ATTEMPTS = 2  # each waits out the database's busy timeout first
READ_ATTEMPTS = 3  # a concurrent commit can swap the index's table of contents mid-read


@dataclass
class SearchOutcome:
    page: SearchPage
    search_id: int | None
    unavailable: bool = False


def run_search(
    request: SearchRequest,
    source: str,
    actor: Actor,
    known_search_id: int | None = None,
    *,
    record: bool = True,
    composer_id: str | None = None,
) -> SearchOutcome:
    """Search, then log the search with its result count (first pages only). Commits the log row.
    Suggestions for the new-question form (`composer_id`) also log that they were shown.

    `known_search_id` is a search this page continues (a later page, back from an alert): it is
    kept, not logged again, when it is the visitor's own; a shared link logs a new search.
    `record=False` searches exactly as a visitor would without logging (benchmarks)."""
    request = SearchRequest(
        **{
            **request.__dict__,
            "query": request.query.strip()[: current_app.config["SEARCH_MAX_QUERY_CHARS"]],
        }
    )
    if not request.query:
        return SearchOutcome(page=SearchPage(request=request, total=0), search_id=None)
    try:
        page = visibility.without_taken_down(_search_index(request))
    except SEARCH_FAILURES:
        log.exception(
            "Search index missing or damaged; run `flask --app helpcenter search rebuild`."
        )
        return SearchOutcome(
            page=SearchPage(request=request, total=0), search_id=None, unavailable=True
        )
    known = db.session.get(SearchEvent, known_search_id) if known_search_id else None
    if known is not None and events.is_own_search(known, actor):
        return SearchOutcome(page=page, search_id=known.id)
    search_id = None
    if request.page == 1 and record:
        lang = request.lang or (
            "ja" if has_japanese(request.query) else request.prefer_lang or "en"
        )
        search_id = _record(request.query, lang, page.total, source, actor)
    if source == SearchSource.COMPOSER and composer_id:
        events.record_composer_event(
            composer_id, "shown", actor, search_id=search_id, shown=len(page.hits)
        )
    return SearchOutcome(page=page, search_id=search_id)


def _search_index(request: SearchRequest) -> SearchPage:
    """Search, reading the index again if a commit replaced its table of contents between
    listing and opening (another process writing): only a damaged index is an error."""
    for _attempt in range(READ_ATTEMPTS - 1):
        try:
            search_index.set_synonyms(synonyms.all_groups())
            return search_index.search(request)
        except INDEX_READ_ERRORS:
            time.sleep(0.05)
    search_index.set_synonyms(synonyms.all_groups())
    return search_index.search(request)


def _record(query: str, lang: str, total: int, source: str, actor: Actor) -> int | None:
    """Log the search; a busy database (a long import, another writer) is tried again, and if it
    stays busy the visitor still gets their results (the miss is logged at WARNING)."""
    for attempt in range(LOG_ATTEMPTS):
        try:
            return events.record_search(query, lang, total, source, actor)
        except OperationalError:
            db.session.rollback()
            time.sleep(0.1 * (attempt + 1))
    log.warning("A search could not be logged: the database stayed busy.")
    return None
