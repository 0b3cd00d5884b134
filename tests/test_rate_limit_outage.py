"""When the rate-limit storage stops answering (Redis restarting, unreachable), pages keep
working and the limits keep applying, counted in each process's memory until it is back."""

import socket

import pytest

from helpcenter import create_app
from helpcenter.config import TestingConfig
from helpcenter.extensions import db


def closed_port() -> int:
    """A loopback port nothing listens on: connecting to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def client_with_dead_storage(tmp_path):
    app = create_app(
        TestingConfig,
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'outage.sqlite3'}",
            "SEARCH_INDEX_DIR": str(tmp_path / "index"),
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{closed_port()}/0",
        },
    )
    with app.app_context():
        db.create_all()
    yield app.test_client()
    with app.app_context():
        db.engine.dispose()


def test_pages_answer_while_the_rate_limit_storage_is_down(client_with_dead_storage):
    for path in ("/", "/signin", "/reset", "/api/v1/search?q="):
        assert client_with_dead_storage.get(path).status_code == 200, path


def test_the_limits_still_apply_in_memory_while_it_is_down(client_with_dead_storage):
    statuses = [client_with_dead_storage.get("/api/v1/search?q=").status_code for _ in range(121)]
    assert statuses[:120] == [200] * 120 and statuses[120] == 429
