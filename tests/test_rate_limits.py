"""Rate limits on account forms and the search API: in the database by default, in memory or
Redis if set."""

import uuid

import pytest

from helpcenter import create_app
from helpcenter.config import TestingConfig
from helpcenter.extensions import db
from tests.builders import csrf_token, redis_running

STORAGES = [
    "database://",
    "memory://",
    pytest.param(
        "redis://127.0.0.1:6379/0",
        marks=pytest.mark.skipif(not redis_running(), reason="no Redis server on 127.0.0.1:6379"),
    ),
]


@pytest.fixture(params=STORAGES)
def limited_client(request, tmp_path):
    app = create_app(
        TestingConfig,
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'rl.sqlite3'}",
            "SEARCH_INDEX_DIR": str(tmp_path / "index"),
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": request.param,
            "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}",  # a clean slate in a shared Redis
        },
    )
    with app.app_context():
        db.create_all()
    yield app.test_client()
    with app.app_context():
        db.engine.dispose()


def test_password_reset_requests_are_rate_limited(limited_client):
    token = csrf_token(limited_client.get("/reset").get_data(as_text=True))
    statuses = [
        limited_client.post(
            "/reset", data={"csrf_token": token, "email": f"x{i}@example.com"}
        ).status_code
        for i in range(6)
    ]
    assert statuses == [200] * 5 + [429]
    page = limited_client.post("/reset", data={"csrf_token": token, "email": "y@example.com"})
    assert "Too many attempts" in page.get_data(as_text=True)


def test_sign_up_is_rate_limited(limited_client):
    token = csrf_token(limited_client.get("/signup").get_data(as_text=True))
    statuses = [
        limited_client.post(
            "/signup",
            data={
                "csrf_token": token,
                "email": f"p{i}@example.com",
                "display_name": "P",
                "password": "x",
            },
        ).status_code
        for i in range(6)
    ]
    assert statuses[-1] == 429 and 429 not in statuses[:5]


def test_search_api_is_rate_limited_with_a_json_answer(limited_client):
    statuses = [limited_client.get("/api/v1/search?q=").status_code for _ in range(121)]
    assert statuses[:120] == [200] * 120
    last = limited_client.get("/api/v1/search?q=")
    assert last.status_code == 429 and last.is_json and last.get_json()["error"]


def test_article_feedback_is_rate_limited(limited_client):
    """A "No" with a comment emails the article's owner: one client cannot flood them."""
    token = {"csrf_token": csrf_token(limited_client.get("/signin").get_data(as_text=True))}
    statuses = [
        limited_client.post("/articles/en/any/feedback", data=token).status_code for _ in range(31)
    ]
    assert 429 not in statuses[:30] and statuses[30] == 429


def test_the_search_page_is_rate_limited_like_the_api(limited_client):
    statuses = [limited_client.get("/search?q=").status_code for _ in range(121)]
    assert statuses[:120] == [200] * 120 and statuses[120] == 429
    assert "Too many attempts" in limited_client.get("/search?q=").get_data(as_text=True)


def test_instant_results_have_their_own_allowance_for_typing(limited_client):
    """As-you-type searches get 240 a minute, counted apart from the API's 120."""
    limited_client.environ_base["REMOTE_ADDR"] = "192.0.2.7"  # counters of its own
    instant = "/api/v1/search?source=instant&q="
    statuses = [limited_client.get(instant).status_code for _ in range(241)]
    assert statuses[:240] == [200] * 240 and statuses[240] == 429
    assert limited_client.get("/api/v1/search?q=").status_code == 200
