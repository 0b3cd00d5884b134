"""Password reset by email, and sign-in lockout: single-use links, expiry, no enumeration."""

from datetime import timedelta

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import select

from helpcenter.extensions import db
from helpcenter.models import SignInThrottle
from helpcenter.models.base import utcnow
from tests.builders import PASSWORD, csrf_token, link_in, make_user, sign_in, without_tokens

NEW_PASSWORD = "a brand new passphrase"


def request_reset(client, email):
    page = client.get("/reset").get_data(as_text=True)
    return client.post("/reset", data={"csrf_token": csrf_token(page), "email": email})


def choose_password(client, link, password=NEW_PASSWORD):
    page = client.get(link).get_data(as_text=True)
    return client.post(
        link, data={"csrf_token": csrf_token(page), "password": password, "confirm": password}
    )


def test_reset_answers_the_same_for_known_and_unknown_emails(client, loaded_app, mailbox):
    make_user(loaded_app, "known@example.com")
    known = request_reset(client, "known@example.com")
    unknown = request_reset(client, "unknown@example.com")
    assert known.status_code == unknown.status_code == 200
    known_page = without_tokens(known.get_data(as_text=True)).replace("known@", "unknown@")
    assert known_page == without_tokens(unknown.get_data(as_text=True))
    mailbox.wait_for("known@example.com")
    assert mailbox.to("unknown@example.com") == []


def test_reset_link_sets_a_new_password_and_works_once(client, loaded_app, mailbox):
    make_user(loaded_app, "me@example.com")
    request_reset(client, "me@example.com")
    link = link_in(mailbox.wait_for("me@example.com")[0])
    assert choose_password(client, link).status_code == 303
    assert sign_in(loaded_app.test_client(), "me@example.com", NEW_PASSWORD).status_code == 303
    assert sign_in(loaded_app.test_client(), "me@example.com", PASSWORD).status_code == 400
    reused = client.get(link)
    assert reused.status_code == 400 and "no longer works" in reused.get_data(as_text=True)


def test_reset_link_expires_after_an_hour(client, loaded_app, mailbox, monkeypatch):
    make_user(loaded_app, "me@example.com")
    real = TimestampSigner.get_timestamp
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: real(self) - 3601)
    request_reset(client, "me@example.com")
    link = link_in(mailbox.wait_for("me@example.com")[0])
    monkeypatch.setattr(TimestampSigner, "get_timestamp", real)
    response = client.get(link)
    assert response.status_code == 400 and "expired" in response.get_data(as_text=True)


def test_reset_refuses_a_weak_new_password(client, loaded_app, mailbox):
    make_user(loaded_app, "me@example.com")
    request_reset(client, "me@example.com")
    link = link_in(mailbox.wait_for("me@example.com")[0])
    response = choose_password(client, link, "1234567890")
    assert response.status_code == 400 and "too common" in response.get_data(as_text=True)
    assert choose_password(client, link).status_code == 303  # the link still works


def unlock_wait(app):
    """Pretend the short wait after a failure has passed."""
    with app.app_context():
        for throttle in db.session.scalars(select(SignInThrottle)):
            if throttle.failures < 10:
                throttle.locked_until = utcnow() - timedelta(seconds=1)
        db.session.commit()


def failed_attempts(app, email, count):
    statuses = []
    for _ in range(count):
        statuses.append(sign_in(app.test_client(), email, "wrong password here").status_code)
        unlock_wait(app)
    return statuses


def test_failed_sign_ins_slow_down_then_lock_and_email_the_owner(loaded_app, mailbox):
    make_user(loaded_app, "me@example.com")
    statuses = [
        sign_in(loaded_app.test_client(), "me@example.com", "wrong password").status_code
        for _ in range(6)
    ]
    assert statuses == [400] * 5 + [429]  # after five, the next attempt must wait
    unlock_wait(loaded_app)
    failed_attempts(loaded_app, "me@example.com", 5)  # the refused sixth did not count: ten now
    [locked] = mailbox.wait_for("me@example.com")
    assert "locked" in locked["Subject"]
    response = sign_in(loaded_app.test_client(), "me@example.com")  # even the right password
    assert response.status_code == 429 and "Too many attempts" in response.get_data(as_text=True)


def test_throttling_looks_the_same_for_unknown_addresses(loaded_app, mailbox):
    make_user(loaded_app, "me@example.com")
    known = failed_attempts(loaded_app, "me@example.com", 11)
    unknown = failed_attempts(loaded_app, "ghost@example.com", 11)
    assert known == unknown == [400] * 10 + [429]
    assert mailbox.to("ghost@example.com") == []


def test_a_password_reset_lifts_the_lock(client, loaded_app, mailbox):
    make_user(loaded_app, "me@example.com")
    failed_attempts(loaded_app, "me@example.com", 10)
    request_reset(client, "me@example.com")
    reset_mail = [
        m for m in mailbox.wait_for("me@example.com", count=2) if "Reset" in m["Subject"]
    ][0]
    choose_password(client, link_in(reset_mail))
    assert sign_in(loaded_app.test_client(), "me@example.com", NEW_PASSWORD).status_code == 303


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("", "This field is required."),
        ("not-an-email", "Invalid email address."),
        ("a" * 300 + "@example.com", "Field cannot be longer than 254 characters."),
    ],
)
def test_reset_form_rejects_bad_addresses_with_a_message(client, address, message):
    response = request_reset(client, address)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page and 'aria-invalid="true"' in page
