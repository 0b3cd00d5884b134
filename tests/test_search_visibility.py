"""Content taken down leaves search the moment the action's response returns: checked through
the public search API, as a visitor would see it, not only inside the index."""

import pytest
from sqlalchemy import select

from helpcenter.extensions import db, search_index
from helpcenter.models import Article, Post
from helpcenter.services.search import indexing
from tests.builders import answer, ask, csrf_token, make_user, member, post_action, sign_in

UNIQUE = "zephyrquokka"


def api_titles(client, query=UNIQUE) -> list[str]:
    response = client.get("/api/v1/search", query_string={"q": query, "lang": "en"})
    assert response.status_code == 200
    return [hit["title"] for hit in response.get_json()["results"]]


def staff_client(app):
    make_user(app, "moderator@example.com", role="staff")
    client = app.test_client()
    sign_in(client, "moderator@example.com")
    return client


def opening_post(app, thread_id: int) -> int:
    with app.app_context():
        return db.session.scalars(
            select(Post.id).where(Post.thread_id == thread_id, Post.is_opening.is_(True))
        ).one()


def staff_thread_action(staff, thread_id: int, action: str, **data):
    response = post_action_with(staff, thread_id, f"/staff/threads/{thread_id}/{action}", data)
    assert response.status_code in (302, 303), response.status_code


def post_action_with(client, thread_id: int, path: str, data: dict):
    page = client.get(f"/community/t/{thread_id}").get_data(as_text=True)
    return client.post(path, data={"csrf_token": csrf_token(page), **data})


def moderate(staff, post_id: int, decision: str):
    page = staff.get("/staff/moderation").get_data(as_text=True)
    response = staff.post(
        f"/staff/moderation/{post_id}",
        data={"csrf_token": csrf_token(page), "decision": decision},
    )
    assert response.status_code in (302, 303), response.status_code


@pytest.fixture
def thread(loaded_app):
    asker = member(loaded_app)
    thread_id = ask(
        asker,
        title=f"Where did the {UNIQUE} setting go",
        body=f"I cannot find the {UNIQUE} option any more.",
    )
    answer(member(loaded_app, "helper@example.com"), thread_id)
    anonymous = loaded_app.test_client()
    assert api_titles(anonymous) == [f"Where did the {UNIQUE} setting go"]
    return {"id": thread_id, "asker": asker, "anonymous": anonymous}


def test_a_thread_hidden_by_staff_leaves_search_at_once(loaded_app, thread):
    staff_thread_action(staff_client(loaded_app), thread["id"], "hide")
    assert api_titles(thread["anonymous"]) == []


def test_a_thread_locked_then_hidden_leaves_search_and_comes_back_when_unhidden(loaded_app, thread):
    staff = staff_client(loaded_app)
    staff_thread_action(staff, thread["id"], "lock")
    staff_thread_action(staff, thread["id"], "hide")
    assert api_titles(thread["anonymous"]) == []
    staff_thread_action(staff, thread["id"], "unhide")
    assert api_titles(thread["anonymous"]) == [f"Where did the {UNIQUE} setting go"]


@pytest.mark.parametrize("decision", ["hide", "delete", "suspend"])
def test_a_question_taken_down_in_moderation_leaves_search_at_once(loaded_app, thread, decision):
    moderate(staff_client(loaded_app), opening_post(loaded_app, thread["id"]), decision)
    assert api_titles(thread["anonymous"]) == []


def test_a_question_hidden_by_three_reports_leaves_search_at_once(loaded_app, thread):
    post_id = opening_post(loaded_app, thread["id"])
    for number in range(3):
        reporter = member(loaded_app, f"reporter{number}@example.com")
        response = post_action_with(
            reporter, thread["id"], f"/community/p/{post_id}/flag", {"reason": "spam"}
        )
        assert response.status_code in (302, 303)
    assert api_titles(thread["anonymous"]) == []


def test_a_hidden_reply_takes_its_words_out_of_search(loaded_app, thread):
    reply_id = answer(
        member(loaded_app, "spammer@example.com"),
        thread["id"],
        body="Buy cheap flurbleglorp tokens here.",
    )
    assert api_titles(thread["anonymous"], "flurbleglorp") != []
    moderate(staff_client(loaded_app), reply_id, "hide")
    assert api_titles(thread["anonymous"], "flurbleglorp") == []


def test_a_question_deleted_by_its_author_leaves_search_at_once(loaded_app):
    asker = member(loaded_app)
    thread_id = ask(asker, title="Lonely question", body=f"Nobody answered my {UNIQUE} question.")
    anonymous = loaded_app.test_client()
    assert api_titles(anonymous) == ["Lonely question"]
    post_id = opening_post(loaded_app, thread_id)
    response = post_action(asker, thread_id, f"/community/p/{post_id}/delete")
    assert response.status_code in (302, 303)
    assert api_titles(anonymous) == []


def test_a_deleted_question_with_replies_keeps_the_thread_but_not_its_words(loaded_app):
    asker = member(loaded_app)
    thread_id = ask(asker, title="Answered question", body=f"My secret {UNIQUE} details.")
    answer(member(loaded_app, "helper@example.com"), thread_id)
    anonymous = loaded_app.test_client()
    post_action(asker, thread_id, f"/community/p/{opening_post(loaded_app, thread_id)}/delete")
    assert api_titles(anonymous) == []
    assert api_titles(anonymous, "board menu export") == ["Answered question"]


def test_a_merged_thread_is_found_only_as_the_thread_it_joined(loaded_app, thread):
    other = ask(thread["asker"], title="Board colours reset overnight", body="They go grey.")
    staff_thread_action(staff_client(loaded_app), thread["id"], "merge", target=str(other))
    assert api_titles(thread["anonymous"]) == ["Board colours reset overnight"]


def test_an_archived_article_leaves_search_at_once(loaded_app):
    anonymous = loaded_app.test_client()
    assert "Download invoices" in api_titles(anonymous, "invoices")
    with loaded_app.app_context():
        article_id = db.session.scalars(
            select(Article.id).where(Article.slug == "download-invoices")
        ).one()
    make_user(loaded_app, "editor@example.com", role="staff")
    editor = loaded_app.test_client()
    sign_in(editor, "editor@example.com")
    page = editor.get(f"/staff/articles/{article_id}/edit").get_data(as_text=True)
    response = editor.post(
        f"/staff/articles/{article_id}/archive", data={"csrf_token": csrf_token(page)}
    )
    assert response.status_code in (302, 303)
    assert "Download invoices" not in api_titles(anonymous, "invoices")


def test_a_thread_hidden_while_another_process_holds_the_index_is_still_not_shown(
    loaded_app, thread
):
    """The outbox keeps the update queued while the writer is busy; results must not wait."""
    with loaded_app.app_context():
        busy_writer = search_index._open().writer()
    try:
        staff_thread_action(staff_client(loaded_app), thread["id"], "hide")
        with loaded_app.app_context():
            assert indexing.pending_updates() > 0  # the index really is behind
        assert api_titles(thread["anonymous"]) == []
    finally:
        busy_writer.cancel()
    with loaded_app.app_context():
        indexing.drain_outbox()
        assert indexing.pending_updates() == 0
