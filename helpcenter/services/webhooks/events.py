"""The events endpoints can subscribe to, in one registry, and `emit`: one delivery job per
subscribed endpoint, written in the caller's transaction (a rolled-back change sends nothing).

Adding an event is a line in EventType and one in EVENTS; emitting it is one call:
`events.emit(EventType.GOAL_STATUS_CHANGED, data, title=..., status=..., url=...)`."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from flask import current_app
from flask_babel import LazyString, force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from helpcenter import jobs
from helpcenter.extensions import db
from helpcenter.links import public_url
from helpcenter.models import (
    Article,
    Gap,
    Goal,
    HelpfulVote,
    Thread,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookMark,
)
from helpcenter.models.analytics import REASON_LABELS, GapStatus
from helpcenter.models.base import utcnow
from helpcenter.models.goals import STATUS_LABELS, GoalStatus
from helpcenter.services.content import catalog
from helpcenter.services.webhooks.delivery import JOB_KIND, TEST_EVENT  # registers the job

if TYPE_CHECKING:
    from helpcenter.services.insights.gaps import GapRow


class EventType(StrEnum):
    GAP_OPENED = "gap.opened"
    THREAD_UNANSWERED = "thread.unanswered"
    THREAD_SOLVED = "thread.solved"
    ARTICLE_PUBLISHED = "article.published"
    FEEDBACK_NOT_HELPFUL = "feedback.not_helpful"
    GOAL_STATUS_CHANGED = "goal.status_changed"


@dataclass(frozen=True)
class EventSpec:
    label: LazyString  # what admins tick
    summary: LazyString  # the one line a Slack-compatible endpoint gets, from the emit's words


EVENTS: dict[str, EventSpec] = {
    EventType.GAP_OPENED: EventSpec(
        _l("Gap opened or reopened"), _l("%(change)s: “%(title)s” %(url)s")
    ),
    EventType.THREAD_UNANSWERED: EventSpec(
        _l("Thread unanswered for 24 hours"),
        _l("No reply for 24 hours: “%(title)s” %(url)s"),
    ),
    EventType.THREAD_SOLVED: EventSpec(_l("Thread solved"), _l("Solved: “%(title)s” %(url)s")),
    EventType.ARTICLE_PUBLISHED: EventSpec(
        _l("Article published"), _l("Published: “%(title)s” %(url)s")
    ),
    EventType.FEEDBACK_NOT_HELPFUL: EventSpec(
        _l("“Not helpful” feedback received"),
        _l("A reader found “%(title)s” not helpful (%(reason)s) %(url)s"),
    ),
    EventType.GOAL_STATUS_CHANGED: EventSpec(
        _l("Goal status changed"), _l("Goal “%(title)s” is now %(status)s %(url)s")
    ),
    TEST_EVENT: EventSpec(
        _l("Test event"), _l("A test event from the help center at %(url)s: it works.")
    ),
}
SUBSCRIBABLE = tuple(EventType)


def _slack_escaped(value: object) -> str:
    """Slack reads <…> as links and mentions (<!channel>): reader text must not ping anyone."""
    text = " ".join(str(value).split())
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class _Words(dict):
    """A word the emitter did not give is left blank: the change it announces must not fail."""

    def __missing__(self, _key: str) -> str:
        return ""


def summary_text(event_type: str, words: dict[str, object]) -> str:
    """The event's one line in the site's default language, safe for Slack."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        template = str(EVENTS[event_type].summary)
        return template % _Words({key: _slack_escaped(value) for key, value in words.items()})


def _body(event: dict, endpoint: WebhookEndpoint, words: dict[str, object]) -> str:
    body = dict(event)
    if endpoint.slack:
        body["text"] = summary_text(event["type"], words)
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def _new_event(event_type: str, data: dict) -> dict:
    return {
        "id": f"evt_{uuid.uuid4().hex}",
        "type": str(event_type),
        "created_at": utcnow().isoformat(timespec="seconds") + "Z",
        "site": current_app.config["PUBLIC_BASE_URL"],
        "data": data,
    }


def queue(endpoint: WebhookEndpoint, event: dict, words: dict[str, object]) -> WebhookDelivery:
    """A delivery of `event` to `endpoint` and the job that sends it; joins the transaction."""
    delivery = WebhookDelivery(
        endpoint_id=endpoint.id,
        event_id=event["id"],
        event_type=event["type"],
        body=_body(event, endpoint, words),
    )
    db.session.add(delivery)
    db.session.flush()
    delivery.job = jobs.enqueue(JOB_KIND, {"delivery_id": delivery.id})
    return delivery


def subscribers(event_type: str) -> list[WebhookEndpoint]:
    enabled = db.session.scalars(
        select(WebhookEndpoint).where(WebhookEndpoint.enabled.is_(True))
    ).all()
    return [endpoint for endpoint in enabled if event_type in endpoint.event_types]


def emit(event_type: EventType, data: dict, **words: object) -> int:
    """Queue the event for every enabled endpoint subscribed to it, in the caller's
    transaction. `words` fill the Slack line (EVENTS). Returns the number of deliveries."""
    endpoints = subscribers(event_type)
    if endpoints:
        event = _new_event(event_type, data)
        for endpoint in endpoints:
            queue(endpoint, event, words)
    return len(endpoints)


def send_test(endpoint: WebhookEndpoint) -> WebhookDelivery:
    """A test event for one endpoint, enabled or not; joins the transaction."""
    site = current_app.config["PUBLIC_BASE_URL"]
    event = _new_event(TEST_EVENT, {"message": "This is a test event.", "url": site})
    return queue(endpoint, event, {"url": site})


# -- what each event says: the object's data, with absolute URLs ---------------------------------


def article_data(article: Article) -> dict:
    return {
        "id": article.id,
        "kind": article.kind,
        "lang": article.lang,
        "slug": article.slug,
        "title": article.title,
        "summary": article.summary,
        "category": article.category.slug if article.category else None,
        "url": catalog.page_url(article),
    }


def thread_data(thread: Thread) -> dict:
    url = public_url("community.thread", thread_id=thread.id)
    answer = thread.accepted_post_id
    return {
        "id": thread.id,
        "kind": thread.kind,
        "lang": thread.lang,
        "title": thread.title,
        "category": thread.category.slug if thread.category else None,
        "created_at": thread.created_at.isoformat(timespec="seconds") + "Z",
        "reply_count": thread.reply_count,
        "url": url,
        "accepted_answer_url": f"{url}#p{answer}" if answer else None,
    }


def article_published(article: Article) -> None:
    emit(
        EventType.ARTICLE_PUBLISHED,
        article_data(article),
        title=article.title,
        url=catalog.page_url(article),
    )


def thread_solved(thread: Thread) -> None:
    data = thread_data(thread)
    emit(EventType.THREAD_SOLVED, data, title=thread.title, url=data["url"])


def thread_unanswered(thread: Thread) -> None:
    data = thread_data(thread)
    emit(EventType.THREAD_UNANSWERED, data, title=thread.title, url=data["url"])


def new_gap_subject(key: str) -> str:
    """The WebhookMark subject saying a gap's opening was announced (once per key)."""
    return f"gap:{key}"


def mark_gap_known(key: str) -> None:
    subject = new_gap_subject(key)
    known = db.session.scalar(
        select(WebhookMark.id).where(
            WebhookMark.event_type == EventType.GAP_OPENED, WebhookMark.subject == subject
        )
    )
    if known is None:
        db.session.add(WebhookMark(event_type=EventType.GAP_OPENED, subject=subject))


def gap_opened(row: GapRow, *, days: int) -> None:
    """A gap appeared in the inbox's Open list for the first time, with the figures the inbox
    shows for the last `days` days."""
    url = public_url("staff.gap_inbox", status="open")
    data = {
        "key": row.key,
        "status": GapStatus.OPEN,
        "reopened": False,
        "url": url,
        "reason": "new",
        "days": days,
        "searches": row.searches,
        "failed": row.failed,
        "visitors": row.visitors,
    }
    emit(EventType.GAP_OPENED, data, change=_l("A new gap opened"), title=row.key, url=url)


def gap_reopened(gap: Gap, *, by_searches: bool = False) -> None:
    """Staff moved the gap back to open, or (`by_searches`) its article did not stop the
    failures: its searches fail as often as before. Either way the gap is known: the scan
    for new gaps (`gap_opened`) will not announce it again."""
    mark_gap_known(gap.key)
    url = public_url("staff.gap_inbox", status="open")
    data = {
        "key": gap.key,
        "status": GapStatus.OPEN,
        "reopened": True,
        "url": url,
        "reason": "searches_fail_again" if by_searches else "staff",
    }
    emit(EventType.GAP_OPENED, data, change=_l("A gap was reopened"), title=gap.key, url=url)


def goal_status_changed(goal: Goal, old: str | None, *, metric_label: object) -> None:
    """A goal's judged status moved (on track to at risk, achieved...)."""
    url = public_url("staff.goal_page", goal_id=goal.id)
    data = {
        "id": goal.id,
        "metric": goal.metric,
        "lang": goal.lang,
        "topic": goal.category.slug if goal.category else None,
        "direction": goal.direction,
        "target": goal.target,
        "deadline": goal.deadline.isoformat(),
        "old_status": old,
        "status": goal.status,
        "owner_email": goal.owner.email,
        "url": url,
    }
    label = STATUS_LABELS.get(GoalStatus(goal.status), goal.status) if goal.status else ""
    emit(EventType.GOAL_STATUS_CHANGED, data, title=metric_label, status=label, url=url)


def not_helpful(article: Article, vote: HelpfulVote) -> None:
    data = {
        "id": vote.id,
        "article": article_data(article),
        "reason": vote.reason,
        "comment": vote.comment,
        "feedback_url": public_url("staff.feedback_queue"),
    }
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        reason = str(REASON_LABELS.get(vote.reason or "", _l("no reason given")))
    emit(
        EventType.FEEDBACK_NOT_HELPFUL,
        data,
        title=article.title,
        reason=reason,
        url=catalog.page_url(article),
    )
