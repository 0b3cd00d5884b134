"""A real app per test: a real database (SQLite file, or PostgreSQL when
HELPCENTER_TEST_DATABASE_URL is set), a real Whoosh index in a temporary folder, and the
fixture content in tests/fixtures/content. The shared builders are in tests/builders.py and what
the machine offers (PostgreSQL, Chromium) in tests/environment.py: the fixtures here chain them,
and test modules import them from there, never from here."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from sqlalchemy import select

from helpcenter import create_app
from helpcenter.config import TestingConfig
from helpcenter.extensions import db
from helpcenter.models import Article, User
from helpcenter.services.community import posts
from helpcenter.services.content import imports
from helpcenter.services.search import indexing
from tests.builders import Mailbox, insert_rows, make_user, member, search_row
from tests.environment import CHROMIUM, CHROMIUM_ARGS, FIXTURE_CONTENT, PG_URL, reset_postgres


@pytest.fixture(autouse=True, scope="session")
def scrypt_once_per_input():
    """Passwords are hashed with scrypt at its real cost (a tenth of a second), and the suite
    hashes the same test password, and checks it against the same hashes, thousands of times.
    Each distinct input is worked out once per session: every stored hash is still a real
    scrypt:32768 hash (people with the same password share its salt) and every check a real one."""
    from functools import cache

    from helpcenter.services.accounts import passwords

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "generate_password_hash", cache(passwords.generate_password_hash))
        patch.setattr(passwords, "check_password_hash", cache(passwords.check_password_hash))
        yield


@pytest.fixture(autouse=True)
def no_job_thread_outlives_its_test():
    """A non-testing app starts the web process's job drainer (worker.py) on its first request: a
    daemon thread that never stops. Left behind, it polls a database the test has deleted and
    logs a traceback every few seconds, and on Python 3.11 formatting a traceback parses source
    with `ast`, which races the main thread's `ast.parse` (gh-106905: "AST constructor recursion
    depth mismatch" in an unrelated test). Tests that build such an app set JOBS_INLINE=False."""
    before = set(threading.enumerate())
    yield
    leaked = [t for t in threading.enumerate() if t.name == "jobs-inline" and t not in before]
    assert not leaked, "this test left the job drainer running: give its app JOBS_INLINE=False"


@pytest.fixture
def content_dir(tmp_path) -> Path:
    """A private copy of the fixture content, so a test may edit or delete files."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, target)
    return target


def _tree(root: Path) -> list[tuple[str, int, int]]:
    return sorted(
        (path.relative_to(root).as_posix(), path.stat().st_size, path.stat().st_mtime_ns)
        for path in root.rglob("*")
        if path.is_file()
    )


def _testing_app(folder: Path, content: Path, settings: dict):
    return create_app(
        TestingConfig,
        {
            "SQLALCHEMY_DATABASE_URI": PG_URL or f"sqlite:///{folder / 'test.sqlite3'}",
            "SEARCH_INDEX_DIR": str(folder / "index"),
            "CONTENT_DIR": str(content),
            **settings,
        },
    )


def _import_fixture_content(app, content: Path) -> None:
    with app.app_context():
        summary = imports.import_content(content)
        assert summary.ok, summary.failed
        indexing.rebuild_index()


@pytest.fixture(scope="session")
def prepared(tmp_path_factory) -> Path | None:
    """On SQLite, the empty schema and the imported, indexed fixture content are built once per
    session (per xdist worker) into files; each test's app starts from its own copy of them,
    so it still has a database and an index of its own. None on PostgreSQL, where each test
    builds its schema and imports."""
    if PG_URL:
        return None
    root = tmp_path_factory.mktemp("prepared")
    for name, loaded in (("empty", False), ("loaded", True)):
        (root / name).mkdir()
        app = _testing_app(root / name, FIXTURE_CONTENT, {})
        with app.app_context():
            db.create_all()
        if loaded:
            _import_fixture_content(app, FIXTURE_CONTENT)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    return root


# Test modules every search backend must pass: run once per backend (PostgreSQL's only when
# the suite runs on PostgreSQL).
SHARED_SEARCH_MODULES = {
    "test_search",
    "test_search_totals",
    "test_cross_language",
    "test_instant_search",
    "test_japanese_spelling",
    "test_snippets",
    "test_synonyms",
    "test_search_backends",
    "test_search_write_races",
}


def pytest_generate_tests(metafunc):
    module = metafunc.module.__name__.rpartition(".")[2]
    if module in SHARED_SEARCH_MODULES and "search_backend" in metafunc.fixturenames:
        metafunc.parametrize("search_backend", ["whoosh", "postgresql"], indirect=True)


@pytest.fixture
def search_backend(request) -> str:
    backend = getattr(request, "param", "whoosh")
    if backend == "postgresql" and not PG_URL:
        pytest.skip("the PostgreSQL search backend runs when HELPCENTER_TEST_DATABASE_URL is set")
    return backend


@pytest.fixture
def app(request, tmp_path, content_dir, prepared, search_backend):
    """Settings read once at start-up can be given with `@pytest.mark.app_config(NAME=value)`."""
    marker = request.node.get_closest_marker("app_config")
    if prepared:
        shutil.copyfile(prepared / "empty" / "test.sqlite3", tmp_path / "test.sqlite3")
    settings = {"SEARCH_BACKEND": search_backend, **(marker.kwargs if marker else {})}
    app = _testing_app(tmp_path, content_dir, settings)
    app.instance_path = str(tmp_path / "instance")
    if not prepared:
        with app.app_context():
            reset_postgres()
            db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def loaded_app(request, tmp_path, app, content_dir, prepared):
    """The app with the fixture content imported and indexed. On SQLite that import is the
    session's prepared copy, unless the test changed its content or settings first."""
    as_prepared = (
        prepared is not None
        and request.node.get_closest_marker("app_config") is None
        and _tree(content_dir) == _tree(FIXTURE_CONTENT)
    )
    if not as_prepared:
        _import_fixture_content(app, content_dir)
        return app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    for journal in ("test.sqlite3-wal", "test.sqlite3-shm"):
        (tmp_path / journal).unlink(missing_ok=True)
    shutil.copyfile(prepared / "loaded" / "test.sqlite3", tmp_path / "test.sqlite3")
    shutil.copytree(prepared / "loaded" / "index", tmp_path / "index", dirs_exist_ok=True)
    return app


@pytest.fixture
def client(loaded_app):
    return loaded_app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# -- accounts and mail ----------------------------------------------------------------------------


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


@pytest.fixture
def site(loaded_app) -> dict[str, dict[str, str]]:
    """One of each page type per role (the browser tests visit them all), with people, a thread
    and a content gap behind them."""
    for role in ("member", "staff", "admin"):
        make_user(loaded_app, f"{role}@example.com", role=role, name=f"Long Display Name {role}")
    with loaded_app.test_request_context():
        member = db.session.scalars(select(User).where(User.email == "member@example.com")).one()
        title = "なぜエクスポートしたCSVファイルの文字が化けるのですか"
        thread = posts.create_thread(
            author=member,
            title=title,
            body="文字化けします。",
            category_slug="account",
            kind="question",
        )
        article = db.session.scalars(select(Article).where(Article.slug == "reset-password")).one()
        failed = "gantt chart export to pdf"
        insert_rows([search_row(failed, f"v{n}", result_count=0) for n in range(3)])
        thread_id, article_id = thread.id, article.id
    public = {
        "home": "/",
        "search": "/search?q=password",
        "article": "/articles/en/reset-password",
        "article (ja)": "/articles/ja/password-reset",
        "video": "/videos/en/getting-started?t=20",
        "category": "/categories/account",
        "community": "/community/",
        "thread": f"/community/t/{thread_id}",
    }
    member_pages = public | {"ask form": "/community/new", "account": "/account/"}
    staff_pages = member_pages | {
        "staff dashboard": "/staff/",
        "gap inbox": "/staff/gaps",
        "editor": f"/staff/articles/{article_id}/edit",
    }
    return {
        "anonymous": public,
        "member": member_pages,
        "staff": staff_pages,
        "admin": staff_pages | {"admin users": "/admin/users"},
    }


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
