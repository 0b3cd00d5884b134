"""Write analytics events (DESIGN.md §4) in the request that causes them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from helpcenter.extensions import db
from helpcenter.models import (
    Article,
    ArticleView,
    ComposerEvent,
    HelpfulVote,
    SearchClick,
    SearchEvent,
)
from helpcenter.models.analytics import HELPFUL_REASONS, Escalation, SearchSource
from helpcenter.models.base import utcnow
from helpcenter.search_index.gap_key import gap_key
from helpcenter.search_index.text import normalize_query
from helpcenter.services.content import feedback_queue
from helpcenter.services.webhooks import events as webhook_events

INSTANT_MERGE_WINDOW = timedelta(seconds=5)
REFORMULATION_WINDOW = timedelta(minutes=2)
ESCALATION_WINDOW = timedelta(minutes=30)
MAX_LOGGED_QUERY = 500
MAX_COMMENT = 2000


@dataclass(frozen=True)
class Actor:
    """Who caused an event: a random visitor id, a user if signed in, and how to count them."""

    visitor_id: str
    user_id: int | None = None
    is_staff: bool = False
    is_crawler: bool = False


def record_search(query: str, lang: str, result_count: int, source: str, actor: Actor) -> int:
    """Log one search and return its id. Commits.

    A search that extends (or repeats) the same visitor's instant search from the last five
    seconds updates that row instead, so typing "pass", "passw", "password" is one search. A new
    search marks the visitor's previous one as reformulated when that one showed results, got
    no click, and came less than two minutes before, with different words.
    """
    query = query[:MAX_LOGGED_QUERY]
    normalized = normalize_query(query)[:MAX_LOGGED_QUERY]
    now = utcnow()
    previous = _latest_search(actor)
    if (
        previous is not None
        and previous.source == SearchSource.INSTANT
        and source in (SearchSource.INSTANT, SearchSource.PAGE)
        and now - previous.updated_at <= INSTANT_MERGE_WINDOW
        and normalized.startswith(previous.normalized)
    ):
        event = previous
        event.source = source
    else:
        if (
            previous is not None
            and previous.clicked_at is None
            and previous.result_count > 0
            and now - previous.updated_at <= REFORMULATION_WINDOW
            and previous.normalized != normalized
        ):
            previous.reformulated = True
        event = SearchEvent(visitor_id=actor.visitor_id, created_at=now, source=source)
        db.session.add(event)
    event.query = query
    event.normalized = normalized
    event.gap_key = gap_key(query)
    event.lang = lang
    event.result_count = result_count
    event.user_id = actor.user_id
    event.is_staff = actor.is_staff
    event.is_crawler = actor.is_crawler
    event.updated_at = now
    db.session.commit()
    return event.id


def _latest_search(actor: Actor) -> SearchEvent | None:
    return db.session.scalars(
        select(SearchEvent)
        .where(SearchEvent.visitor_id == actor.visitor_id)
        .order_by(SearchEvent.updated_at.desc(), SearchEvent.id.desc())
        .limit(1)
    ).first()


def record_click(search_id: int, rank: int, target_url: str, actor: Actor) -> bool:
    """Record a click on the result at `rank` (1-based) of a search; False if no such search, or
    if it is someone else's (a shared or forged search id must not write their outcomes).

    The search remembers its first click, and which article or video it led to (the "read" step
    of the funnel)."""
    search = db.session.get(SearchEvent, search_id)
    if rank < 1 or search is None or not is_own_search(search, actor):
        return False
    db.session.add(
        SearchClick(
            search_id=search_id, rank=rank, target_url=target_url[:500], visitor_id=actor.visitor_id
        )
    )
    if search.clicked_at is None:
        search.clicked_at = utcnow()
        search.read_article_id = _article_at(target_url)
    db.session.commit()
    return True


def record_result_click(
    target_url: str,
    actor: Actor,
    *,
    search_id: int | None,
    rank: int | None,
    composer_id: str | None,
) -> None:
    """A click on a search result, from the results page or from the suggestions beside the
    new-question form (`composer_id`): both are recorded when given. Commits."""
    if search_id and rank:
        record_click(search_id, rank, target_url, actor)
    if composer_id:
        record_composer_event(
            composer_id, "clicked", actor, search_id=search_id, target_url=target_url, rank=rank
        )


def _article_at(path: str) -> int | None:
    parts = path.split("?", 1)[0].strip("/").split("/")
    if len(parts) != 3 or parts[0] not in ("articles", "videos"):
        return None
    kind = "video" if parts[0] == "videos" else "article"
    return db.session.scalar(
        select(Article.id).where(
            Article.kind == kind, Article.lang == parts[1], Article.slug == parts[2]
        )
    )


def record_escalation(kind: Escalation, actor: Actor, search_id: int | None = None) -> int | None:
    """A thread or support request: the search it came from (given, or this visitor's latest in
    the last 30 minutes) is marked escalated. Returns that search's id. Joins the caller's commit."""
    search = db.session.get(SearchEvent, search_id) if search_id else None
    if search is not None and not is_own_search(search, actor):
        search = None  # another visitor's search id (a shared link): not this escalation
    if search is None:
        latest = _latest_search(actor)
        if latest is not None and utcnow() - latest.updated_at <= ESCALATION_WINDOW:
            search = latest
    if search is None:
        return None
    search.escalated = search.escalated or kind
    return search.id


def is_own_search(search: SearchEvent, actor: Actor) -> bool:
    """The visitor (same cookie) or the member who searched."""
    return search.visitor_id == actor.visitor_id or (
        actor.user_id is not None and search.user_id == actor.user_id
    )


def record_composer_event(
    composer_id: str,
    event: str,
    actor: Actor,
    *,
    search_id: int | None = None,
    target_url: str | None = None,
    **details: object,
) -> None:
    """Suggestions beside the new-question form were shown or clicked. Commits. A search id that
    is not the visitor's own is not linked."""
    if search_id is not None:
        search = db.session.get(SearchEvent, search_id)
        if search is None or not is_own_search(search, actor):
            search_id = None
    db.session.add(
        ComposerEvent(
            composer_id=composer_id[:32],
            event=event,
            search_id=search_id,
            target_url=target_url,
            visitor_id=actor.visitor_id,
            details=details,
        )
    )
    db.session.commit()


def record_view(article: Article, actor: Actor) -> None:
    db.session.add(
        ArticleView(
            article_id=article.id,
            visitor_id=actor.visitor_id,
            is_crawler=actor.is_crawler,
            is_staff=actor.is_staff,
        )
    )
    db.session.commit()


def record_vote(
    article: Article,
    helpful: bool,
    actor: Actor,
    reason: str | None = None,
    comment: str | None = None,
) -> HelpfulVote:
    """Store a helpful/unhelpful verdict; voting again replaces the earlier one. Commits."""
    if reason is not None and reason not in HELPFUL_REASONS:
        raise ValueError(f"unknown reason {reason!r}")
    vote = db.session.scalars(
        select(HelpfulVote).where(
            HelpfulVote.article_id == article.id, HelpfulVote.visitor_id == actor.visitor_id
        )
    ).first()
    if vote is None:
        vote = HelpfulVote(article_id=article.id, visitor_id=actor.visitor_id)
        db.session.add(vote)
    # A webhook hears of the "no", and again when the reader says why (the same feedback id).
    announce = not helpful and (vote.helpful is not False or reason is not None)
    vote.helpful = helpful
    read_from = db.session.scalars(
        select(SearchEvent)
        .where(
            SearchEvent.visitor_id == actor.visitor_id,
            SearchEvent.read_article_id == article.id,
            SearchEvent.clicked_at >= utcnow() - ESCALATION_WINDOW,
        )
        .order_by(SearchEvent.id.desc())
        .limit(1)
    ).first()
    if read_from is not None:
        read_from.rated_helpful = helpful
    vote.reason = None if helpful else reason
    vote.comment = None if helpful else ((comment or "").strip()[:MAX_COMMENT] or None)
    tell_owner = feedback_queue.track(vote)
    if announce:
        db.session.flush()
        webhook_events.not_helpful(article, vote)
    db.session.commit()
    if tell_owner:
        feedback_queue.tell_owner(article, vote)
    return vote
