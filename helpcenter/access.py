"""Who may do what, decided in one place for every request.

- Sessions: Flask-Login keyed by the user's rotating session token (sign-out kills old cookies).
- API: `Authorization: Bearer <token>` authenticates JSON calls; they need no CSRF token.
- Roles: every URL under a guarded prefix needs its role, so a new staff page cannot forget.
- CSRF: every state-changing request from a browser carries the token (form field or header).
"""

from __future__ import annotations

from flask import Flask, abort, g, jsonify, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from helpcenter.extensions import csrf, db, limiter, login_manager
from helpcenter.models import User
from helpcenter.models.user import ROLE_ADMIN, ROLE_STAFF
from helpcenter.services import api_tokens

GUARDED_PREFIXES = (
    ("/api/v1/admin", ROLE_ADMIN),
    ("/api/v1/staff", ROLE_STAFF),
    ("/api/v1/analytics", ROLE_STAFF),
    ("/admin", ROLE_ADMIN),
    ("/staff", ROLE_STAFF),
)
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def required_role(path: str) -> str | None:
    for prefix, role in GUARDED_PREFIXES:
        if path == prefix or path.startswith(prefix + "/"):
            return role
    return None


def _load_user(session_token: str) -> User | None:
    user = db.session.scalars(select(User).where(User.session_token == session_token)).first()
    return user if user is not None and user.is_active else None


def _bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def _load_user_from_request(_request) -> User | None:
    """The bearer token's user, looked up once per request (the guard and Flask-Login both ask)."""
    if "bearer_user" not in g:
        token = _bearer_token()
        g.bearer_user = api_tokens.user_for_token(token) if token else None
    return g.bearer_user


def _is_api() -> bool:
    return request.path.startswith("/api/")


def guard():
    bearer = _bearer_token()
    if bearer is not None and _load_user_from_request(request) is None:
        return jsonify(error="Invalid or revoked API token.", status=401), 401
    if request.method in UNSAFE_METHODS and bearer is None:
        # Only the one-click unsubscribe views are @csrf.exempt. Flask-WTF skips the check when
        # nothing was routed (404, 405): keep checking those, as before.
        csrf.protect(apply_exemptions=request.endpoint is not None)
    role = required_role(request.path)
    if role is None:
        return None
    if not current_user.is_authenticated:
        if _is_api():
            return jsonify(
                error="Sign in or send an API token (Authorization: Bearer).", status=401
            ), 401
        return redirect(url_for("auth.signin", next=request.full_path.rstrip("?")))
    if not current_user.has_role(role):
        abort(403)
    return None


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.user_loader(_load_user)
    login_manager.request_loader(_load_user_from_request)
    login_manager.login_view = "auth.signin"
    login_manager.login_message = _l("Please sign in to continue.")
    login_manager.session_protection = "basic"
    csrf.init_app(app)
    limiter.init_app(app)
    app.before_request(guard)
