"""The staff numbers, checked against data computed by hand, and the gap inbox's ranking."""

import random
from datetime import timedelta

import pytest
from sqlalchemy import select

from helpcenter.extensions import db
from helpcenter.models import Article, Gap, SearchEvent, Thread
from helpcenter.models.base import utcnow
from helpcenter.search_index.gap_key import gap_key
from helpcenter.services.community import performance
from helpcenter.services.insights import gaps, measures
from tests.builders import (
    answer,
    ask,
    csrf_token,
    insert_rows,
    make_user,
    member,
    post_action,
    search_row,
    sign_in,
)


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
        filters = measures.filters_for(30)
        f = measures.funnel(filters)
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
        previous = measures.funnel(filters.previous())
        assert (previous.searches, previous.failed) == (2, 1)
        assert measures.headline(f, previous) == ("climbing", pytest.approx(0.1))
        assert measures.headline(f, measures.Funnel()) == ("gaps", pytest.approx(0.6))
        assert measures.headline(measures.Funnel(), previous)[0] == "no_traffic"
        assert sum(n for _d, n, _f in measures.daily(filters)) == 10


def test_community_figures_match_a_hand_computed_set(loaded_app):
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
        c = performance.community(measures.filters_for(30))
    assert c.threads == 4
    assert [t.id for t in c.unanswered] == [ids[3]]
    assert c.first_reply_median_h == pytest.approx(4) and c.first_reply_p90_h == pytest.approx(6)
    assert c.solved_rate == pytest.approx(1.0)  # both questions older than 7 days are solved
    assert c.solution_median_h == pytest.approx(4)  # 3 h and 5 h
    assert c.community_share == pytest.approx(0.5)  # one by a member, one by staff
    gone = ask(asker, title="Deleted question about boards")  # solved, then deleted: counts nowhere
    post_action(asker, gone, f"/community/t/{gone}/accept/{answer(helper, gone)}")
    with loaded_app.app_context():
        db.session.get(Thread, gone).deleted_at = utcnow()
        db.session.commit()
        c = performance.community(measures.filters_for(30))
    assert c.threads == 4 and c.community_share == pytest.approx(0.5)


def test_three_planted_gaps_rank_first_among_thousands_of_searches(loaded_app):
    rng = random.Random(5)
    rows = []
    for i in range(3000):  # ordinary traffic: varied queries, mostly successful
        query = f"topic{rng.randint(0, 900)} {rng.choice(['setup', 'billing', 'sync', 'export', '設定', '請求'])}"
        ok = rng.random() < 0.7
        rows.append(
            search_row(
                query,
                f"o{i}",
                lang=rng.choice(["en", "ja"]),
                clicked_at=utcnow() if ok else None,
                result_count=5 if ok else rng.choice([0, 3]),
            )
        )
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
        top = gaps.inbox(measures.filters_for(30), limit=3)
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
    response = staff.post(
        editor,
        data={
            "csrf_token": csrf_token(page),
            "title": "Export a Gantt chart",
            "slug": "export-gantt-chart",
            "summary": "PDF or PNG.",
            "body": "## Steps\n\nOpen the Gantt view and choose **Export**.",
            "tags": "gantt, export",
            "category": "account",
            "action": "publish",
        },
    )
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
        [row] = gaps.inbox(measures.filters_for(30), status="addressed")
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
        [row] = gaps.inbox(measures.filters_for(30), status="open")
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
        insert_rows(
            [
                search_row(
                    "x",
                    f"v{n}",
                    ago=timedelta(days=n % 5 + 1),
                    result_count=5 * (n % 2),
                    clicked_at=utcnow() if n % 2 else None,
                )
                for n in range(20)
            ]
        )
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
    from helpcenter.services.accounts import api_tokens

    make_user(loaded_app, "staff@example.com", role="staff")
    with loaded_app.app_context():
        from helpcenter.models import User

        token = api_tokens.create_token(
            db.session.scalars(select(User)).one(), "report", ["analytics:read"]
        )
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


def test_report_on_a_site_with_no_searches_says_so(app):
    report = app.test_cli_runner().invoke(args=["analytics", "report"])
    assert report.exit_code == 0, report.output
    assert "No customer searches in this period yet." in report.output


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
        search_row(
            "q",
            f"v{n}",
            ago=timedelta(hours=rng.randint(1, 24 * 50)),
            lang=rng.choice(["en", "ja"]),
            result_count=rng.choice([0, 4]),
            clicked_at=utcnow() if rng.random() < 0.5 else None,
        )
        for n in range(400)
    ]
    with loaded_app.app_context():
        insert_rows(rows)
        filters = measures.filters_for(30, lang="ja")
        cutoff = utcnow() - timedelta(days=30)
        by_hand = [r for r in rows if r["created_at"] >= cutoff and r["lang"] == "ja"]
        failed_by_hand = sum(
            1 for r in by_hand if r["result_count"] == 0 or r["clicked_at"] is None
        )
        first = measures.funnel(filters)
        assert (
            db.session.scalar(select(db.func.count()).select_from(SearchDay)) > 20
        )  # settled days rolled up
        second = measures.funnel(filters)
        assert first == second
        assert (first.searches, first.failed) == (len(by_hand), failed_by_hand)
        assert sum(n for _d, n, _f in measures.daily(measures.filters_for(30))) == sum(
            1 for r in rows if r["created_at"] >= cutoff
        )


def forum_thread(
    category,
    age,
    *,
    lang="en",
    kind="question",
    reply_h=None,
    solved_h=None,
    by=None,
    hidden=False,
    deleted=False,
):
    """A thread `age` ago with its first reply and accepted answer (by user `by`) `reply_h` and
    `solved_h` hours after it was asked."""
    from helpcenter.models import Post

    now = utcnow()
    created = now - age
    thread = Thread(
        kind=kind,
        lang=lang,
        title="A question about boards",
        category_id=category,
        created_at=created,
        last_activity_at=created,
        hidden_at=now if hidden else None,
        deleted_at=now if deleted else None,
    )
    if reply_h is not None:
        thread.first_reply_at = created + timedelta(hours=reply_h)
        thread.first_reply_seconds = int(reply_h * 3600)
    db.session.add(thread)
    db.session.flush()
    if solved_h is not None:
        post = Post(
            thread_id=thread.id,
            author_id=by,
            body_md="Do this.",
            body_html="<p>Do this.</p>",
            created_at=created + timedelta(hours=reply_h),
        )
        db.session.add(post)
        db.session.flush()
        thread.accepted_post_id = post.id
        thread.solved_at = created + timedelta(hours=solved_h)
        thread.solution_seconds = int(solved_h * 3600)
    return thread


@pytest.fixture
def topics(loaded_app):
    """Threads in two topics and none, with figures worked out by hand in the test below."""
    helper = make_user(loaded_app, "helper@example.com")
    staff = make_user(loaded_app, "staff@example.com", role="staff")
    with loaded_app.app_context():
        from helpcenter.services.content import catalog

        account, billing = catalog.category("account").id, catalog.category("billing").id
        day = timedelta(days=1)
        # account: questions A1-A5 and a discussion
        forum_thread(account, 10 * day, reply_h=2, solved_h=3, by=helper)  # A1, member's answer
        forum_thread(account, 9 * day, reply_h=4, solved_h=5, by=staff)  # A2, staff's answer
        forum_thread(account, 8 * day, reply_h=10)  # A3, old, unsolved
        forum_thread(account, 2 * day)  # A4, unanswered
        forum_thread(account, timedelta(hours=3))  # A5, too young to be unanswered
        forum_thread(
            account, 5 * day, kind="discussion", reply_h=1
        )  # replies count, not a question
        forum_thread(account, 40 * day, reply_h=1, solved_h=2, by=helper)  # before the period
        forum_thread(account, 5 * day, deleted=True)  # deleted: not counted
        forum_thread(account, 3 * day, hidden=True)  # hidden: asked, but not listed as unanswered
        # billing: B1 in English solved by a member, B2 English unanswered, B3 Japanese unanswered
        forum_thread(billing, 12 * day, reply_h=1, solved_h=2, by=helper)
        forum_thread(billing, 20 * day)
        forum_thread(billing, 9 * day, lang="ja")
        # no topic
        forum_thread(None, 8 * day, reply_h=6)
        db.session.commit()
    return loaded_app


def by_topic(rows):
    return {(r.slug or "-"): r for r in rows}


def test_community_health_per_topic_matches_a_hand_computed_set(topics):
    with topics.app_context():
        rows = by_topic(performance.by_category(measures.filters_for(30)))
        english = by_topic(performance.by_category(measures.filters_for(30, lang="en")))
        from helpcenter.services.content import catalog

        only_billing = performance.by_category(
            measures.filters_for(30, category=catalog.category("billing"))
        )
    assert list(rows) == ["account", "billing", "-"]
    account, billing, none = rows["account"], rows["billing"], rows["-"]
    assert (account.questions, account.unanswered) == (6, 1)  # A1-A5 and the hidden one; A4
    # first replies 1 (discussion), 2, 4, 10 hours: median (2 + 4) / 2, p90 the 4th of 4
    assert account.first_reply_median_h == pytest.approx(
        3
    ) and account.first_reply_p90_h == pytest.approx(10)
    assert (account.solved, account.old_questions) == (
        2,
        3,
    ) and account.solved_rate == pytest.approx(2 / 3)
    assert account.solution_median_h == pytest.approx(4)  # 3 h and 5 h
    assert (account.by_community, account.accepted, account.community_share) == (
        1,
        2,
        pytest.approx(0.5),
    )
    assert (billing.questions, billing.unanswered, billing.solved, billing.old_questions) == (
        3,
        2,
        1,
        3,
    )
    assert billing.first_reply_median_h == pytest.approx(
        1
    ) and billing.first_reply_p90_h == pytest.approx(1)
    assert billing.solution_median_h == pytest.approx(
        2
    ) and billing.community_share == pytest.approx(1.0)
    assert (
        none.questions,
        none.unanswered,
        none.solved_rate,
        none.solution_median_h,
        none.community_share,
    ) == (1, 0, 0.0, None, None)
    assert none.first_reply_median_h == pytest.approx(6)
    assert (english["billing"].questions, english["billing"].unanswered) == (2, 1)  # B3 is Japanese
    assert english["billing"].solved_rate == pytest.approx(0.5)
    assert [r.slug for r in only_billing] == ["billing"] and only_billing[0].questions == 3


def test_medians_and_p90_taken_in_sql_equal_the_textbook_ones(loaded_app):
    import statistics

    rng = random.Random(8)
    waits = []
    with loaded_app.app_context():
        from helpcenter.services.content import catalog

        account = catalog.category("account").id
        for n in range(1, 24):  # every count of replies from 1 to 23 seen at least once
            waits.append(rng.randint(1, 500) * 60)
            forum_thread(account, timedelta(days=rng.randint(1, 29)), reply_h=waits[-1] / 3600)
            if n in (1, 2, 5, 10, 11, 20, 23):
                db.session.commit()
                ordered = sorted(waits)
                median, p90 = (
                    statistics.median(ordered) / 3600,
                    ordered[min(n - 1, int(0.9 * n))] / 3600,
                )
                overall = performance.community(measures.filters_for(30))
                row = by_topic(performance.by_category(measures.filters_for(30)))["account"]
                assert (row.first_reply_median_h, row.first_reply_p90_h) == (
                    pytest.approx(median),
                    pytest.approx(p90),
                )
                assert (overall.first_reply_median_h, overall.first_reply_p90_h) == (
                    pytest.approx(median),
                    pytest.approx(p90),
                )


def test_per_topic_table_csv_and_api(topics):
    from helpcenter.models import User
    from helpcenter.services.accounts import api_tokens

    staff = topics.test_client()
    sign_in(staff, "staff@example.com")
    html = staff.get("/staff/?days=30").get_data(as_text=True)
    table = html[html.index('<table class="data by-category">') :]
    table = table[: table.index("</table>")]
    assert "<caption>Community health by topic</caption>" in table
    assert (
        '<th scope="row">Account</th><td>6</td><td>1</td><td>3.0 h</td><td>10.0 h</td><td>66.7%'
        in table
    )
    assert '<th scope="row">No topic</th><td>1</td><td>0</td><td>6.0 h</td>' in table
    csv_text = staff.get("/staff/export/community.csv?days=30&lang=en").get_data(as_text=True)
    assert "billing,Billing,2,1,1.0000,1.0000,1,2,0.5000,2.0000,1,1,1.0000" in csv_text
    assert (
        csv_text.splitlines()[0].lstrip("\ufeff").startswith("category,name,questions,unanswered,")
    )
    with topics.app_context():
        token = api_tokens.create_token(
            db.session.scalars(select(User).where(User.role == "staff")).one(),
            "r",
            ["analytics:read"],
        )
    data = (
        topics.test_client()
        .get(
            "/api/v1/analytics/community?days=30&category=billing",
            headers={"Authorization": f"Bearer {token}"},
        )
        .get_json()
    )
    assert data["by_category"] == [
        {
            "category": "billing",
            "questions": 3,
            "unanswered": 2,
            "first_reply_median_hours": 1.0,
            "first_reply_p90_hours": 1.0,
            "solved": 1,
            "questions_older_than_7_days": 3,
            "solved_rate": pytest.approx(1 / 3),
            "solution_median_hours": 2.0,
            "accepted": 1,
            "accepted_by_community": 1,
            "community_share": 1.0,
        }
    ]


def test_videos_whose_viewers_still_escalate(loaded_app):
    from helpcenter.models import User
    from helpcenter.services.accounts import api_tokens

    staff = loaded_app.test_client()
    make_user(loaded_app, "staff@example.com", role="staff")
    sign_in(staff, "staff@example.com")
    with loaded_app.app_context():
        video = db.session.scalars(select(Article).where(Article.kind == "video")).one()
        article = db.session.scalars(select(Article).where(Article.kind == "article")).first()
        article_title, article_path = article.title, article.path
        watched = {"clicked_at": utcnow(), "read_article_id": video.id}
        insert_rows(
            [
                search_row("tour", "v1", **watched, escalated="thread"),
                search_row("tour", "v2", **watched),
                search_row(
                    "bill",
                    "v3",
                    clicked_at=utcnow(),
                    read_article_id=article.id,
                    escalated="support",
                ),
            ]
            + [
                search_row("tour", f"old{n}", ago=timedelta(days=40), **watched, escalated="thread")
                for n in range(3)
            ]
        )
        token = api_tokens.create_token(
            db.session.scalars(select(User)).one(), "r", ["analytics:read"]
        )
    html = staff.get("/staff/?days=30").get_data(as_text=True)
    section = html[html.index('<table class="data videos-escalating">') :]
    assert "Videos whose viewers still escalate" in section[: section.index("</caption>")]
    assert "Getting started tour" not in section[: section.index("</table>")]  # 2 views: too few
    with loaded_app.app_context():
        insert_rows(
            [
                search_row("tour", "v4", **watched, escalated="support"),
                search_row("tour", "v5", **watched),
            ]
        )
    html = staff.get("/staff/?days=30").get_data(as_text=True)
    section = html[html.index('<table class="data videos-escalating">') :]
    section = section[: section.index("</table>")]
    assert "<td>Getting started tour</td>" not in section  # a link, with the figures beside it
    assert "Getting started tour</a></td><td>4</td><td>2</td><td>50.0%</td>" in section
    assert article_title not in section  # an article is not a video
    csv_text = staff.get("/staff/export/videos.csv?days=30").get_data(as_text=True)
    assert "en,getting-started,Getting started tour,4,2,0.500" in csv_text
    data = (
        loaded_app.test_client()
        .get("/api/v1/analytics/articles?days=30", headers={"Authorization": f"Bearer {token}"})
        .get_json()
    )
    assert data["videos_escalating"] == [
        {
            "path": "/videos/en/getting-started",
            "title": "Getting started tour",
            "views": 4,
            "escalated": 2,
            "rate": 0.5,
        }
    ]
    assert {e["path"] for e in data["escalating"]} >= {"/videos/en/getting-started", article_path}
    how = staff.get("/staff/how-we-count").get_data(as_text=True)
    assert "Videos whose viewers still escalate" in how and "one of its transcript passages" in how


def test_csv_keeps_customer_text_that_looks_like_a_formula_as_text(loaded_app):
    staff = loaded_app.test_client()
    make_user(loaded_app, "staff@example.com", role="staff")
    sign_in(staff, "staff@example.com")
    with loaded_app.app_context():
        insert_rows(
            [search_row('=HYPERLINK("http://evil.example","refund")', "v1", result_count=0)]
        )
    csv_text = staff.get("/staff/export/gaps.csv").get_data(as_text=True)
    assert csv_text.startswith("\ufeffgap,status,people")
    assert "'=HYPERLINK(" in csv_text and '"=HYPERLINK(' not in csv_text
    assert ",1,1,1," in csv_text  # numbers stay numbers


def test_every_dashboard_table_has_a_working_csv_link(loaded_app):
    import re

    staff = loaded_app.test_client()
    make_user(loaded_app, "staff@example.com", role="staff")
    sign_in(staff, "staff@example.com")
    with loaded_app.app_context():
        insert_rows([search_row("export gantt chart", f"v{n}", result_count=0) for n in range(3)])
    html = staff.get("/staff/?days=7&lang=en").get_data(as_text=True)
    links = sorted(set(re.findall(r'href="(/staff/export/[a-z]+\.csv[^"]*)"', html)))
    names = {re.search(r"export/([a-z]+)\.csv", link).group(1) for link in links}
    assert names == {
        "funnel",
        "daily",
        "misses",
        "articles",
        "reasons",
        "escalating",
        "stale",
        "passages",
        "videos",
        "community",
        "unanswered",
        "helpers",
        "selfservice",
    }
    for link in links:
        response = staff.get(link.replace("&amp;", "&"))
        assert response.status_code == 200 and response.mimetype == "text/csv", link
        assert response.get_data(as_text=True).startswith("\ufeff")
    assert "export gantt chart,3" in staff.get("/staff/export/misses.csv?days=7").get_data(
        as_text=True
    )
    assert staff.get("/staff/export/nope.csv").status_code == 404


def test_demo_traffic_fills_the_feedback_queue_and_answer_alerts(loaded_app):
    from helpcenter.models import AnswerAlert, HelpfulVote

    staff = loaded_app.test_client()
    make_user(loaded_app, "staff@example.com", role="staff")
    sign_in(staff, "staff@example.com")
    runner = loaded_app.test_cli_runner()
    assert (
        runner.invoke(args=["analytics", "simulate", "--days", "30", "--per-day", "80"]).exit_code
        == 0
    )
    with loaded_app.app_context():
        queued = db.session.scalars(
            select(HelpfulVote).where(HelpfulVote.feedback_status == "new")
        ).all()
        assert queued and all(v.comment and v.helpful is False for v in queued)
        waiting = db.session.scalars(select(AnswerAlert)).all()
        assert waiting and all(a.email and a.gap_key for a in waiting)
    assert "feedback-item" in staff.get("/staff/feedback?tab=all").get_data(as_text=True)
    assert 'class="waiting"' in staff.get("/staff/gaps").get_data(as_text=True)
