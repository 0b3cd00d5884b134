"""Who runs the jobs: `flask worker`, `flask jobs status`, and the web process's own drainer."""

from __future__ import annotations

import logging
import os
import signal
import threading
import time

import click
from flask import Flask, current_app, g
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError, ProgrammingError

from helpcenter import jobs
from helpcenter.extensions import db
from helpcenter.models.jobs import Job, JobStatus

log = logging.getLogger(__name__)

jobs_cli = AppGroup("jobs", help="Background jobs: see what is queued and what failed.")


def _load_handlers() -> None:
    """Import the modules that register handlers, whatever the command imported so far."""
    from helpcenter import mail, scheduling  # noqa: F401
    from helpcenter.services.webhooks import delivery, scheduled  # noqa: F401


class _Stop:
    """SIGTERM/SIGINT ask the loop to stop after the job it is running."""

    def __init__(self) -> None:
        self.requested = False

    def __call__(self, signum, _frame) -> None:
        self.requested = True
        click.echo(f"Signal {signum}: stopping after the current job.", err=True)


@click.command("worker")
@click.option("--once", is_flag=True, help="Run the jobs that are due, then exit (for cron).")
@click.option("--batch", type=click.IntRange(1, 10_000), default=100, show_default=True)
@with_appcontext
def worker_command(once: bool, batch: int) -> None:
    """Run background jobs (mail, digests) until stopped; SIGTERM finishes the current job."""
    _load_handlers()
    name = jobs.worker_name()
    if once:
        summary = jobs.run_due(batch, worker=name)
        click.echo(f"{summary.done} done, {summary.retried} to retry, {summary.failed} failed.")
        return
    stop = _Stop()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    click.echo(f"Worker {name} running; Ctrl-C or SIGTERM stops it.", err=True)
    while not stop.requested:
        ran = 0
        while not stop.requested and (job := jobs.claim_next(name)) is not None:
            jobs.run_claimed(job, name)
            ran += 1
        if not ran:
            db.session.rollback()
            _sleep(current_app.config["JOBS_POLL_SECONDS"], stop)


def _sleep(seconds: float, stop: _Stop) -> None:
    deadline = time.monotonic() + seconds
    while not stop.requested and time.monotonic() < deadline:
        time.sleep(0.1)


@jobs_cli.command("status")
def status_command() -> None:
    """Jobs by status, the oldest queued job, and failed jobs with their errors."""
    counts = jobs.counts()
    for status in JobStatus:
        click.echo(f"{status}: {counts.get(status, 0)}")
    oldest = db.session.scalar(select(func.min(Job.created_at)).where(Job.status == "queued"))
    click.echo(f"oldest queued: {oldest or '-'}")
    for job in jobs.listed((JobStatus.FAILED,)):
        click.echo(f"failed #{job.id} {job.kind} after {job.attempts} attempts: {job.last_error}")


def drain_if_inline() -> None:
    """For commands cron runs on their own (`notifications digest`): with no separate worker,
    deliver what they queued before the process exits, not on a thread it would kill."""
    if current_app.config["JOBS_INLINE"]:
        _load_handlers()
        summary = jobs.run_due(limit=1_000_000)
        click.echo(
            f"Background jobs: {summary.done} done, {summary.retried} to retry, "
            f"{summary.failed} failed."
        )


class _Drainer:
    """The web process's inline worker: one daemon thread per process that only ever pulls
    from the job table. A crash or restart loses nothing, because every job was committed
    before the thread heard of it; a job it held is taken again when its lease runs out."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.wake = threading.Event()
        self.pid: int | None = None
        self.lock = threading.Lock()

    def nudge(self, *, work_waiting: bool) -> None:
        if self.pid != os.getpid():
            with self.lock:
                if self.pid != os.getpid():  # started lazily, and again in a forked worker
                    self.pid = os.getpid()
                    self.wake = threading.Event()
                    threading.Thread(target=self._loop, name="jobs-inline", daemon=True).start()
                    work_waiting = True  # jobs left by a previous process
        if work_waiting:
            self.wake.set()

    def _loop(self) -> None:
        _load_handlers()
        while True:
            self.wake.wait(self.app.config["JOBS_POLL_SECONDS"])
            self.wake.clear()
            with self.app.app_context():
                try:
                    jobs.run_due()
                except Exception:  # the table keeps the work; the next wake retries
                    log.exception("running background jobs failed")
                finally:
                    db.session.remove()


def init_app(app: Flask) -> None:
    app.cli.add_command(worker_command)
    app.cli.add_command(jobs_cli)
    if app.testing:
        # Tests see the effect of a request or command as soon as it returns.
        app.teardown_request(_run_jobs_now)
        app.teardown_appcontext(_run_jobs_now)
        return
    if not app.config["JOBS_INLINE"]:
        return
    drainer = _Drainer(app)

    @app.after_request
    def wake_drainer(response):
        drainer.nudge(work_waiting=bool(g.get("jobs_enqueued")))
        return response


_draining = threading.local()


def _run_jobs_now(error: BaseException | None) -> None:
    """Run due jobs in a fresh app context, so with a session of their own: the caller's
    objects are neither committed nor expired by the jobs' commits. The caller's session is
    closed first (it is removed as its context ends anyway), so its connection goes back to the
    pool: a request thread holding one while waiting for a second exhausted the pool when 16
    posted at once, as the drainer thread, which holds only its own, never does."""
    if error is not None or getattr(_draining, "active", False):
        return
    if not current_app.config["JOBS_INLINE"] or not current_app.extensions.get("jobs_enqueued"):
        return  # nothing new: and no connection opened after the test fixture disposed of its pool
    current_app.extensions["jobs_enqueued"] = False
    _load_handlers()
    db.session.close()
    _draining.active = True
    try:
        with current_app.app_context():
            try:
                jobs.run_due()
            except (OperationalError, ProgrammingError):  # a context before the tables exist
                db.session.rollback()
    finally:
        _draining.active = False
