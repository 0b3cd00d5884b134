"""Writes at the same moment all reach search, and leave it exactly as a rebuild would, on every
search backend. On PostgreSQL each commit applies its own index update under the state row's
lock, so two commits never both write back the page counts and field lengths they read (a lost
update there would skew every score), nor the same version (a server would keep a stale cache)."""

import threading

import pytest

from helpcenter.extensions import search_index
from helpcenter.search_index import SearchRequest
from helpcenter.services.search import indexing
from tests.builders import ask, csrf_token, make_user, member, sign_in

REPLIERS = 10


def threads_found(app, word: str) -> list[int]:
    with app.app_context():
        return [
            hit.doc_id for hit in search_index.search(SearchRequest(query=word, kind="thread")).hits
        ]


def test_replies_posted_at_once_are_each_found_in_their_thread(loaded_app):
    thread_id = ask(member(loaded_app), title="Sync stops overnight", body="Since Monday.")
    clients = []
    for number in range(REPLIERS):
        make_user(loaded_app, f"racer{number}@example.com")
        client = loaded_app.test_client()
        sign_in(client, f"racer{number}@example.com")
        token = csrf_token(client.get(f"/community/t/{thread_id}").get_data(as_text=True))
        clients.append((number, client, token))
    start = threading.Barrier(REPLIERS)
    statuses: list[int] = []

    def reply(number, client, token):
        start.wait()
        data = {"csrf_token": token, "body": f"Mine too: code qz{number:02d}vx in the log."}
        statuses.append(client.post(f"/community/t/{thread_id}/reply", data=data).status_code)

    runs = [threading.Thread(target=reply, args=entry) for entry in clients]
    for run in runs:
        run.start()
    for run in runs:
        run.join(timeout=120)
    assert statuses == [303] * REPLIERS
    with loaded_app.app_context():
        indexing.drain_outbox()  # what a busy Whoosh writer left queued (PostgreSQL leaves none)
    words = [f"qz{number:02d}vx" for number in range(REPLIERS)]
    assert {word: threads_found(loaded_app, word) for word in words} == {
        word: [thread_id] for word in words
    }


def all_at_once(actions) -> None:
    start = threading.Barrier(len(actions))

    def run(action):
        start.wait()
        action()

    runs = [threading.Thread(target=run, args=(action,)) for action in actions]
    for run_ in runs:
        run_.start()
    for run_ in runs:
        run_.join(timeout=120)


def ranking(app, query: str) -> list[tuple[int, float]]:
    with app.app_context():
        page = search_index.search(SearchRequest(query=query, kind="thread", per_page=50))
        return [(hit.doc_id, round(hit.score, 4)) for hit in page.hits]


def test_threads_asked_at_once_rank_exactly_as_after_a_rebuild(loaded_app, search_backend):
    if search_backend == "whoosh":
        pytest.skip("Whoosh writes one at a time under its own lock (test_outbox_races)")
    askers = []
    for number in range(REPLIERS):
        make_user(loaded_app, f"asker{number}@example.com")
        client = loaded_app.test_client()
        sign_in(client, f"asker{number}@example.com")
        askers.append((number, client))
    asked: list[int] = []

    def asking(number, client):
        def act():
            words = " ".join(["overnight"] * (number + 1))
            asked.append(ask(client, title=f"Sync stops {words}", body=f"Case wq{number}zz."))

        return act

    all_at_once([asking(number, client) for number, client in askers])
    assert len(asked) == REPLIERS
    live = ranking(loaded_app, "overnight sync")
    assert sorted(doc_id for doc_id, _ in live) == sorted(asked)
    with loaded_app.app_context():
        indexing.rebuild_index()
    assert ranking(loaded_app, "overnight sync") == live
