"""`/healthz`: 200 when this server reaches its database and search index, else 503.

A machine reads it every few seconds, so it records nothing (no page view, no visitor or
session cookie), is never rate limited, and says nothing about anyone: just which part failed.
"""

from __future__ import annotations

from flask import Blueprint, jsonify

from helpcenter.extensions import limiter
from helpcenter.security import HEALTH_PATH
from helpcenter.services import health

bp = Blueprint("health", __name__)


@bp.get(HEALTH_PATH)
@limiter.exempt
def healthz():
    parts = health.check()
    healthy = all(state == health.OK for state in parts.values())
    response = jsonify(status=health.OK if healthy else health.UNAVAILABLE, **parts)
    response.status_code = 200 if healthy else 503
    response.headers["Cache-Control"] = "no-store"
    return response
