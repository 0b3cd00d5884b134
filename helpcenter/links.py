"""Full links to this site for mail and notifications, built from PUBLIC_BASE_URL only.

A request's Host header is chosen by whoever sends it: a reset link built from it goes wherever
an attacker says. So links that leave the site are built here, from the configured address,
the same way inside a request, in a command or in a background job.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote, urlsplit

from flask import current_app
from werkzeug.routing import MapAdapter


def _adapter() -> MapAdapter:
    base = urlsplit(current_app.config["PUBLIC_BASE_URL"])
    return current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme
    )


def public_url(endpoint: str, *, _anchor: str | None = None, **values) -> str:
    """`url_for(endpoint, _external=True, ...)` under PUBLIC_BASE_URL (path prefix included).
    Needs an app context, not a request; the endpoint is the full name (`community.thread`)."""
    url = public_url_builder()(endpoint, **values)
    if _anchor:
        url += "#" + quote(_anchor, safe="%!#$&'()*+,/:;=?@")
    return url


def public_url_builder() -> Callable[..., str]:
    """`public_url` without the anchor, bound once: for a sitemap of many thousand links."""
    adapter = _adapter()

    def build(endpoint: str, **values) -> str:
        current_app.inject_url_defaults(endpoint, values)
        return adapter.build(endpoint, values, force_external=True)

    return build
