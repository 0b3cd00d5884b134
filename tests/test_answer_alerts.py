"""Tell me when this is answered: asking from a failed search, being told once by mail and in the
bell when an article or a solved thread answers it, stopping, and forgetting (DESIGN.md §1)."""

import re
from datetime import timedelta

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from helpcenter.extensions import db
from helpcenter.models import AnswerAlert, Article, Gap, Notification, SearchEvent, User
from helpcenter.models.base import utcnow
from helpcenter.search_index.gap_key import gap_key
from helpcenter.services.content import curation
from helpcenter.services.insights import gaps, measures
from helpcenter.services.search import answer_alerts
from tests.builders import (
    answer,
    ask,
    ask_for_alert,
    csrf_token,
    link_in,
    make_user,
    member,
    post_action,
    publish_for,
    visitor_search,
)


def alerts(app):
    with app.app_context():
        return list(db.session.scalars(select(AnswerAlert).order_by(AnswerAlert.id)))


def mail_text(message):
    return message.get_body(("plain",)).get_content()


def test_an_email_alert_is_told_once_in_the_searchers_language(loaded_app, mailbox):
    visitor = loaded_app.test_client()
    html, _sid = visitor_search(visitor, "量子テレポート")
    assert 'type="email"' in html  # anonymous visitors leave an address
    page = ask_for_alert(visitor, "量子テレポート", " Reader@Example.COM ").get_data(as_text=True)
    assert (
        "reader@example.com" in page and "量子テレポート" in page
    )  # back on the results, told where
    with loaded_app.app_context():  # coming back to the results is not a second search
        assert db.session.scalar(select(func.count()).select_from(SearchEvent)) == 2
    path = publish_for(loaded_app, "量子テレポート", "量子テレポートの使い方", "quantum-teleport")
    assert path.startswith("/articles/ja/")
    [message] = mailbox.wait_for("reader@example.com")
    assert "ヘルプセンター" in message.get_body(("html",)).get_content()  # composed in Japanese
    assert message["Content-Language"] == "ja"
    with loaded_app.app_context(), force_locale("ja"):
        expected = gettext("There's now an answer to “%(query)s”", query="量子テレポート")
    assert message["Subject"] == expected
    assert link_in(message) == path and "量子テレポートの使い方" in mail_text(message)
    [alert] = alerts(loaded_app)
    assert alert.notified_at is not None and alert.answer_url.endswith(path)
    assert alert.email is None  # told: the address is forgotten, the row kept for counting


def test_a_member_is_told_in_the_bell_and_by_email_in_their_language(loaded_app, mailbox):
    reader = member(loaded_app, "reader@example.com", name="Rie", lang="ja")
    html, _sid = visitor_search(reader, "zebra quokka")
    assert 'type="email"' not in html.split('class="onward"', 1)[1]  # members: one button
    page = ask_for_alert(reader, "zebra quokka").get_data(as_text=True)
    assert "回答が見つかったら通知でお知らせします。" in page  # told where, in her language
    path = publish_for(loaded_app, "zebra quokka")
    assert 'class="count-badge">1<' in reader.get("/").get_data(as_text=True)
    bell = reader.get("/community/notifications").get_data(as_text=True)
    assert f'href="{path}"' in bell and "Zebras and quokkas" in bell
    [message] = mailbox.wait_for("reader@example.com")
    assert "Rie 様" in mail_text(message) and link_in(message) == path


def test_digest_members_get_the_answer_in_their_digest(loaded_app, mailbox):
    reader = member(loaded_app, "reader@example.com")
    with loaded_app.app_context():
        db.session.scalars(select(User)).one().notify_email = "digest"
        db.session.commit()
    ask_for_alert(reader, "zebra quokka")
    path = publish_for(loaded_app, "zebra quokka")
    assert mailbox.to("reader@example.com") == []
    result = loaded_app.test_cli_runner().invoke(args=["notifications", "digest"])
    assert result.exit_code == 0, result.output
    [digest] = mailbox.wait_for("reader@example.com")
    assert "Zebras and quokkas" in mail_text(digest) and path in mail_text(digest)


def test_a_solved_thread_tells_those_waiting_but_not_its_author(loaded_app, mailbox):
    visitor = loaded_app.test_client()
    ask_for_alert(visitor, "zebra quokka", "reader@example.com")
    asker = member(loaded_app, "asker@example.com")
    ask_for_alert(asker, "Zebra quokkas?")  # the same gap, in other words
    _html, sid = visitor_search(asker, "zebra quokka")
    thread_id = ask(asker, title="Where are the zebra quokka settings?", search_id=str(sid))
    helper = member(loaded_app, "helper@example.com")
    reply_id = answer(helper, thread_id)
    post_action(asker, thread_id, f"/community/t/{thread_id}/accept/{reply_id}")
    [message] = mailbox.wait_for("reader@example.com")
    assert link_in(message) == f"/community/t/{thread_id}"
    with loaded_app.app_context():
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(Notification)
                .where(Notification.kind == "answered")
            )
            == 0
        )
    waiting = [a for a in alerts(loaded_app) if a.notified_at is None]
    assert [a.user_id is not None for a in waiting] == [True]  # the asker still waits


def test_told_once_when_a_thread_and_then_an_article_answer(loaded_app, mailbox):
    visitor = loaded_app.test_client()
    ask_for_alert(visitor, "zebra quokka", "reader@example.com")
    asker = member(loaded_app, "asker@example.com")
    _html, sid = visitor_search(asker, "zebra quokka")
    thread_id = ask(asker, title="Where are the zebra quokka settings?", search_id=str(sid))
    post_action(
        asker,
        thread_id,
        f"/community/t/{thread_id}/accept/{answer(member(loaded_app, 'h@example.com'), thread_id)}",
    )
    mailbox.wait_for("reader@example.com")
    [told] = alerts(loaded_app)
    publish_for(loaded_app, "zebra quokka")
    with loaded_app.app_context():
        gap = db.session.scalars(select(Gap)).one()
        assert answer_alerts.article_published(db.session.get(Article, gap.article_id), [gap]) == 0
    [after] = alerts(loaded_app)
    assert after.answer_url == told.answer_url and "/community/t/" in after.answer_url
    ask_for_alert(loaded_app.test_client(), "dark mode", "sentinel@example.com")
    publish_for(loaded_app, "dark mode", "Dark mode", "dark-mode")
    mailbox.wait_for("sentinel@example.com")  # mail sent after the article's has arrived
    assert len(mailbox.to("reader@example.com")) == 1


def test_asking_twice_does_not_duplicate(loaded_app, mailbox):
    visitor = loaded_app.test_client()
    ask_for_alert(visitor, "zebra quokka", "reader@example.com")
    again = ask_for_alert(visitor, "Zebra quokkas?", "READER@example.com")  # same gap, same person
    assert again.status_code == 200 and "reader@example.com" in again.get_data(as_text=True)
    reader = member(loaded_app, "member@example.com")
    ask_for_alert(reader, "zebra quokka")
    ask_for_alert(reader, "zebra quokka")
    assert len(alerts(loaded_app)) == 2
    with loaded_app.app_context():
        assert answer_alerts.waiting_counts([gap_key("zebra quokka"), "nothing"]) == {
            gap_key("zebra quokka"): 2,
            "nothing": 0,
        }
    publish_for(loaded_app, "zebra quokka")
    mailbox.wait_for("reader@example.com")
    mailbox.wait_for("member@example.com")
    assert len(mailbox.to("reader@example.com")) == 1 and len(mailbox.to("member@example.com")) == 1


def test_only_the_visitor_who_searched_may_ask(loaded_app):
    owner = loaded_app.test_client()
    html, sid = visitor_search(owner, "zebra quokka")
    stranger = loaded_app.test_client()
    token = csrf_token(stranger.get("/search?q=dark+mode").get_data(as_text=True))
    for target in (sid, 999999):
        response = stranger.post(
            "/search/alert", data={"csrf_token": token, "sid": target, "email": "x@example.com"}
        )
        assert response.status_code == 404
    assert (
        owner.post("/search/alert", data={"sid": sid, "email": "x@example.com"}).status_code == 400
    )  # no CSRF
    assert alerts(loaded_app) == []


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("not-an-email", "look like an email address"),
        ("", "Enter your email address"),
        ("a@b", "look like an email address"),
    ],
)
def test_a_bad_email_is_refused_with_a_message(loaded_app, email, message):
    response = ask_for_alert(loaded_app.test_client(), "zebra quokka", email)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page and 'type="email"' in page  # the form again, to fix it
    assert alerts(loaded_app) == []


def test_a_search_without_words_is_refused(loaded_app):
    response = ask_for_alert(loaded_app.test_client(), "???", "reader@example.com")
    assert response.status_code == 400
    assert "nothing to wait for" in response.get_data(as_text=True)
    assert alerts(loaded_app) == []


def test_the_stop_link_cancels_the_other_alerts_for_that_address(loaded_app, mailbox):
    visitor = loaded_app.test_client()
    ask_for_alert(visitor, "zebra quokka", "reader@example.com")
    ask_for_alert(visitor, "dark mode", "reader@example.com")
    publish_for(loaded_app, "zebra quokka")
    [message] = mailbox.wait_for("reader@example.com")
    stop = re.search(r"https?://\S+(/search/alerts/stop/\S+)", mail_text(message)).group(1)
    page = loaded_app.test_client().get(stop)  # no cookie, no sign-in needed
    assert page.status_code == 200 and "cancelled" in page.get_data(as_text=True)
    assert [a.notified_at is not None for a in alerts(loaded_app)] == [True]
    assert loaded_app.test_client().get(stop[:-3] + "xyz").status_code == 400
    publish_for(loaded_app, "dark mode", "Dark mode", "dark-mode")
    ask_for_alert(loaded_app.test_client(), "量子テレポート", "sentinel@example.com")
    publish_for(loaded_app, "量子テレポート", "量子テレポート", "quantum")
    mailbox.wait_for("sentinel@example.com")
    assert len(mailbox.to("reader@example.com")) == 1


def test_the_form_is_offered_under_results_too(loaded_app):
    html, _sid = visitor_search(loaded_app.test_client(), "量子テレポートの設定")  # finds something
    assert "Not what you needed?" in html and "Tell me when this is answered" in html


def test_purge_deletes_old_alerts(loaded_app):
    visitor = loaded_app.test_client()
    ask_for_alert(visitor, "zebra quokka", "old@example.com")
    ask_for_alert(visitor, "dark mode", "new@example.com")
    with loaded_app.app_context():
        old = db.session.scalars(
            select(AnswerAlert).where(AnswerAlert.email == "old@example.com")
        ).one()
        old.created_at = utcnow() - timedelta(days=400)
        db.session.get(SearchEvent, old.search_id).created_at = utcnow() - timedelta(days=400)
        db.session.commit()
    result = loaded_app.test_cli_runner().invoke(args=["analytics", "purge"])
    assert "1 answer_alert" in result.output
    assert [a.email for a in alerts(loaded_app)] == ["new@example.com"]


def test_anonymous_requests_are_rate_limited(tmp_path):
    from helpcenter import create_app
    from helpcenter.config import TestingConfig

    app = create_app(
        TestingConfig,
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'r.db'}",
            "SEARCH_INDEX_DIR": str(tmp_path / "ix"),
            "RATELIMIT_ENABLED": True,
        },
    )
    client = app.test_client()
    client.set_cookie("hc_vid", "a" * 32)
    with app.app_context():
        db.create_all()
        search_row = SearchEvent(
            query="zebra",
            normalized="zebra",
            gap_key="zebra",
            lang="en",
            result_count=0,
            source="page",
            visitor_id="a" * 32,
        )
        db.session.add(search_row)
        db.session.commit()
        sid = search_row.id
    token = csrf_token(client.get("/signin").get_data(as_text=True))
    statuses = [
        client.post(
            "/search/alert", data={"csrf_token": token, "sid": sid, "email": f"r{i}@example.com"}
        ).status_code
        for i in range(11)
    ]
    assert statuses == [303] * 10 + [429]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AnswerAlert)) == 10
        db.engine.dispose()


def test_notifications_without_a_thread_render(loaded_app):
    reader = member(loaded_app, "reader@example.com")
    ask_for_alert(reader, "zebra quokka")
    publish_for(loaded_app, "zebra quokka")
    with loaded_app.app_context():
        user = db.session.scalars(select(User).where(User.email == "reader@example.com")).one()
        db.session.add(Notification(user_id=user.id, kind="answered"))  # its target gone
        db.session.commit()
    page = reader.get("/community/notifications")
    assert page.status_code == 200 and "Zebras and quokkas" in page.get_data(as_text=True)


def test_a_scheduled_article_published_by_the_command_tells_those_waiting(
    loaded_app, mailbox, runner
):
    """No request is running when cron publishes: links come from PUBLIC_BASE_URL."""
    loaded_app.config["PUBLIC_BASE_URL"] = "https://help.example.com"
    ask_for_alert(loaded_app.test_client(), "zebra quokka import", "waiting@example.com")
    staff_id = make_user(loaded_app, "scheduler@example.com", role="staff")
    with loaded_app.app_context():
        staff = db.session.get(User, staff_id)
        draft = gaps.draft_article(staff, gap_key("zebra quokka import"), measures.filters_for(30))
        fields = curation.Fields("Import zebras", "", "Like this.", "", None, "import-zebras")
        curation.save_article(staff, draft, fields, publish=False)
        curation.schedule(staff, draft, utcnow() + timedelta(hours=1))
        draft.publish_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    result = runner.invoke(args=["content", "publish-due"])
    assert result.exit_code == 0 and "Published en/import-zebras" in result.output
    [message] = mailbox.wait_for("waiting@example.com")
    assert "https://help.example.com/articles/en/import-zebras" in mail_text(message)
