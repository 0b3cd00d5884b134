"""Every search is logged as DESIGN.md §4 defines it: result counts, clicks with rank, merges."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from helpcenter.extensions import db
from helpcenter.models import SearchClick, SearchEvent


def events(app):
    with app.app_context():
        return db.session.scalars(select(SearchEvent).order_by(SearchEvent.id)).all()


def test_zero_result_search_is_logged_with_result_count_zero(client, loaded_app):
    response = client.get("/search?q=qwertyuiop")
    assert response.status_code == 200
    assert "No articles match" in response.get_data(as_text=True)
    [event] = events(loaded_app)
    assert (event.query, event.result_count, event.source) == ("qwertyuiop", 0, "page")


def test_search_log_keeps_language_visitor_and_normalised_form(client, loaded_app):
    client.get("/search?q=ＰＡＳＳＷＯＲＤ！  Reset")
    client.get("/search?q=パスワード")
    first, second = events(loaded_app)
    assert first.normalized == "password reset"
    assert first.result_count >= 1
    assert second.lang == "ja"
    assert len(first.visitor_id) == 32 and first.visitor_id == second.visitor_id


def test_no_ip_address_is_stored(client, loaded_app):
    client.get("/search?q=password", environ_base={"REMOTE_ADDR": "203.0.113.77"})
    [event] = events(loaded_app)
    with loaded_app.app_context():
        row = db.session.execute(
            select(SearchEvent.__table__).where(SearchEvent.id == event.id)
        ).one()
    assert "203.0.113.77" not in repr(tuple(row))


def test_crawlers_are_flagged(client, loaded_app):
    client.get("/search?q=password", headers={"User-Agent": "Googlebot/2.1"})
    assert events(loaded_app)[0].is_crawler is True


def test_instant_searches_that_extend_each_other_are_merged(client, loaded_app):
    for partial in ("pa", "pass", "password"):
        client.get(f"/api/v1/search?q={partial}&source=instant")
    client.get("/search?q=password reset")
    [event] = events(loaded_app)
    assert (event.query, event.source) == ("password reset", "page")


def test_instant_searches_are_not_merged_after_five_seconds(client, loaded_app):
    client.get("/api/v1/search?q=pass&source=instant")
    with loaded_app.app_context():
        event = db.session.scalars(select(SearchEvent)).one()
        event.updated_at -= timedelta(seconds=6)
        db.session.commit()
    client.get("/api/v1/search?q=password&source=instant")
    assert [e.query for e in events(loaded_app)] == ["pass", "password"]


def test_a_different_query_is_a_new_search(client, loaded_app):
    client.get("/api/v1/search?q=password&source=instant")
    client.get("/api/v1/search?q=invoice&source=instant")
    assert len(events(loaded_app)) == 2


def test_other_visitors_are_never_merged(loaded_app):
    first, second = loaded_app.test_client(), loaded_app.test_client()
    first.get("/api/v1/search?q=pass&source=instant")
    second.get("/api/v1/search?q=password&source=instant")
    assert len(events(loaded_app)) == 2


def test_click_is_recorded_with_its_rank_and_redirects(client, loaded_app):
    data = client.get("/api/v1/search?q=password invoices").get_json()
    target = data["results"][1]["url"]
    response = client.get(
        "/search/click", query_string={"sid": data["search_id"], "rank": 2, "to": target}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == target
    with loaded_app.app_context():
        click = db.session.scalars(select(SearchClick)).one()
    assert (click.search_id, click.rank, click.target_url) == (data["search_id"], 2, target)


def test_result_links_on_the_search_page_go_through_the_click_counter(client):
    html = client.get("/search?q=password").get_data(as_text=True)
    assert "/search/click?sid=" in html and "rank=1" in html


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "http://evil.example",
        "//evil.example/path",
        "///evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "%2F%2Fevil.example",
        "/%2F%2Fevil.example",
        "/%5Cevil.example",
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "evil.example",
        "/\tevil",
        "",
    ],
)
def test_click_redirect_refuses_targets_off_this_site(client, loaded_app, target):
    response = client.get("/search/click", query_string={"sid": 1, "rank": 1, "to": target})
    assert response.status_code == 400
    assert "Location" not in response.headers
    with loaded_app.app_context():
        assert db.session.scalars(select(SearchClick)).first() is None


def test_api_returns_the_documented_shape(client):
    data = client.get("/api/v1/search?q=password&lang=en&per_page=1").get_json()
    assert set(data) >= {"query", "total", "page", "results", "search_id", "suggestion"}
    [result] = data["results"]
    assert set(result) >= {"type", "id", "slug", "lang", "title", "url", "snippet", "score"}
    assert (result["type"], result["lang"], result["slug"]) == ("article", "en", "reset-password")


def test_api_transcript_hit_links_to_the_time(client):
    data = client.get("/api/v1/search?q=calendar integration deadlines&type=video").get_json()
    assert data["results"][0]["url"] == "/videos/en/getting-started?t=40"


@pytest.mark.parametrize(
    "params",
    ["page=0", "page=abc", "per_page=500", "per_page=-1", "lang=fr", "type=forum", "source=robot"],
)
def test_api_rejects_bad_parameters_with_a_json_message(client, params):
    response = client.get(f"/api/v1/search?q=password&{params}")
    assert response.status_code == 400
    assert response.is_json and response.get_json()["error"]


def test_search_page_rejects_bad_parameters_with_a_message(client):
    response = client.get("/search?q=password&page=nope")
    assert response.status_code == 400
    assert "whole number" in response.get_data(as_text=True)


@pytest.mark.parametrize("params", ["page=nope", "per_page=500", "lang=fr", "type=forum"])
def test_a_japanese_reader_is_told_what_to_fix_in_japanese(client, params):
    response = client.get(f"/search?q=password&{params}", headers={"Accept-Language": "ja"})
    assert response.status_code == 400
    message = re.search(r'role="alert"[^>]*>\s*(.*?)\s*<', response.get_data(as_text=True))
    assert message and re.search(r"[\u3040-\u30ff]", message.group(1)), message
    api = client.get(f"/api/v1/search?q=password&{params}", headers={"Accept-Language": "ja"})
    assert re.search(r"[\u3040-\u30ff]", api.get_json()["error"])


def test_did_you_mean_is_offered_on_the_page_and_the_api(client):
    assert client.get("/api/v1/search?q=pasword").get_json()["suggestion"] == "password"
    assert "Did you mean" in client.get("/search?q=pasword").get_data(as_text=True)


def test_empty_query_is_not_logged(client, loaded_app):
    assert client.get("/search?q=").status_code == 200
    assert client.get("/api/v1/search?q=").get_json()["total"] == 0
    assert events(loaded_app) == []


def test_a_shared_results_link_logs_a_search_for_whoever_opens_it(loaded_app):
    from sqlalchemy import func, select

    from helpcenter.extensions import db
    from helpcenter.models import SearchEvent

    first = loaded_app.test_client()
    first.get("/search?q=invoice")
    with loaded_app.app_context():
        theirs = db.session.scalar(select(func.max(SearchEvent.id)))
    again = first.get(f"/search?q=invoice&sid={theirs}").get_data(as_text=True)  # their own: kept
    assert f"sid={theirs}" in again
    other = loaded_app.test_client().get(f"/search?q=invoice&sid={theirs}").get_data(as_text=True)
    with loaded_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SearchEvent)) == 2
        mine = db.session.scalar(select(func.max(SearchEvent.id)))
    assert f"sid={mine}" in other and f"sid={theirs}&" not in other


def test_the_api_refuses_an_unknown_source_in_the_readers_language(client):
    response = client.get("/api/v1/search?q=x&source=robot", headers={"Accept-Language": "ja"})
    assert response.status_code == 400 and "`source`" in response.get_json()["error"]
    assert re.search(r"[\u3040-\u30ff]", response.get_json()["error"])
