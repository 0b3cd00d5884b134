"""`/healthz`: what a load balancer asks each server before sending it readers."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from helpcenter import create_app
from helpcenter.config import TestingConfig
from helpcenter.extensions import db
from helpcenter.models import ArticleView, SearchEvent
from tests.environment import PG_URL


def test_a_server_with_its_database_and_index_is_healthy(client, loaded_app):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "search": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


def test_the_health_check_sets_no_cookie_and_records_nothing(client, loaded_app):
    for _ in range(3):
        response = client.get("/healthz", headers={"User-Agent": "ELB-HealthChecker/2.0"})
        assert "Set-Cookie" not in response.headers
    with loaded_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ArticleView)) == 0
        assert db.session.scalar(select(func.count()).select_from(SearchEvent)) == 0


@pytest.mark.app_config(RATELIMIT_ENABLED=True, RATELIMIT_DEFAULT="100 per minute")
def test_the_health_check_is_never_rate_limited(client):
    """Not even by a limit an operator sets on every page (HELPCENTER_RATELIMIT_DEFAULT)."""
    statuses = {client.get("/healthz").status_code for _ in range(150)}
    assert statuses == {200}
    assert client.get("/").headers.get("X-RateLimit-Limit") == "100"  # the limit is on


def test_a_server_without_a_search_index_is_unavailable(app):
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {
        "status": "unavailable",
        "database": "ok",
        "search": "unavailable",
    }


def test_a_server_that_cannot_reach_its_database_is_unavailable(loaded_app, tmp_path):
    unreachable = (
        PG_URL.rsplit("/", 1)[0] + "/no_such_database_for_healthz"
        if PG_URL
        else f"sqlite:///{tmp_path / 'missing-folder' / 'helpcenter.sqlite3'}"
    )
    cut_off = create_app(
        TestingConfig,
        {
            "SQLALCHEMY_DATABASE_URI": unreachable,
            "SEARCH_INDEX_DIR": loaded_app.config["SEARCH_INDEX_DIR"],
        },
    )
    cut_off.instance_path = str(tmp_path / "instance-cut-off")
    response = cut_off.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {
        "status": "unavailable",
        "database": "unavailable",
        "search": "ok",
    }
    body = response.get_data(as_text=True)
    assert "no_such_database" not in body and "missing-folder" not in body  # says what, not where
    with cut_off.app_context():
        db.engine.dispose()


@pytest.mark.app_config(TRUSTED_HOSTS=["help.example.com"])
def test_a_load_balancer_may_ask_by_the_servers_address(client):
    """Load balancers name the server by address; every other page still refuses that Host."""
    assert client.get("/healthz", headers={"Host": "10.0.0.5:8000"}).status_code == 200
    assert client.get("/", headers={"Host": "10.0.0.5:8000"}).status_code == 400
