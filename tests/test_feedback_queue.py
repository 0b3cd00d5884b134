"""The feedback queue: "not helpful" with text becomes work for the article's owner, who is
emailed, and staff move each item through new, planned, resolved or dismissed."""

import csv
import io

from sqlalchemy import select

from helpcenter.extensions import db
from helpcenter.models import Article, AuditEntry, HelpfulVote
from tests.builders import csrf_token, make_user, sign_in

URL = "/articles/en/reset-password"


def not_helpful(app, comment, reason="missing_steps"):
    """A new reader answers "No", then says why; returns the reader's client."""
    reader = app.test_client()
    token = csrf_token(reader.get(URL).get_data(as_text=True))
    reader.post(f"{URL}/feedback", data={"csrf_token": token, "helpful": "no"})
    page = reader.get(f"{URL}?feedback=no").get_data(as_text=True)
    response = reader.post(
        f"{URL}/feedback",
        data={
            "csrf_token": csrf_token(page),
            "reason": reason,
            "comment": comment,
        },
    )
    assert response.status_code == 303
    return reader


def staff_client(app, email="owner@example.com", name="Olivia Owner", lang="en"):
    make_user(app, email, role="staff", name=name, lang=lang)
    client = app.test_client()
    sign_in(client, email)
    return client


def queue_page(client, **args):
    response = client.get("/staff/feedback", query_string=args)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def post_from(client, page_url, action):
    token = csrf_token(client.get(page_url).get_data(as_text=True))
    return client.post(action, data={"csrf_token": token})


def only_vote(app) -> HelpfulVote:
    with app.app_context():
        return db.session.scalars(select(HelpfulVote)).one()


def take_ownership(client, app):
    with app.app_context():
        article_id = db.session.scalars(
            select(Article.id).where(Article.slug == "reset-password", Article.lang == "en")
        ).one()
    page = "/staff/feedback?tab=unowned"
    response = post_from(client, page, f"/staff/feedback/articles/{article_id}/own?tab=unowned")
    assert response.status_code == 303
    return article_id


def mark(client, vote_id, status, view=None):
    """Press a status button on the queue page showing `view` (query arguments)."""
    page = client.get("/staff/feedback", query_string=view or {}).get_data(as_text=True)
    return client.post(
        f"/staff/feedback/{vote_id}/status", data={"csrf_token": csrf_token(page), "status": status}
    )


def test_unowned_feedback_waits_until_someone_takes_the_article(loaded_app):
    staff = staff_client(loaded_app)
    not_helpful(loaded_app, "Where is the reset link?")
    assert "Where is the reset link?" not in queue_page(staff)  # "Mine" is the default tab
    unowned = queue_page(staff, tab="unowned")
    assert "Where is the reset link?" in unowned and "Take ownership of this article" in unowned
    assert "Steps or screenshots are missing" in unowned  # the reason's label, as on the article
    take_ownership(staff, loaded_app)
    mine = queue_page(staff)
    assert "Where is the reset link?" in mine and "Take ownership" not in mine
    assert "Where is the reset link?" not in queue_page(staff, tab="unowned")
    with loaded_app.app_context():
        assert (
            db.session.scalars(select(AuditEntry.action)).all().count("article.take_ownership") == 1
        )


def test_the_owner_is_emailed_in_their_language_with_the_comment_and_a_link(loaded_app, mailbox):
    staff = staff_client(loaded_app, lang="ja")
    take_ownership(staff, loaded_app)
    not_helpful(loaded_app, "The email never arrives.", reason="incorrect")
    [message] = mailbox.wait_for("owner@example.com")
    text = message.get_body(("plain",)).get_content()
    assert "Olivia Owner 様" in text  # the owner's language
    assert "内容が間違っている、または古い" in text
    site = loaded_app.config["PUBLIC_BASE_URL"]  # never the Host the request came with
    assert "The email never arrives." in text and f"{site}/staff/feedback" in text
    assert f"{site}/articles/en/reset-password" in text
    page = staff.get("/staff/feedback").get_data(as_text=True)  # where the mail's link leads
    assert "The email never arrives." in page and "内容が間違っている、または古い" in page


def test_the_dashboard_counts_my_new_feedback(loaded_app):
    staff = staff_client(loaded_app)
    take_ownership(staff, loaded_app)
    not_helpful(loaded_app, "Too short.")
    not_helpful(loaded_app, "Outdated screenshots.")
    dashboard = staff.get("/staff/").get_data(as_text=True)
    assert 'href="/staff/feedback">Feedback <span class="badge">2</span></a>' in dashboard


def test_statuses_move_items_between_filters_and_are_recorded(loaded_app):
    staff = staff_client(loaded_app)
    take_ownership(staff, loaded_app)
    not_helpful(loaded_app, "Please add screenshots.")
    vote_id = only_vote(loaded_app).id
    response = mark(staff, vote_id, "planned")
    assert response.status_code == 303
    assert "Please add screenshots." not in queue_page(staff)  # new is the default filter
    planned = queue_page(staff, status="planned")
    assert "Please add screenshots." in planned and "by Olivia Owner" in planned
    for status in ("resolved", "dismissed"):
        mark(staff, vote_id, status, view={"status": "planned"})
        assert "Please add screenshots." in queue_page(staff, status=status)
    vote = only_vote(loaded_app)
    assert vote.feedback_status == "dismissed" and vote.feedback_by_id and vote.feedback_at
    with loaded_app.app_context():
        actions = db.session.scalars(select(AuditEntry.action)).all()
    assert {"feedback.planned", "feedback.resolved", "feedback.dismissed"} <= set(actions)
    assert mark(staff, vote_id, "done").status_code == 400
    assert staff.get("/staff/feedback?tab=everyone").status_code == 400


def test_changing_the_vote_to_yes_takes_it_out_of_the_queue(loaded_app):
    staff = staff_client(loaded_app)
    reader = not_helpful(loaded_app, "Confusing second step.")
    assert "Confusing second step." in queue_page(staff, tab="all")
    assert "Your feedback helps" in reader.get(URL).get_data(as_text=True)  # the thanks, once
    token = csrf_token(reader.get(URL).get_data(as_text=True))  # then the question again
    reader.post(f"{URL}/feedback", data={"csrf_token": token, "helpful": "yes"})
    assert "Confusing second step." not in queue_page(staff, tab="all", status="all")
    assert only_vote(loaded_app).feedback_status is None


def test_reader_comments_are_shown_as_text(loaded_app):
    staff = staff_client(loaded_app)
    not_helpful(loaded_app, '<script>alert(1)</script><img src=x onerror="alert(2)">')
    page = queue_page(staff, tab="all")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page and "<img src=x" not in page


def test_csv_exports_the_current_view_and_defuses_formulas(loaded_app):
    staff = staff_client(loaded_app)
    take_ownership(staff, loaded_app)
    not_helpful(loaded_app, '=HYPERLINK("http://evil.example","click")')
    not_helpful(loaded_app, "Needs a video.", reason="hard_to_follow")
    mark(staff, only_vote_with(loaded_app, "Needs a video."), "planned")

    def rows(**args):
        response = staff.get("/staff/feedback.csv", query_string=args)
        assert response.status_code == 200 and response.mimetype == "text/csv"
        return list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))

    [new] = rows()
    assert new["comment"] == '\'=HYPERLINK("http://evil.example","click")'
    assert (new["status"], new["lang"], new["path"], new["owner"]) == (
        "new",
        "en",
        "/articles/en/reset-password",
        "Olivia Owner",
    )
    [planned] = rows(status="planned")
    assert (planned["reason"], planned["handled_by"]) == ("hard_to_follow", "Olivia Owner")
    assert len(rows(tab="all", status="all")) == 2 and rows(tab="unowned", status="all") == []


def only_vote_with(app, comment) -> int:
    with app.app_context():
        return db.session.scalars(
            select(HelpfulVote.id).where(HelpfulVote.comment == comment)
        ).one()
