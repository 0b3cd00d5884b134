"""Response headers every page gets, the check every redirect target goes through, and the
Host check every request goes through."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

from flask import Flask
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wsgi import get_host

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: https:",
        "media-src 'self' https:",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "object-src 'none'",
    ]
)

PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
HEALTH_PATH = "/healthz"  # the health check, answered whatever Host it names


def is_safe_redirect(target: str | None) -> bool:
    """True only for a path on this site: no scheme, no host, no `//`, no backslash tricks."""
    if not target or len(target) > 2000:
        return False
    for candidate in (target, unquote(target), unquote(unquote(target))):
        if "\\" in candidate or any(ord(ch) < 32 for ch in candidate):
            return False
        if not candidate.startswith("/") or candidate.startswith("//"):
            return False
        parts = urlsplit(candidate)
        if parts.scheme or parts.netloc:
            return False
    return True


def _headers(response):
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    return response


class HostCheck:
    """WSGI middleware: a request for a host the site does not serve (not in TRUSTED_HOSTS, or
    not a valid name, like a 300-character label) gets a plain 400 before Flask sees it.
    Inside Flask it would be a 400 with no URL adapter, so the error page could not be drawn."""

    def __init__(self, app: Flask, wsgi_app) -> None:
        self.app = app
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict, start_response) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == HEALTH_PATH:
            environ = _as_served_host(environ, self.app.config["TRUSTED_HOSTS"])
        try:
            get_host(environ, self.app.config["TRUSTED_HOSTS"])
            self.app.url_map.bind_to_environ(environ)  # encodes the name as IDNA, as Flask will
        except HTTPException as exc:
            return exc(environ, start_response)
        return self.wsgi_app(environ, start_response)


def _as_served_host(environ: dict, trusted: list[str] | None) -> dict:
    """A load balancer's health check names a server by its address (`Host: 10.0.0.5:8000`).
    `/healthz` builds no link from the Host, so it is answered as if for the site's own name."""
    names = [name for name in trusted or [] if not name.startswith(".")]
    return {**environ, "HTTP_HOST": names[0]} if names else environ


def init_app(app: Flask) -> None:
    app.after_request(_headers)
    proxies = int(app.config["BEHIND_PROXIES"])
    # Flask's documented way to wrap it in middleware; mypy sees a method being replaced.
    if proxies:  # trust only as many forwarded addresses as there are proxies: the rest is forged
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies
        )
    app.wsgi_app = HostCheck(app, app.wsgi_app)  # type: ignore[method-assign]
