"""Admins manage people (audited); personal API tokens authenticate the JSON API."""

from sqlalchemy import select

from helpcenter.extensions import db
from helpcenter.models import ApiToken, AuditEntry, User
from tests.builders import PASSWORD, csrf_token, make_user, sign_in


def signed_in(app, email, role):
    make_user(app, email, role=role)
    client = app.test_client()
    sign_in(client, email)
    return client


def token_for(client, name="script", scopes=("read",)):
    page = client.get("/account/").get_data(as_text=True)
    html = client.post(
        "/account/tokens",
        data={"csrf_token": csrf_token(page), "name": name, "scopes": list(scopes)},
    ).get_data(as_text=True)
    import re

    return re.search(r"data-new-token>([^<]+)<", html).group(1)


def audit_actions(app):
    with app.app_context():
        return [
            (e.actor_label, e.action, e.details) for e in db.session.scalars(select(AuditEntry))
        ]


def test_admin_changes_a_role_and_it_is_audited(loaded_app):
    admin = signed_in(loaded_app, "admin@example.com", "admin")
    member_id = make_user(loaded_app, "m@example.com")
    page = admin.get("/admin/users?q=m@").get_data(as_text=True)
    assert "m@example.com" in page
    response = admin.post(
        f"/admin/users/{member_id}/role", data={"csrf_token": csrf_token(page), "role": "staff"}
    )
    assert response.status_code == 303
    with loaded_app.app_context():
        assert db.session.get(User, member_id).role == "staff"
    assert (
        "admin@example.com",
        "user.set_role",
        {"before": "member", "after": "staff"},
    ) in audit_actions(loaded_app)
    assert "user.set_role" in admin.get("/admin/audit").get_data(as_text=True)


def test_admins_cannot_demote_themselves(loaded_app):
    admin = signed_in(loaded_app, "admin@example.com", "admin")
    page = admin.get("/admin/users").get_data(as_text=True)
    admin.post("/admin/users/1/role", data={"csrf_token": csrf_token(page), "role": "member"})
    with loaded_app.app_context():
        assert db.session.get(User, 1).role == "admin"


def test_suspending_signs_the_person_out_everywhere(loaded_app):
    admin = signed_in(loaded_app, "admin@example.com", "admin")
    member = signed_in(loaded_app, "m@example.com", "member")
    assert member.get("/account/").status_code == 200
    page = admin.get("/admin/users").get_data(as_text=True)
    admin.post("/admin/users/2/suspend", data={"csrf_token": csrf_token(page), "suspend": "yes"})
    assert member.get("/account/").status_code == 302
    assert sign_in(loaded_app.test_client(), "m@example.com").status_code == 400
    assert ("admin@example.com", "user.suspend", {}) in audit_actions(loaded_app)


def test_a_staff_token_calls_the_staff_api_without_cookies(loaded_app):
    staff = signed_in(loaded_app, "staff@example.com", "staff")
    token = token_for(staff, scopes=["analytics:read"])
    api = loaded_app.test_client()
    response = api.get("/api/v1/staff/searches", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and response.get_json()["days"] == 7
    assert "Set-Cookie" not in response.headers or "session=" not in response.headers["Set-Cookie"]


def test_tokens_are_stored_hashed_and_shown_once(loaded_app):
    staff = signed_in(loaded_app, "staff@example.com", "staff")
    token = token_for(staff)
    with loaded_app.app_context():
        stored = db.session.scalars(select(ApiToken)).one()
    assert token not in (stored.token_hash, stored.prefix) and len(stored.token_hash) == 64
    assert token not in staff.get("/account/").get_data(as_text=True)


def test_a_revoked_or_unknown_token_is_refused(loaded_app):
    staff = signed_in(loaded_app, "staff@example.com", "staff")
    token = token_for(staff, scopes=["analytics:read"])
    page = staff.get("/account/").get_data(as_text=True)
    staff.post("/account/tokens/1/revoke", data={"csrf_token": csrf_token(page)})
    for value in (token, "hc_made-up", "garbage"):
        response = loaded_app.test_client().get(
            "/api/v1/staff/searches", headers={"Authorization": f"Bearer {value}"}
        )
        assert response.status_code == 401 and response.is_json


def test_a_members_token_cannot_reach_staff_apis(loaded_app):
    token = token_for(signed_in(loaded_app, "m@example.com", "member"))
    response = loaded_app.test_client().get(
        "/api/v1/staff/searches", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 403 and response.is_json


def test_profile_update_and_language(loaded_app):
    member = signed_in(loaded_app, "m@example.com", "member")
    page = member.get("/account/").get_data(as_text=True)
    response = member.post(
        "/account/", data={"csrf_token": csrf_token(page), "display_name": "Aiko", "lang": "ja"}
    )
    assert response.status_code == 303
    html = member.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="ja">' in html and "Aiko" in html


def test_data_download_holds_the_persons_data(loaded_app):
    member = signed_in(loaded_app, "m@example.com", "member")
    member.get("/search?q=invoices")
    response = member.get("/account/export.json")
    assert "attachment" in response.headers["Content-Disposition"]
    data = response.get_json()
    assert data["account"]["email"] == "m@example.com"
    assert data["searches"][0]["query"] == "invoices"


def test_deleting_an_account_erases_personal_data(loaded_app):
    member = signed_in(loaded_app, "m@example.com", "member")
    member.get("/search?q=invoices")
    token_for(member)
    page = member.get("/account/").get_data(as_text=True)
    wrong = member.post(
        "/account/delete", data={"csrf_token": csrf_token(page), "password": "not my password"}
    )
    assert wrong.status_code == 400
    response = member.post(
        "/account/delete", data={"csrf_token": csrf_token(page), "password": PASSWORD}
    )
    assert response.status_code == 303
    with loaded_app.app_context():
        user = db.session.get(User, 1)
        assert user.email.endswith("@deleted.invalid") and user.display_name == ""
        assert all(t.revoked_at for t in db.session.scalars(select(ApiToken)))
    assert sign_in(loaded_app.test_client(), "m@example.com").status_code == 400
    assert member.get("/account/").status_code == 302
