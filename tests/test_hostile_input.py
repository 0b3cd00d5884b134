"""Malformed input on every route answers 400/404/413, never a 500. Routes come from the app's
URL map and URL parameters are filled with real objects (as in test_permissions), so a route
added later is probed too. One app serves each sweep: a sweep is many requests, not many apps."""

import io
import logging
import re
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from helpcenter.extensions import db
from helpcenter.models import ApiToken, Post, SupportRequest, Thread, User
from helpcenter.services.accounts import api_tokens
from helpcenter.services.community import posts
from helpcenter.services.content import catalog
from tests.builders import answer, ask, csrf_token, make_user, member, real_objects, sign_in

HUGE = "99999999999999999999"
JSON_BODIES = {
    "array": "[1,2,3]",
    "number": "5",
    "string": '"text"',
    "list in a field": '{"email": [1]}',
    "10,000 deep": "[" * 10_000 + "]" * 10_000,
}
# Every integer the views read from a query string or form, and the date filters.
INT_PARAMS = (
    "sid",
    "rank",
    "page",
    "search_id",
    "owner",
    "t",
    "days",
    "against",
    "target",
    "translation_of",
    "other_id",
    "base_revision",
    "number",
    "composer",
)
SESSION_ENDERS = {"auth.signout", "account.delete"}  # would sign the sweeping client out


@pytest.fixture
def world(loaded_app):
    """An anonymous visitor, a member and a staff member, and a real object per URL parameter."""
    make_user(loaded_app, "staff@example.com", role="staff")
    objects = real_objects(loaded_app, "member")
    with loaded_app.test_request_context():
        member_id = make_user(loaded_app, "member@example.com")
        secret = api_tokens.create_token(db.session.get(User, member_id), "probe")
        token_id = db.session.scalars(select(ApiToken.id)).first()
        category = catalog.categories()[0]
        objects.update(
            token_id=token_id,
            token=secret,
            lang="en",
            slug="reset-password",
            code="en",
            filename="style.css",
        )
    clients = {"anonymous": loaded_app.test_client()}
    for role in ("member", "staff"):
        clients[role] = loaded_app.test_client()
        sign_in(clients[role], f"{role}@example.com")
    return clients, objects, category.slug


def routes(app):
    return [
        (method, rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
    ]


def fill(rule, objects: dict, category: str, override: str | None = None) -> str:
    """The rule's path with real objects in it, or `override` in every `<int:…>` part."""

    def value(match: re.Match) -> str:
        converter, name = match.groups()
        if converter == "int" and override is not None:
            return override
        if name == "slug" and rule.endpoint in ("main.category", "community.follow_category"):
            return category
        return str(objects[name])

    return re.sub(r"<(?:(\w+):)?(\w+)>", value, rule.rule)


def token_of(client) -> str:
    return csrf_token(client.get("/signin").get_data(as_text=True))


def check(failures: list, response, what: str) -> None:
    if response.status_code >= 500:
        failures.append(f"{response.status_code} on {what}")
    elif response.status_code == 400 and "/api/" in what and not response.is_json:
        failures.append(f"400 without JSON on {what}")


@pytest.fixture
def no_errors_logged(caplog):
    caplog.set_level(logging.ERROR)
    yield
    logged = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not logged, [r.getMessage()[:200] for r in logged]


def test_json_that_is_not_an_object_is_refused_on_every_route(loaded_app, world, no_errors_logged):
    clients, objects, category = world
    failures: list[str] = []
    for who, client in clients.items():
        headers = {"X-CSRFToken": token_of(client)}
        for method, rule in routes(loaded_app):
            if who != "anonymous" and rule.endpoint in SESSION_ENDERS:
                continue
            path = fill(rule, objects, category)
            for name, body in JSON_BODIES.items():
                response = client.open(
                    path, method=method, data=body, headers=headers, content_type="application/json"
                )
                check(failures, response, f"{method} {path} as {who} with {name}")
    assert not failures, "\n".join(failures)


def test_a_json_body_on_a_form_page_is_a_clear_400(loaded_app, world):
    clients, _objects, _category = world
    client = clients["member"]
    response = client.post(
        "/community/new", json={"title": "x"}, headers={"X-CSRFToken": token_of(client)}
    )
    assert response.status_code == 400
    assert "takes a form, not JSON" in response.get_data(as_text=True)
    preview = client.post(
        "/community/preview", json=[1, 2, 3], headers={"X-CSRFToken": token_of(client)}
    )
    assert preview.status_code == 400 and preview.is_json
    good = client.post(
        "/community/preview", json={"body": "**hi**"}, headers={"X-CSRFToken": token_of(client)}
    )
    assert good.status_code == 200 and "<strong>hi</strong>" in good.json["html"]


@pytest.mark.parametrize("value", [HUGE, "2147483648", "0"])
def test_int_url_parameters_out_of_range_are_404(loaded_app, world, no_errors_logged, value):
    clients, objects, category = world
    failures: list[str] = []
    for who, client in clients.items():
        data = {"csrf_token": token_of(client)}
        for method, rule in routes(loaded_app):
            if "int:" not in rule.rule:
                continue
            path = fill(rule, objects, category, override=value)
            response = client.open(path, method=method, data=data)
            refused = response.status_code in (401, 403) or (
                who == "anonymous" and response.status_code == 302
            )
            if response.status_code != 404 and not refused:
                failures.append(f"{response.status_code} on {method} {path} as {who}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("value", ["bad\x00value", "²", HUGE, "2147483648", "-99999999999"])
def test_hostile_query_parameters_never_give_a_500(loaded_app, world, no_errors_logged, value):
    clients, objects, category = world
    failures: list[str] = []
    query = {name: value for name in INT_PARAMS} | {"to": "/", "q": f"q{value}", "start": value}
    for who, client in clients.items():
        data = {"csrf_token": token_of(client), "sid": value, "owner": value, "target": value}
        for method, rule in routes(loaded_app):
            if who != "anonymous" and rule.endpoint in SESSION_ENDERS:
                continue
            path = fill(rule, objects, category)
            response = client.open(path, method=method, query_string=query, data=data)
            check(failures, response, f"{method} {path} as {who}")
            if "\x00" in value and response.status_code not in (400, 302, 401, 403):
                failures.append(f"NUL gave {response.status_code} on {method} {path} as {who}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    ("start", "end"),
    [("9999-12-31", "9999-12-31"), ("0001-01-01", "0001-01-02"), ("2026-01-01", "9999-12-31")],
)
def test_staff_date_filters_at_calendar_edges_are_a_400_with_a_message(
    loaded_app, world, start, end
):
    clients, _objects, _category = world
    for path in ("/staff/", "/api/v1/analytics/summary", "/staff/export/searches.csv"):
        response = clients["staff"].get(path, query_string={"start": start, "end": end})
        assert response.status_code in (400, 404), path
        if response.status_code == 400:
            assert "2000-01-01" in response.get_data(as_text=True)


def test_nul_in_a_form_field_and_a_file_in_a_text_field_are_refused(loaded_app, world):
    clients, _objects, _category = world
    client = clients["member"]
    page = client.get("/community/new").get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "title": "A title\x00here", "body": "Some details."}
    assert client.post("/community/new", data=data).status_code == 400
    page = client.get("/support/contact").get_data(as_text=True)
    files = {
        "csrf_token": csrf_token(page),
        "name": "Ken",
        "email": "ken@example.com",
        "subject": (io.BytesIO(b"file"), "subject.txt"),
        "message": "I paid twice for the annual plan.",
    }
    response = client.post("/support/contact", data=files, content_type="multipart/form-data")
    assert response.status_code == 400
    with loaded_app.app_context():
        assert db.session.scalars(select(SupportRequest)).all() == []


def test_a_title_with_a_line_break_is_stored_on_one_line_and_replies_still_mail(
    loaded_app, mailbox
):
    asker = member(loaded_app)
    thread_id = ask(asker, title="How do I export\r\nBcc: everyone@example.com my board?")
    with loaded_app.app_context():
        assert db.session.get(Thread, thread_id).title == (
            "How do I export Bcc: everyone@example.com my board?"
        )
    answer(member(loaded_app, "helper@example.com"), thread_id)
    [mail] = mailbox.wait_for("asker@example.com")
    assert "How do I export Bcc: everyone@example.com my board?" in mail["Subject"]
    assert mail["Bcc"] is None


def test_a_reply_to_a_thread_whose_title_already_has_a_line_break_is_saved_and_mailed(
    loaded_app, mailbox
):
    """Titles stored before the form cleaned them: the mail subject must still be one line."""
    make_user(loaded_app, "asker@example.com")
    with loaded_app.test_request_context():
        asker = db.session.scalars(select(User).where(User.email == "asker@example.com")).one()
        thread = posts.create_thread(
            author=asker,
            title="Export\nBcc: everyone@example.com",
            body="How do I?",
            category_slug=None,
            kind="question",
        )
        thread_id = thread.id
    post_id = answer(member(loaded_app, "helper@example.com"), thread_id)
    with loaded_app.app_context():
        assert db.session.get(Post, post_id).thread_id == thread_id
    [mail] = mailbox.wait_for("asker@example.com")
    assert "Export Bcc: everyone@example.com" in mail["Subject"] and mail["Bcc"] is None


def test_a_support_subject_with_crlf_is_saved_and_answered(loaded_app, client, mailbox):
    page = client.get("/support/contact").get_data(as_text=True)
    response = client.post(
        "/support/contact",
        data={
            "csrf_token": csrf_token(page),
            "name": "Ken\r\nX-Evil: 1",
            "email": "ken@example.com",
            "subject": "Refund\r\nBcc: everyone@example.com",
            "message": "I paid twice for the plan.",
        },
    )
    assert response.status_code == 200 and "got your request" in response.get_data(as_text=True)
    [mail] = mailbox.wait_for("support@tsumiki.example")
    assert mail["Bcc"] is None and mail["X-Evil"] is None
    with loaded_app.app_context():
        saved = db.session.scalars(select(SupportRequest)).one()
        assert saved.subject == "Refund Bcc: everyone@example.com"


def test_a_hidden_thread_is_404_for_visitors_and_shown_to_staff(loaded_app, client):
    asker = member(loaded_app)
    thread_id = ask(asker)
    with loaded_app.app_context():
        db.session.get(Thread, thread_id).hidden_at = datetime(2026, 1, 1)
        db.session.commit()
    assert client.get(f"/community/t/{thread_id}").status_code == 404
    assert asker.get(f"/community/t/{thread_id}").status_code == 404
    make_user(loaded_app, "staff@example.com", role="staff")
    staff = loaded_app.test_client()
    sign_in(staff, "staff@example.com")
    assert staff.get(f"/community/t/{thread_id}").status_code == 200


def test_the_error_page_after_a_database_error_renders_for_a_signed_in_member(app):
    def broken():
        db.session.add(User(email="dup@example.com", display_name="Dup", password_hash="x"))
        db.session.add(User(email="dup@example.com", display_name="Dup", password_hash="x"))
        db.session.flush()

    app.add_url_rule("/broken", view_func=broken)
    make_user(app, "member@example.com", name="Mina Member")
    client = app.test_client()
    sign_in(client, "member@example.com")
    response = client.get("/broken")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Something went wrong on our side" in page and "Mina Member" in page


def test_a_query_naming_url_parameters_never_gives_a_500_or_an_off_site_link(
    loaded_app, world, no_errors_logged
):
    """A query string may name what a page's links set themselves (an export's `name`, a
    `slug`) or what url_for keeps for itself (`_external`, `_anchor`, `_scheme`): neither may
    break the page or point its links and redirects anywhere else."""
    clients, objects, category = world
    names = {name for rule in loaded_app.url_map.iter_rules() for name in rule.arguments}
    query = dict.fromkeys(names, "x") | {
        "_external": "1",
        "_anchor": "elsewhere",
        "_scheme": "javascript",
        "_method": "DELETE",
    }
    failures: list[str] = []
    for who, client in clients.items():
        for method, rule in routes(loaded_app):
            if method != "GET" or (who != "anonymous" and rule.endpoint in SESSION_ENDERS):
                continue
            path = fill(rule, objects, category)
            response = client.get(path, query_string=query)
            check(failures, response, f"GET {path} as {who}")
            where = response.headers.get("Location", "")
            page = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
            if where.startswith(("http:", "javascript:")) or "#elsewhere" in where + page:
                failures.append(f"a link off the page's site on GET {path} as {who}")
    assert not failures, "\n".join(failures)


def test_views_read_integers_only_through_db_int():
    """`type=int` turns "99999999999999999999" into a number no column can hold; `db_int` gives
    the default instead. INT_PARAMS above is the sweep's list of those parameters."""
    package = Path(__file__).resolve().parent.parent / "helpcenter"
    unbounded = [
        f"{path.relative_to(package)}:{number}"
        for path in sorted(package.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\.get\(.*type=int\b", line)
    ]
    assert unbounded == []
