"""Who may open and submit the editor of a post, in every state a post or its thread can be in.

A member edits only their own standing posts in an open thread; never anyone else's, whatever
happened to the post, its thread or its author. Staff may edit any post."""

import pytest
from sqlalchemy import select

from helpcenter.extensions import db
from helpcenter.models import Post, Thread, User
from helpcenter.services.accounts import users
from helpcenter.services.community import moderation
from tests.builders import (
    PASSWORD,
    answer,
    ask,
    csrf_token,
    make_user,
    member,
    post_action,
    sign_in,
)

ORIGINAL = "Open the board menu and choose Export."


def body_of(app, post_id: int) -> str:
    with app.app_context():
        return db.session.get(Post, post_id).body_md


def try_edit(client, post_id: int) -> tuple[int, int]:
    """(status of opening the editor, status of submitting it)."""
    opened = client.get(f"/community/p/{post_id}/edit")
    token = csrf_token(client.get("/community/new").get_data(as_text=True))
    submitted = client.post(
        f"/community/p/{post_id}/edit",
        data={"csrf_token": token, "body": "Edited by someone", "title": "Edited title"},
    )
    return opened.status_code, submitted.status_code


def staff_action(app, thread_id: int, action: str, target: int = 0) -> None:
    with app.app_context():
        staff = db.session.scalars(select(User).where(User.email == "mod@example.com")).one()
        moderation.thread_action(staff, db.session.get(Thread, thread_id), action, target_id=target)


def with_post(app, post_id: int, change) -> None:
    with app.app_context():
        post = db.session.get(Post, post_id)
        change(post)
        db.session.commit()


@pytest.fixture
def forum(loaded_app):
    make_user(loaded_app, "mod@example.com", role="staff")
    author = member(loaded_app, "author@example.com")
    other = member(loaded_app, "other@example.com")
    thread_id = ask(other, title="Where is the export button?")
    reply_id = answer(author, thread_id)
    return {"author": author, "other": other, "thread": thread_id, "reply": reply_id}


def suspend_author(app, _forum):
    with app.app_context():
        staff = db.session.scalars(select(User).where(User.email == "mod@example.com")).one()
        author = db.session.scalars(select(User).where(User.email == "author@example.com")).one()
        users.set_suspended(staff, author, True)


def delete_author_account(app, _forum):
    with app.app_context():
        from helpcenter.services.accounts import account

        author = db.session.scalars(select(User).where(User.email == "author@example.com")).one()
        account.delete_account(author, PASSWORD)


STATES = {
    "standing": lambda app, f: None,
    "locked thread": lambda app, f: staff_action(app, f["thread"], "lock"),
    "hidden thread": lambda app, f: staff_action(app, f["thread"], "hide"),
    "merged thread": lambda app, f: staff_action(
        app, f["thread"], "merge", ask(f["other"], title="Another question about exports")
    ),
    "deleted post": lambda app, f: with_post(
        app, f["reply"], lambda p: setattr(p, "deleted_at", p.created_at)
    ),
    "hidden post": lambda app, f: with_post(
        app, f["reply"], lambda p: setattr(p, "hidden_at", p.created_at)
    ),
    "suspended author": suspend_author,
    "deleted author": delete_author_account,
}


@pytest.mark.parametrize("state", STATES)
def test_a_member_never_edits_someone_elses_post(loaded_app, forum, state):
    STATES[state](loaded_app, forum)
    bystander = member(loaded_app, "bystander@example.com")
    opened, submitted = try_edit(bystander, forum["reply"])
    assert opened in (403, 404) and submitted in (403, 404)
    assert body_of(loaded_app, forum["reply"]) == ORIGINAL


@pytest.mark.parametrize("state", ["locked thread", "hidden thread", "deleted post", "hidden post"])
def test_an_author_cannot_change_their_post_once_it_is_frozen(loaded_app, forum, state):
    STATES[state](loaded_app, forum)
    opened, submitted = try_edit(forum["author"], forum["reply"])
    assert opened in (403, 404) and submitted in (403, 404)
    assert body_of(loaded_app, forum["reply"]) == ORIGINAL


def test_an_author_may_edit_their_post_after_its_thread_was_merged(loaded_app, forum):
    STATES["merged thread"](loaded_app, forum)
    opened, submitted = try_edit(forum["author"], forum["reply"])
    assert (opened, submitted) == (200, 303)
    assert body_of(loaded_app, forum["reply"]) == "Edited by someone"


@pytest.mark.parametrize("state", ["locked thread", "deleted post", "suspended author"])
def test_staff_may_edit_any_post(loaded_app, forum, state):
    STATES[state](loaded_app, forum)
    staff = loaded_app.test_client()
    sign_in(staff, "mod@example.com")
    assert try_edit(staff, forum["reply"]) == (200, 303)


def test_an_author_cannot_delete_their_reply_in_a_locked_thread(loaded_app, forum):
    STATES["locked thread"](loaded_app, forum)
    response = post_action(
        forum["author"], forum["thread"], f"/community/p/{forum['reply']}/delete"
    )
    assert response.status_code == 403
    with loaded_app.app_context():
        assert db.session.get(Post, forum["reply"]).deleted_at is None
