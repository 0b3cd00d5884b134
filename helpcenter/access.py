"""Who may do what, decided in one place for every request.

- Sessions: Flask-Login keyed by the user's rotating session token (sign-out kills old cookies).
- API: `Authorization: Bearer <token>` authenticates JSON calls under /api/ only, within the
  token's scopes; they need no CSRF token. Anywhere else a bearer request is refused.
- Roles: every URL under a guarded prefix needs its role, so a new staff page cannot forget.
- CSRF: every state-changing request from a browser carries the token (form field or header).
"""

from __future__ import annotations

from flask import Flask, abort, g, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from helpcenter import rate_limits
from helpcenter.extensions import csrf, db, login_manager
from helpcenter.models import User
from helpcenter.models.user import ROLE_ADMIN, ROLE_STAFF
from helpcenter.services.accounts import api_tokens
from helpcenter.services.accounts.api_tokens import Scope

GUARDED_PREFIXES = (
    ("/api/v1/admin", ROLE_ADMIN),
    ("/api/v1/staff", ROLE_STAFF),
    ("/api/v1/analytics", ROLE_STAFF),
    ("/admin", ROLE_ADMIN),
    ("/staff", ROLE_STAFF),
)
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# The scope a bearer token needs to read under each API prefix. Writes, and /api/ routes not
# listed here, need a scope no token holds: a new API route stays closed to tokens until listed.
TOKEN_SCOPES = (
    ("/api/v1/admin", Scope.ADMIN_READ),
    ("/api/v1/staff", Scope.ANALYTICS_READ),
    ("/api/v1/analytics", Scope.ANALYTICS_READ),
    ("/api/v1/search", Scope.READ),
)
READ_METHODS = {"GET", "HEAD"}


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + "/")


def required_role(path: str) -> str | None:
    for prefix, role in GUARDED_PREFIXES:
        if _under(path, prefix):
            return role
    return None


def required_scope(path: str, method: str) -> Scope | None:
    """The scope a token needs for this request; None when no token may make it."""
    if method not in READ_METHODS:
        return None
    for prefix, scope in TOKEN_SCOPES:
        if _under(path, prefix):
            return scope
    return None


def _load_user(session_token: str) -> User | None:
    user = db.session.scalars(select(User).where(User.session_token == session_token)).first()
    return user if user is not None and user.is_active else None


def _bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def _bearer_grant() -> api_tokens.Grant | None:
    """The bearer token's grant, looked up once per request (the guard and Flask-Login ask)."""
    if "bearer_grant" not in g:
        token = _bearer_token()
        g.bearer_grant = api_tokens.grant_for_token(token) if token and _is_api() else None
    return g.bearer_grant


def _load_user_from_request(_request) -> User | None:
    """Flask-Login's request loader: a bearer token signs nobody in outside /api/."""
    grant = _bearer_grant()
    return grant.user if grant is not None else None


def _is_api() -> bool:
    return request.path.startswith("/api/")


def _refuse(status: int, message: str):
    return jsonify(error=message, status=status), status


def _check_bearer():
    """Refuse a bearer request off the API, with an unknown token, or beyond its scopes."""
    if not _is_api():
        return _refuse(403, _("API tokens work only on /api/ addresses."))
    grant = _bearer_grant()
    if grant is None:
        return _refuse(401, "Invalid or revoked API token.")
    needed = required_scope(request.path, request.method)
    if needed is None:
        return _refuse(403, _("API tokens cannot make this request."))
    if needed not in grant.scopes:
        return _refuse(
            403,
            _(
                "This API token lacks the %(scope)s scope. Create a token with it on your account page.",
                scope=needed,
            ),
        )
    return None


def guard():
    bearer = _bearer_token()
    if bearer is not None and (refusal := _check_bearer()) is not None:
        return refusal
    if request.method in UNSAFE_METHODS and not (bearer is not None and _is_api()):
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
    rate_limits.init_app(app)
    app.before_request(guard)
