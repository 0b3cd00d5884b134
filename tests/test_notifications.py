"""Following threads and topics, @mentions, the email preference and the daily digest."""

from sqlalchemy import select

from helpcenter.extensions import db
from helpcenter.models import Notification, User
from tests.builders import (
    answer,
    ask,
    csrf_token,
    member,
    moderation_action,
    report_post,
    spammy_thread,
)


def notes_for(app, email):
    with app.app_context():
        user = db.session.scalars(select(User).where(User.email == email)).one()
        return [
            n.kind
            for n in db.session.scalars(select(Notification).where(Notification.user_id == user.id))
        ]


def set_email_preference(client, choice):
    page = client.get("/account/").get_data(as_text=True)
    name = page.split('name="display_name"', 1)[1].split('value="', 1)[1].split('"', 1)[0]
    response = client.post(
        "/account/",
        data={
            "csrf_token": csrf_token(page),
            "display_name": name,
            "lang": "en",
            "notify_email": choice,
        },
    )
    assert response.status_code == 303


def test_a_mention_notifies_the_person_named(loaded_app, mailbox):
    asker = member(loaded_app)
    member(loaded_app, "hana@example.com", name="Hana Sato")
    helper = member(loaded_app, "helper@example.com")
    thread_id = ask(asker)
    answer(helper, thread_id, "I think @HanaSato knows this one, she set it up last week.")
    assert notes_for(loaded_app, "hana@example.com") == ["mention"]
    [mail] = mailbox.wait_for("hana@example.com")
    assert "mentioned you" in mail["Subject"]


def test_following_a_topic_brings_news_of_new_threads(loaded_app):
    follower = member(loaded_app, "follower@example.com")
    page = follower.get("/community/?category=billing").get_data(as_text=True)
    follower.post(
        "/community/c/billing/follow", data={"csrf_token": csrf_token(page), "follow": "yes"}
    )
    assert "Following this topic" in follower.get("/community/?category=billing").get_data(
        as_text=True
    )
    asker = member(loaded_app)
    ask(asker, title="Invoice shows the wrong company name", category="billing")
    ask(asker, title="Board colours are too dark for me", category="account")
    assert notes_for(loaded_app, "follower@example.com") == ["new_thread"]


def test_unfollowing_a_thread_stops_reply_notifications(loaded_app):
    asker = member(loaded_app)
    helper = member(loaded_app, "helper@example.com")
    thread_id = ask(asker)
    page = asker.get(f"/community/t/{thread_id}").get_data(as_text=True)
    assert ">Following<" in page
    asker.post(
        f"/community/t/{thread_id}/follow", data={"csrf_token": csrf_token(page), "follow": "no"}
    )
    answer(helper, thread_id)
    assert notes_for(loaded_app, "asker@example.com") == []


def test_digest_people_get_one_email_with_everything(loaded_app, mailbox):
    asker = member(loaded_app)
    set_email_preference(asker, "digest")
    helper = member(loaded_app, "helper@example.com")
    thread_id = ask(asker, title="Two questions about recurring tasks")
    answer(helper, thread_id, "First idea")
    answer(helper, thread_id, "Second idea")
    assert mailbox.to("asker@example.com") == []
    result = loaded_app.test_cli_runner().invoke(args=["notifications", "digest"])
    assert result.exit_code == 0 and "Queued 1 digest(s)." in result.output
    [digest] = mailbox.wait_for("asker@example.com")
    text = digest.get_body(("plain",)).get_content()
    assert text.count("Two questions about recurring tasks") == 2
    again = loaded_app.test_cli_runner().invoke(args=["notifications", "digest"])
    assert "Queued 0 digest(s)." in again.output


def test_no_email_at_all_when_chosen(loaded_app, mailbox):
    asker = member(loaded_app)
    set_email_preference(asker, "none")
    helper = member(loaded_app, "helper@example.com")
    thread_id = ask(asker)
    answer(helper, thread_id)
    loaded_app.test_cli_runner().invoke(args=["notifications", "digest"])
    assert notes_for(loaded_app, "asker@example.com") == ["reply"]  # still in the app
    import time

    time.sleep(0.3)
    assert mailbox.to("asker@example.com") == []


def test_moderation_decisions_are_emailed_to_the_author(loaded_app, mailbox):
    _asker, thread_id, post_id = spammy_thread(loaded_app)
    report_post(member(loaded_app, "r1@example.com"), thread_id, post_id)
    staff = member(loaded_app, "mod@example.com", role="staff")
    moderation_action(staff, f"/staff/moderation/{post_id}", decision="hide")
    messages = mailbox.wait_for("spammer@example.com")
    assert any("About your post" in m["Subject"] for m in messages)
