"""Every staff and admin page and API against every role. Routes are read from the app, so a
page added later under a guarded prefix is covered without touching this file."""

import pytest

from helpcenter import create_app
from helpcenter.access import GUARDED_PREFIXES, required_role
from helpcenter.config import TestingConfig
from tests.conftest import csrf_token, make_user, sign_in

ROLES = ("anonymous", "member", "staff", "admin")


def guarded_routes():
    app = create_app(TestingConfig, {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    routes = []
    for rule in app.url_map.iter_rules():
        if required_role(rule.rule) is None:
            continue
        path = rule.rule.replace("<int:user_id>", "1").replace("<int:token_id>", "1")
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append((method, path, required_role(rule.rule)))
    return routes


ROUTES = guarded_routes()


def test_the_guarded_areas_have_routes():
    prefixes = {prefix for prefix, _role in GUARDED_PREFIXES}
    assert {p for p in prefixes if any(path.startswith(p) for _m, path, _r in ROUTES)} == prefixes


@pytest.fixture
def people(loaded_app):
    """Clients signed in as each role; user 1 is the admin, so /users/1 paths exist."""
    clients = {"anonymous": loaded_app.test_client()}
    for role in ("admin", "staff", "member"):
        make_user(loaded_app, f"{role}@example.com", role=role)
        clients[role] = loaded_app.test_client()
        sign_in(clients[role], f"{role}@example.com")
    return clients


def allowed(person: str, needed: str) -> bool:
    rank = {"anonymous": -1, "member": 0, "staff": 1, "admin": 2}
    return rank[person] >= rank[needed]


@pytest.mark.parametrize("person", ROLES)
@pytest.mark.parametrize(
    ("method", "path", "needed"), ROUTES, ids=[f"{m} {p}" for m, p, _ in ROUTES]
)
def test_permission_matrix(people, person, method, path, needed):
    client = people[person]
    data = {}
    if method == "POST":
        data["csrf_token"] = csrf_token(client.get("/signin").get_data(as_text=True))
    response = client.open(path, method=method, data=data)
    if allowed(person, needed):
        assert response.status_code not in (401, 403), response.status_code
        assert not (response.status_code == 302 and "/signin" in response.headers["Location"])
    elif person == "anonymous":
        if path.startswith("/api/"):
            assert response.status_code == 401 and response.is_json
        else:
            assert response.status_code == 302 and "/signin?next=" in response.headers["Location"]
    else:
        assert response.status_code == 403


def test_staff_menu_links_show_only_to_those_allowed(people):
    assert "/staff/" not in people["member"].get("/").get_data(as_text=True)
    assert "/staff/" in people["staff"].get("/").get_data(as_text=True)
    assert "/admin/users" not in people["staff"].get("/").get_data(as_text=True)
    assert "/admin/users" in people["admin"].get("/").get_data(as_text=True)


def test_forbidden_page_is_styled_and_says_why(people):
    response = people["member"].get("/staff/")
    assert response.status_code == 403
    assert "permission" in response.get_data(as_text=True)
