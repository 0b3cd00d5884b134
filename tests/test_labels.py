"""Codes the database stores (roles, audit actions, revision fields) are shown to people in
their language; every audit action the code records has a label."""

import re

from flask_babel import force_locale

from helpcenter.config import PROJECT_ROOT
from helpcenter.labels import AUDIT_ACTIONS, REVISION_FIELDS, ROLES
from helpcenter.models.analytics import FEEDBACK_STATUSES, GAP_STATUSES
from helpcenter.services.community.moderation import DECISIONS
from tests.builders import csrf_token, make_user, sign_in

THREAD_ACTIONS = ("lock", "unlock", "pin", "unpin", "hide", "unhide", "move", "merge")
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def recorded_actions() -> set[str]:
    """Every audit action the code can record: literal ones read from the source, and the
    families built from a status or decision."""
    source = "\n".join(p.read_text() for p in (PROJECT_ROOT / "helpcenter").rglob("*.py"))
    literal = set(re.findall(r'audit\.record\([^,]+,\s*"([a-z_]+\.[a-z_]+)"', source))
    families = (
        {f"gap.{s}" for s in GAP_STATUSES}
        | {f"feedback.{s}" for s in FEEDBACK_STATUSES}
        | {f"moderation.{d}" for d in DECISIONS}
        | {f"thread.{a}" for a in THREAD_ACTIONS}
        | {"article.save", "article.publish", "user.suspend", "user.unsuspend"}
    )
    return literal | families


def test_every_recorded_audit_action_has_a_label():
    assert sorted(recorded_actions() - set(AUDIT_ACTIONS)) == []


def test_every_label_reads_japanese(loaded_app):
    with loaded_app.test_request_context(), force_locale("ja"):
        for table in (ROLES, REVISION_FIELDS, AUDIT_ACTIONS):
            for code, label in table.items():
                assert JAPANESE.search(str(label)), (code, str(label))


def test_a_japanese_admin_reads_roles_and_the_audit_log_in_japanese(loaded_app):
    make_user(loaded_app, "admin@example.com", role="admin", lang="ja")
    member_id = make_user(loaded_app, "member@example.com")
    admin = loaded_app.test_client()
    sign_in(admin, "admin@example.com")
    page = admin.get("/admin/users").get_data(as_text=True)
    assert ">スタッフ</option>" in page and ">staff</option>" not in page
    response = admin.post(
        f"/admin/users/{member_id}/role",
        data={"csrf_token": csrf_token(page), "role": "staff"},
        follow_redirects=True,
    )
    assert "スタッフ" in response.get_data(as_text=True)
    audit = admin.get("/admin/audit").get_data(as_text=True)
    assert "役割を変更" in audit
