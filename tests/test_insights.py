"""The staff numbers, checked against data computed by hand, and the gap inbox's ranking."""

import random
from datetime import timedelta

import pytest
from sqlalchemy import insert, select

from helpcenter.extensions import db
from helpcenter.models import Article, Gap, SearchEvent, Thread
from helpcenter.models.base import utcnow
from helpcenter.search_index.gaps import gap_key
from helpcenter.services import community_report, gaps, insights
from tests.conftest import csrf_token, make_user, sign_in


def search_row(query, visitor, ago=timedelta(days=1), lang="en", **outcome):
    at = utcnow() - ago
    row = {"query": query, "normalized": query.lower(), "gap_key": gap_key(query), "lang": lang, "source": "page",
           "visitor_id": visitor, "is_staff": False, "is_crawler": False, "created_at": at, "updated_at": at,
           "result_count": 5, "reformulated": False}  # fmt: skip
    row.update(outcome)
    return row


def insert_rows(rows):
    db.session.execute(insert(SearchEvent), rows)
    db.session.commit()


def test_every_rate_matches_a_hand_computed_set(loaded_app):
    now = utcnow()
    rows = [
        search_row("a", "v1", result_count=0),  # zero result: failed
        search_row("b", "v2", result_count=0),  # zero result: failed
        search_row("c", "v3"),  # results, no click: failed
        search_row("d", "v3", reformulated=True),  # no click, reformulated: failed
        search_row(
            "e", "v4", clicked_at=now, read_article_id=1, rated_helpful=True
        ),  # success all the way
        search_row(
            "f", "v5", clicked_at=now, read_article_id=1, rated_helpful=False
        ),  # read, not helpful
        search_row("g", "v6", clicked_at=now),  # clicked a thread: success
        search_row(
            "h", "v7", clicked_at=now, read_article_id=1, escalated="thread"
        ),  # escalated: failed
        search_row("i", "v8", escalated="support"),  # no click + support: failed once
        search_row("j", "v9", clicked_at=now, read_article_id=1),  # success
        search_row("staff", "v10", result_count=0, is_staff=True),  # excluded
        search_row("bot", "v11", result_count=0, is_crawler=True),  # excluded
        search_row("old", "v12", ago=timedelta(days=40), result_count=0),  # previous period
        search_row("old2", "v13", ago=timedelta(days=45), clicked_at=now - timedelta(days=45)),
    ]
    with loaded_app.app_context():
        insert_rows(rows)
        filters = insights.filters_for(30)
        f = insights.funnel(filters)
        assert (f.searches, f.with_results, f.clicked, f.read, f.helpful) == (10, 8, 5, 4, 1)
        assert (
            f.zero_result,
            f.no_click,
            f.reformulated,
            f.escalated_thread,
            f.escalated_support,
        ) == (2, 3, 1, 1, 1)
        assert (
            f.failed == 6
            and f.failure_rate == pytest.approx(0.6)
            and f.success_rate == pytest.approx(0.4)
        )
        previous = insights.funnel(filters.previous())
        assert (previous.searches, previous.failed) == (2, 1)
        assert insights.headline(f, previous) == ("climbing", pytest.approx(0.1))
        assert insights.headline(f, insights.Funnel()) == ("gaps", pytest.approx(0.6))
        assert insights.headline(insights.Funnel(), previous)[0] == "no_traffic"
        assert sum(n for _d, n, _f in insights.daily(filters)) == 10


def test_community_figures_match_a_hand_computed_set(loaded_app):
    from tests.test_forum import answer, ask, member, post_action

    asker = member(loaded_app)
    helper = member(loaded_app, "helper@example.com")
    staff = member(loaded_app, "staff@example.com", role="staff")
    ids = [ask(asker, title=f"Question number {n} about boards") for n in range(4)]
    post_action(asker, ids[0], f"/community/t/{ids[0]}/accept/{answer(helper, ids[0])}")
    post_action(asker, ids[1], f"/community/t/{ids[1]}/accept/{answer(staff, ids[1])}")
    answer(helper, ids[2])
    with loaded_app.app_context():
        now = utcnow()
        ages = {ids[0]: 10, ids[1]: 10, ids[2]: 3, ids[3]: 2}  # days
        waits = {ids[0]: 2, ids[1]: 4, ids[2]: 6}  # hours to first reply
        for thread in db.session.scalars(select(Thread)):
            thread.created_at = now - timedelta(days=ages[thread.id])
            if thread.id in waits:
                thread.first_reply_at = thread.created_at + timedelta(hours=waits[thread.id])
                thread.first_reply_seconds = waits[thread.id] * 3600
            if thread.solved_at:
                thread.solved_at = thread.created_at + timedelta(hours=waits[thread.id] + 1)
                thread.solution_seconds = (waits[thread.id] + 1) * 3600
        db.session.commit()
        c = community_report.community(insights.filters_for(30))
    assert c.threads == 4
    assert [t.id for t in c.unanswered] == [ids[3]]
    assert c.first_reply_median_h == pytest.approx(4) and c.first_reply_p90_h == pytest.approx(6)
    assert c.solved_rate == pytest.approx(1.0)  # both questions older than 7 days are solved
    assert c.solution_median_h == pytest.approx(4)  # 3 h and 5 h
    assert c.community_share == pytest.approx(0.5)  # one by a member, one by staff


def test_three_planted_gaps_rank_first_among_thousands_of_searches(loaded_app):
    rng = random.Random(5)
    rows = []
    for i in range(3000):  # ordinary traffic: varied queries, mostly successful
        query = f"topic{rng.randint(0, 900)} {rng.choice(['setup', 'billing', 'sync', 'export', '設定', '請求'])}"
        ok = rng.random() < 0.7
        rows.append(search_row(query, f"o{i}", lang=rng.choice(["en", "ja"]),
                               clicked_at=utcnow() if ok else None, result_count=5 if ok else rng.choice([0, 3])))  # fmt: skip
    planted = {
        "refund": (
            ["refund annual plan", "Annual plan refunds", "refund for my annual plan"],
            "en",
            40,
        ),
        "dark": (["ダークモード", "ﾀﾞｰｸﾓｰﾄﾞ", "ダークモードにしたい"], "ja", 35),
        "offline": (
            ["オフラインで使いたい", "オフライン 使う", "オフラインで使えますか"],
            "ja",
            30,
        ),
    }
    for name, (variants, lang, people) in planted.items():
        for n in range(people):
            rows.append(search_row(rng.choice(variants), f"{name}{n}", lang=lang, result_count=0))
    with loaded_app.app_context():
        insert_rows(rows)
        top = gaps.inbox(insights.filters_for(30), limit=3)
    assert [r.visitors for r in top] == [40, 35, 30]
    assert {gap_key(v) for v in planted["refund"][0]} == {top[0].key}
    assert top[1].langs == ["ja"] and "ダークモード" in top[1].samples


def test_from_gap_to_article_to_verified_fix(loaded_app):
    staff = loaded_app.test_client()
    make_user(loaded_app, "staff@example.com", role="staff")
    sign_in(staff, "staff@example.com")
    with loaded_app.app_context():
        insert_rows(
            [
                search_row("export gantt chart", f"g{n}", ago=timedelta(days=2), result_count=0)
                for n in range(6)
            ]
        )
    page = staff.get("/staff/gaps").get_data(as_text=True)
    assert "export gantt chart" in page and "6 people" in page
    response = staff.post(
        "/staff/gaps/article",
        data={"csrf_token": csrf_token(page), "key": gap_key("export gantt chart")},
    )
    editor = response.headers["Location"]
    page = staff.get(editor).get_data(as_text=True)
    assert "Export gantt chart" in page
    response = staff.post(editor, data={"csrf_token": csrf_token(page), "title": "Export a Gantt chart", "slug": "export-gantt-chart",
                                        "summary": "PDF or PNG.", "body": "## Steps\n\nOpen the Gantt view and choose **Export**.",
                                        "tags": "gantt, export", "category": "account", "action": "publish"})  # fmt: skip
    assert response.status_code == 303
    assert staff.get("/articles/en/export-gantt-chart").status_code == 200
    assert "Export a Gantt chart" in staff.get("/search?q=export gantt chart").get_data(
        as_text=True
    )
    with loaded_app.app_context():
        gap = db.session.scalars(select(Gap)).one()
        assert gap.status == "addressed" and gap.article_id is not None
        gap.addressed_at = utcnow() - timedelta(days=1)  # published yesterday
        db.session.commit()
        insert_rows(
            [
                search_row(
                    "export gantt chart", f"a{n}", ago=timedelta(hours=2), clicked_at=utcnow()
                )
                for n in range(5)
            ]
        )
        [row] = gaps.inbox(insights.filters_for(30), status="addressed")
    assert row.before == pytest.approx(1.0) and row.after == pytest.approx(0.0) and row.verified
    assert "Verified fixed" in staff.get("/staff/gaps?status=addressed").get_data(as_text=True)


def test_a_gap_that_comes_back_is_reopened(loaded_app):
    staff = make_user(loaded_app, "staff@example.com", role="staff")
    with loaded_app.app_context():
        from helpcenter.models import User

        insert_rows(
            [
                search_row("dark mode", f"d{n}", ago=timedelta(days=3), result_count=0)
                for n in range(5)
            ]
        )
        gap = gaps.set_status(db.session.get(User, staff), gap_key("dark mode"), "addressed")
        gap.addressed_at = utcnow() - timedelta(days=2)
        db.session.commit()
        insert_rows(
            [
                search_row("dark mode", f"e{n}", ago=timedelta(hours=1), result_count=0)
                for n in range(5)
            ]
        )
        [row] = gaps.inbox(insights.filters_for(30), status="open")
        assert row.key == gap_key("dark mode")


def test_dismissing_keeps_the_reason_and_is_audited(loaded_app):
    from helpcenter.models import AuditEntry

    staff = loaded_app.test_client()
    make_user(loaded_app, "staff@example.com", role="staff")
    sign_in(staff, "staff@example.com")
    with loaded_app.app_context():
        insert_rows([search_row("cats", "c1", result_count=0)])
    page = staff.get("/staff/gaps").get_data(as_text=True)
    assert "cats" in page
    staff.post(
        "/staff/gaps/status",
        data={
            "csrf_token": csrf_token(page),
            "key": gap_key("cats"),
            "status": "dismissed",
            "reason": "Not our product",
        },
    )
    assert "cats" not in staff.get("/staff/gaps").get_data(as_text=True)
    assert "cats" in staff.get("/staff/gaps?status=dismissed").get_data(as_text=True)
    with loaded_app.app_context():
        gap = db.session.scalars(select(Gap)).one()
        assert (gap.status, gap.dismissed_reason) == ("dismissed", "Not our product")
        assert db.session.scalars(select(AuditEntry.action)).all() == ["gap.dismissed"]


def test_dashboard_renders_charts_tables_and_csv(loaded_app):
    staff = loaded_app.test_client()
    make_user(loaded_app, "staff@example.com", role="staff")
    sign_in(staff, "staff@example.com")
    with loaded_app.app_context():
        insert_rows([
            search_row("x", f"v{n}", ago=timedelta(days=n % 5 + 1), result_count=5 * (n % 2), clicked_at=utcnow() if n % 2 else None)
            for n in range(20)
        ])  # fmt: skip
    html = staff.get("/staff/?days=7").get_data(as_text=True)
    assert "Content gaps: 50.0%" in html
    assert (
        html.count('<svg class="chart"') == 2 and "<title>Customer searches per day</title>" in html
    )
    assert "<summary>The same as a table</summary>" in html
    csv_text = staff.get("/staff/export/funnel.csv?days=7").get_data(as_text=True)
    assert "searches,20,1.0000" in csv_text and "zero_result,10,0.5000" in csv_text
    assert staff.get("/staff/?start=2026-01-31&end=2025-01-01").status_code == 400
    assert staff.get("/staff/?category=nope").status_code == 400


def test_analytics_api_matches_the_dashboard(loaded_app):
    from helpcenter.services import api_tokens

    make_user(loaded_app, "staff@example.com", role="staff")
    with loaded_app.app_context():
        from helpcenter.models import User

        token = api_tokens.create_token(db.session.scalars(select(User)).one(), "report")
        insert_rows([search_row("refund", f"r{n}", result_count=0) for n in range(3)])
    api = loaded_app.test_client()
    summary = api.get(
        "/api/v1/analytics/summary?days=30", headers={"Authorization": f"Bearer {token}"}
    ).get_json()
    assert summary["funnel"]["zero_result"]["count"] == 3 and summary["headline"] == "gaps"
    gap_list = api.get(
        "/api/v1/analytics/gaps", headers={"Authorization": f"Bearer {token}"}
    ).get_json()["gaps"]
    assert gap_list[0]["people"] == 3
    assert api.get("/api/v1/analytics/summary").status_code == 401


def test_report_purge_and_simulate_commands(loaded_app):
    runner = loaded_app.test_cli_runner()
    simulated = runner.invoke(args=["analytics", "simulate", "--days", "10", "--per-day", "30"])
    assert simulated.exit_code == 0, simulated.output
    report = runner.invoke(args=["analytics", "report", "--days", "30"])
    assert report.exit_code == 0 and "searches" in report.output and "Top gaps:" in report.output
    with loaded_app.app_context():
        insert_rows([search_row("ancient", "old", ago=timedelta(days=400))])
    purged = runner.invoke(args=["analytics", "purge"])
    assert "1 search_event" in purged.output
    with loaded_app.app_context():
        assert (
            db.session.scalars(select(SearchEvent).where(SearchEvent.query == "ancient")).first()
            is None
        )
        assert db.session.scalars(select(Article)).first() is not None  # content untouched


def test_daily_rollups_never_change_a_number(loaded_app):
    from helpcenter.models import SearchDay

    rng = random.Random(3)
    rows = [
        search_row("q", f"v{n}", ago=timedelta(hours=rng.randint(1, 24 * 50)), lang=rng.choice(["en", "ja"]),
                   result_count=rng.choice([0, 4]), clicked_at=utcnow() if rng.random() < 0.5 else None)
        for n in range(400)
    ]  # fmt: skip
    with loaded_app.app_context():
        insert_rows(rows)
        filters = insights.filters_for(30, "ja")
        cutoff = utcnow() - timedelta(days=30)
        by_hand = [r for r in rows if r["created_at"] >= cutoff and r["lang"] == "ja"]
        failed_by_hand = sum(
            1 for r in by_hand if r["result_count"] == 0 or r["clicked_at"] is None
        )
        first = insights.funnel(filters)
        assert (
            db.session.scalar(select(db.func.count()).select_from(SearchDay)) > 20
        )  # settled days rolled up
        second = insights.funnel(filters)
        assert first == second
        assert (first.searches, first.failed) == (len(by_hand), failed_by_hand)
        assert sum(n for _d, n, _f in insights.daily(insights.filters_for(30))) == sum(
            1 for r in rows if r["created_at"] >= cutoff
        )
