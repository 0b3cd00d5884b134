"""Links in mail come from PUBLIC_BASE_URL, never from a request's Host header; hosts the site
does not serve are refused; production cookies and headers; one-click unsubscribe (RFC 8058)."""

import re

import pytest
from sqlalchemy import inspect, select

from helpcenter import create_app, mail
from helpcenter.config import ProductionConfig
from helpcenter.extensions import db
from helpcenter.models import AnswerAlert, User
from tests.builders import (
    PASSWORD,
    answer,
    ask,
    ask_for_alert,
    csrf_token,
    make_user,
    member,
    publish_for,
)

PUBLIC = "https://help.example.com/support"
HOSTS = {"PUBLIC_BASE_URL": "https://help.example.com", "SECRET_KEY": "k" * 40}


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def links_in(message) -> list[str]:
    return re.findall(r"https?://\S+", text_of(message))


# -- links in mail --------------------------------------------------------------------------------


def test_a_reset_asked_for_with_a_forged_host_links_to_the_public_address(
    client, loaded_app, mailbox
):
    loaded_app.config["PUBLIC_BASE_URL"] = PUBLIC
    make_user(loaded_app, "me@example.com")
    forged = {"Host": "evil.example"}
    page = client.get("/reset", headers=forged).get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "email": "me@example.com"}
    client.post("/reset", data=data, headers=forged)
    [message] = mailbox.wait_for("me@example.com")
    assert "evil.example" not in message.as_string()
    [link] = links_in(message)
    assert link.startswith(f"{PUBLIC}/reset/")
    path = link.removeprefix(PUBLIC)  # the proxy strips the prefix before the app sees it
    assert "new password" in client.get(path).get_data(as_text=True).lower()


def test_notification_mail_links_and_unsubscribes_in_one_click(loaded_app, mailbox):
    loaded_app.config["PUBLIC_BASE_URL"] = PUBLIC
    asker = member(loaded_app)
    thread_id = ask(asker)
    answer(member(loaded_app, "helper@example.com"), thread_id)
    [message] = mailbox.wait_for("asker@example.com")
    assert all(link.startswith(PUBLIC) for link in links_in(message))
    unsubscribe = message["List-Unsubscribe"].strip("<>")
    assert unsubscribe in text_of(message) and unsubscribe.startswith(f"{PUBLIC}/community/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    before = user_row(loaded_app, "asker@example.com")
    mail_client = loaded_app.test_client()  # no cookie, no CSRF token: a mail provider's POST
    path = unsubscribe.removeprefix(PUBLIC)
    response = mail_client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "unsubscribed" in response.get_data(as_text=True)
    after = user_row(loaded_app, "asker@example.com")
    assert after.pop("notify_email") == "none" and before.pop("notify_email") == "each"
    assert after == before  # nothing else about the account changed
    assert mail_client.get("/account/").status_code == 302  # and nobody was signed in
    assert mail_client.post(path + "x").status_code == 400  # the token is what counts


def user_row(app, email) -> dict:
    with app.app_context():
        user = db.session.scalars(select(User).where(User.email == email)).one()
        return {c.key: getattr(user, c.key) for c in inspect(User).column_attrs}


def test_the_digest_command_links_to_the_public_address_with_one_click_unsubscribe(
    loaded_app, mailbox
):
    loaded_app.config["PUBLIC_BASE_URL"] = PUBLIC
    asker = member(loaded_app)
    with loaded_app.app_context():
        db.session.scalars(select(User)).one().notify_email = "digest"
        db.session.commit()
    answer(member(loaded_app, "helper@example.com"), ask(asker))
    result = loaded_app.test_cli_runner().invoke(args=["notifications", "digest"])
    assert "Queued 1 digest(s)." in result.output
    [digest] = mailbox.wait_for("asker@example.com")
    assert all(link.startswith(PUBLIC) for link in links_in(digest))
    assert digest["List-Unsubscribe"] == f"<{links_in(digest)[-1]}>"
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_an_answer_alert_stops_in_one_click(loaded_app, mailbox):
    loaded_app.config["PUBLIC_BASE_URL"] = PUBLIC
    visitor = loaded_app.test_client()
    ask_for_alert(visitor, "zebra quokka", "reader@example.com")
    ask_for_alert(visitor, "dark mode", "reader@example.com")
    publish_for(loaded_app, "zebra quokka")
    [message] = mailbox.wait_for("reader@example.com")
    stop = message["List-Unsubscribe"].strip("<>")
    assert stop.startswith(f"{PUBLIC}/search/alerts/stop/") and stop in text_of(message)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = stop.removeprefix(PUBLIC)
    response = loaded_app.test_client().post(path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "cancelled" in response.get_data(as_text=True)
    with loaded_app.app_context():  # the alert still waiting ("dark mode") is gone
        assert [a.query for a in db.session.scalars(select(AnswerAlert))] == ["zebra quokka"]


def test_the_unsubscribe_header_reaches_mail_clients_unencoded(app):
    """A folded long URL would become RFC 2047 encoded words, which clients don't decode there."""
    link = f"{PUBLIC}/community/unsubscribe/{'t' * 150}"
    user_id = make_user(app)
    with app.app_context():
        user = db.session.get(User, user_id)
        context = {"user": user, "items": [], "unsubscribe": link}
        message = mail.compose("notify_digest", user.email, "en", list_unsubscribe=link, **context)
    raw = message.as_bytes()
    assert f"List-Unsubscribe: <{link}>".encode() in raw
    assert b"List-Unsubscribe-Post: List-Unsubscribe=One-Click" in raw


def test_only_the_unsubscribe_links_take_a_post_without_a_csrf_token(loaded_app):
    client = loaded_app.test_client()
    exempt = set()
    for rule in loaded_app.url_map.iter_rules():
        if "POST" not in rule.methods:
            continue
        path = re.sub(r"<int:\w+>", "1", rule.rule)
        path = re.sub(r"<(?:\w+:)?\w+>", "x", path)
        response = client.post(path, data={"x": "y"})
        if not (response.status_code == 400 and "form expired" in response.get_data(as_text=True)):
            exempt.add(rule.endpoint)
    assert exempt == {"community.unsubscribe", "search.stop_alerts"}


# -- configuration, hosts, cookies and headers ----------------------------------------------------


def production_app(tmp_path):
    """Jobs are left queued: the web process's drainer thread would outlive the test."""
    database = f"sqlite:///{tmp_path / 'p.db'}"
    return create_app(
        ProductionConfig, {**HOSTS, "SQLALCHEMY_DATABASE_URI": database, "JOBS_INLINE": False}
    )


def test_production_refuses_to_start_without_a_public_address(monkeypatch):
    monkeypatch.delenv("HELPCENTER_PUBLIC_BASE_URL", raising=False)
    with pytest.raises(RuntimeError, match="HELPCENTER_PUBLIC_BASE_URL"):
        create_app(ProductionConfig, {"SECRET_KEY": "k" * 40})


@pytest.mark.parametrize("url", ["help.example.com", "ftp://help.example.com", "https://x/?a=1"])
def test_a_public_address_that_is_not_a_site_is_refused(url):
    with pytest.raises(RuntimeError, match="HELPCENTER_PUBLIC_BASE_URL"):
        create_app(ProductionConfig, {**HOSTS, "PUBLIC_BASE_URL": url})


def test_production_serves_its_public_host_and_the_ones_listed(monkeypatch, tmp_path):
    monkeypatch.setenv("HELPCENTER_TRUSTED_HOSTS", '["www.example.com"]')
    app = production_app(tmp_path)
    assert app.config["TRUSTED_HOSTS"] == ["help.example.com", "www.example.com"]
    client = app.test_client()

    def status(site: str) -> int:
        with client.get("/static/favicon.svg", base_url=site) as response:
            return response.status_code

    assert status("https://help.example.com") == status("https://www.example.com") == 200
    assert status("https://evil.example") == 400


def test_an_untrusted_host_gets_a_400(loaded_app):
    loaded_app.config["TRUSTED_HOSTS"] = ["help.example.com"]
    client = loaded_app.test_client()
    assert client.get("/", headers={"Host": "help.example.com"}).status_code == 200
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/api/v1/search?q=x", headers={"Host": "evil.example"}).status_code == 400


@pytest.mark.parametrize("trusted", [None, ["help.example.com"]])
def test_a_host_name_with_a_300_character_label_gets_a_400_not_a_500(loaded_app, trusted):
    loaded_app.config["TRUSTED_HOSTS"] = trusted
    response = loaded_app.test_client().get("/", headers={"Host": "a" * 300 + ".example"})
    assert response.status_code == 400


def test_production_cookies_are_host_only(tmp_path):
    app = production_app(tmp_path)
    with app.app_context():
        db.create_all()
    make_user(app, "me@example.com")
    client = app.test_client()
    site = "https://help.example.com"
    page = client.get("/signin", base_url=site).get_data(as_text=True)
    data = {"email": "me@example.com", "password": PASSWORD, "remember": "y"}
    data["csrf_token"] = csrf_token(page)
    referer = {"Referer": f"{site}/signin"}  # HTTPS forms must come from this site
    response = client.post("/signin", base_url=site, data=data, headers=referer)
    assert response.status_code == 303
    cookies = {c.split("=", 1)[0]: c for c in response.headers.getlist("Set-Cookie")}
    assert {"__Host-session", "__Host-remember_token"} <= set(cookies)
    for name in ("__Host-session", "__Host-remember_token"):
        assert "Secure" in cookies[name] and "Path=/;" in cookies[name] + ";"
        assert "Domain" not in cookies[name]
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_pages_ask_browsers_for_isolation_and_no_device_access(client):
    headers = client.get("/").headers
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in headers["Permissions-Policy"]
