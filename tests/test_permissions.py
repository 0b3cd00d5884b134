"""Every staff and admin page and API against every role. Routes are read from the app, so a
page added later under a guarded prefix is covered without touching this file. Every URL
parameter is filled with a real object and every POST with a valid form, so an allowed role must
really get through: a page answers 200, an action answers 2xx or redirects, and it changes the
database (a 400, 404 or 500, or an action that did nothing, is a failure). A refused role gets
the app's refusal (sign-in page, 401 for the API, 403) before anything is looked up, and its
request changes nothing."""

from dataclasses import dataclass

import pytest

from helpcenter import create_app
from helpcenter.access import GUARDED_PREFIXES, required_role
from helpcenter.config import TestingConfig
from tests.builders import csrf_token, member, real_objects, snapshot

ROLES = ("anonymous", "member", "staff", "admin")
RANK = {"anonymous": -1, "member": 0, "staff": 1, "admin": 2}
ARTICLE_FORM = {
    "title": "A new article {tag}",
    "slug": "a-new-article-{tag}",
    "summary": "What it is for.",
    "body": "## Steps\n\nOpen the board.\n",
    "tags": "board",
    "category": "account",
    "action": "save",
}
GOAL_FORM = {
    "metric": "search_success",
    "lang": "",
    "category": "",
    "direction": "at_least",
    "target": "80",
    "start_date": "2026-01-01",
    "deadline": "2026-03-31",
    "owner": "{staff_id}",
    "note": "Fewer tickets.",
}
# A valid form for each guarded POST route that takes one (values are formatted with the role's
# objects), so an allowed role's request really does its work.
PAYLOADS = {
    "admin.change_role": {"role": "staff"},
    "admin.suspend": {"suspend": "yes"},
    "admin.retry_job": {"job_id": "{job_id}"},
    "admin.discard_job": {"job_id": "{job_id}"},
    "staff.decide": {"decision": "approve"},
    "staff.feedback_status": {"status": "planned"},
    "staff.gap_status": {"key": "reset password", "status": "planned"},
    "staff.gap_article": {"key": "reset password"},
    "staff.add_synonyms": {"lang": "en", "terms": "sign in {tag}, log in {tag}"},
    "staff.link_translation": {"action": "link", "other_id": "{other_lang_id}"},
    "staff.schedule_article": {"action": "cancel"},  # the objects are scheduled
    "staff.article_preview": {"body": "**Bold** text"},
    "staff.new_article": ARTICLE_FORM,
    "staff.edit_article": ARTICLE_FORM,
    "staff.new_goal": GOAL_FORM,
    "staff.edit_goal": GOAL_FORM | {"target": "85"},
    "admin.create_webhook": {"url": "http://127.0.0.1:9/hook", "events": "article.published"},
    "admin.enable_webhook": {"enabled": "no"},
}
# Allowed POSTs that answer without storing anything: the editor's preview renders Markdown.
READ_ONLY_POSTS = {"staff.article_preview"}


@dataclass(frozen=True)
class Route:
    method: str
    rule: str
    endpoint: str
    needed: str

    def __str__(self) -> str:
        return f"{self.method} {self.rule}"


def guarded_routes() -> list[Route]:
    app = create_app(TestingConfig, {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return [
        Route(method, rule.rule, rule.endpoint, needed)
        for rule in app.url_map.iter_rules()
        if (needed := required_role(rule.rule)) is not None
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
    ]


ROUTES = guarded_routes()


def test_the_guarded_areas_have_routes():
    prefixes = {prefix for prefix, _role in GUARDED_PREFIXES}
    assert {p for p in prefixes if any(r.rule.startswith(p) for r in ROUTES)} == prefixes


def fill(route: Route, objects: dict[str, object]) -> str:
    path = route.rule
    while "<" in path:
        start, end = path.index("<"), path.index(">")
        name = path[start + 1 : end].split(":")[-1]
        assert name in objects, f"give real_objects() a value for <{name}> ({route})"
        path = path[:start] + str(objects[name]) + path[end + 1 :]
    return path


@pytest.fixture
def people(loaded_app):
    """Clients signed in as each role."""
    clients = {"anonymous": loaded_app.test_client()}
    for role in ("admin", "staff", "member"):
        clients[role] = member(loaded_app, f"{role}@example.com", role=role)
    return clients


def request_as(client, route: Route, objects: dict[str, object]):
    path = fill(route, objects)
    data = {k: v.format(**objects) for k, v in PAYLOADS.get(route.endpoint, {}).items()}
    if route.method == "POST":
        data["csrf_token"] = csrf_token(client.get("/signin").get_data(as_text=True))
    return path, client.open(path, method=route.method, data=data)


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_permission_matrix(loaded_app, people, route):
    """Refused roles first (they change nothing), then each allowed role on its own objects."""
    for person in ROLES:
        objects = real_objects(loaded_app, person)
        before = snapshot(loaded_app)
        path, response = request_as(people[person], route, objects)
        status, changed = response.status_code, snapshot(loaded_app) != before
        where = f"{person} got {status} on {route.method} {path}"
        if RANK[person] >= RANK[route.needed]:
            if route.method == "GET":
                assert status == 200, where
            else:
                assert 200 <= status < 400, where
                assert changed or route.endpoint in READ_ONLY_POSTS, f"{where}: nothing changed"
            assert "/signin" not in response.headers.get("Location", ""), where
            continue
        if person == "anonymous" and route.rule.startswith("/api/"):
            assert status == 401 and response.is_json, where
        elif person == "anonymous":
            assert status == 302, where
            assert response.headers["Location"].startswith("/signin?next="), where
        else:
            assert status == 403, where
        assert not changed, f"{where}, and the database changed"


def test_staff_menu_links_show_only_to_those_allowed(people):
    assert "/staff/" not in people["member"].get("/").get_data(as_text=True)
    assert "/staff/" in people["staff"].get("/").get_data(as_text=True)
    assert "/admin/users" not in people["staff"].get("/").get_data(as_text=True)
    assert "/admin/users" in people["admin"].get("/").get_data(as_text=True)


def test_forbidden_page_is_styled_and_says_why(people):
    response = people["member"].get("/staff/")
    assert response.status_code == 403
    assert "permission" in response.get_data(as_text=True)
