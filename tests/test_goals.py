"""KPI targets and the self-service score, checked against traffic counted by hand."""

from datetime import date, timedelta

import pytest
from sqlalchemy import insert, select

from helpcenter.extensions import db
from helpcenter.models import (
    Article,
    ArticleView,
    AuditEntry,
    Goal,
    HelpfulVote,
    SupportRequest,
    Thread,
    User,
)
from helpcenter.models.base import utcnow
from helpcenter.models.goals import Direction, GoalStatus
from helpcenter.services.content import attention, catalog
from helpcenter.services.insights import goal_movers, goal_report, goals, measures, self_service
from tests.builders import csrf_token, insert_rows, make_user, member, search_row, sign_in

DAY = timedelta(days=1)


def request_row(visitor, ago, lang="en"):
    return {
        "name": "Kim",
        "email": "kim@example.com",
        "subject": "Help",
        "message": "Please help.",
        "lang": lang,
        "visitor_id": visitor,
        "created_at": utcnow() - ago,
    }


def view_row(article_id, visitor, ago, staff=False):
    return {
        "article_id": article_id,
        "visitor_id": visitor,
        "is_crawler": False,
        "is_staff": staff,
        "created_at": utcnow() - ago,
    }


def page_id(slug):
    return db.session.scalars(
        select(Article.id).where(Article.slug == slug, Article.lang == "en")
    ).first()


def test_self_service_score_matches_a_hand_count(loaded_app):
    with loaded_app.app_context():
        reset = page_id("reset-password")
        billing = catalog.category("billing")
        invoices = page_id("download-invoices")
        assert db.session.get(Article, invoices).category_id == billing.id
        insert_rows(
            [
                search_row(
                    "reset", "a", ago=3 * DAY, result_count=4
                ),  # a: searched (results), then contacted
                search_row(
                    "refund", "b", ago=2 * DAY, result_count=0
                ),  # b: searched (nothing), then contacted
                search_row("x", "c", ago=2 * DAY),  # c: searched only
                search_row("staff", "s", ago=2 * DAY, is_staff=True),  # staff: not counted
                search_row("bot", "bot", ago=2 * DAY, is_crawler=True),  # crawler: not counted
                search_row("later", "d", ago=DAY),  # d contacted *before* this search
            ]
        )
        db.session.execute(
            insert(ArticleView),
            [
                view_row(reset, "c", 2 * DAY),  # c again: still one person
                view_row(invoices, "e", 4 * DAY),  # e: read a billing page, then contacted
                view_row(reset, "staff-reader", 2 * DAY, staff=True),  # staff: not counted
            ],
        )
        db.session.execute(
            insert(SupportRequest),
            [
                request_row("a", 3 * DAY - timedelta(minutes=5)),
                request_row("a", 2 * DAY),  # a twice: one person, two requests
                request_row("b", 2 * DAY - timedelta(minutes=1)),
                request_row("d", 2 * DAY),
                request_row("e", 3 * DAY),
                request_row("f", 40 * DAY),  # before the period
            ],
        )
        db.session.commit()
        result = self_service.measure(measures.filters_for(30))
        # users: a, b, c, d (searched), e (read) = 5; contacts: a, b, d, e = 4
        assert (result.users, result.contacts) == (5, 4)
        assert result.score == pytest.approx(5 / 4)
        # 5 requests; preceded by a search: a, a, b = 3; latest search had results: a, a = 2
        assert (result.requests, result.after_search, result.with_results) == (5, 3, 2)
        assert result.searched_share == pytest.approx(
            3 / 5
        ) and result.results_share == pytest.approx(2 / 3)
        # the billing topic: only e read a billing page, and only e contacted support after one
        topic = self_service.measure(measures.filters_for(30, category=billing))
        assert (topic.users, topic.contacts, topic.score) == (1, 1, 1.0)
        # nobody contacted support: no score, no division by zero
        quiet = self_service.measure(measures.filters_for(30, lang="ja"))
        assert (quiet.contacts, quiet.score, quiet.searched_share, quiet.results_share) == (
            0,
            None,
            None,
            None,
        )


@pytest.fixture
def staff_client(loaded_app):
    return member(loaded_app, "staff@example.com", role="staff", name="Sato", lang="ja")


def new_goal(app, **fields):
    with app.app_context():
        owner = db.session.scalars(select(User).where(User.email == "staff@example.com")).one()
        values = {"note": "Fewer tickets per customer."} | fields
        return goals.create(owner, goals.GoalFields(owner=owner, **values)).id


def plant_met_and_missed(app):
    """Goal "met": success ≥ 60 % (last 7 days: 7 of 10 succeed = 70 %).
    Goal "missed": zero-result ≤ 10 % by a deadline 10 days ago (its last week: 4 of 10 = 40 %)."""
    today = utcnow().date()
    with app.app_context():
        now = utcnow()
        rows = [search_row("ok", f"m{n}", ago=2 * DAY, clicked_at=now) for n in range(7)]
        rows += [search_row("no", f"n{n}", ago=2 * DAY, result_count=0) for n in range(3)]
        rows += [
            search_row("old", f"o{n}", ago=13 * DAY, result_count=0 if n < 4 else 5)
            for n in range(10)
        ]
        insert_rows(rows)
    met = new_goal(
        app,
        metric="search_success",
        direction=Direction.AT_LEAST,
        target=0.6,
        start_date=today - 28 * DAY,
        deadline=today + 30 * DAY,
    )
    missed = new_goal(
        app,
        metric="zero_result",
        direction=Direction.AT_MOST,
        target=0.1,
        start_date=today - 60 * DAY,
        deadline=today - 10 * DAY,
    )
    return met, missed


def test_one_goal_met_and_one_missed_with_hand_counted_figures(loaded_app, staff_client):
    met, missed = plant_met_and_missed(loaded_app)
    with loaded_app.app_context():
        met_report = goals.progress(db.session.get(Goal, met))
        assert met_report.status is GoalStatus.ACHIEVED and met_report.current == pytest.approx(0.7)
        # exactly the dashboard's figure for the last 7 days
        assert met_report.current == pytest.approx(
            measures.funnel(measures.filters_for(7)).success_rate
        )
        missed_report = goals.progress(db.session.get(Goal, missed))
        # the deadline day counts: its last week is days 17..10 ago, holding the 10 "old" searches
        assert missed_report.status is GoalStatus.MISSED and missed_report.current == pytest.approx(
            0.4
        )
        assert db.session.get(Goal, met).status == "achieved"  # stored when saved
    page = staff_client.get(f"/staff/goals/{met}").get_data(as_text=True)
    assert "70.0%" in page and "goal-achieved" in page and '<svg class="chart"' in page
    dashboard = staff_client.get("/staff/?days=7").get_data(as_text=True)
    assert "goal-achieved" in dashboard and "goal-missed" in dashboard and "70.0%" in dashboard
    listing = staff_client.get("/staff/goals").get_data(as_text=True)
    assert "達成" in listing and "未達" in listing  # the staff member reads Japanese


@pytest.mark.parametrize(
    ("current", "expected", "projected", "passed", "status"),
    [
        (0.80, 0.70, None, False, GoalStatus.ACHIEVED),
        (0.72, 0.70, None, False, GoalStatus.ON_TRACK),  # above the line
        (0.65, 0.70, 0.81, False, GoalStatus.ON_TRACK),  # below the line, the trend gets there
        (0.65, 0.70, 0.75, False, GoalStatus.AT_RISK),
        (None, None, None, False, GoalStatus.AT_RISK),  # nothing to measure
        (0.79, 0.80, None, True, GoalStatus.MISSED),
    ],
)
def test_status_rules(current, expected, projected, passed, status):
    goal = Goal(direction=Direction.AT_LEAST, target=0.8)
    assert (
        goals.judge(
            goal, current=current, expected=expected, projected=projected, deadline_passed=passed
        )
        is status
    )
    at_most = Goal(direction=Direction.AT_MOST, target=0.2)
    assert (
        goals.judge(at_most, current=0.25, expected=0.26, projected=None, deadline_passed=False)
        is GoalStatus.ON_TRACK
    )


def test_trend_line_and_fit_by_hand(loaded_app, staff_client):
    """Start 21 days ago: weekly success 20 %, 40 %, 60 % (one search each day group), target
    90 % by day 35. The line from 20 % (week before the start) reaches 90 % at day 36; today
    (day 21) it expects 20 + 70 × 21/36 = 60.8 %; now is 60 %: below. The fit through the weeks
    (days 7, 14, 21: 20, 40, 60) reaches 20 + 20/7 × (36 − 7)... ≥ 90 %: on track."""
    today = utcnow().date()
    start = today - 21 * DAY
    with loaded_app.app_context():
        now = utcnow()
        rows = []
        for week, good in ((-1, 2), (0, 2), (1, 4), (2, 6)):
            at = timedelta(days=21 - 7 * week - 3)
            rows += [
                search_row("q", f"w{week}-{n}", ago=at, clicked_at=now if n < good else None)
                for n in range(10)
            ]
        insert_rows(rows)
    goal_id = new_goal(
        loaded_app,
        metric="search_success",
        direction=Direction.AT_LEAST,
        target=0.9,
        start_date=start,
        deadline=today + 14 * DAY,
    )
    with loaded_app.app_context():
        report = goals.progress(db.session.get(Goal, goal_id))
        assert report.start_value == pytest.approx(0.2)
        assert [round(w.value, 2) for w in report.weeks] == [0.2, 0.4, 0.6]
        assert report.current == pytest.approx(0.6)
        midnight_now = (
            utcnow() - utcnow().replace(hour=0, minute=0, second=0, microsecond=0)
        ).total_seconds() / 86400
        assert report.expected == pytest.approx(0.2 + 0.7 * (21 + midnight_now) / 36)
        assert report.projected > 0.9 and report.status is GoalStatus.ON_TRACK


def test_staff_create_edit_and_archive_goals_audited(loaded_app, staff_client):
    page = staff_client.get("/staff/goals/new").get_data(as_text=True)
    form = {
        "csrf_token": csrf_token(page),
        "metric": "search_success",
        "lang": "",
        "category": "",
        "direction": "at_least",
        "target": "80",
        "start_date": "2026-01-01",
        "deadline": "2026-03-31",
        "owner": "1",
        "note": "Fewer tickets.",
    }
    with loaded_app.app_context():
        form["owner"] = str(db.session.scalars(select(User.id)).one())
    bad = staff_client.post("/staff/goals/new", data=form | {"deadline": "2025-12-01"})
    assert bad.status_code == 400 and "期限は開始日より後" in bad.get_data(as_text=True)
    bad = staff_client.post("/staff/goals/new", data=form | {"target": "120"})
    assert bad.status_code == 400 and "0 から 100" in bad.get_data(as_text=True)
    bad = staff_client.post("/staff/goals/new", data=form | {"category": "billing"})
    assert bad.status_code == 400 and "トピック" in bad.get_data(as_text=True)
    bad = staff_client.post(
        "/staff/goals/new", data=form | {"metric": "unanswered", "target": "2.5"}
    )
    assert bad.status_code == 400
    saved = staff_client.post("/staff/goals/new", data=form)
    assert saved.status_code == 303
    with loaded_app.app_context():
        goal = db.session.scalars(select(Goal)).one()
        assert (goal.target, goal.deadline, goal.note) == (0.8, date(2026, 3, 31), "Fewer tickets.")
    edit = staff_client.get(f"/staff/goals/{goal.id}/edit").get_data(as_text=True)
    assert 'value="80.0"' in edit
    staff_client.post(
        f"/staff/goals/{goal.id}/edit", data=form | {"target": "85", "csrf_token": csrf_token(edit)}
    )
    archived = staff_client.post(
        f"/staff/goals/{goal.id}/archive", data={"csrf_token": csrf_token(edit)}
    )
    assert archived.status_code == 303
    with loaded_app.app_context():
        goal = db.session.get(Goal, goal.id)
        assert goal.target == 0.85 and goal.archived_at is not None
        actions = [a.action for a in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
        assert (
            actions[:1] == ["goal.create"]
            and "goal.update" in actions
            and actions[-1] == "goal.archive"
        )
    assert staff_client.get("/staff/goals/9999").status_code == 404


def test_members_cannot_see_or_change_goals(loaded_app, staff_client):
    today = utcnow().date()
    goal_id = new_goal(
        loaded_app,
        metric="solved_rate",
        direction=Direction.AT_LEAST,
        target=0.5,
        start_date=today,
        deadline=today + 30 * DAY,
    )
    make_user(loaded_app, "member@example.com")
    member = loaded_app.test_client()
    sign_in(member, "member@example.com")
    assert member.get("/staff/goals").status_code == 403
    assert member.get(f"/staff/goals/{goal_id}").status_code == 403
    token = csrf_token(member.get("/signin").get_data(as_text=True))
    assert (
        member.post(f"/staff/goals/{goal_id}/archive", data={"csrf_token": token}).status_code
        == 403
    )
    assert member.get("/api/v1/analytics/goals").status_code == 403


def test_goals_api_and_csv(loaded_app, staff_client):
    from helpcenter.services.accounts import api_tokens

    met, missed = plant_met_and_missed(loaded_app)
    with loaded_app.app_context():
        user = db.session.scalars(select(User)).one()
        token = api_tokens.create_token(user, "report", ["analytics:read"])
        db.session.execute(insert(SupportRequest), [request_row("m1", DAY)])
        db.session.commit()
    api = loaded_app.test_client()
    body = api.get(
        "/api/v1/analytics/goals", headers={"Authorization": f"Bearer {token}"}
    ).get_json()
    by_id = {g["id"]: g for g in body["goals"]}
    assert by_id[met]["status"] == "achieved" and by_id[met]["value_now"] == 0.7
    assert by_id[missed]["status"] == "missed" and by_id[missed]["value_now"] == 0.4
    summary = api.get(
        "/api/v1/analytics/summary?days=7", headers={"Authorization": f"Bearer {token}"}
    ).get_json()
    # 10 searchers, 1 of them contacted support after a search with results
    assert summary["self_service"] == {
        "score": 10.0,
        "previous_score": None,
        "users": 10,
        "contacts": 1,
        "support_requests": 1,
        "requests_after_search": 1,
        "requests_after_search_share": 1.0,
        "searches_with_results": 1,
        "searches_with_results_share": 1.0,
    }
    assert api.get("/api/v1/analytics/goals").status_code == 401
    text = staff_client.get("/staff/export/goals.csv").get_data(as_text=True)
    assert f"\n{met},search_success,,,at_least,0.6000," in text.replace("\r", "")
    assert ",0.4000,0.7000,missed," in text or ",missed," in text
    ss = staff_client.get("/staff/export/selfservice.csv?days=7").get_data(as_text=True)
    assert "score,10.0000," in ss and "contacts,1,0" in ss


def test_weekly_mail_reaches_the_owner_in_their_language(loaded_app, staff_client, mailbox):
    plant_met_and_missed(loaded_app)
    result = loaded_app.test_cli_runner().invoke(args=["goals", "weekly-report"])
    assert result.exit_code == 0 and "Queued 1 goal report" in result.output
    [message] = mailbox.wait_for("staff@example.com")
    assert message["Subject"] == "今週の目標"
    text = message.get_body(("plain",)).get_content()
    assert "検索成功率" in text and "70.0%" in text and "達成" in text and "未達" in text
    assert "/staff/goals/" in text
    with loaded_app.app_context():
        changes = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "goal.status_changed")
        ).all()
        assert {c.details["new"] for c in changes} == {"achieved", "missed"}  # when first saved


def test_sample_goals_are_created_once(loaded_app, staff_client):
    with loaded_app.app_context():
        owner = db.session.scalars(select(User)).one()
        assert goals.add_sample_goals(owner, today=date(2026, 12, 4)) == 2
        assert goals.add_sample_goals(owner) == 0
        deadlines = {g.metric: g.deadline for g in db.session.scalars(select(Goal))}
        assert deadlines == {
            "search_success": date(2027, 3, 31),
            "first_reply_hours": date(2027, 3, 31),
        }
    assert goal_report.KIND == "goal_report"


def vote_row(article_id, visitor, ago, helpful):
    at = utcnow() - ago
    return {
        "article_id": article_id,
        "visitor_id": visitor,
        "helpful": helpful,
        "created_at": at,
        "updated_at": at,
    }


def test_a_helpfulness_goal_shows_the_most_voted_articles_then_and_before(loaded_app, staff_client):
    """Goal started 20 days ago. reset-password: 5 votes since (4 helpful = 80 %), 4 in the
    20 days before (1 helpful = 25 %); download-invoices: 2 votes since, both helpful."""
    with loaded_app.app_context():
        reset, invoices = page_id("reset-password"), page_id("download-invoices")
        rows = [vote_row(reset, f"r{n}", 10 * DAY, n < 4) for n in range(5)]
        rows += [vote_row(reset, f"b{n}", 25 * DAY, n < 1) for n in range(4)]
        rows += [vote_row(invoices, f"i{n}", 5 * DAY, True) for n in range(2)]
        db.session.execute(insert(HelpfulVote), rows)
        db.session.commit()
    today = utcnow().date()
    goal_id = new_goal(
        loaded_app,
        metric="helpfulness",
        direction=Direction.AT_LEAST,
        target=0.9,
        start_date=today - 20 * DAY,
        deadline=today + 30 * DAY,
    )
    with loaded_app.app_context():
        goal = db.session.get(Goal, goal_id)
        top, second = goal_movers.helpful_articles(goals.period(goal, utcnow()))
        assert (top.article.slug, top.votes, top.share) == ("reset-password", 5, 0.8)
        assert (top.before_votes, top.before) == (4, 0.25)
        assert (second.article.slug, second.votes, second.before) == ("download-invoices", 2, None)
        # the dashboard's least-helpful table counts the same votes (invoices: under 3 votes)
        (least,) = attention.articles(goals.period(goal, utcnow())).least_helpful
        assert (least[0].slug, least[1], least[2]) == ("reset-password", 4, 5)
    html = staff_client.get(f"/staff/goals/{goal_id}").get_data(as_text=True)
    assert "80.0%" in html and "25.0%" in html and "4件の投票" in html


def question_row(category_id, n, ago):
    at = utcnow() - ago
    return {
        "kind": "question",
        "lang": "en",
        "title": f"Question {n}",
        "tags": [],
        "category_id": category_id,
        "created_at": at,
        "updated_at": at,
    }


def test_a_community_goal_shows_the_topics_that_changed_most(loaded_app, staff_client):
    """Goal on unanswered threads, started 56 days ago. Billing: 3 unanswered questions in the
    first four weeks, none in the last (−3); account: 1 then 2 (+1)."""
    with loaded_app.app_context():
        billing, account = catalog.category("billing").id, catalog.category("account").id
        rows = [question_row(billing, n, 50 * DAY) for n in range(3)]
        rows += [question_row(account, 10, 45 * DAY)]
        rows += [question_row(account, n, 3 * DAY) for n in (11, 12)]
        db.session.execute(insert(Thread), rows)
        db.session.commit()
    today = utcnow().date()
    goal_id = new_goal(
        loaded_app,
        metric="unanswered",
        direction=Direction.AT_MOST,
        target=0,
        start_date=today - 56 * DAY,
        deadline=today + 30 * DAY,
    )
    with loaded_app.app_context():
        goal = db.session.get(Goal, goal_id)
        top, second = goal_movers.topic_changes(goals.period(goal, utcnow()), "unanswered")
        assert (top.category.slug, top.first, top.last, top.change) == ("billing", 3, 0, -3)
        assert (second.category.slug, second.first, second.last, second.change) == (
            "account",
            1,
            2,
            1,
        )
    html = staff_client.get(f"/staff/goals/{goal_id}").get_data(as_text=True)
    assert "最初の4週間" in html and "+1" in html
