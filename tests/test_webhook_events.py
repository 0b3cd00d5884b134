"""Each webhook event is queued by the action that causes it, in its transaction: one delivery
per subscribed, enabled endpoint and none for the others; the unanswered-thread scan announces
each thread once."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from helpcenter.extensions import db
from helpcenter.models import Article, Job, User, WebhookDelivery, WebhookEndpoint
from helpcenter.models.base import utcnow
from helpcenter.models.content import STATUS_SCHEDULED
from helpcenter.search_index.gap_key import gap_key
from helpcenter.services.community import posts
from helpcenter.services.content import curation
from helpcenter.services.insights import gaps
from helpcenter.services.webhooks import events, scheduled
from tests.builders import csrf_token, insert_rows, make_user, search_row

ARTICLE = "/articles/en/reset-password"


@pytest.fixture
def hooks(loaded_app, receiver):
    """Three endpoints: `on` wants every event, `other` only goals, `off` every event but is
    disabled. Returns their ids."""
    make_user(loaded_app, "staff@example.com", role="staff")
    make_user(loaded_app, "asker@example.com")
    make_user(loaded_app, "helper@example.com")
    ids = {}
    with loaded_app.app_context():
        for name, types, enabled in (
            ("on", list(events.SUBSCRIBABLE), True),
            ("other", ["goal.status_changed"], True),
            ("off", list(events.SUBSCRIBABLE), False),
        ):
            endpoint = WebhookEndpoint(
                url=receiver.url, secret="whsec_t", event_types=types, enabled=enabled
            )
            db.session.add(endpoint)
            db.session.flush()
            ids[name] = endpoint.id
        db.session.commit()
    return ids


def deliveries(app, endpoint_id: int) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(WebhookDelivery.event_type)
                .where(WebhookDelivery.endpoint_id == endpoint_id)
                .order_by(WebhookDelivery.id)
            )
        )


def person(email: str) -> User:
    return db.session.scalars(select(User).where(User.email == email)).one()


def received(receiver) -> list[dict]:
    return [json.loads(r["body"]) for r in receiver.requests]


def test_publishing_an_article_queues_one_job_for_a_subscribed_endpoint_only(
    loaded_app, hooks, receiver
):
    with loaded_app.app_context():
        staff = person("staff@example.com")
        draft = curation.new_article("en")
        curation.save_article(
            staff,
            draft,
            curation.Fields("Rotate keys", "", "Like this.", "", None, "rotate-keys"),
            publish=False,
        )
        assert db.session.scalar(select(func.count()).select_from(WebhookDelivery)) == 0
        curation.save_article(
            staff,
            draft,
            curation.Fields("Rotate keys", "", "Like this.", "", None, "rotate-keys"),
            publish=True,
        )
        jobs_queued = db.session.scalar(
            select(func.count()).select_from(Job).where(Job.kind == "webhook")
        )
        assert jobs_queued == 1
    assert deliveries(loaded_app, hooks["on"]) == ["article.published"]
    assert deliveries(loaded_app, hooks["other"]) == deliveries(loaded_app, hooks["off"]) == []
    (body,) = received(receiver)
    assert body["data"]["title"] == "Rotate keys"
    assert body["data"]["url"] == "http://127.0.0.1:5000/articles/en/rotate-keys"


def test_a_scheduled_article_going_live_is_announced(loaded_app, hooks):
    with loaded_app.app_context():
        article = db.session.scalars(select(Article).where(Article.slug == "cancel-plan")).one()
        article.status, article.publish_at = STATUS_SCHEDULED, utcnow() - timedelta(minutes=1)
        db.session.commit()
        assert [a.slug for a in curation.publish_due()] == ["cancel-plan"]
    assert deliveries(loaded_app, hooks["on"]) == ["article.published"]


def test_accepting_an_answer_announces_the_thread_solved_once(loaded_app, hooks, receiver):
    with loaded_app.test_request_context():
        asker, helper = person("asker@example.com"), person("helper@example.com")
        thread = posts.create_thread(
            author=asker,
            title="Export a board?",
            body="How do I export?",
            category_slug=None,
            kind="question",
        )
        first = posts.reply(helper, thread, "Board menu, then Export.")
        second = posts.reply(helper, thread, "Or press E.")
        posts.accept(asker, thread, first)
        posts.accept(asker, thread, second)  # a different answer: still the same solved thread
        thread_id, first_id = thread.id, first.id
    assert deliveries(loaded_app, hooks["on"]) == ["thread.solved"]
    (body,) = received(receiver)
    assert body["data"]["id"] == thread_id
    assert body["data"]["accepted_answer_url"].endswith(f"/community/t/{thread_id}#p{first_id}")


def test_a_not_helpful_vote_is_announced_and_again_with_its_reason(
    client, loaded_app, hooks, receiver
):
    token = csrf_token(client.get(ARTICLE).get_data(as_text=True))
    client.post(f"{ARTICLE}/feedback", data={"csrf_token": token, "helpful": "yes"})
    assert deliveries(loaded_app, hooks["on"]) == []
    client.post(f"{ARTICLE}/feedback", data={"csrf_token": token, "helpful": "no"})
    client.post(
        f"{ARTICLE}/feedback",
        data={"csrf_token": token, "reason": "missing_steps", "comment": "Where is the link?"},
    )
    assert deliveries(loaded_app, hooks["on"]) == ["feedback.not_helpful"] * 2
    first, second = received(receiver)
    assert first["data"]["id"] == second["data"]["id"]
    assert (second["data"]["reason"], second["data"]["comment"]) == (
        "missing_steps",
        "Where is the link?",
    )
    assert second["data"]["article"]["url"] == f"http://127.0.0.1:5000{ARTICLE}"


def test_a_gap_reopened_by_staff_is_announced(loaded_app, hooks):
    with loaded_app.app_context():
        staff = person("staff@example.com")
        gaps.set_status(staff, "reset password", "dismissed", reason="Not ours")
        gaps.set_status(staff, "reset password", "open")
        gaps.set_status(staff, "reset password", "open")  # already open: nothing new
    assert deliveries(loaded_app, hooks["on"]) == ["gap.opened"]


def test_an_addressed_gap_whose_searches_fail_again_is_announced_once(loaded_app, hooks, receiver):
    key = gap_key("dark mode")
    with loaded_app.app_context():
        staff = person("staff@example.com")
        before = [
            search_row("dark mode", f"d{n}", ago=timedelta(days=3), result_count=0)
            for n in range(5)
        ]
        insert_rows(before)
        gap = gaps.set_status(staff, key, "addressed")
        gap.addressed_at = utcnow() - timedelta(days=2)
        db.session.commit()
        assert scheduled.emit_reopened_gaps() == 0  # nothing since the article yet
        after = [
            search_row("dark mode", f"e{n}", ago=timedelta(hours=1), result_count=0)
            for n in range(5)
        ]
        insert_rows(after)
        assert scheduled.emit_reopened_gaps() == 1
        db.session.commit()
        assert scheduled.emit_reopened_gaps() == 0
        db.session.commit()
    assert deliveries(loaded_app, hooks["on"]) == ["gap.opened"]
    (body,) = received(receiver)
    assert (body["data"]["key"], body["data"]["reason"]) == (key, "searches_fail_again")


def test_a_new_gap_is_announced_once_with_the_inbox_figures(loaded_app, hooks, receiver):
    key = gap_key("export invoices")
    with loaded_app.app_context():
        rows = [
            search_row("export invoices", f"x{n}", ago=timedelta(hours=2), result_count=0)
            for n in range(3)
        ]
        rows.append(search_row("Export invoices", "x0", ago=timedelta(hours=1), result_count=0))
        rows.append(
            search_row("export invoices", "x9", ago=timedelta(hours=3), clicked_at=utcnow())
        )
        insert_rows(rows)
        assert scheduled.emit_new_gaps() == 1
        db.session.commit()
        assert scheduled.emit_new_gaps() == 0  # the second scan: already announced
        db.session.commit()
    assert deliveries(loaded_app, hooks["on"]) == ["gap.opened"]
    (body,) = received(receiver)
    data = body["data"]
    # 5 searches, 4 failed (the clicked one succeeded), by 3 people (x0 twice; x9 succeeded)
    assert (data["key"], data["reopened"], data["reason"]) == (key, False, "new")
    assert (data["searches"], data["failed"], data["visitors"]) == (5, 4, 3)


def test_a_gap_below_the_inbox_threshold_or_dismissed_is_not_announced(loaded_app, hooks):
    with loaded_app.app_context():
        staff = person("staff@example.com")
        found = [
            search_row("dark mode", f"d{n}", ago=timedelta(hours=1), clicked_at=utcnow())
            for n in range(4)
        ]
        insert_rows(found)  # every search found its answer: no failed search, not a gap
        gaps.set_status(staff, gap_key("reset password"), "dismissed", reason="Not ours")
        insert_rows([search_row("reset password", "r1", ago=timedelta(hours=1), result_count=0)])
        assert scheduled.emit_new_gaps() == 0
        db.session.commit()
    assert deliveries(loaded_app, hooks["on"]) == []


def test_a_gap_reopened_by_staff_is_not_announced_again_as_new(loaded_app, hooks, receiver):
    key = gap_key("reset password")
    with loaded_app.app_context():
        staff = person("staff@example.com")
        insert_rows([search_row("reset password", "r1", ago=timedelta(hours=1), result_count=0)])
        gaps.set_status(staff, key, "dismissed", reason="Not ours")
        gaps.set_status(staff, key, "open")
        assert scheduled.emit_new_gaps() == 0
        db.session.commit()
    assert deliveries(loaded_app, hooks["on"]) == ["gap.opened"]
    (body,) = received(receiver)
    assert (body["data"]["reopened"], body["data"]["reason"]) == (True, "staff")


def test_a_question_unanswered_for_24_hours_is_announced_once(loaded_app, hooks, receiver):
    with loaded_app.test_request_context():
        asker, helper = person("asker@example.com"), person("helper@example.com")
        waiting = posts.create_thread(
            author=asker, title="Nobody answers", body="Hello?", category_slug=None, kind="question"
        )
        young = posts.create_thread(
            author=asker, title="Just asked", body="Hello?", category_slug=None, kind="question"
        )
        answered = posts.create_thread(
            author=asker, title="Answered", body="Hello?", category_slug=None, kind="question"
        )
        posts.reply(helper, answered, "Here you go.")
        talk = posts.create_thread(
            author=asker,
            title="A discussion",
            body="Thoughts?",
            category_slug=None,
            kind="discussion",
        )
        for thread, hours in ((waiting, 25), (young, 23), (answered, 25), (talk, 25)):
            thread.created_at = utcnow() - timedelta(hours=hours)
        db.session.commit()
        waiting_id = waiting.id
    for _ in range(2):
        with loaded_app.app_context():
            scheduled.emit_unanswered()
            db.session.commit()
    assert deliveries(loaded_app, hooks["on"]) == ["thread.unanswered"]
    assert [b["data"]["id"] for b in received(receiver)] == [waiting_id]


def test_the_unanswered_scan_is_a_job_requests_start(loaded_app, hooks):
    with loaded_app.app_context():
        thread = posts.create_thread(
            author=person("asker@example.com"),
            title="Still waiting",
            body="Hello?",
            category_slug=None,
            kind="question",
        )
        thread.created_at = utcnow() - timedelta(hours=30)
        db.session.commit()
    loaded_app.test_client().get("/")  # the first request of a process runs the periodic jobs
    assert deliveries(loaded_app, hooks["on"]) == ["thread.unanswered"]
    with loaded_app.app_context():
        scan = db.session.scalars(select(Job).where(Job.kind == scheduled.KIND)).one()
        assert scan.status == "done"


def test_a_rolled_back_change_sends_nothing(loaded_app, hooks, receiver):
    with loaded_app.app_context():
        article = db.session.scalars(select(Article)).first()
        events.article_published(article)
        assert db.session.scalar(select(func.count()).select_from(WebhookDelivery)) == 1
        db.session.rollback()
    assert deliveries(loaded_app, hooks["on"]) == []
    assert receiver.requests == []


def test_a_goal_whose_status_changes_is_announced_once_per_change(loaded_app, hooks, receiver):
    from datetime import date

    from helpcenter.models import Goal
    from helpcenter.models.goals import Direction, GoalStatus
    from helpcenter.services.insights import goals

    with loaded_app.app_context():
        staff = db.session.scalars(select(User).where(User.email == "staff@example.com")).one()
        fields = goals.GoalFields(
            metric="search_success",
            direction=Direction.AT_LEAST,
            target=0.8,
            start_date=date.today() - timedelta(days=7),
            deadline=date.today() + timedelta(days=90),
            owner=staff,
        )
        goal_id = goals.create(staff, fields).id
        goal = db.session.get(Goal, goal_id)
        first = goal.status
        goals.record_status(goal, GoalStatus(first))  # unchanged: nothing sent
        other = GoalStatus.MISSED if first != GoalStatus.MISSED else GoalStatus.ACHIEVED
        goals.record_status(goal, other)
        db.session.commit()
    assert deliveries(loaded_app, hooks["other"]) == ["goal.status_changed"] * 2
    assert deliveries(loaded_app, hooks["off"]) == []
    with loaded_app.app_context():
        bodies = db.session.scalars(
            select(WebhookDelivery.body)
            .where(WebhookDelivery.endpoint_id == hooks["other"])
            .order_by(WebhookDelivery.id)
        ).all()
    sent = [json.loads(body)["data"] for body in bodies]
    assert [(d["old_status"], d["status"]) for d in sent] == [(None, first), (first, other)]
    assert sent[1]["url"].endswith(f"/staff/goals/{goal_id}")
