""" "Was this helpful?": votes and reasons are stored, forms are CSRF-protected."""

from sqlalchemy import select

from helpcenter.extensions import db
from helpcenter.models import HelpfulVote
from tests.conftest import csrf_token

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
