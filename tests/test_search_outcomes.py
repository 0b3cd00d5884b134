"""What became of each search (DESIGN.md §4) is written as it happens: click, read, rating,
reformulation, escalation; and near-identical queries share a gap key."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from helpcenter.extensions import db
from helpcenter.models import SearchClick, SearchEvent
from helpcenter.search_index.gap_key import gap_key
from tests.builders import ask, csrf_token, member, sign_in


def searches(app):
    with app.app_context():
        return db.session.scalars(select(SearchEvent).order_by(SearchEvent.id)).all()


def age(app, seconds):
    """Pretend every search so far happened `seconds` earlier."""
    with app.app_context():
        for event in db.session.scalars(select(SearchEvent)):
            event.created_at -= timedelta(seconds=seconds)
            event.updated_at -= timedelta(seconds=seconds)
        db.session.commit()


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("reset password", "How do I reset my password?"),
        ("Password resets", "password  RESET"),
        ("パスワードを忘れた", "ﾊﾟｽﾜｰﾄﾞ　忘れる"),
        ("請求書をダウンロードしたい", "請求書 ダウンロード"),
    ],
)
def test_near_identical_queries_share_a_gap_key(a, b):
    assert gap_key(a) == gap_key(b)


def test_different_questions_keep_different_keys():
    assert gap_key("reset password") != gap_key("reset workspace")
    assert gap_key("請求書") != gap_key("領収書")


def test_a_no_click_search_followed_soon_by_another_is_reformulated(client, loaded_app):
    client.get("/search?q=password")
    age(loaded_app, 60)
    client.get("/search?q=invoices")
    first, second = searches(loaded_app)
    assert first.reformulated and not second.reformulated


def test_no_reformulation_after_a_click_or_after_two_minutes(client, loaded_app):
    data = client.get("/api/v1/search?q=password").get_json()
    client.get(
        "/search/click",
        query_string={"sid": data["search_id"], "rank": 1, "to": data["results"][0]["url"]},
    )
    client.get("/search?q=invoices")
    age(loaded_app, 180)
    client.get("/search?q=workspace tour")
    assert [s.reformulated for s in searches(loaded_app)] == [False, False, False]


def test_zero_result_searches_are_not_reformulations(client, loaded_app):
    client.get("/search?q=qwertyuiop")
    client.get("/search?q=password")
    assert searches(loaded_app)[0].reformulated is False


def test_click_then_helpful_vote_completes_the_funnel(client, loaded_app):
    data = client.get("/api/v1/search?q=reset password&lang=en").get_json()
    target = data["results"][0]["url"]
    client.get("/search/click", query_string={"sid": data["search_id"], "rank": 1, "to": target})
    page = client.get(target).get_data(as_text=True)
    client.post(f"{target}/feedback", data={"csrf_token": csrf_token(page), "helpful": "yes"})
    [search] = searches(loaded_app)
    assert (
        search.clicked_at is not None
        and search.read_article_id is not None
        and search.rated_helpful is True
    )


def test_a_thread_escalates_the_visitors_recent_search(loaded_app):
    asker = member(loaded_app)
    asker.get("/search?q=gantt export")
    ask(asker, title="How do I export a gantt chart?")  # without the search id
    [search] = searches(loaded_app)
    assert search.escalated == "thread"


def test_an_old_search_is_not_escalated(loaded_app):
    asker = member(loaded_app)
    asker.get("/search?q=gantt export")
    age(loaded_app, 31 * 60)
    ask(asker, title="How do I export a gantt chart?")
    assert searches(loaded_app)[0].escalated is None


def test_a_support_request_escalates_the_search_it_came_from(client, loaded_app):
    client.get("/search?q=refund")
    page = client.get("/support/contact").get_data(as_text=True)
    client.post(
        "/support/contact",
        data={
            "csrf_token": csrf_token(page),
            "name": "Ken",
            "email": "ken@example.com",
            "subject": "refund please",
            "message": "I was charged twice this month.",
        },
    )
    assert searches(loaded_app)[0].escalated == "support"


def test_someone_elses_search_id_does_not_escalate_their_search(loaded_app):
    loaded_app.test_client().get("/search?q=gantt export")  # a stranger's search
    [theirs] = searches(loaded_app)
    asker = member(loaded_app)
    ask(asker, title="How do I export a gantt chart?", search_id=str(theirs.id))
    assert searches(loaded_app)[0].escalated is None


def test_a_click_on_someone_elses_search_does_not_write_their_outcome(client, loaded_app):
    data = client.get("/api/v1/search?q=reset password&lang=en").get_json()
    target = data["results"][0]["url"]
    stranger = loaded_app.test_client()
    response = stranger.get(
        "/search/click", query_string={"sid": data["search_id"], "rank": 1, "to": target}
    )
    assert response.status_code == 303  # the stranger still gets where they were going
    page = stranger.get(target).get_data(as_text=True)
    stranger.post(f"{target}/feedback", data={"csrf_token": csrf_token(page), "helpful": "no"})
    [search] = searches(loaded_app)
    assert (search.clicked_at, search.read_article_id, search.rated_helpful) == (None, None, None)
    with loaded_app.app_context():
        assert db.session.scalars(select(SearchClick)).all() == []


def test_the_same_member_may_continue_their_search_on_another_device(loaded_app):
    laptop = member(loaded_app)
    data = laptop.get("/api/v1/search?q=reset password&lang=en").get_json()
    phone = loaded_app.test_client()
    sign_in(phone, "asker@example.com")
    target = data["results"][0]["url"]
    phone.get("/search/click", query_string={"sid": data["search_id"], "rank": 1, "to": target})
    [search] = searches(loaded_app)
    assert search.clicked_at is not None
