"""The community forum: posting, sanitising, permissions, accepting, voting, notifications,
deflection events, and search that follows every change."""

import pytest
from sqlalchemy import select

from helpcenter.extensions import db, search_index
from helpcenter.models import (
    ComposerEvent,
    Notification,
    Post,
    PostRevision,
    Thread,
    ThreadEvent,
    User,
)
from helpcenter.search_index import SearchRequest
from tests.builders import (
    XSS,
    answer,
    ask,
    csrf_token,
    dangerous_markup,
    found,
    member,
    post_action,
)


@pytest.mark.parametrize("payload", XSS)
def test_markdown_from_members_is_sanitised(loaded_app, payload):
    client = member(loaded_app)
    thread_id = ask(client, body=f"Problem:\n\n{payload}\n\nthanks")
    html = client.get(f"/community/t/{thread_id}").get_data(as_text=True)
    body = html.split('class="prose post-body">', 1)[1].split("</div>", 1)[0]
    assert dangerous_markup(body) == []


def test_links_are_marked_user_generated(loaded_app):
    client = member(loaded_app)
    thread_id = ask(
        client,
        body="See [the docs](https://docs.example.com) and ![shot](http://insecure.example/a.png)",
    )
    html = client.get(f"/community/t/{thread_id}").get_data(as_text=True)
    assert 'href="https://docs.example.com" rel="nofollow ugc noopener"' in html
    assert "insecure.example" not in html


def test_unconfirmed_members_cannot_post(loaded_app):
    client = member(loaded_app, confirmed=False)
    assert "confirm your email" in client.get("/community/new").get_data(as_text=True)
    page = client.get("/community/").get_data(as_text=True)
    response = client.post(
        "/community/new",
        data={
            "csrf_token": csrf_token(page),
            "title": "A fine question",
            "body": "long enough body",
            "kind": "question",
        },
    )
    assert response.status_code == 403


def test_anonymous_people_are_asked_to_sign_in(client):
    response = client.get("/community/new?q=csv export")
    assert response.status_code == 302 and "/signin?next=" in response.headers["Location"]


def test_only_the_author_or_staff_may_edit_and_history_is_kept(loaded_app):
    author = member(loaded_app)
    thread_id = ask(author)
    with loaded_app.app_context():
        opening_id = db.session.scalars(select(Post).where(Post.thread_id == thread_id)).one().id
    other = member(loaded_app, "other@example.com")
    assert other.get(f"/community/p/{opening_id}/edit").status_code == 403
    staff = member(loaded_app, "staff@example.com", role="staff")
    page = staff.get(f"/community/p/{opening_id}/edit").get_data(as_text=True)
    response = staff.post(
        f"/community/p/{opening_id}/edit",
        data={
            "csrf_token": csrf_token(page),
            "title": "Export a board to a spreadsheet file",
            "body": "Edited by staff for clarity.",
        },
    )
    assert response.status_code == 303
    with loaded_app.app_context():
        [revision] = db.session.scalars(select(PostRevision)).all()
        assert revision.title == "How do I export my board to CSV?"
        assert db.session.get(Thread, thread_id).title == "Export a board to a spreadsheet file"
    assert found(loaded_app, "spreadsheet", kind="thread") == [
        ("thread", "Export a board to a spreadsheet file")
    ]


def test_the_asker_accepts_an_answer_and_the_thread_is_solved(loaded_app, mailbox):
    asker = member(loaded_app)
    helper = member(loaded_app, "helper@example.com")
    thread_id = ask(asker)
    first = answer(helper, thread_id)
    second = answer(helper, thread_id, "Or use the API.")
    assert (
        post_action(helper, thread_id, f"/community/t/{thread_id}/accept/{first}").status_code
        == 403
    )
    assert (
        post_action(asker, thread_id, f"/community/t/{thread_id}/accept/{first}").status_code == 303
    )
    html = asker.get(f"/community/t/{thread_id}").get_data(as_text=True)
    assert "Solved" in html and 'class="answer-quote"' in html
    post_action(asker, thread_id, f"/community/t/{thread_id}/accept/{second}")  # change of mind
    with loaded_app.app_context():
        assert db.session.get(Thread, thread_id).accepted_post_id == second
    post_action(asker, thread_id, f"/community/t/{thread_id}/unaccept")
    with loaded_app.app_context():
        thread = db.session.get(Thread, thread_id)
        assert thread.accepted_post_id is None and thread.solved_at is None
        events = [
            e.event
            for e in db.session.scalars(
                select(ThreadEvent).where(ThreadEvent.thread_id == thread_id)
            )
        ]
    assert events.count("accepted") == 2 and events.count("unaccepted") == 1 and "created" in events


def test_votes_once_not_own_and_the_accepted_answer_comes_first(loaded_app):
    asker = member(loaded_app)
    a = member(loaded_app, "a@example.com")
    b = member(loaded_app, "b@example.com")
    thread_id = ask(asker)
    first = answer(a, thread_id, "First answer")
    second = answer(b, thread_id, "Second answer")
    assert post_action(a, thread_id, f"/community/p/{first}/vote").status_code == 403  # own
    post_action(asker, thread_id, f"/community/p/{second}/vote")
    post_action(a, thread_id, f"/community/p/{second}/vote")
    with loaded_app.app_context():
        assert db.session.get(Post, second).vote_count == 2
    post_action(a, thread_id, f"/community/p/{second}/vote")  # takes it back
    with loaded_app.app_context():
        assert db.session.get(Post, second).vote_count == 1
    html = asker.get(f"/community/t/{thread_id}").get_data(as_text=True)
    assert html.index("Second answer") < html.index("First answer")  # more votes first
    post_action(asker, thread_id, f"/community/t/{thread_id}/accept/{first}")
    html = asker.get(f"/community/t/{thread_id}").get_data(as_text=True)
    assert html.index(f'id="p{first}"') < html.index(f'id="p{second}"')  # accepted first


def test_the_asker_is_notified_in_the_app_and_by_email_and_can_unsubscribe(loaded_app, mailbox):
    asker = member(loaded_app)
    helper = member(loaded_app, "helper@example.com", name="Helpful Hana")
    thread_id = ask(asker)
    answer(helper, thread_id)
    [mail] = mailbox.wait_for("asker@example.com")
    assert (
        "New reply" in mail["Subject"] and "Helpful Hana" in mail.get_body(("plain",)).get_content()
    )
    assert 'class="count-badge">1<' in asker.get("/").get_data(as_text=True)
    assert "Helpful Hana replied" in asker.get("/community/notifications").get_data(as_text=True)
    unsubscribe = [
        line
        for line in mail.get_body(("plain",)).get_content().splitlines()
        if "/unsubscribe/" in line
    ][0]
    path = "/community/unsubscribe/" + unsubscribe.rsplit("/unsubscribe/", 1)[1].strip()
    assert loaded_app.test_client().get(path).status_code == 200  # no sign-in needed
    answer(helper, thread_id, "Another idea")
    with loaded_app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Notification)) == 2
    assert len(mailbox.to("asker@example.com")) == 1


def test_accepting_tells_the_answers_author(loaded_app, mailbox):
    asker = member(loaded_app)
    helper = member(loaded_app, "helper@example.com")
    thread_id = ask(asker)
    reply_id = answer(helper, thread_id)
    post_action(asker, thread_id, f"/community/t/{thread_id}/accept/{reply_id}")
    messages = mailbox.wait_for("helper@example.com")
    assert any("accepted" in m["Subject"] for m in messages)


def test_ask_the_community_from_a_failed_search_keeps_the_search(loaded_app):
    asker = member(loaded_app)
    asker.get("/search?q=export board csv")
    with loaded_app.app_context():
        search_id = db.session.scalars(
            select(db.func.max(db.text("id"))).select_from(db.text("search_event"))
        ).one()
    html = asker.get(f"/community/new?q=export+board+csv&sid={search_id}").get_data(as_text=True)
    assert 'value="export board csv"' in html
    thread_id = ask(asker, title="export board csv please", search_id=str(search_id))
    with loaded_app.app_context():
        assert db.session.get(Thread, thread_id).search_id == search_id


def test_suggestions_beside_the_form_are_counted(loaded_app):
    asker = member(loaded_app)
    composer = "c" * 32
    data = asker.get(
        f"/api/v1/search?q=reset password&source=composer&composer={composer}"
    ).get_json()
    asker.get(
        "/search/click",
        query_string={
            "sid": data["search_id"],
            "rank": 1,
            "to": data["results"][0]["url"],
            "composer": composer,
        },
    )
    ask(asker, composer_id=composer)
    with loaded_app.app_context():
        events = [
            (e.event, e.composer_id)
            for e in db.session.scalars(select(ComposerEvent).order_by(ComposerEvent.id))
        ]
    assert events == [("shown", composer), ("clicked", composer), ("posted", composer)]


def test_threads_are_searchable_and_leave_the_index_when_deleted(loaded_app):
    asker = member(loaded_app)
    thread_id = ask(
        asker, title="Gantt chart colours look wrong", body="The colours in the Gantt view are odd."
    )
    assert ("thread", "Gantt chart colours look wrong") in found(loaded_app, "gantt")
    with loaded_app.app_context():
        opening_id = db.session.scalars(select(Post).where(Post.thread_id == thread_id)).one().id
    post_action(asker, thread_id, f"/community/p/{opening_id}/delete")
    assert found(loaded_app, "gantt") == []
    assert asker.get(f"/community/t/{thread_id}").status_code == 404


def test_solved_threads_rank_above_unsolved_ones(loaded_app):
    asker = member(loaded_app)
    helper = member(loaded_app, "helper@example.com")
    open_id = ask(
        asker, title="Recurring tasks on weekends", body="Can recurring tasks skip weekends?"
    )
    solved_id = ask(
        asker,
        title="Recurring tasks on weekends?",
        body="Can recurring tasks skip weekends please?",
    )
    post_action(asker, solved_id, f"/community/t/{solved_id}/accept/{answer(helper, solved_id)}")
    with loaded_app.app_context():
        hits = search_index.search(SearchRequest(query="recurring weekends", kind="thread")).hits
    assert [h.doc_id for h in hits][:2] == [solved_id, open_id]
    assert hits[0].solved and not hits[1].solved


def test_listings_by_tab(loaded_app):
    asker = member(loaded_app)
    helper = member(loaded_app, "helper@example.com")
    lonely = ask(asker, title="Nobody answers this question")
    solved = ask(asker, title="This one gets solved quickly")
    post_action(asker, solved, f"/community/t/{solved}/accept/{answer(helper, solved)}")
    unanswered = asker.get("/community/?tab=unanswered&lang=all").get_data(as_text=True)
    assert "Nobody answers" in unanswered and "gets solved" not in unanswered
    solved_tab = asker.get("/community/?tab=solved&lang=all").get_data(as_text=True)
    assert "gets solved" in solved_tab and "Nobody answers" not in solved_tab
    assert f"/community/t/{lonely}" in unanswered and f"/community/t/{solved}" in solved_tab


def test_preview_renders_like_a_saved_post_and_needs_the_csrf_header(loaded_app):
    client = member(loaded_app)
    token = csrf_token(client.get("/community/new").get_data(as_text=True))
    refused = client.post("/community/preview", json={"body": "**hi**"})
    assert refused.status_code == 400
    response = client.post(
        "/community/preview",
        json={"body": "**hi** <script>x</script>"},
        headers={"X-CSRFToken": token},
    )
    assert (
        response.get_json()["html"] == "<p><strong>hi</strong> &lt;script&gt;x&lt;/script&gt;</p>"
    )


def test_posting_is_rate_limited_for_new_members(tmp_path):
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
    with app.app_context():
        db.create_all()
    client = member(app)
    statuses = []
    for i in range(11):
        page = client.get("/community/new").get_data(as_text=True)
        statuses.append(
            client.post(
                "/community/new",
                data={
                    "csrf_token": csrf_token(page),
                    "title": f"Question number {i}",
                    "body": "a body long enough",
                    "kind": "question",
                },
            ).status_code
        )
    assert statuses == [303] * 10 + [429]
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Thread)) == 10
        assert db.session.scalars(select(User)).one().email == "asker@example.com"
