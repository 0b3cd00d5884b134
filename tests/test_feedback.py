""" "Was this helpful?": votes and reasons are stored, forms are CSRF-protected."""

import re

from sqlalchemy import select

from helpcenter.extensions import db
from helpcenter.models import HelpfulVote
from tests.builders import csrf_token

URL = "/articles/en/reset-password"


def votes(app):
    with app.app_context():
        return db.session.scalars(select(HelpfulVote)).all()


def test_helpful_vote_is_stored(client, loaded_app):
    token = csrf_token(client.get(URL).get_data(as_text=True))
    response = client.post(f"{URL}/feedback", data={"csrf_token": token, "helpful": "yes"})
    assert response.status_code == 303
    [vote] = votes(loaded_app)
    assert vote.helpful is True
    assert "glad it helped" in client.get(URL).get_data(as_text=True)


def test_no_vote_asks_why_and_stores_reason_and_text(client, loaded_app):
    token = csrf_token(client.get(URL).get_data(as_text=True))
    response = client.post(f"{URL}/feedback", data={"csrf_token": token, "helpful": "no"})
    assert response.status_code == 303 and "feedback=no" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "What went wrong?" in page and 'name="reason"' in page and 'name="comment"' in page
    client.post(
        f"{URL}/feedback",
        data={
            "csrf_token": csrf_token(page),
            "reason": "missing_steps",
            "comment": "Where is the link?",
        },
    )
    [vote] = votes(loaded_app)
    assert (vote.helpful, vote.reason, vote.comment) == (
        False,
        "missing_steps",
        "Where is the link?",
    )


def test_voting_again_replaces_the_earlier_vote(client, loaded_app):
    token = csrf_token(client.get(URL).get_data(as_text=True))
    client.post(f"{URL}/feedback", data={"csrf_token": token, "helpful": "no"})
    client.post(f"{URL}/feedback", data={"csrf_token": token, "helpful": "yes"})
    [vote] = votes(loaded_app)
    assert vote.helpful is True


def test_unknown_reason_is_a_400_with_a_message(client, loaded_app):
    token = csrf_token(client.get(URL).get_data(as_text=True))
    response = client.post(f"{URL}/feedback", data={"csrf_token": token, "reason": "hacked"})
    assert response.status_code == 400
    assert "Choose one of the reasons" in response.get_data(as_text=True)
    assert votes(loaded_app) == []


def test_bad_vote_value_is_a_400(client, loaded_app):
    token = csrf_token(client.get(URL).get_data(as_text=True))
    assert (
        client.post(f"{URL}/feedback", data={"csrf_token": token, "helpful": "maybe"}).status_code
        == 400
    )
    assert votes(loaded_app) == []


def test_vote_without_csrf_token_is_rejected(client, loaded_app):
    response = client.post(f"{URL}/feedback", data={"helpful": "yes"})
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)
    assert votes(loaded_app) == []


def test_overlong_comment_is_refused_not_truncated_silently(client, loaded_app):
    token = csrf_token(client.get(URL).get_data(as_text=True))
    response = client.post(
        f"{URL}/feedback", data={"csrf_token": token, "reason": "other", "comment": "x" * 2001}
    )
    assert response.status_code == 400
    assert votes(loaded_app) == []


def test_oversized_request_is_a_413(client):
    response = client.post(f"{URL}/feedback", data={"comment": "x" * (2 * 1024 * 1024)})
    assert response.status_code == 413


def feedback_box(page: str) -> str:
    match = re.search(r'<section id="feedback".*?</section>', page, re.S)
    assert match, "no feedback box on the page"
    return match.group(0)


def test_without_javascript_the_thanks_shows_in_the_box_the_redirect_lands_on(client):
    token = csrf_token(client.get(URL).get_data(as_text=True))
    response = client.post(f"{URL}/feedback", data={"csrf_token": token, "helpful": "yes"})
    assert response.headers["Location"].endswith("#feedback")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    box = feedback_box(page)
    assert "glad it helped" in box and 'data-vote="yes"' not in box
    assert page.count("glad it helped") == 1  # not again at the top, 1,500 px above
    assert "glad it helped" not in client.get(URL).get_data(as_text=True)  # shown once


def test_sent_by_the_page_script_the_answer_is_the_box_alone(client, loaded_app):
    token = csrf_token(client.get(URL).get_data(as_text=True))
    in_place = {"X-Feedback-Box": "1"}
    no = client.post(
        f"{URL}/feedback", data={"csrf_token": token, "helpful": "no"}, headers=in_place
    )
    html = no.get_data(as_text=True)
    assert no.status_code == 200 and html.lstrip().startswith('<section id="feedback"')
    assert "What went wrong?" in html and "<html" not in html

    bad = client.post(
        f"{URL}/feedback", data={"csrf_token": token, "reason": "hacked"}, headers=in_place
    )
    assert bad.status_code == 400 and "Choose one of the reasons" in bad.get_data(as_text=True)

    sent = client.post(
        f"{URL}/feedback",
        data={"csrf_token": csrf_token(html), "reason": "incorrect", "comment": "Old menu."},
        headers=in_place,
    )
    assert "Your feedback helps us improve this article" in feedback_box(
        sent.get_data(as_text=True)
    )
    [vote] = votes(loaded_app)
    assert (vote.helpful, vote.reason, vote.comment) == (False, "incorrect", "Old menu.")
    assert "Your feedback helps" not in client.get(URL).get_data(as_text=True)  # nothing left over
