"""Personal API tokens work only on /api/ routes, and only within the scopes chosen when they were
made. Routes are read from the app's URL map, so a page or API added later is covered without
touching this file: an admin token holding every scope is refused on every page (and changes
nothing there), and each API route accepts exactly the tokens that hold its scope."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from sqlalchemy import inspect, select, text

from helpcenter import create_app
from helpcenter.access import required_scope
from helpcenter.config import TestingConfig
from helpcenter.extensions import db
from helpcenter.models import ApiToken, Article, AuditEntry, Post, User
from helpcenter.services.accounts import api_tokens
from helpcenter.services.accounts.api_tokens import Scope
from helpcenter.services.community import posts
from tests.builders import csrf_token, fresh_schema, make_user, sign_in, snapshot

EVERY_SCOPE = [scope.value for scope in Scope]
QUERIES = {"api.search": "?q=invoices"}
OLD_TOKEN = text(
    "INSERT INTO api_token (user_id, name, token_hash, prefix, created_at)"
    " VALUES (:user_id, 'old', :hash, 'hc_old', CURRENT_TIMESTAMP)"
)


@dataclass(frozen=True)
class Route:
    method: str
    rule: str
    endpoint: str

    def __str__(self) -> str:
        return f"{self.method} {self.rule}"


def routes(*, api: bool) -> list[Route]:
    app = create_app(TestingConfig, {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return [
        Route(method, rule.rule, rule.endpoint)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/") == api
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
    ]


PAGE_ROUTES = routes(api=False)
API_ROUTES = routes(api=True)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def mint(app, email: str, scopes: list[str]) -> str:
    with app.app_context():
        user = db.session.scalars(select(User).where(User.email == email)).one()
        return api_tokens.create_token(user, "script", scopes)


def real_objects(app, owner_email: str) -> dict[str, object]:
    """The token owner's own thread and reply, and real content, for every URL parameter."""
    with app.test_request_context():
        owner = db.session.scalars(select(User).where(User.email == owner_email)).one()
        thread = posts.create_thread(
            author=owner,
            title="Export question",
            body="How do I export?",
            category_slug=None,
            kind="question",
        )
        reply = posts.reply(owner, thread, "Open the board menu and choose Export.")
        article = db.session.scalars(select(Article).where(Article.kind == "article")).first()
        return {
            "post_id": reply.id,
            "thread_id": thread.id,
            "user_id": owner.id,
            "article_id": article.id,
            "lang": article.lang,
            "slug": article.slug,
            "token_id": 1,
            "code": "ja",
            "filename": "css/site.css",
        }


def fill(rule: str, objects: dict[str, object]) -> str:
    while "<" in rule:
        start, end = rule.index("<"), rule.index(">")
        name = rule[start + 1 : end].split(":")[-1]
        rule = rule[:start] + str(objects.get(name, "1")) + rule[end + 1 :]
    return rule


def test_the_matrices_have_routes():
    assert len(PAGE_ROUTES) > 50 and any(r.method == "POST" for r in PAGE_ROUTES)
    assert {required_scope(r.rule, r.method) for r in API_ROUTES} >= set(Scope)


def test_a_token_is_refused_on_every_page_and_changes_nothing(loaded_app):
    make_user(loaded_app, "admin@example.com", role="admin")
    token = mint(loaded_app, "admin@example.com", EVERY_SCOPE)
    objects = real_objects(loaded_app, "admin@example.com")
    client = loaded_app.test_client()
    refused = []
    for route in PAGE_ROUTES:
        before = snapshot(loaded_app)
        path = fill(route.rule, objects)
        response = client.open(path, method=route.method, headers=bearer(token), data={})
        if response.status_code != 403 or not response.is_json or snapshot(loaded_app) != before:
            refused.append(f"{route} -> {response.status_code}")
    assert refused == [], "a bearer token got through on pages"


def test_a_bearer_token_cannot_delete_a_post_through_the_form_route(loaded_app):
    make_user(loaded_app, "m@example.com")
    token = mint(loaded_app, "m@example.com", ["read"])
    post_id = real_objects(loaded_app, "m@example.com")["post_id"]
    response = loaded_app.test_client().post(
        f"/community/p/{post_id}/delete", headers=bearer(token)
    )
    assert response.status_code == 403
    assert "only on /api/" in response.get_json()["error"]
    with loaded_app.app_context():
        assert db.session.get(Post, post_id).deleted_at is None


def test_a_bearer_token_cannot_download_the_account_data(loaded_app):
    make_user(loaded_app, "m@example.com")
    token = mint(loaded_app, "m@example.com", ["read"])
    response = loaded_app.test_client().get("/account/export.json", headers=bearer(token))
    assert response.status_code == 403 and "m@example.com" not in response.get_data(as_text=True)
    assert "attachment" not in response.headers.get("Content-Disposition", "")


def test_a_session_is_not_limited_by_scopes(loaded_app):
    make_user(loaded_app, "admin@example.com", role="admin")
    admin = loaded_app.test_client()
    sign_in(admin, "admin@example.com")
    for route in API_ROUTES:
        assert admin.get(route.rule + QUERIES.get(route.endpoint, "")).status_code == 200


@pytest.mark.parametrize("route", API_ROUTES, ids=str)
def test_each_api_route_needs_its_scope(loaded_app, route):
    make_user(loaded_app, "admin@example.com", role="admin")
    needed = required_scope(route.rule, route.method)
    assert needed is not None, f"{route} is closed to every token: give it a scope in access.py"
    path = route.rule + QUERIES.get(route.endpoint, "")
    without = mint(loaded_app, "admin@example.com", [s for s in EVERY_SCOPE if s != needed])
    response = loaded_app.test_client().open(path, method=route.method, headers=bearer(without))
    assert response.status_code == 403 and response.is_json
    assert f"lacks the {needed} scope" in response.get_json()["error"]
    only = mint(loaded_app, "admin@example.com", [needed])
    response = loaded_app.test_client().open(path, method=route.method, headers=bearer(only))
    assert response.status_code == 200, response.get_data(as_text=True)


def test_an_api_route_with_no_scope_listed_and_every_write_are_closed_to_tokens(loaded_app):
    loaded_app.add_url_rule("/api/v1/new-thing", "new_thing", lambda: {"ok": True})
    make_user(loaded_app, "admin@example.com", role="admin")
    token = mint(loaded_app, "admin@example.com", EVERY_SCOPE)
    api = loaded_app.test_client()
    assert api.get("/api/v1/new-thing", headers=bearer(token)).status_code == 403
    refused = api.post("/api/v1/search?q=invoices", headers=bearer(token))
    assert refused.status_code == 403 and "cannot make this request" in refused.get_json()["error"]


def create_by_form(client, scopes: list[str] | None):
    page = client.get("/account/").get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "name": "script"}
    if scopes is not None:
        data["scopes"] = scopes
    return client.post("/account/tokens", data=data)


def test_the_default_token_is_read_only(loaded_app):
    make_user(loaded_app, "staff@example.com", role="staff")
    staff = loaded_app.test_client()
    sign_in(staff, "staff@example.com")
    form = staff.get("/account/").get_data(as_text=True)
    assert re.search(r'value="read" checked', form)
    assert not re.search(r'value="analytics:read" checked', form)
    html = create_by_form(staff, scopes=None).get_data(as_text=True)
    token = re.search(r"data-new-token>([^<]+)<", html).group(1)
    api = loaded_app.test_client()
    assert api.get("/api/v1/search?q=invoices", headers=bearer(token)).status_code == 200
    assert api.get("/api/v1/staff/searches", headers=bearer(token)).status_code == 403
    with loaded_app.app_context():
        assert db.session.scalars(select(ApiToken)).one().scopes == ["read"]


def test_a_member_cannot_mint_a_staff_scope(loaded_app):
    make_user(loaded_app, "m@example.com")
    member = loaded_app.test_client()
    sign_in(member, "m@example.com")
    page = member.get("/account/").get_data(as_text=True)
    assert 'value="read"' in page and 'value="analytics:read"' not in page
    for scope in ("analytics:read", "admin:read"):
        assert create_by_form(member, scopes=["read", scope]).status_code == 400
    with loaded_app.app_context():
        user = db.session.scalars(select(User)).one()
        with pytest.raises(api_tokens.ScopeNotAllowed):
            api_tokens.create_token(user, "sneaky", ["analytics:read"])
        assert db.session.scalars(select(ApiToken)).all() == []


def test_the_profile_lists_scopes_and_the_audit_records_them(loaded_app):
    make_user(loaded_app, "staff@example.com", role="staff")
    staff = loaded_app.test_client()
    sign_in(staff, "staff@example.com")
    assert 'value="admin:read"' not in staff.get("/account/").get_data(as_text=True)
    create_by_form(staff, scopes=["read", "analytics:read"])
    page = staff.get("/account/").get_data(as_text=True)
    cell = re.search(r"<td data-token-scopes>(.*?)</td>", page).group(1)
    assert "Search the help center" in cell and "Read analytics and search logs" in cell
    with loaded_app.app_context():
        entry = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "api_token.create")
        ).one()
        assert entry.details["scopes"] == ["read", "analytics:read"]


def test_the_migration_gives_existing_tokens_the_read_scope_and_goes_back(app, runner):
    fresh_schema(app)
    # The person is made with today's model, then the schema goes back to before token scopes.
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    user_id = make_user(app, "old@example.com")
    with app.app_context():
        db.session.remove()
    assert runner.invoke(args=["db", "downgrade", "39aafbbad0c5"]).exit_code == 0
    with app.app_context():
        assert "scopes" not in {c["name"] for c in inspect(db.engine).get_columns("api_token")}
        db.session.execute(OLD_TOKEN, {"user_id": user_id, "hash": "0" * 64})
        db.session.commit()
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    with app.app_context():
        assert db.session.scalars(select(ApiToken)).one().scopes == ["read"]
        db.session.remove()
    assert runner.invoke(args=["db", "downgrade", "39aafbbad0c5"]).exit_code == 0
    with app.app_context():
        assert "scopes" not in {c["name"] for c in inspect(db.engine).get_columns("api_token")}
        assert db.session.execute(text("SELECT name FROM api_token")).scalars().all() == ["old"]
