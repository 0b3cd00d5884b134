"""Signed links for email confirmation and password reset.

A link carries the user id and a fingerprint of the state it changes (the unconfirmed email,
the current password hash), so it works once: after use the state differs and the link fails.
"""

from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from helpcenter.extensions import db
from helpcenter.models import User

CONFIRM = "confirm-email"
RESET = "reset-password"
UNSUBSCRIBE = "unsubscribe"
ANSWER_ALERT_STOP = "answer-alert-stop"  # email-only answer alerts; see answer_alerts.stop_token
MAX_AGE = {CONFIRM: 7 * 24 * 3600, RESET: 3600, UNSUBSCRIBE: None}


def _fingerprint(purpose: str, user: User) -> str:
    if purpose == CONFIRM:
        state = f"{user.email}|{user.email_confirmed_at}"
    elif purpose == RESET:
        state = user.password_hash
    else:
        state = user.email  # unsubscribe links keep working until the address changes
    return hashlib.sha256(f"{purpose}|{user.id}|{state}".encode()).hexdigest()[:20]


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"helpcenter.{purpose}")


def make_token(purpose: str, user: User) -> str:
    return _serializer(purpose).dumps({"u": user.id, "f": _fingerprint(purpose, user)})


def read_token(purpose: str, token: str) -> User | None:
    """The user the link was made for, or None if it is forged, expired or already used."""
    try:
        data = _serializer(purpose).loads(token, max_age=MAX_AGE[purpose])
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict):
        return None
    user = db.session.get(User, data.get("u")) if isinstance(data.get("u"), int) else None
    if user is None or not user.is_active or data.get("f") != _fingerprint(purpose, user):
        return None
    return user
