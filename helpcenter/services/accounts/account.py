"""Accounts: sign-up with email confirmation, sign-in with lockout, password reset, profile."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from helpcenter import mail
from helpcenter.extensions import db
from helpcenter.links import public_url
from helpcenter.models import ApiToken, SearchEvent, SignInThrottle, User
from helpcenter.models.base import utcnow
from helpcenter.models.user import new_session_token
from helpcenter.services import audit
from helpcenter.services.accounts import passwords, signed_links
from helpcenter.services.errors import ServiceError

SLOW_DOWN_AFTER = 5  # failed sign-ins for an address before each further attempt must wait
LOCK_AFTER = 10  # failed sign-ins before the address is locked and the account's owner emailed
LOCK_MINUTES = 15


class AccountError(ServiceError):
    """Something the person can fix; the message says what."""


class LinkExpired(AccountError):
    """The signed link is too old or was already used."""

    def __init__(self) -> None:
        super().__init__(_l("This link has expired or was already used. Ask for a new one."))


class WrongPassword(AccountError):
    """The current password given does not match."""

    def __init__(self) -> None:
        super().__init__(_l("That isn't your current password."))


class SignInProblem(StrEnum):
    INVALID = "invalid"  # no such account, or the wrong password (the same answer for both)
    THROTTLED = "throttled"  # too many failures: wait `retry_after` seconds
    SUSPENDED = "suspended"


@dataclass(frozen=True)
class SignInResult:
    user: User | None
    problem: SignInProblem | None = None
    retry_after: int = 0  # seconds


def normalize_email(email: str) -> str:
    return email.strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalars(
        select(User).where(User.email == normalize_email(email), User.deleted_at.is_(None))
    ).first()


def create_user(
    email: str,
    name: str,
    password: str,
    *,
    role: str = "member",
    lang: str = "en",
    confirmed: bool = False,
) -> User:
    """Create an account. Commits. Raises AccountError for a taken email or weak password."""
    email = normalize_email(email)
    if db.session.scalar(select(func.count()).select_from(User).where(User.email == email)):
        raise AccountError(_l("An account with %(email)s already exists.", email=email))
    problem = passwords.password_problem(password, email, name)
    if problem:
        raise AccountError(problem)
    user = User(
        email=email,
        display_name=name.strip(),
        password_hash=passwords.hash_password(password),
        role=role,
        lang=lang,
        email_confirmed_at=utcnow() if confirmed else None,
    )
    db.session.add(user)
    db.session.commit()
    return user


def sign_up(email: str, name: str, password: str, lang: str) -> None:
    """Create a member and email a confirmation link. Commits; sends mail.

    If the email is taken, its owner is told by email instead, and the caller gives the
    visitor the same answer either way, so sign-up cannot be used to find accounts. A password
    that would be refused is refused first, for a taken email too (AccountError).
    """
    problem = passwords.password_problem(password, email, name)
    if problem:
        raise AccountError(problem)
    existing = find_user(email)
    if existing is not None:
        links = {
            "signin_url": public_url("auth.signin"),
            "reset_url": public_url("auth.reset_request"),
        }
        mail.send("account_exists", existing.email, existing.lang, user=existing, **links)
        db.session.commit()  # the mail job
        return
    user = create_user(email, name, password, lang=lang)
    send_confirmation(user)


def send_confirmation(user: User) -> None:
    link = public_url("auth.confirm", token=signed_links.make_token(signed_links.CONFIRM, user))
    mail.send("confirm_email", user.email, user.lang, user=user, link=link)
    db.session.commit()


def confirm_email(token: str) -> User | None:
    user = signed_links.read_token(signed_links.CONFIRM, token)
    if user is None:
        return None
    user.email_confirmed_at = utcnow()
    db.session.commit()
    return user


def sign_in(email: str, password: str) -> SignInResult:
    """Check credentials. Failures are counted per address, whether or not it has an account:
    after 5 each further attempt must wait, after 10 the address is locked for 15 minutes and
    the account's owner (if any) is emailed. A success clears the count."""
    now = utcnow()
    throttle = _throttle(email)
    user = find_user(email)
    if throttle is not None and throttle.locked_until and throttle.locked_until > now:
        passwords.verify_password(None, password)  # the same work as any other attempt
        return SignInResult(
            None, SignInProblem.THROTTLED, int((throttle.locked_until - now).total_seconds()) + 1
        )
    if user is None or not passwords.verify_password(user.password_hash, password):
        _record_failure(email, throttle, user, now)
        return SignInResult(None, SignInProblem.INVALID)
    if user.suspended_at is not None:
        return SignInResult(None, SignInProblem.SUSPENDED)
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    if throttle is not None:
        db.session.delete(throttle)
    user.last_login_at = now
    db.session.commit()
    return SignInResult(user)


def _email_hash(email: str) -> str:
    return hashlib.sha256(normalize_email(email).encode()).hexdigest()


def _throttle(email: str) -> SignInThrottle | None:
    return db.session.scalars(
        select(SignInThrottle).where(SignInThrottle.email_hash == _email_hash(email))
    ).first()


def _record_failure(email: str, throttle: SignInThrottle | None, user: User | None, now) -> None:
    if throttle is None:
        throttle = SignInThrottle(email_hash=_email_hash(email), failures=0)
        db.session.add(throttle)
    throttle.failures += 1
    throttle.last_failure_at = now
    if throttle.failures >= LOCK_AFTER:
        throttle.locked_until = now + timedelta(minutes=LOCK_MINUTES)
        if throttle.failures == LOCK_AFTER and user is not None:
            mail.send(
                "account_locked",
                user.email,
                user.lang,
                user=user,
                minutes=LOCK_MINUTES,
                reset_url=public_url("auth.reset_request"),
            )
    elif throttle.failures >= SLOW_DOWN_AFTER:
        throttle.locked_until = now + timedelta(
            seconds=30 * (throttle.failures - SLOW_DOWN_AFTER + 1)
        )
    db.session.commit()


def sign_out(user: User) -> None:
    """Rotate the session token: every session and remember-me cookie of this user dies."""
    user.session_token = new_session_token()
    db.session.commit()


def request_password_reset(email: str) -> None:
    """Email a reset link if the account exists; do nothing visible otherwise."""
    user = find_user(email)
    if user is None or not user.is_active:
        return
    link = public_url("auth.reset", token=signed_links.make_token(signed_links.RESET, user))
    mail.send("reset_password", user.email, user.lang, user=user, link=link)
    db.session.commit()


def reset_link_valid(token: str) -> bool:
    return signed_links.read_token(signed_links.RESET, token) is not None


def reset_password(token: str, password: str) -> User:
    """Set a new password from a reset link; unlocks the account. Commits."""
    user = signed_links.read_token(signed_links.RESET, token)
    if user is None:
        raise LinkExpired()
    set_password(user, password)
    return user


def set_password(user: User, password: str) -> None:
    problem = passwords.password_problem(password, user.email, user.display_name)
    if problem:
        raise AccountError(problem)
    user.password_hash = passwords.hash_password(password)
    user.session_token = new_session_token()
    throttle = _throttle(user.email)
    if throttle is not None:  # a new password lifts a lock
        db.session.delete(throttle)
    db.session.commit()


def change_password(user: User, current: str, new: str) -> None:
    """Change a password knowing the current one; signs out every session. Commits."""
    if not passwords.verify_password(user.password_hash, current):
        raise WrongPassword()
    set_password(user, new)


def update_profile(
    user: User,
    name: str,
    lang: str,
    notify_email: str | None = None,
    *,
    timezone: str | None = None,
) -> None:
    """`timezone` None is the site's zone; the form has checked it is a tz database name."""
    user.display_name = name.strip()
    user.lang = lang
    user.timezone = timezone
    if notify_email:
        user.notify_email = notify_email
    db.session.commit()


def export_data(user: User) -> dict:
    """Everything stored about this person, for them to download."""
    searches = db.session.scalars(
        select(SearchEvent).where(SearchEvent.user_id == user.id).order_by(SearchEvent.id)
    ).all()
    tokens = db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)).all()
    return {
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "role": user.role,
            "language": user.lang,
            "time_zone": user.timezone,
            "created_at": _iso(user.created_at),
            "email_confirmed_at": _iso(user.email_confirmed_at),
            "last_login_at": _iso(user.last_login_at),
        },
        "api_tokens": [
            {
                "name": t.name,
                "prefix": t.prefix,
                "scopes": t.scopes,
                "created_at": _iso(t.created_at),
                "last_used_at": _iso(t.last_used_at),
                "revoked_at": _iso(t.revoked_at),
            }
            for t in tokens
        ],
        "searches": [{"query": s.query, "at": _iso(s.created_at)} for s in searches],
    }


def _iso(value) -> str | None:
    return value.isoformat() + "Z" if value else None


def delete_account(user: User, password: str) -> None:
    """Erase personal data; what the person wrote stays, shown as from a deleted user. Commits."""
    if not passwords.verify_password(user.password_hash, password):
        raise WrongPassword()
    user.email = f"deleted-{user.id}@deleted.invalid"
    user.display_name = ""
    user.password_hash = "!"  # noqa: S105 - matches no password: sign-in becomes impossible
    user.session_token = new_session_token()
    user.deleted_at = utcnow()
    db.session.execute(
        update(ApiToken).where(ApiToken.user_id == user.id).values(revoked_at=utcnow())
    )
    db.session.execute(
        update(SearchEvent).where(SearchEvent.user_id == user.id).values(user_id=None)
    )
    audit.record(None, "account.delete", f"user:{user.id}", actor_label="self-service")
    db.session.commit()
