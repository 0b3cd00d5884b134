"""The feedback queue: readers' "not helpful" votes with text are work for the article's owner,
who is emailed once per new comment and tracks each item as new, planned, resolved or dismissed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, func, inspect, select
from sqlalchemy.orm import aliased

from helpcenter import mail
from helpcenter.extensions import db
from helpcenter.links import public_url
from helpcenter.models import Article, HelpfulVote, User
from helpcenter.models.analytics import FEEDBACK_STATUSES, REASON_LABELS, FeedbackStatus
from helpcenter.models.base import utcnow
from helpcenter.services import audit
from helpcenter.services.content import catalog
from helpcenter.services.errors import ServiceError

TABS = ("mine", "unowned", "all")
PAGE_LIMIT = 200
EXPORT_LIMIT = 10_000


class FeedbackError(ServiceError):
    """A queue action that no longer applies (the reader withdrew the comment)."""


@dataclass(frozen=True)
class Item:
    vote: HelpfulVote
    article: Article
    owner: User | None
    handled_by: User | None

    @property
    def at(self) -> datetime:
        return self.vote.updated_at


def track(vote: HelpfulVote) -> bool:
    """Called while a vote is saved, before the commit: a "no" with a new or changed comment
    enters the queue as new; a "yes" or a "no" without text leaves it. True when the owner
    should be told (after the commit, with `tell_owner`)."""
    if vote.helpful or not vote.comment:
        vote.feedback_status = vote.feedback_by_id = vote.feedback_at = None
        return False
    if vote.feedback_status is not None and not inspect(vote).attrs.comment.history.has_changes():
        return False
    vote.feedback_status, vote.feedback_by_id, vote.feedback_at = FeedbackStatus.NEW, None, None
    return True


def tell_owner(article: Article, vote: HelpfulVote) -> None:
    """One email to the article's owner (if active staff), in the owner's language."""
    owner = db.session.get(User, article.owner_id) if article.owner_id else None
    if owner is None or not owner.is_active or not owner.is_staff:
        return
    mail.send(
        "article_feedback",
        owner.email,
        owner.lang,
        user=owner,
        article=article,
        reason=REASON_LABELS.get(vote.reason or "", vote.reason or ""),
        comment=vote.comment,
        article_link=catalog.page_url(article),
        queue_link=public_url("staff.feedback_queue"),
    )
    db.session.commit()


def _filters(staff: User, tab: str, status: str | None) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [HelpfulVote.feedback_status.is_not(None)]
    if status is not None:
        where.append(HelpfulVote.feedback_status == status)
    if tab == "mine":
        where.append(Article.owner_id == staff.id)
    elif tab == "unowned":
        where.append(Article.owner_id.is_(None))
    return where


def queue(
    staff: User,
    *,
    tab: str = "mine",
    status: str | None = FeedbackStatus.NEW,
    limit: int = PAGE_LIMIT,
) -> list[Item]:
    """Feedback items for a tab (mine, unowned, all) and status (None: every status), newest first."""
    if tab not in TABS or (status is not None and status not in FEEDBACK_STATUSES):
        raise ValueError((tab, status))
    owner, handler = aliased(User), aliased(User)
    rows = db.session.execute(
        select(HelpfulVote, Article, owner, handler)
        .join(Article, Article.id == HelpfulVote.article_id)
        .outerjoin(owner, owner.id == Article.owner_id)
        .outerjoin(handler, handler.id == HelpfulVote.feedback_by_id)
        .where(*_filters(staff, tab, status))
        .order_by(HelpfulVote.updated_at.desc(), HelpfulVote.id.desc())
        .limit(limit)
    ).all()
    return [Item(*row) for row in rows]


def new_count(staff: User) -> int:
    """New items on the articles this person owns (the dashboard's link shows it)."""
    return db.session.execute(
        select(func.count())
        .select_from(HelpfulVote)
        .join(Article, Article.id == HelpfulVote.article_id)
        .where(*_filters(staff, "mine", FeedbackStatus.NEW))
    ).scalar_one()


def set_status(staff: User, vote: HelpfulVote, status: str) -> HelpfulVote:
    """Record what staff decided about one item, and who and when. Commits, with an audit entry."""
    if status not in FEEDBACK_STATUSES:
        raise ValueError(status)
    if vote.feedback_status is None:
        raise FeedbackError(_l("The reader has withdrawn this feedback."))
    vote.feedback_status, vote.feedback_by_id, vote.feedback_at = status, staff.id, utcnow()
    audit.record(staff, f"feedback.{status}", f"article:{vote.article_id}", vote=vote.id)
    db.session.commit()
    return vote


def take_ownership(staff: User, article: Article) -> Article:
    """Make `staff` the article's owner: its feedback comes to them from now on. Commits."""
    previous = article.owner_id
    article.owner_id = staff.id
    audit.record(
        staff,
        "article.take_ownership",
        f"article:{article.id} {article.lang}/{article.slug}",
        previous_owner=previous,
    )
    db.session.commit()
    return article
