"""Durable background jobs: a row in the `job` table, written in the caller's transaction.

A committed change always has its job and a rolled-back one never does, because `enqueue`
only adds the row to the current session. Workers (`flask worker`, or the web process itself
with HELPCENTER_JOBS_INLINE) claim due rows one at a time with a lease, run the handler for
the row's kind, and mark it done in the same commit as whatever the handler changed.

Delivery is at least once: a worker killed after a handler's side effect (an SMTP server
accepting a mail) and before its commit leaves the job claimed; when the lease runs out
another worker runs it again. That window is the time of one COMMIT.
"""

from __future__ import annotations

import logging
import os
import socket
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, g, has_request_context
from sqlalchemy import and_, func, or_, select, update

from helpcenter import database
from helpcenter.extensions import db
from helpcenter.models.base import utcnow
from helpcenter.models.jobs import Job, JobStatus
from helpcenter.services import audit

log = logging.getLogger(__name__)

Handler = Callable[[dict], None]
HANDLERS: dict[str, Handler] = {}
MAX_BACKOFF_SECONDS = 6 * 3600


def handler(kind: str) -> Callable[[Handler], Handler]:
    """Register the function that runs jobs of `kind`. It must not commit: the worker commits
    its changes together with the job's `done`."""

    def register(function: Handler) -> Handler:
        HANDLERS[kind] = function
        return function

    return register


def enqueue(kind: str, payload: dict, *, run_after: datetime | None = None) -> Job:
    """Add a job to the current session; it commits or rolls back with the caller's change."""
    job = Job(
        kind=kind,
        payload=payload,
        status=JobStatus.QUEUED,
        attempts=0,
        max_attempts=current_app.config["JOBS_MAX_ATTEMPTS"],
        run_after=run_after or utcnow(),
    )
    db.session.add(job)
    current_app.extensions["jobs_enqueued"] = True  # tests drain only then (worker.py)
    if has_request_context():
        g.jobs_enqueued = True  # the inline drainer is woken after the response
    return job


def enqueue_once(kind: str, payload: dict | None = None) -> None:
    """Queue a job of `kind` unless one is already waiting or running (a periodic job: every
    process may ask, one runs). Joins the caller's transaction."""
    row = {"kind": kind, "payload": payload or {}, "status": JobStatus.QUEUED, "attempts": 0}
    row |= {"max_attempts": current_app.config["JOBS_MAX_ATTEMPTS"], "run_after": utcnow()}
    database.insert_missing(Job, [{**row, "created_at": utcnow(), "unique_key": kind}])


@dataclass
class RunSummary:
    done: int = 0
    retried: int = 0
    failed: int = 0

    @property
    def ran(self) -> int:
        return self.done + self.retried + self.failed


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def run_due(
    limit: int = 100, *, worker: str | None = None, kinds: tuple[str, ...] | None = None
) -> RunSummary:
    """Claim and run up to `limit` due jobs, one at a time (a dead worker holds one lease)."""
    worker = worker or worker_name()
    summary = RunSummary()
    started = utcnow()  # a job retried during this pass waits for the next one
    while summary.ran < limit:
        job = claim_next(worker, due_by=started, kinds=kinds)
        if job is None:
            break
        outcome = run_claimed(job, worker)
        setattr(summary, outcome, getattr(summary, outcome) + 1)
    return summary


def _due(now: datetime, due_by: datetime):
    return or_(
        and_(Job.status == JobStatus.QUEUED, Job.run_after <= due_by),
        and_(Job.status == JobStatus.RUNNING, Job.locked_until < now),
    )


def claim_next(
    worker: str, *, due_by: datetime | None = None, kinds: tuple[str, ...] | None = None
) -> Job | None:
    """Take one job due by `due_by` (default now), or one whose worker's lease ran out.
    Commits the claim."""
    db.session.rollback()  # never carry someone's unfinished change into the claim's commit
    now = utcnow()
    due = _due(now, due_by or now)
    if kinds is not None:
        due = and_(due, Job.kind.in_(kinds))
    lease = now + timedelta(seconds=current_app.config["JOBS_LEASE_SECONDS"])
    claim = {"status": JobStatus.RUNNING, "locked_by": worker, "locked_until": lease}
    order = (Job.run_after, Job.id)
    if db.engine.dialect.name == "postgresql":
        job_id = db.session.scalar(
            select(Job.id).where(due).order_by(*order).limit(1).with_for_update(skip_locked=True)
        )
        if job_id is not None:
            db.session.execute(
                update(Job).where(Job.id == job_id).values(attempts=Job.attempts + 1, **claim)
            )
        db.session.commit()
    else:
        # SQLite has no row locks: the UPDATE re-checks the condition, so of two workers that
        # saw the same candidate only one changes a row.
        job_id = None
        for candidate in db.session.scalars(select(Job.id).where(due).order_by(*order).limit(20)):
            taken = database.changed_rows(
                update(Job)
                .where(Job.id == candidate, due)
                .values(attempts=Job.attempts + 1, **claim)
                .execution_options(synchronize_session=False)
            )
            db.session.commit()
            if taken:
                job_id = candidate
                break
    return db.session.get(Job, job_id, populate_existing=True) if job_id is not None else None


def run_claimed(job: Job, worker: str) -> str:
    """Run a job this worker claimed: "done", "retried" or "failed"."""
    try:
        run_handler = HANDLERS[job.kind]
        run_handler(dict(job.payload))
    except Exception as error:  # noqa: BLE001 - any failure is kept on the job and retried
        db.session.rollback()
        return _failed(job.id, worker, error)
    _finish(
        job.id,
        worker,
        status=JobStatus.DONE,
        finished_at=utcnow(),
        last_error=None,
        unique_key=None,
    )
    db.session.commit()
    return "done"


def _failed(job_id: int, worker: str, error: Exception) -> str:
    job = db.session.get_one(Job, job_id, populate_existing=True)
    text = "".join(traceback.format_exception_only(error)).strip()[:2000]
    log.warning("job %s (%s) attempt %s failed: %s", job.id, job.kind, job.attempts, text)
    if job.attempts >= job.max_attempts:
        ended = {"finished_at": utcnow(), "last_error": text, "unique_key": None}
        _finish(job_id, worker, status=JobStatus.FAILED, **ended)
        outcome = "failed"
    else:
        base = current_app.config["JOBS_RETRY_SECONDS"]
        delay = min(base * 2 ** (job.attempts - 1), MAX_BACKOFF_SECONDS)
        run_after = utcnow() + timedelta(seconds=delay)
        _finish(job_id, worker, status=JobStatus.QUEUED, run_after=run_after, last_error=text)
        outcome = "retried"
    db.session.commit()
    return outcome


def _finish(job_id: int, worker: str, **values) -> None:
    """Release the claim, unless the lease ran out and another worker holds the job now."""
    db.session.execute(
        update(Job)
        .where(Job.id == job_id, Job.locked_by == worker, Job.status == JobStatus.RUNNING)
        .values(locked_by=None, locked_until=None, **values)
        .execution_options(synchronize_session=False)
    )


def retry(actor, job: Job) -> None:
    """Queue a failed job again now, with a fresh set of attempts. Audited; commits."""
    job.status, job.attempts, job.run_after = JobStatus.QUEUED, 0, utcnow()
    job.finished_at = None
    audit.record(actor, "job.retry", f"job:{job.id}", kind=job.kind)
    db.session.commit()


def discard(actor, job: Job) -> None:
    """Delete a queued or failed job (a mail nobody should get any more). Audited; commits."""
    audit.record(actor, "job.discard", f"job:{job.id}", kind=job.kind, error=job.last_error or "")
    db.session.delete(job)
    db.session.commit()


def counts() -> dict[str, int]:
    rows = db.session.execute(select(Job.status, func.count()).group_by(Job.status))
    return {status: count for status, count in rows}


def listed(statuses: tuple[str, ...], limit: int = 100) -> list[Job]:
    return list(
        db.session.scalars(
            select(Job).where(Job.status.in_(statuses)).order_by(Job.id.desc()).limit(limit)
        )
    )
