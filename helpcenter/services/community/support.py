"""Requests to the support team, sent when self-service and the community did not help."""

from __future__ import annotations

from flask import current_app

from helpcenter import mail
from helpcenter.extensions import db
from helpcenter.models import SearchEvent, SupportRequest
from helpcenter.models.analytics import Escalation
from helpcenter.services.insights import events
from helpcenter.services.insights.events import Actor


def submit(
    *,
    name: str,
    email: str,
    subject: str,
    message: str,
    lang: str,
    actor: Actor,
    search_id: int | None = None,
) -> SupportRequest:
    """Store the request, then email it to HELPCENTER_SUPPORT_EMAIL (replying reaches the customer)."""
    search_id = events.record_escalation(Escalation.SUPPORT, actor, search_id)
    request = SupportRequest(
        name=name.strip(),
        email=email.strip().lower(),
        subject=subject.strip(),
        message=message.strip(),
        lang=lang,
        search_id=search_id,
        user_id=actor.user_id,
        visitor_id=actor.visitor_id,
    )
    db.session.add(request)
    db.session.commit()
    search = db.session.get(SearchEvent, search_id) if search_id else None
    mail.send(
        "support_request",
        current_app.config["SUPPORT_EMAIL"],
        "en",
        request=request,
        query=search.query if search else None,
        reply_to=request.email,
    )
    db.session.commit()
    return request
