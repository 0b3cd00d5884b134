"""Durable jobs with real processes: `flask worker` against the test database, a real SMTP
server on loopback that can be down, slow, or killed under."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from email import message_from_bytes, policy
from pathlib import Path

from sqlalchemy import func, select

from helpcenter import mail
from helpcenter.extensions import db
from helpcenter.models import Job, Notification, User
from tests.builders import csrf_token, make_user, sign_in

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """An SMTP server that records each accepted message; `delay` makes it slow."""

    def __init__(self, delay: float = 0.0):
        self.delay = delay
        self.messages: list = []
        self.started = 0  # messages whose DATA began

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.started += 1
        if self.delay:
            await asyncio.sleep(self.delay)
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def recipients(self) -> Counter:
        return Counter(str(m["To"]) for m in self.messages)


def smtp_server(port: int, delay: float = 0.0):
    from aiosmtpd.controller import Controller

    inbox = Inbox(delay)
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    return inbox, controller


def worker_env(app, port: int, **extra: str) -> dict:
    """What an operator would set for a worker process on this database."""
    env = dict(os.environ)
    env.update(
        HELPCENTER_ENV="development",
        HELPCENTER_SECRET_KEY=app.config["SECRET_KEY"],
        HELPCENTER_SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        HELPCENTER_SEARCH_INDEX_DIR=app.config["SEARCH_INDEX_DIR"],
        HELPCENTER_CONTENT_DIR=app.config["CONTENT_DIR"],
        HELPCENTER_MAIL_SERVER="127.0.0.1",
        HELPCENTER_MAIL_PORT=str(port),
        HELPCENTER_MAIL_USE_TLS="false",
        HELPCENTER_MAIL_TIMEOUT="3",
        HELPCENTER_JOBS_INLINE="false",
        HELPCENTER_JOBS_RETRY_SECONDS="0",  # retries due at once, so the test need not wait
    )
    env.update(extra)
    return env


def flask(*args: str) -> list[str]:
    return [sys.executable, "-m", "flask", "--app", "helpcenter", *args]


def start(env: dict, *args: str, **options) -> subprocess.Popen:
    return subprocess.Popen(flask(*args), cwd=ROOT, env=env, text=True, **options)  # noqa: S603


def run(env: dict, *args: str) -> subprocess.CompletedProcess:
    process = start(env, *args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr
    return subprocess.CompletedProcess(process.args, 0, stdout, stderr)


def queue_mails(app, count: int) -> None:
    """Queue mail for the worker processes to send (this test app does not run them)."""
    app.config["JOBS_INLINE"] = False
    with app.app_context():
        user = db.session.get(User, make_user(app, "someone@example.com"))
        for n in range(count):
            mail.send("reset_password", f"r{n}@example.com", "en", user=user, link="http://x/r")
        db.session.commit()


def job_statuses(app) -> Counter:
    """Mail jobs by status (requests also queue the scheduled-publishing check)."""
    with app.app_context():
        return Counter(db.session.scalars(select(Job.status).where(Job.kind == "mail")))


def test_a_reset_requested_while_the_mail_server_is_down_arrives_when_it_is_back(client, app):
    port = free_port()
    app.config.update(
        MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False, JOBS_INLINE=False
    )
    make_user(app, "member@example.com")
    page = client.get("/reset").get_data(as_text=True)
    client.post("/reset", data={"csrf_token": csrf_token(page), "email": "member@example.com"})
    env = worker_env(app, port)
    assert "0 done, 1 to retry" in run(env, "worker", "--once").stdout  # the server is down
    assert job_statuses(app) == {"queued": 1}
    inbox, controller = smtp_server(port)
    try:
        assert "1 done" in run(env, "worker", "--once").stdout
    finally:
        controller.stop()
    [message] = inbox.messages
    assert message["To"] == "member@example.com"
    assert "/reset/" in message.get_body(("plain",)).get_content()
    assert job_statuses(app) == {"done": 1}


def test_a_rolled_back_change_leaves_no_job(app):
    with app.app_context():
        user = db.session.get(User, make_user(app))
        mail.send("reset_password", user.email, "en", user=user, link="http://x/r")
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(Job)) == 0
        mail.send("reset_password", user.email, "en", user=user, link="http://x/r")
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(Job)) == 1


def test_a_worker_killed_mid_batch_loses_nothing_and_resends_at_most_the_one_in_flight(app):
    port = free_port()
    queue_mails(app, 30)
    inbox, controller = smtp_server(port, delay=0.05)
    env = worker_env(app, port, HELPCENTER_JOBS_LEASE_SECONDS="2")
    try:
        worker = start(env, "worker", stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while len(inbox.messages) < 8 and time.monotonic() < deadline:
            time.sleep(0.01)
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        accepted_before_kill = len(inbox.messages)
        time.sleep(2.5)  # the dead worker's lease runs out
        run(env, "worker", "--once")
    finally:
        controller.stop()
    received = inbox.recipients()
    duplicated = sum(n - 1 for n in received.values())
    print(
        f"kill: queued 30, accepted before kill {accepted_before_kill}, "
        f"delivered {len(received)}, duplicated {duplicated}"
    )
    assert len(received) == 30  # nothing lost
    assert duplicated <= 1  # only a mail accepted in the instant before the kill (see jobs.py)
    assert job_statuses(app) == {"done": 30}


def test_two_workers_draining_200_jobs_run_each_exactly_once(app):
    port = free_port()
    queue_mails(app, 200)
    inbox, controller = smtp_server(port)
    env = worker_env(app, port)
    try:
        workers = [
            start(env, "worker", "--once", "--batch", "1000", stdout=subprocess.PIPE)
            for _ in range(2)
        ]
        outputs = [w.communicate(timeout=180)[0] for w in workers]
    finally:
        controller.stop()
    received = inbox.recipients()
    print(
        f"two workers: queued 200, delivered {len(received)}, "
        f"duplicated {sum(n - 1 for n in received.values())}, {outputs}"
    )
    assert len(received) == 200 and set(received.values()) == {1}
    assert job_statuses(app) == {"done": 200}


def test_the_digest_command_on_its_own_delivers_every_digest_to_a_slow_server(loaded_app):
    user_ids = [make_user(loaded_app, f"d{n}@example.com") for n in range(20)]
    with loaded_app.app_context():
        for user_id in user_ids:
            db.session.get(User, user_id).notify_email = "digest"
            db.session.add(Notification(user_id=user_id, kind="moderation"))
        db.session.commit()
    port = free_port()
    inbox, controller = smtp_server(port, delay=0.5)
    env = worker_env(loaded_app, port, HELPCENTER_JOBS_INLINE="true")
    try:
        output = run(env, "notifications", "digest").stdout
    finally:
        controller.stop()
    assert "Queued 20 digest(s)." in output and "20 done" in output
    assert len(inbox.recipients()) == 20 and set(inbox.recipients().values()) == {1}
    with loaded_app.app_context():
        unsent = (
            select(func.count()).select_from(Notification).where(Notification.emailed_at.is_(None))
        )
        assert db.session.scalar(unsent) == 0


def test_admins_see_a_failed_job_retry_requeues_it_and_discard_drops_it(client, app):
    port = free_port()  # nothing listens: every attempt fails
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False)
    queue_mails(app, 1)
    app.config["JOBS_INLINE"] = True
    with app.app_context():
        db.session.execute(db.update(Job).values(max_attempts=1))
        db.session.commit()
    make_user(app, "admin@example.com", role="admin")
    sign_in(client, "admin@example.com")
    page = client.get("/admin/jobs").get_data(as_text=True)  # the request ran the job: failed
    assert "r0@example.com" in page and "Connection refused" in page
    status = app.test_cli_runner().invoke(args=["jobs", "status"]).output
    assert "failed: 1" in status and "Connection refused" in status
    with app.app_context():
        job_id = db.session.scalar(select(Job.id).where(Job.kind == "mail"))
    app.config["JOBS_INLINE"] = False  # see it queued again, not failed once more
    form = {"csrf_token": csrf_token(page), "job_id": job_id}
    response = client.post("/admin/jobs/retry", data=form)
    assert response.status_code == 303
    assert job_statuses(app) == {"queued": 1}
    page = client.get("/admin/jobs").get_data(as_text=True)
    client.post("/admin/jobs/discard", data={"csrf_token": csrf_token(page), "job_id": job_id})
    assert job_statuses(app) == {}
    audit = client.get("/admin/audit").get_data(as_text=True)
    assert "Background job retried" in audit and "Background job discarded" in audit


def test_sigterm_lets_the_worker_finish_the_mail_it_is_sending(app):
    port = free_port()
    queue_mails(app, 5)
    inbox, controller = smtp_server(port, delay=0.5)
    try:
        worker = start(worker_env(app, port), "worker", stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while inbox.started < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        worker.send_signal(signal.SIGTERM)  # while the server takes the second mail
        assert worker.wait(timeout=30) == 0
    finally:
        controller.stop()
    statuses = job_statuses(app)
    assert len(inbox.messages) == 2  # the second was finished, no third begun
    assert statuses == {"done": 2, "queued": 3}


def test_with_no_mail_server_development_prints_the_mail_and_its_links(app):
    queue_mails(app, 1)
    env = worker_env(app, free_port(), HELPCENTER_MAIL_SERVER="")
    printed = run(env, "worker", "--once").stderr
    assert "To: r0@example.com" in printed and "Reset your password" in printed
    assert "http://x/r" in printed
    assert job_statuses(app) == {"done": 1}


def test_scheduled_publishing_runs_in_one_process_at_a_time(loaded_app):
    from datetime import timedelta

    from helpcenter.models import Article, AuditEntry
    from helpcenter.models.base import utcnow

    loaded_app.config["SCHEDULE_CHECK_SECONDS"] = 0  # every request checks
    with loaded_app.app_context():
        article = db.session.scalars(select(Article).where(Article.status == "published")).first()
        article.status, article.publish_at = "scheduled", utcnow() - timedelta(seconds=5)
        path = f"/articles/{article.lang}/{article.slug}"
        held = Job(
            kind="publish_due",
            payload={},
            status="running",
            locked_by="other:1",
            locked_until=utcnow() + timedelta(minutes=1),
            unique_key="publish_due",
        )
        db.session.add(held)
        db.session.commit()
        held_id = held.id
    reader = loaded_app.test_client()
    assert reader.get(path).status_code == 404  # another process holds the check
    with loaded_app.app_context():
        db.session.get(Job, held_id).locked_until = utcnow() - timedelta(seconds=1)  # it died
        db.session.commit()
    assert reader.get(path).status_code == 200
    assert reader.get(path).status_code == 200
    with loaded_app.app_context():
        published = select(AuditEntry).where(AuditEntry.action == "article.publish")
        assert len(db.session.scalars(published).all()) == 1
