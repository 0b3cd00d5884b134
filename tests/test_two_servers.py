"""Two real app servers (separate processes and instance folders) and a worker on one
PostgreSQL database with the postgresql search backend: what one server changes, the other
finds at once; rate limits count per site; queued mail goes out once. Run by CI on PostgreSQL."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import uuid
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlencode, urlsplit, urlunsplit
from urllib.request import HTTPCookieProcessor, Request, build_opener

import pytest
from sqlalchemy import text

from helpcenter import create_app
from helpcenter.config import TestingConfig
from helpcenter.extensions import db
from helpcenter.services.content import imports
from helpcenter.services.search import indexing
from tests.builders import PASSWORD, Mailbox, csrf_token, make_user
from tests.environment import FIXTURE_CONTENT, PG_URL

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(
    not PG_URL, reason="two servers share a PostgreSQL database: set HELPCENTER_TEST_DATABASE_URL"
)
SERVE = (
    "import sys\n"
    "from helpcenter import create_app\n"
    "app = create_app()\n"
    "app.instance_path = sys.argv[1]\n"
    "app.run(host='127.0.0.1', port=int(sys.argv[2]), use_reloader=False, threaded=True)\n"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _redis_url() -> str | None:
    try:
        import redis

        client = redis.Redis.from_url("redis://127.0.0.1:6379/14", socket_timeout=1)
        client.flushdb()
        return "redis://127.0.0.1:6379/14"
    except Exception:  # noqa: BLE001 - no Redis here: the database storage is shared too
        return None


def _own_database() -> str:
    """A database of this test's own beside the suite's, made afresh."""
    assert PG_URL
    parts = urlsplit(PG_URL)
    name = f"{parts.path.lstrip('/')}_servers"
    admin = create_app(TestingConfig, {"SQLALCHEMY_DATABASE_URI": PG_URL})
    with admin.app_context():
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        db.engine.dispose()
    return urlunsplit(parts._replace(path=f"/{name}"))


class Visitor:
    """A browser of one server: cookies, CSRF tokens from the form it posts."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = build_opener(HTTPCookieProcessor(CookieJar()))

    def get(self, path: str) -> tuple[int, str]:
        return self._open(Request(self.base + path))  # noqa: S310 - loopback http only

    def post(self, path: str, data: dict, *, form: str | None = None) -> tuple[int, str]:
        _status, page = self.get(form or path)
        body = urlencode({"csrf_token": csrf_token(page), **data}).encode()
        return self._open(Request(self.base + path, data=body, method="POST"))  # noqa: S310

    def search(self, query: str) -> dict:
        status, body = self.get("/api/v1/search?" + urlencode({"q": query}))
        assert status == 200, body
        return json.loads(body)

    def sign_in(self, email: str) -> None:
        status, page = self.post("/signin", {"email": email, "password": PASSWORD})
        assert status == 200 and "signout" in page, page[:300]

    def _open(self, request: Request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except HTTPError as error:
            return error.code, error.read().decode()


@pytest.fixture
def site(tmp_path):
    """The database migrated, the fixture content imported and indexed, two members; then two
    servers and a worker started on it, and a loopback mail server they send to."""
    from aiosmtpd.controller import Controller

    database = _own_database()
    setup = create_app(
        TestingConfig,
        {
            "SQLALCHEMY_DATABASE_URI": database,
            "SEARCH_BACKEND": "postgresql",
            "CONTENT_DIR": str(FIXTURE_CONTENT),
        },
    )
    with setup.app_context():
        from flask_migrate import upgrade

        upgrade()  # the migrations, as an operator runs them
        assert imports.import_content(FIXTURE_CONTENT).ok
        indexing.rebuild_index()
        db.session.remove()  # give the connection back before the pool is closed
        db.engine.dispose()
    make_user(setup, "asker@example.com", name="Asker")
    make_user(setup, "editor@example.com", name="Editor", role="staff")
    with setup.app_context():
        db.session.remove()
        db.engine.dispose()

    box = Mailbox()
    smtp_port = _free_port()
    mail = Controller(box, hostname="127.0.0.1", port=smtp_port)
    mail.start()
    ports = {"a": _free_port(), "b": _free_port()}
    env = {
        **os.environ,
        "HELPCENTER_ENV": "development",
        "HELPCENTER_SECRET_KEY": uuid.uuid4().hex * 2,
        "HELPCENTER_SQLALCHEMY_DATABASE_URI": database,
        "HELPCENTER_SEARCH_BACKEND": "postgresql",
        "HELPCENTER_CONTENT_DIR": str(FIXTURE_CONTENT),
        "HELPCENTER_JOBS_INLINE": "false",
        "HELPCENTER_JOBS_POLL_SECONDS": "1",
        "HELPCENTER_MAIL_SERVER": "127.0.0.1",
        "HELPCENTER_MAIL_PORT": str(smtp_port),
        "HELPCENTER_MAIL_USE_TLS": "false",
        "HELPCENTER_RATELIMIT_STORAGE_URI": _redis_url() or "database://",
        "HELPCENTER_PUBLIC_BASE_URL": f"http://127.0.0.1:{ports['a']}",
    }
    processes = []
    for name, port in ports.items():
        folder = tmp_path / f"server-{name}"
        folder.mkdir()
        server_env = {**env, "HELPCENTER_SEARCH_INDEX_DIR": str(folder / "search-index")}
        processes.append(
            subprocess.Popen(  # noqa: S603
                [sys.executable, "-c", SERVE, str(folder), str(port)],
                cwd=ROOT,
                env=server_env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
    processes.append(
        subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "flask", "--app", "helpcenter", "worker"],
            cwd=ROOT,
            env={**env, "HELPCENTER_SEARCH_INDEX_DIR": str(tmp_path / "worker-index")},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    )
    bases = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    try:
        for base in bases.values():
            _wait_until_healthy(base)
        yield bases, box
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=20)
        mail.stop()


def _wait_until_healthy(base: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if Visitor(base).get("/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{base} did not become healthy")


def test_two_servers_and_a_worker_share_one_help_center(site):
    bases, mailbox = site
    a, b = bases["a"], bases["b"]

    # A thread posted through A is found through B at once.
    asker = Visitor(a)
    asker.sign_in("asker@example.com")
    status, _page = asker.post(
        "/community/new",
        {"title": "Export a zebracorn board?", "body": "How do I export it?", "kind": "question"},
    )
    assert status == 200
    found = Visitor(b).search("zebracorn")
    assert found["total"] == 1
    assert found["results"][0]["title"] == "Export a zebracorn board?"

    # An article published through B is served and found through A.
    editor_b = Visitor(b)
    editor_b.sign_in("editor@example.com")
    fields = {
        "title": "Import a quokka list",
        "slug": "import-quokka-list",
        "summary": "From a CSV file.",
        "body": "Open the board menu and choose Import quokka.",
        "tags": "import",
        "category": "account",
        "action": "publish",
    }
    status, _page = editor_b.post("/staff/articles/new?lang=en", fields)
    assert status == 200
    assert Visitor(a).get("/articles/en/import-quokka-list")[0] == 200
    assert [r["title"] for r in Visitor(a).search("quokka")["results"]] == ["Import a quokka list"]

    # Synonyms added through A expand searches through B.
    assert Visitor(b).search("wombat")["total"] == 0
    editor_a = Visitor(a)
    editor_a.sign_in("editor@example.com")
    status, _page = editor_a.post("/staff/synonyms", {"lang": "en", "terms": "quokka, wombat"})
    assert status == 200
    assert [r["title"] for r in Visitor(b).search("wombat")["results"]] == ["Import a quokka list"]

    # A mail queued through A is sent by the worker, once.
    status, _page = Visitor(a).post("/reset", {"email": "asker@example.com"})
    assert status == 200
    assert len(mailbox.wait_for("asker@example.com", timeout=30)) == 1
    time.sleep(3)  # the worker and the servers keep running: still one
    assert len(mailbox.to("asker@example.com")) == 1

    # The search API's 120 a minute is counted for the site, not per server.
    answered = 0
    for n in range(70):
        for base in (a, b):
            status, _body = Visitor(base).get(f"/api/v1/search?q=export{n}")
            answered += status == 200
            assert status in (200, 429)
    assert answered == 120 - 4  # four searches through the API were counted earlier
