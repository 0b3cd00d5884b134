"""Tell me when this is answered (DESIGN.md §1): people whose search failed leave a way to reach
them, and hear once when an article or a solved thread answers what they searched for."""

from __future__ import annotations

import email_validator
from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import delete, func, select, update

from helpcenter import mail
from helpcenter.database import changed_rows
from helpcenter.extensions import db
from helpcenter.links import public_url
from helpcenter.models import AnswerAlert, Article, Gap, Notification, SearchEvent, Thread, User
from helpcenter.models.base import utcnow
from helpcenter.services.accounts import signed_links
from helpcenter.services.accounts.account import normalize_email
from helpcenter.services.community import notifications
from helpcenter.services.content import catalog
from helpcenter.services.errors import ServiceError
from helpcenter.services.insights import events
from helpcenter.services.insights.events import Actor

MAX_EMAIL = 254  # as the sign-up form


class AlertError(ServiceError):
    """Something the visitor can fix; the message says what."""


class NotYourSearch(LookupError):
    """No such search, or another visitor's: answered as "not found", so ids reveal nothing."""


def subscribe(search_id: int, actor: Actor, email: str | None = None) -> AnswerAlert:
    """Wait for an answer to one of the visitor's own searches: a member through their account,
    anyone else at `email`. Asking again returns the alert already waiting. Commits."""
    search = db.session.get(SearchEvent, search_id)
    if search is None or not events.is_own_search(search, actor):
        raise NotYourSearch(search_id)
    if not search.gap_key:
        raise AlertError(
            str(
                _l(
                    "This search has no words we could look for, so there is nothing to wait for. Search again with a few words."
                )
            )
        )
    who = (
        AnswerAlert.user_id == actor.user_id
        if actor.user_id is not None
        else AnswerAlert.email == (address := _valid_email(email))
    )
    waiting = db.session.scalars(
        select(AnswerAlert).where(
            AnswerAlert.gap_key == search.gap_key, AnswerAlert.notified_at.is_(None), who
        )
    ).first()
    if waiting is not None:
        return waiting
    alert = AnswerAlert(
        gap_key=search.gap_key, query=search.query, lang=search.lang, search_id=search.id
    )
    if actor.user_id is not None:
        alert.user_id = actor.user_id
    else:
        alert.email = address
    db.session.add(alert)
    db.session.commit()
    return alert


def _valid_email(email: str | None) -> str:
    """The sign-up form's check (email_validator, no DNS lookup), then lower-cased."""
    email = (email or "").strip()
    if not email:
        raise AlertError(
            str(_l("Enter your email address, and we'll write when this is answered."))
        )
    try:
        if len(email) > MAX_EMAIL:
            raise email_validator.EmailNotValidError()
        email_validator.validate_email(email, check_deliverability=False)
    except email_validator.EmailNotValidError as exc:
        raise AlertError(
            str(_l("That doesn't look like an email address. Check it and try again."))
        ) from exc
    return normalize_email(email)


def article_published(article: Article, gaps: list[Gap]) -> int:
    """Tell those waiting on these gaps that `article` answers them; returns how many were told."""
    keys = [gap.key for gap in gaps if gap.key]
    if not keys:
        return 0
    return _tell(keys, article.title, catalog.page_url(article), {"article_id": article.id})


def thread_solved(thread: Thread) -> int:
    """Tell those waiting on the gap of the search that started `thread`; returns how many.
    Its author follows the thread already: their own alert stays waiting for an article."""
    if thread.search_id is None or not thread.is_visible or thread.accepted_post_id is None:
        return 0
    key = db.session.scalar(select(SearchEvent.gap_key).where(SearchEvent.id == thread.search_id))
    if not key:
        return 0
    post_id = thread.accepted_post_id
    link = public_url("community.thread", thread_id=thread.id, _anchor=f"p{post_id}")
    target = {"thread_id": thread.id, "post_id": post_id}
    return _tell([key], thread.title, link, target, skip=thread.author)


def _tell(keys: list[str], title: str, link: str, target: dict, skip: User | None = None) -> int:
    """Claim the waiting alerts (each is told once, even by two processes at a time), add bell
    notifications, forget email-only addresses, commit; then send the mail. One message a person."""
    pending = db.session.scalars(
        select(AnswerAlert)
        .where(AnswerAlert.gap_key.in_(keys), AnswerAlert.notified_at.is_(None))
        .order_by(AnswerAlert.user_id.is_(None), AnswerAlert.id)  # members first
    ).all()
    now, told, outbox = utcnow(), set(), []
    for alert in pending:
        user = db.session.get(User, alert.user_id) if alert.user_id else None
        address = user.email if user else alert.email
        if skip is not None and (alert.user_id == skip.id or address == skip.email):
            continue
        email_only = alert.email
        claimed = changed_rows(
            update(AnswerAlert)
            .where(AnswerAlert.id == alert.id, AnswerAlert.notified_at.is_(None))
            .values(notified_at=now, answer_url=link[:500], email=None)
            .execution_options(synchronize_session=False)
        )
        if not claimed or address in told or (alert.user_id and (user is None or user.deleted_at)):
            continue
        told.add(address)
        if user is None:
            assert email_only is not None  # an alert names a member or keeps an address
            stop = public_url("search.stop_alerts", token=stop_token(email_only))
            outbox.append((email_only, alert.lang, {"user": None, "stop": stop}, alert.query))
            continue
        note = Notification(user_id=user.id, kind="answered", **target)
        db.session.add(note)
        if user.notify_email == "each" and user.is_active and user.is_confirmed:
            note.emailed_at = now
            stop = notifications.unsubscribe_url(user)
            outbox.append((user.email, user.lang, {"user": user, "stop": stop}, alert.query))
    db.session.commit()
    for to, lang, context, query in outbox:
        mail.send(
            "answer_alert",
            to,
            lang,
            query=query,
            title=title,
            link=link,
            list_unsubscribe=context["stop"],
            **context,
        )
    db.session.commit()
    return len(told)


def _stop_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(
        current_app.config["SECRET_KEY"], salt=f"helpcenter.{signed_links.ANSWER_ALERT_STOP}"
    )


def stop_token(email: str) -> str:
    return _stop_serializer().dumps({"e": email})


def stop(token: str) -> int | None:
    """The signed link in an alert mail: drop every alert still waiting for that address.
    Returns how many were dropped, or None for a forged link. No sign-in needed. Commits."""
    try:
        data = _stop_serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("e"), str):
        return None
    dropped = changed_rows(
        delete(AnswerAlert).where(AnswerAlert.email == data["e"], AnswerAlert.notified_at.is_(None))
    )
    db.session.commit()
    return dropped


def waiting_counts(keys: list[str]) -> dict[str, int]:
    """How many alerts wait on each gap key (every key given, zero when none): the gap inbox's
    "N people waiting"."""
    counts = dict.fromkeys(keys, 0)
    if keys:
        rows = db.session.execute(
            select(AnswerAlert.gap_key, func.count())
            .where(AnswerAlert.gap_key.in_(keys), AnswerAlert.notified_at.is_(None))
            .group_by(AnswerAlert.gap_key)
        )
        counts.update({key: int(n) for key, n in rows})
    return counts
