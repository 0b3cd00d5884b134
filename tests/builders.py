"""Builders the tests share: plain functions that make people, threads, replies and search events
through the app's own services or pages. Fixtures in conftest.py and in the test modules chain
them; a test module imports them from here, never from conftest.py or another test module."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import insert, select

from helpcenter.extensions import db
from helpcenter.models import SearchEvent, User
from helpcenter.models.base import utcnow
from helpcenter.search_index.gap_key import gap_key

PASSWORD = "correct horse battery"  # a test password that passes the rules


# -- a browser's part: forms and signing in -------------------------------------------------------


def csrf_token(html: str) -> str:
    match = re.search(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def sign_in(client, email, password=PASSWORD, remember=False, next_url=None):
    page = client.get("/signin").get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "email": email, "password": password}
    if remember:
        data["remember"] = "y"
    if next_url is not None:
        data["next"] = next_url
    return client.post("/signin", data=data)


# -- people ---------------------------------------------------------------------------------------


def make_user(
    app,
    email="member@example.com",
    role="member",
    confirmed=True,
    name="Test Person",
    lang="en",
    password=PASSWORD,
) -> int:
    from helpcenter.services.accounts import account

    with app.app_context():
        user = account.create_user(email, name, password, role=role, lang=lang, confirmed=confirmed)
        return user.id


def member(app, email="asker@example.com", **kwargs):
    """A test client signed in as a new person: a member, unless `role` says otherwise."""
    make_user(app, email, **kwargs)
    client = app.test_client()
    sign_in(client, email)
    return client


# -- community ------------------------------------------------------------------------------------


def _member(email: str, name: str):
    from helpcenter.services.accounts import account

    user = db.session.scalars(select(User).where(User.email == email)).first()
    return user or account.create_user(email, name, PASSWORD, confirmed=True)


def make_thread(
    app,
    *,
    title="How do I export my board to CSV?",
    body="I need a CSV of all tasks on one board.",
    answers=(),
    accepted=None,
    kind="question",
    category="account",
    self_reply=False,
) -> int:
    """A thread asked by one member and answered (each of `answers`) by another, through the
    forum service; `accepted` is the index of the answer the asker accepts. `self_reply` adds
    a reply by the asker, which does not make the thread answered."""
    from helpcenter.services.community import posts

    with app.app_context():
        asker = _member("asker@example.com", "Asker")
        helper = _member("helper@example.com", "Helper")
        thread = posts.create_thread(
            author=asker, title=title, body=body, category_slug=category, kind=kind
        )
        if self_reply:
            posts.reply(asker, thread, "Any ideas, anyone? I still need this.")
        replies = [posts.reply(helper, thread, text) for text in answers]
        if accepted is not None:
            posts.accept(asker, thread, replies[accepted])
        return thread.id


def ask(
    client,
    title="How do I export my board to CSV?",
    body="I need a CSV of all tasks on one board.",
    **extra,
) -> int:
    """A question asked through the page, as the signed-in `client`; returns the thread's id."""
    page = client.get("/community/new").get_data(as_text=True)
    data = {
        "csrf_token": csrf_token(page),
        "title": title,
        "body": body,
        "kind": "question",
        **extra,
    }
    response = client.post("/community/new", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return int(response.headers["Location"].rsplit("/", 1)[1])


def answer(client, thread_id, body="Open the board menu and choose Export.") -> int:
    """A reply posted through the thread's page; returns the post's id."""
    page = client.get(f"/community/t/{thread_id}").get_data(as_text=True)
    response = client.post(
        f"/community/t/{thread_id}/reply", data={"csrf_token": csrf_token(page), "body": body}
    )
    assert response.status_code == 303
    return int(response.headers["Location"].rsplit("#p", 1)[1])


def post_action(client, thread_id, path):
    """A button pressed on the thread's page (accept, vote, follow…)."""
    page = client.get(f"/community/t/{thread_id}").get_data(as_text=True)
    return client.post(path, data={"csrf_token": csrf_token(page)})


# -- search events --------------------------------------------------------------------------------


def search_row(query, visitor, ago=timedelta(days=1), lang="en", **outcome) -> dict:
    """One logged search as a row for `insert_rows`: results, no click, unless `outcome` says."""
    at = utcnow() - ago
    row = {
        "query": query,
        "normalized": query.lower(),
        "gap_key": gap_key(query),
        "lang": lang,
        "source": "page",
        "visitor_id": visitor,
        "is_staff": False,
        "is_crawler": False,
        "created_at": at,
        "updated_at": at,
        "result_count": 5,
        "reformulated": False,
    }
    row.update(outcome)
    return row


def insert_rows(rows) -> None:
    """Search events written straight to the table (inside an app context), for hand counts."""
    db.session.execute(insert(SearchEvent), rows)
    db.session.commit()
