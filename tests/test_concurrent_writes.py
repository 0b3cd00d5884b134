"""Counters stay exact when many people act at the same moment: each request adds in SQL
(`count = count + 1`) instead of writing back a number it read earlier."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from helpcenter.extensions import db
from helpcenter.models import Post, PostVote, Thread
from helpcenter.services.search import indexing
from tests.builders import (
    answer,
    ask,
    csrf_token,
    found,
    insert_rows,
    make_user,
    member,
    search_row,
    sign_in,
)

PEOPLE = 8


def signed_in_clients(app, prefix: str) -> list:
    clients = []
    for number in range(PEOPLE):
        make_user(app, f"{prefix}{number}@example.com")
        client = app.test_client()
        sign_in(client, f"{prefix}{number}@example.com")
        clients.append(client)
    return clients


def signed_in_readers(app, thread_id: int, count: int) -> list[tuple[object, str]]:
    """`count` new members, each signed in on a client of their own that has read the thread:
    (client, the reply form's CSRF token)."""
    readers = []
    for number in range(count):
        email = f"reader{number}@example.com"
        make_user(app, email)
        client = app.test_client()
        sign_in(client, email)
        token = csrf_token(client.get(f"/community/t/{thread_id}").get_data(as_text=True))
        readers.append((client, token))
    return readers


def all_at_once(clients, act) -> list[int]:
    """Run `act(client)` in one thread per client, released together; their status codes."""
    start = threading.Barrier(len(clients))
    statuses: list[int] = []

    def run(client):
        start.wait()
        statuses.append(act(client))

    threads = [threading.Thread(target=run, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses


def test_replies_posted_at_the_same_moment_are_all_counted(loaded_app):
    thread_id = ask(member(loaded_app))
    repliers = signed_in_clients(loaded_app, "replier")
    tokens = {
        id(c): csrf_token(c.get(f"/community/t/{thread_id}").get_data(as_text=True))
        for c in repliers
    }

    def reply(client):
        data = {"csrf_token": tokens[id(client)], "body": "Same here, any news?"}
        return client.post(f"/community/t/{thread_id}/reply", data=data).status_code

    assert all_at_once(repliers, reply) == [303] * PEOPLE
    with loaded_app.app_context():
        stored = db.session.scalar(
            select(func.count()).where(Post.thread_id == thread_id, Post.is_opening.is_(False))
        )
        assert (stored, db.session.get(Thread, thread_id).reply_count) == (PEOPLE, PEOPLE)


def test_votes_cast_at_the_same_moment_are_all_counted(loaded_app):
    thread_id = ask(member(loaded_app))
    post_id = answer(member(loaded_app, "helper@example.com"), thread_id)
    voters = signed_in_clients(loaded_app, "voter")
    tokens = {
        id(c): csrf_token(c.get(f"/community/t/{thread_id}").get_data(as_text=True)) for c in voters
    }

    def vote(client):
        data = {"csrf_token": tokens[id(client)]}
        return client.post(f"/community/p/{post_id}/vote", data=data).status_code

    statuses = all_at_once(voters, vote)
    assert all(status < 400 for status in statuses), statuses
    with loaded_app.app_context():
        votes = db.session.scalar(select(func.count()).where(PostVote.post_id == post_id))
        assert (votes, db.session.get(Post, post_id).vote_count) == (PEOPLE, PEOPLE)


def test_two_first_views_of_the_dashboard_at_once_both_answer(loaded_app):
    """The first view of a period writes that period's daily rollups; two at once must not
    collide on the (day, language) constraint."""
    with loaded_app.app_context():
        insert_rows(
            [search_row(f"q{n}", f"v{n}", ago=timedelta(days=n % 20 + 2)) for n in range(60)]
        )
    make_user(loaded_app, "analyst@example.com", role="staff")
    analysts = []
    for _ in range(4):
        client = loaded_app.test_client()
        sign_in(client, "analyst@example.com")
        analysts.append(client)
    statuses = all_at_once(analysts, lambda client: client.get("/staff/?days=30").status_code)
    assert statuses == [200] * 4


def test_every_post_acknowledged_under_sixteen_concurrent_posters_is_found(loaded_app):
    """16 members post at once, twice each: every post the site answered 303 for is found in
    search by its own unique word."""
    thread_id = ask(member(loaded_app))
    posters = list(enumerate(signed_in_readers(loaded_app, thread_id, 16)))
    acknowledged = []

    def post_twice(entry):
        number, (client, token) = entry
        for round_ in range(2):
            word = f"uniq{number:02d}x{round_}zz"
            data = {"csrf_token": token, "body": f"My case: {word} happens daily."}
            response = client.post(f"/community/t/{thread_id}/reply", data=data)
            if response.status_code == 303:
                acknowledged.append(word)

    start = threading.Barrier(len(posters))

    def run(entry):
        start.wait()
        post_twice(entry)

    workers = [threading.Thread(target=run, args=(entry,)) for entry in posters]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert len(acknowledged) == 32
    with loaded_app.app_context():
        indexing.drain_outbox()  # what a busy index left queued, as the next request would
    missing = [word for word in acknowledged if not found(loaded_app, word)]
    assert missing == []


@pytest.mark.app_config(
    SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 3, "max_overflow": 0, "pool_timeout": 10}
)
def test_concurrent_posters_wait_for_a_connection_but_never_deadlock_the_pool(loaded_app):
    """Eight posters share three connections: each request holds at most one at a time (the
    jobs it queued run after its own session has let go of its connection), so every post
    goes through. Holding one while waiting for a second once starved the pool for good."""
    thread_id = ask(member(loaded_app))
    posters = list(enumerate(signed_in_readers(loaded_app, thread_id, 8)))

    def post(entry) -> int:
        number, (client, token) = entry
        data = {"csrf_token": token, "body": f"Pooled reply {number}."}
        return client.post(f"/community/t/{thread_id}/reply", data=data).status_code

    statuses = all_at_once(posters, post)
    assert statuses == [303] * 8
