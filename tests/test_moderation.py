"""Flags hide a post after several distinct reports; staff review, act on threads, all audited."""

from sqlalchemy import select

from helpcenter.extensions import db
from helpcenter.models import AuditEntry, Notification, Post, Thread, User
from tests.builders import (
    ask,
    csrf_token,
    found,
    member,
    moderation_action,
    report_post,
    sign_in,
    spammy_thread,
)


def test_three_distinct_reports_hide_a_post_and_take_it_out_of_search(loaded_app):
    asker, thread_id, post_id = spammy_thread(loaded_app)
    reporters = [member(loaded_app, f"r{i}@example.com") for i in range(3)]
    report_post(reporters[0], thread_id, post_id)
    report_post(reporters[0], thread_id, post_id)  # the same person twice counts once
    report_post(reporters[1], thread_id, post_id)
    with loaded_app.app_context():
        assert db.session.get(Post, post_id).hidden_at is None
    assert ("thread", "Calendar sync is slow today") in found(loaded_app, "watches", kind="thread")
    report_post(reporters[2], thread_id, post_id, "abusive")
    with loaded_app.app_context():
        assert db.session.get(Post, post_id).hidden_at is not None
    assert found(loaded_app, "watches", kind="thread") == []
    html = asker.get(f"/community/t/{thread_id}").get_data(as_text=True)
    assert "cheap watches" not in html and "hidden while staff review" in html


def test_authors_cannot_report_their_own_posts(loaded_app):
    _asker, thread_id, post_id = spammy_thread(loaded_app)
    spammer = loaded_app.test_client()
    sign_in(spammer, "spammer@example.com")
    assert report_post(spammer, thread_id, post_id).status_code == 403


def test_staff_review_approve_restores_and_warn_tells_the_author(loaded_app):
    _asker, thread_id, post_id = spammy_thread(loaded_app)
    for i in range(3):
        report_post(member(loaded_app, f"r{i}@example.com"), thread_id, post_id)
    staff = member(loaded_app, "mod@example.com", role="staff")
    queue = staff.get("/staff/moderation").get_data(as_text=True)
    assert "cheap watches" in queue and "3 reports" in queue
    moderation_action(staff, f"/staff/moderation/{post_id}", decision="approve")
    with loaded_app.app_context():
        assert db.session.get(Post, post_id).hidden_at is None
    assert "Nothing to review" in staff.get("/staff/moderation").get_data(as_text=True)
    report_post(member(loaded_app, "r9@example.com"), thread_id, post_id)
    moderation_action(staff, f"/staff/moderation/{post_id}", decision="warn")
    with loaded_app.app_context():
        spammer = db.session.scalars(select(User).where(User.email == "spammer@example.com")).one()
        kinds = [
            n.kind
            for n in db.session.scalars(
                select(Notification).where(Notification.user_id == spammer.id)
            )
        ]
        actions = [e.action for e in db.session.scalars(select(AuditEntry))]
    assert "moderation" in kinds
    assert actions == ["moderation.approve", "moderation.warn"]


def test_suspending_from_the_queue_hides_the_post_and_the_author(loaded_app):
    _asker, thread_id, post_id = spammy_thread(loaded_app)
    report_post(member(loaded_app, "r1@example.com"), thread_id, post_id)
    staff = member(loaded_app, "mod@example.com", role="staff")
    moderation_action(staff, f"/staff/moderation/{post_id}", decision="suspend")
    with loaded_app.app_context():
        assert db.session.get(Post, post_id).hidden_at is not None
        assert (
            db.session.scalars(select(User).where(User.email == "spammer@example.com"))
            .one()
            .suspended_at
        )


def test_staff_lock_pin_move_and_merge(loaded_app):
    asker = member(loaded_app)
    staff = member(loaded_app, "mod@example.com", role="staff")
    first = ask(asker, title="Export the board as CSV file")
    second = ask(asker, title="CSV export of a board, how?")
    moderation_action(staff, f"/staff/threads/{first}/lock")
    helper = member(loaded_app, "helper@example.com")
    page = helper.get(f"/community/t/{first}").get_data(as_text=True)
    assert "This thread is locked" in page
    assert (
        helper.post(
            f"/community/t/{first}/reply", data={"csrf_token": csrf_token(page), "body": "hi there"}
        ).status_code
        == 403
    )
    moderation_action(staff, f"/staff/threads/{first}/pin")
    moderation_action(staff, f"/staff/threads/{first}/move", category="billing")
    response = moderation_action(staff, f"/staff/threads/{second}/merge", target=str(first))
    assert response.headers["Location"].endswith(f"/community/t/{first}")
    with loaded_app.app_context():
        kept, merged = db.session.get(Thread, first), db.session.get(Thread, second)
        assert kept.locked_at and kept.pinned_at and kept.category.slug == "billing"
        assert merged.deleted_at is not None and kept.reply_count == 1
    assert "CSV export of a board, how?" not in [
        t for _k, t in found(loaded_app, "csv export board")
    ]
    ask(asker, title="A newer thread that is not pinned")
    latest = asker.get("/community/?lang=all").get_data(as_text=True)
    first_row = latest.split('class="thread-title"', 2)[1]
    assert "Export the board as CSV file" in first_row and "Pinned" in first_row


def test_staff_can_read_the_edit_history(loaded_app):
    asker = member(loaded_app)
    thread_id = ask(asker)
    with loaded_app.app_context():
        post_id = db.session.scalars(select(Post).where(Post.thread_id == thread_id)).one().id
    page = asker.get(f"/community/p/{post_id}/edit").get_data(as_text=True)
    asker.post(
        f"/community/p/{post_id}/edit",
        data={"csrf_token": csrf_token(page), "body": "Better words now."},
    )
    staff = member(loaded_app, "mod@example.com", role="staff")
    history = staff.get(f"/staff/posts/{post_id}/history").get_data(as_text=True)
    assert "I need a CSV of all tasks on one board." in history and "Better words now." in history
    assert asker.get(f"/staff/posts/{post_id}/history").status_code == 403
