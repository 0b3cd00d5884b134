"""Scheduled articles go live on time without a cron job: requests look for due ones at most
once every SCHEDULE_CHECK_SECONDS per process (`content publish-due` does the same from cron)."""

from __future__ import annotations

import logging
import time

from flask import Flask, current_app

from helpcenter.extensions import db
from helpcenter.services import curation

log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    state = {"last": float("-inf")}

    @app.before_request
    def publish_scheduled_articles():
        now = time.monotonic()
        if now - state["last"] < current_app.config["SCHEDULE_CHECK_SECONDS"]:
            return
        state["last"] = now
        try:
            for article in curation.publish_due():
                log.info("published scheduled article %s/%s", article.lang, article.slug)
        except Exception:  # a reader's page must not fail for it; the next check retries
            db.session.rollback()
            log.exception("publishing scheduled articles failed; retrying at the next check")
