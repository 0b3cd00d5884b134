"""Rate limits count once per site: two server processes on one database share one count, in the
database by default and in Redis when configured; memory:// (the old default) counts apart."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from helpcenter.extensions import db
from helpcenter.models import RateLimitCounter
from tests.builders import redis_running

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 120  # the search API's, a minute per client address
EACH = 100  # requests per process: together past the limit, alone within it

# One server process: its own app on the shared database; all requests start at the same moment.
SERVER = """
import json, os, sys, time
from helpcenter import create_app
from helpcenter.config import TestingConfig
app = create_app(TestingConfig, json.loads(os.environ["SETTINGS"]))
app.instance_path = os.environ["INSTANCE"]
client = app.test_client()
time.sleep(max(0.0, float(os.environ["START_AT"]) - time.time()))
codes = [client.get("/api/v1/search?q=invoice").status_code for _ in range(int(os.environ["EACH"]))]
print(json.dumps(codes))
"""


def _two_servers(app, tmp_path, storage: str) -> list[int]:
    """Every status code both processes got, their requests interleaved in time."""
    settings = {
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "SEARCH_INDEX_DIR": app.config["SEARCH_INDEX_DIR"],
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": storage,
        "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}",  # a clean slate in a shared Redis
    }
    start_at = time.time() + 4  # both have imported the app by then
    servers = [
        subprocess.Popen(
            [sys.executable, "-c", SERVER],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            env={
                **os.environ,
                "SETTINGS": json.dumps(settings),
                "INSTANCE": str(tmp_path / f"instance-{name}"),
                "START_AT": str(start_at),
                "EACH": str(EACH),
            },
        )
        for name in ("a", "b")
    ]
    codes: list[int] = []
    for server in servers:
        out, _ = server.communicate(timeout=120)
        assert server.returncode == 0
        codes += json.loads(out)
    return codes


def test_two_processes_share_one_count_in_the_database(app, tmp_path):
    codes = _two_servers(app, tmp_path, "database://")
    assert len(codes) == 2 * EACH
    assert codes.count(429) == 2 * EACH - LIMIT
    with app.app_context():
        keys = db.session.scalars(select(RateLimitCounter.key)).all()
    assert keys and not any("127.0.0.1" in key for key in keys)  # the address is not stored


@pytest.mark.skipif(not redis_running(), reason="no Redis server on 127.0.0.1:6379")
def test_two_processes_share_one_count_in_redis(app, tmp_path):
    codes = _two_servers(app, tmp_path, "redis://127.0.0.1:6379/0")
    assert codes.count(429) == 2 * EACH - LIMIT


def test_in_memory_each_process_counts_alone(app, tmp_path):
    """Why memory:// is no longer the default: two processes let twice the limit through."""
    codes = _two_servers(app, tmp_path, "memory://")
    assert 429 not in codes


def _search_as(client, address: str) -> int:
    return client.get("/api/v1/search?q=invoice", headers={"X-Forwarded-For": address}).status_code


@pytest.mark.app_config(RATELIMIT_ENABLED=True, BEHIND_PROXIES=1)
def test_behind_a_proxy_each_client_address_has_its_own_count(client):
    assert [_search_as(client, "203.0.113.7") for _ in range(LIMIT + 1)][-1] == 429
    assert _search_as(client, "198.51.100.9") == 200  # another customer is not refused


@pytest.mark.app_config(RATELIMIT_ENABLED=True)
def test_without_the_proxy_setting_a_forwarded_address_is_not_believed(client):
    """Without HELPCENTER_BEHIND_PROXIES a client could dodge its limit by naming another."""
    assert [_search_as(client, f"203.0.113.{i}") for i in range(LIMIT + 1)][-1] == 429
