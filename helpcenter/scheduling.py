"""Scheduled articles go live on time without a cron job: requests look for due ones at most
once every SCHEDULE_CHECK_SECONDS per process (`content publish-due` does the same from cron).
The same check runs the webhook scan (threads unanswered for 24 hours: one query when no
endpoint wants them).

The check is a periodic job with a claim: every process may queue it (there is only ever one
waiting), and only the process or worker that claims it publishes, so two processes never
publish the same article twice."""

from __future__ import annotations

import logging
import time

from flask import Flask, current_app

from helpcenter import jobs
from helpcenter.extensions import db
from helpcenter.services.content import curation
from helpcenter.services.webhooks import scheduled as webhook_scan

log = logging.getLogger(__name__)
KIND = "publish_due"


@jobs.handler(KIND)
def _publish_due(_payload: dict) -> None:
    for article in curation.publish_due():
        log.info("published scheduled article %s/%s", article.lang, article.slug)


def init_app(app: Flask) -> None:
    state = {"last": float("-inf")}

    @app.before_request
    def publish_scheduled_articles():
        now = time.monotonic()
        if now - state["last"] < current_app.config["SCHEDULE_CHECK_SECONDS"]:
            return
        state["last"] = now
        try:
            jobs.enqueue_once(KIND)
            jobs.enqueue_once(webhook_scan.KIND)
            db.session.commit()
            jobs.run_due(2, kinds=(KIND, webhook_scan.KIND))  # none if another process holds them
        except Exception:  # a reader's page must not fail for it; the next check retries
            db.session.rollback()
            log.exception("publishing scheduled articles failed; retrying at the next check")
