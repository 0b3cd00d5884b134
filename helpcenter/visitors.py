"""Who is asking, without storing who they are: a random visitor cookie and a crawler flag."""

from __future__ import annotations

import re
import secrets

from flask import Flask, current_app, g, request

_CRAWLER = re.compile(
    r"bot|crawl|spider|slurp|bingpreview|facebookexternalhit|headlesschrome|python-requests|curl|wget",
    re.IGNORECASE,
)
_VALID_ID = re.compile(r"^[0-9a-f]{32}$")


def visitor_id() -> str:
    """This browser's random id; a new one is set as a cookie on the response."""
    if "visitor_id" not in g:
        cookie = request.cookies.get(current_app.config["VISITOR_COOKIE"], "")
        if _VALID_ID.match(cookie):
            g.visitor_id, g.new_visitor = cookie, False
        else:
            g.visitor_id, g.new_visitor = secrets.token_hex(16), True
    return g.visitor_id


def is_crawler() -> bool:
    return bool(_CRAWLER.search(request.headers.get("User-Agent", "")))


def _set_cookie(response):
    if g.get("new_visitor"):
        response.set_cookie(
            current_app.config["VISITOR_COOKIE"],
            g.visitor_id,
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
        )
    return response


def init_app(app: Flask) -> None:
    app.after_request(_set_cookie)
