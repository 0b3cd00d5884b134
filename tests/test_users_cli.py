"""The users commands: create, set-role, list; every change audited."""

from sqlalchemy import select

from helpcenter.cli import DEMO_USERS
from helpcenter.extensions import db
from helpcenter.models import AuditEntry, Thread, User
from tests.builders import fresh_schema


def test_create_with_password_from_stdin(app, runner):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "Boss@Example.com",
            "--name",
            "Boss",
            "--role",
            "admin",
            "--password-stdin",
        ],
        input="a long admin passphrase\n",
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalars(select(User)).one()
        assert (user.email, user.role, user.is_confirmed) == ("boss@example.com", "admin", True)
        assert db.session.scalars(select(AuditEntry)).one().action == "user.create"


def test_create_from_a_prompt(app, runner):
    result = runner.invoke(
        args=["users", "create", "a@example.com", "--name", "A"],
        input="a long member passphrase\na long member passphrase\n",
    )
    assert result.exit_code == 0, result.output


def test_create_refuses_weak_passwords_and_duplicates(app, runner):
    weak = runner.invoke(
        args=["users", "create", "a@example.com", "--name", "A", "--password-stdin"],
        input="12345\n",
    )
    assert weak.exit_code != 0 and "at least 10 characters" in weak.output
    runner.invoke(
        args=["users", "create", "a@example.com", "--name", "A", "--password-stdin"],
        input="long enough pass\n",
    )
    again = runner.invoke(
        args=["users", "create", "a@example.com", "--name", "A", "--password-stdin"],
        input="long enough pass\n",
    )
    assert again.exit_code != 0 and "already exists" in again.output


def test_set_role_and_list(app, runner):
    runner.invoke(
        args=["users", "create", "a@example.com", "--name", "Ann", "--password-stdin"],
        input="long enough pass\n",
    )
    result = runner.invoke(args=["users", "set-role", "a@example.com", "staff"])
    assert result.exit_code == 0 and "is now staff" in result.output
    listing = runner.invoke(args=["users", "list"])
    assert (
        "a@example.com" in listing.output
        and "staff" in listing.output
        and "1 account(s)" in listing.output
    )
    missing = runner.invoke(args=["users", "set-role", "nobody@example.com", "admin"])
    assert missing.exit_code != 0 and "users list" in missing.output
    with app.app_context():
        actions = [e.action for e in db.session.scalars(select(AuditEntry))]
    assert actions == ["user.create", "user.set_role"]


def test_sample_init_creates_demo_accounts_and_says_how_to_sign_in(app, runner):
    fresh_schema(app)
    result = runner.invoke(args=["init", "--sample"])
    assert result.exit_code == 0, result.output
    assert "demo-password-2026" in result.output and "admin@tsumiki.example" in result.output
    with app.app_context():
        roles = {u.email: u.role for u in db.session.scalars(select(User))}
        threads = db.session.scalars(select(Thread)).all()
    assert {email: roles[email] for email, *_ in DEMO_USERS} == {
        email: role for email, _name, role, _lang in DEMO_USERS
    }
    assert (
        "Sample community" in result.output and "Sample goals: see /staff/goals." in result.output
    )
    with app.app_context():
        from helpcenter.models import Goal

        assert {g.metric for g in db.session.scalars(select(Goal))} == {
            "search_success",
            "first_reply_hours",
        }
    assert {t.lang for t in threads} == {"en", "ja"} and any(t.is_solved for t in threads)
    assert any(t.reply_count == 0 for t in threads)
    again = runner.invoke(args=["init", "--sample"])  # idempotent
    assert again.exit_code == 0, again.output
