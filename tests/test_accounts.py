"""Sign-up with email confirmation, sign-in and -out, remember me, password hashing."""

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from helpcenter.extensions import db
from helpcenter.models import User
from tests.builders import PASSWORD, csrf_token, link_in, make_user, sign_in, without_tokens


def signup(client, email="new@example.com", name="New Person", password=PASSWORD, lang="en"):
    page = client.get("/signup", headers={"Accept-Language": lang}).get_data(as_text=True)
    return client.post(
        "/signup",
        data={
            "csrf_token": csrf_token(page),
            "email": email,
            "display_name": name,
            "password": password,
        },
        headers={"Accept-Language": lang},
    )


def user_by_email(app, email):
    with app.app_context():
        return db.session.scalars(select(User).where(User.email == email)).first()


def test_sign_up_sends_a_multipart_confirmation_in_the_readers_language(
    client, loaded_app, mailbox
):
    response = signup(client, email="Hanako@Example.com", name="山田 花子", lang="ja")
    assert response.status_code == 200
    assert "メール" in response.get_data(as_text=True)
    [message] = mailbox.wait_for("hanako@example.com")
    assert message.get_content_type() == "multipart/alternative"
    assert message["Subject"] == "メールアドレスの確認"
    assert "山田 花子" in message.get_body(("plain",)).get_content()
    assert "<a href=" in message.get_body(("html",)).get_content()
    user = user_by_email(loaded_app, "hanako@example.com")
    assert user.lang == "ja" and not user.is_confirmed


def test_confirmation_link_confirms_once(client, loaded_app, mailbox):
    signup(client)
    link = link_in(mailbox.wait_for("new@example.com")[0])
    assert client.get(link).status_code == 302
    assert user_by_email(loaded_app, "new@example.com").is_confirmed
    again = client.get(link)
    assert again.status_code == 400 and "no longer works" in again.get_data(as_text=True)


def test_forged_confirmation_link_is_refused(client):
    assert client.get("/confirm/not-a-real-token").status_code == 400


def test_weak_passwords_are_refused_with_a_reason(client, loaded_app):
    for password, reason in (
        ("short1", "at least 10 characters"),
        ("password123", "too common"),
        ("aaaaaaaaaaaa", "too common"),
        ("new-person-2026", None),  # fine
    ):
        response = signup(client, email=f"{len(password)}x@example.com", password=password)
        if reason:
            assert response.status_code == 400
            assert reason in response.get_data(as_text=True)
            assert user_by_email(loaded_app, f"{len(password)}x@example.com") is None
        else:
            assert response.status_code == 200


def test_password_containing_the_email_name_is_refused(client):
    response = signup(client, email="yamamoto@example.com", password="yamamoto-secret-99")
    assert response.status_code == 400 and "email address or name" in response.get_data(
        as_text=True
    )


def test_signing_up_with_a_taken_email_reveals_nothing_and_warns_the_owner(
    client, loaded_app, mailbox
):
    make_user(loaded_app, "taken@example.com")
    fresh = without_tokens(signup(client, email="fresh@example.com").get_data(as_text=True))
    taken = without_tokens(signup(client, email="taken@example.com").get_data(as_text=True))
    assert fresh.replace("fresh@", "taken@") == taken
    [warning] = mailbox.wait_for("taken@example.com")
    assert "already have one" in warning.get_body(("plain",)).get_content()
    with loaded_app.app_context():
        assert (
            len(db.session.scalars(select(User).where(User.email == "taken@example.com")).all())
            == 1
        )


def test_sign_in_and_sign_out(client, loaded_app):
    make_user(loaded_app, "me@example.com", name="Me Myself")
    response = sign_in(client, "me@example.com")
    assert response.status_code == 303
    assert "Me Myself" in client.get("/").get_data(as_text=True)
    page = client.get("/").get_data(as_text=True)
    client.post("/signout", data={"csrf_token": csrf_token(page)})
    assert "Me Myself" not in client.get("/").get_data(as_text=True)


def test_wrong_password_and_unknown_email_get_the_same_answer(client, loaded_app):
    make_user(loaded_app, "me@example.com")
    wrong = sign_in(client, "me@example.com", "not the password at all")
    unknown = sign_in(client, "nobody@example.com", "not the password at all")
    assert wrong.status_code == unknown.status_code == 400
    assert without_tokens(wrong.get_data(as_text=True)).replace("me@", "nobody@") == without_tokens(
        unknown.get_data(as_text=True)
    )


def test_sign_in_follows_a_safe_next_only(client, loaded_app):
    make_user(loaded_app, "me@example.com")
    assert (
        sign_in(client, "me@example.com", next_url="/account/").headers["Location"] == "/account/"
    )
    other = loaded_app.test_client()
    assert (
        sign_in(other, "me@example.com", next_url="https://evil.example/").headers["Location"]
        == "/"
    )


def test_a_session_copied_before_sign_out_is_dead_after_it(loaded_app):
    make_user(loaded_app, "me@example.com")
    browser = loaded_app.test_client()
    sign_in(browser, "me@example.com", remember=True)
    stolen = browser.get_cookie("session").value
    stolen_remember = browser.get_cookie("remember_token").value
    page = browser.get("/").get_data(as_text=True)
    browser.post("/signout", data={"csrf_token": csrf_token(page)})
    thief = loaded_app.test_client()
    thief.set_cookie("session", stolen)
    thief.set_cookie("remember_token", stolen_remember)
    assert thief.get("/account/").status_code == 302


def test_remember_me_keeps_the_person_signed_in_without_a_session(loaded_app):
    make_user(loaded_app, "me@example.com")
    browser = loaded_app.test_client()
    sign_in(browser, "me@example.com", remember=True)
    remember = browser.get_cookie("remember_token")
    assert remember is not None and remember.http_only
    fresh = loaded_app.test_client()
    fresh.set_cookie("remember_token", remember.value)
    assert fresh.get("/account/").status_code == 200


def test_passwords_are_hashed_with_scrypt_and_rehashed_when_parameters_change(client, loaded_app):
    make_user(loaded_app, "old@example.com")
    with loaded_app.app_context():
        user = db.session.scalars(select(User).where(User.email == "old@example.com")).one()
        assert user.password_hash.startswith("scrypt:32768:8:1$")
        user.password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
        db.session.commit()
    assert sign_in(client, "old@example.com").status_code == 303
    assert user_by_email(loaded_app, "old@example.com").password_hash.startswith(
        "scrypt:32768:8:1$"
    )


def test_suspended_people_cannot_sign_in(client, loaded_app):
    make_user(loaded_app, "me@example.com")
    with loaded_app.app_context():
        db.session.scalars(select(User)).one().suspended_at = db.func.now()
        db.session.commit()
    response = sign_in(client, "me@example.com")
    assert response.status_code == 400 and "suspended" in response.get_data(as_text=True)
