"""Error pages: a styled HTML page for people, a JSON body for the API. Never a bare 500."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from helpcenter.extensions import db
from helpcenter.input_guard import takes_json

log = logging.getLogger(__name__)

MESSAGES = {
    400: _l("The request could not be understood. Check the address or the form and try again."),
    404: _l("We couldn't find that page. It may have moved: try searching for it."),
    405: _l("That action isn't allowed here."),
    401: _l("Please sign in to continue."),
    403: _l("You don't have permission to see this page."),
    410: _l("This page was removed from the help center. Try searching for what you need."),
    413: _l("That was too large to accept. Try something shorter."),
    429: _l("Too many attempts. Please wait a little and try again."),
    500: _l("Something went wrong on our side. Please try again in a moment."),
}


def _wants_json() -> bool:
    return takes_json()


def _render(code: int, message: str):
    if _wants_json():
        return jsonify(error=message, status=code), code
    return render_template("errors/error.html", code=code, message=message), code


def handle_http(exc: HTTPException):
    code = exc.code or 500
    # abort(400, "what to fix") shows its message; a rate limit's description is the limit
    # itself ("5 per 1 hour"), so 429 keeps the friendly text.
    own = exc.description if exc.description != type(exc).description and code != 429 else None
    message = str(own or MESSAGES.get(code) or exc.description)
    if isinstance(exc, CSRFError):
        message = str(_l("Your form expired. Reload the page and try again."))
    return _render(code, message)


def handle_unexpected(exc: Exception):
    if isinstance(exc, HTTPException):
        return handle_http(exc)
    log.exception("Unhandled error on %s", request.path)
    # A failed statement leaves the session unusable: the page itself (the signed-in user's
    # menu) would fail on it.
    db.session.rollback()
    return _render(500, str(MESSAGES[500]))


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(InternalServerError, handle_unexpected)
    app.register_error_handler(Exception, handle_unexpected)
