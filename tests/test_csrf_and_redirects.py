"""CSRF on every state-changing browser request; redirects only ever stay on this site."""

import pytest

from tests.builders import csrf_token, make_user, sign_in

OPEN_REDIRECTS = [
    "https://evil.example/",
    "http://evil.example",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "%2F%2Fevil.example",
    "/%2F%2Fevil.example",
    "%252F%252Fevil.example",
    "/%5C%5Cevil.example",
    "javascript:alert(1)",
    "java\tscript:alert(1)",
    " //evil.example",
    "https:evil.example",
    "data:text/html;base64,PHNjcmlwdD4=",
]


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/signin", {"email": "a@example.com", "password": "whatever123"}),
        (
            "/signup",
            {"email": "a@example.com", "display_name": "A", "password": "long enough pass"},
        ),
        ("/reset", {"email": "a@example.com"}),
        ("/articles/en/reset-password/feedback", {"helpful": "yes"}),
    ],
)
def test_forms_without_a_csrf_token_are_refused(client, path, data):
    response = client.post(path, data=data)
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)


def test_signed_in_actions_need_the_token_too(loaded_app):
    make_user(loaded_app, "me@example.com")
    client = loaded_app.test_client()
    sign_in(client, "me@example.com")
    assert client.post("/signout").status_code == 400
    assert client.post("/account/tokens", data={"name": "x"}).status_code == 400
    assert client.get("/account/").status_code == 200  # still signed in


def test_the_token_may_come_in_a_header_for_script_requests(loaded_app):
    make_user(loaded_app, "me@example.com")
    client = loaded_app.test_client()
    sign_in(client, "me@example.com")
    token = csrf_token(client.get("/").get_data(as_text=True))
    assert client.post("/signout", headers={"X-CSRFToken": token}).status_code == 303
    assert client.get("/account/").status_code == 302


def test_bearer_api_calls_need_no_csrf_token_but_cookie_ones_do(loaded_app):
    make_user(loaded_app, "staff@example.com", role="staff")
    client = loaded_app.test_client()
    sign_in(client, "staff@example.com")
    assert client.post("/api/v1/staff/searches").status_code == 400  # cookie auth, no token
    assert (
        client.post("/api/v1/staff/searches", headers={"Authorization": "Bearer hc_x"}).status_code
        == 401
    )


@pytest.mark.parametrize("target", OPEN_REDIRECTS)
def test_sign_in_never_redirects_off_site(loaded_app, target):
    make_user(loaded_app, "me@example.com")
    response = sign_in(loaded_app.test_client(), "me@example.com", next_url=target)
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", OPEN_REDIRECTS)
def test_language_switch_never_redirects_off_site(client, target):
    assert client.get("/language/en", query_string={"next": target}).headers["Location"] == "/"


def test_guarded_pages_send_people_to_sign_in_and_back(loaded_app):
    make_user(loaded_app, "staff@example.com", role="staff")
    client = loaded_app.test_client()
    response = client.get("/staff/?days=30")
    assert response.status_code == 302
    next_url = response.headers["Location"].split("next=")[1]
    signed = sign_in(
        client,
        "staff@example.com",
        next_url=next_url.replace("%2F", "/").replace("%3F", "?").replace("%3D", "="),
    )
    assert signed.headers["Location"] == "/staff/?days=30"


@pytest.mark.parametrize("path", ["/signin", "/account/", "/staff/", "/api/v1/staff/searches"])
def test_security_headers_everywhere(client, path):
    headers = client.get(path).headers
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]


def test_session_cookie_flags(loaded_app):
    make_user(loaded_app, "me@example.com")
    response = sign_in(loaded_app.test_client(), "me@example.com")
    cookie = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")][0]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
