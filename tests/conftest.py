"""A real app per test: a real database (SQLite file, or PostgreSQL when
HELPCENTER_TEST_DATABASE_URL is set), a real Whoosh index in a temporary folder, and the
fixture content in tests/fixtures/content. The shared builders are in tests/builders.py, and
the fixtures here chain them."""

from __future__ import annotations

import os
import re
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text

from helpcenter import create_app
from helpcenter.config import TestingConfig
from helpcenter.extensions import db
from helpcenter.services import content_import, indexing
from tests.builders import member

FIXTURE_CONTENT = Path(__file__).parent / "fixtures" / "content"
PG_URL = os.environ.get("HELPCENTER_TEST_DATABASE_URL")


def _reset_postgres() -> None:
    with db.engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))


@pytest.fixture
def content_dir(tmp_path) -> Path:
    """A private copy of the fixture content, so a test may edit or delete files."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, target)
    return target


@pytest.fixture
def app(request, tmp_path, content_dir):
    """Settings read once at start-up can be given with `@pytest.mark.app_config(NAME=value)`."""
    database = PG_URL or f"sqlite:///{tmp_path / 'test.sqlite3'}"
    marker = request.node.get_closest_marker("app_config")
    app = create_app(
        TestingConfig,
        {
            "SQLALCHEMY_DATABASE_URI": database,
            "SEARCH_INDEX_DIR": str(tmp_path / "index"),
            "CONTENT_DIR": str(content_dir),
            **(marker.kwargs if marker else {}),
        },
    )
    app.instance_path = str(tmp_path / "instance")
    with app.app_context():
        if PG_URL:
            _reset_postgres()
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def loaded_app(app, content_dir):
    """The app with the fixture content imported and indexed."""
    with app.app_context():
        summary = content_import.import_content(content_dir)
        assert summary.ok, summary.failed
        indexing.rebuild_index()
    return app


@pytest.fixture
def client(loaded_app):
    return loaded_app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# -- accounts and mail ----------------------------------------------------------------------------


class Mailbox:
    """Messages received by the loopback SMTP server, and a way to wait for one."""

    def __init__(self):
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        from email import message_from_bytes, policy

        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def wait_for(self, to: str, count: int = 1, timeout: float = 10.0) -> list:
        import time

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [m for m in self.messages if m["To"] == to]
            if len(found) >= count:
                return found
            time.sleep(0.02)
        raise AssertionError(
            f"{count} mail(s) to {to} did not arrive; got {[m['To'] for m in self.messages]}"
        )

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"] == address]


@pytest.fixture
def mailbox(app):
    """A real SMTP server on loopback; the app sends its mail there."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False)
    yield box
    controller.stop()


def link_in(message) -> str:
    """The first http link in a mail's text part, as a path."""
    from urllib.parse import urlsplit

    text = message.get_body(("plain",)).get_content()
    url = re.search(r"https?://\S+", text).group(0)
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def without_tokens(html: str) -> str:
    """A page with its CSRF tokens masked, to compare two pages served a moment apart."""
    return re.sub(r'(name="csrf_token"[^>]*value=")[^"]+', r"\1…", html)


@contextmanager
def counted_statements(app):
    """Every SQL statement the app sends inside the block, to count queries or find writes."""
    from sqlalchemy import event

    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def snapshot(app) -> dict[str, list[str]]:
    """Every row of every table, to show that a request changed the database, or nothing."""
    from sqlalchemy import select

    with app.app_context():
        return {
            table.name: sorted(repr(tuple(row)) for row in db.session.execute(select(table)))
            for table in db.metadata.sorted_tables
        }


# -- people, signed in ----------------------------------------------------------------------------


@pytest.fixture
def staff(loaded_app):
    """A client signed in as Eda Editor, a staff member."""
    return member(loaded_app, "editor@example.com", role="staff", name="Eda Editor")


@pytest.fixture
def admin(loaded_app):
    """A client signed in as an admin."""
    return member(loaded_app, "admin@example.com", role="admin")


# -- webhooks -------------------------------------------------------------------------------------


class Receiver:
    """A real HTTP server on loopback that records every request and answers with the next
    status in `statuses` (200 once they run out)."""

    def __init__(self):
        self.requests: list[dict] = []
        self.statuses: list[int] = []
        self.location: str | None = None  # sent with a 3xx
        self.url = ""

    def answer(self) -> int:
        return self.statuses.pop(0) if self.statuses else 200


@pytest.fixture
def receiver():
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    box = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's hook name
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            box.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
            status = box.answer()
            self.send_response(status)
            if box.location and 300 <= status < 400:
                self.send_header("Location", box.location)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *_args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    box.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield box
    server.shutdown()
    server.server_close()
    thread.join()


# -- a real Chromium ------------------------------------------------------------------------------

CHROMIUM = os.environ.get("HELPCENTER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
BROWSER_TESTS = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)),
        reason=f"no Chromium at {CHROMIUM}: install Debian's chromium (apt-get install chromium) "
        "or set HELPCENTER_CHROMIUM",
    ),
]


@pytest.fixture
def live_server(loaded_app):
    """The test's app served over HTTP on loopback, for the browser."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, loaded_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module (starting it is the slow part); each test opens its own
    context, so no cookie or storage leaks from one test into the next."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is a dev dependency")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def desktop_agent(browser) -> str:
    """Headless Chromium names itself in its user agent, and crawlers are left out of the staff
    figures: browse as the desktop browser customers use."""
    probe = browser.new_page()
    agent = probe.evaluate("navigator.userAgent").replace("HeadlessChrome", "Chrome")
    probe.close()
    return agent


@pytest.fixture
def page(browser, desktop_agent, live_server):
    """A fresh Japanese desktop browser tab on the live server."""
    context = browser.new_context(locale="ja-JP", base_url=live_server, user_agent=desktop_agent)
    yield context.new_page()
    context.close()
