"""What admins do with endpoints: register (the secret is made here and shown once), enable,
disable, delete, send a test event. Each change is audited and commits.

The secret is stored as it is, not hashed like API tokens: the server must have it back to sign
every delivery. Encrypting it with SECRET_KEY would need a cipher library and would protect
only against a database copy taken without the configuration; whoever holds the secret can
only forge deliveries to that one receiver, and deleting the endpoint revokes it."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from helpcenter.extensions import db
from helpcenter.models import User, WebhookDelivery, WebhookEndpoint
from helpcenter.services import audit
from helpcenter.services.errors import ServiceError
from helpcenter.services.webhooks import addresses, events

SECRET_PREFIX = "whsec_"  # noqa: S105 - the marker every secret starts with
DELIVERIES_SHOWN = 50


class WebhookError(ServiceError):
    """Input the admin can fix."""


def _target(endpoint: WebhookEndpoint) -> str:
    """The endpoint in the audit log: its host only, since a path can itself be a secret (a
    Slack incoming-webhook address is one)."""
    return f"webhook:{endpoint.id} {urlsplit(endpoint.url).hostname}"


def create(
    admin: User, *, url: str, description: str, event_types: list[str], slack: bool
) -> tuple[WebhookEndpoint, str]:
    """Register an endpoint; returns it and its signing secret. Raises AddressRefused or
    WebhookError. Commits, audited."""
    stored = addresses.check_for_registration(url)
    chosen = [event for event in events.SUBSCRIBABLE if event in set(event_types)]
    if not chosen or len(chosen) != len(set(event_types)):
        raise WebhookError(_l("Choose at least one event."))
    secret = SECRET_PREFIX + secrets.token_hex(24)
    endpoint = WebhookEndpoint(
        url=stored,
        description=description.strip()[:200],
        secret=secret,
        event_types=[str(e) for e in chosen],
        slack=slack,
        created_by_id=admin.id,
    )
    db.session.add(endpoint)
    db.session.flush()
    audit.record(
        admin, "webhook.create", _target(endpoint), events=endpoint.event_types, slack=slack
    )
    db.session.commit()
    return endpoint, secret


def set_enabled(admin: User, endpoint: WebhookEndpoint, enabled: bool) -> None:
    """A disabled endpoint gets no new events, and deliveries already queued are not sent."""
    endpoint.enabled = enabled
    audit.record(admin, f"webhook.{'enable' if enabled else 'disable'}", _target(endpoint))
    db.session.commit()


def delete(admin: User, endpoint: WebhookEndpoint) -> None:
    """Remove the endpoint with its deliveries; jobs still queued for them find nothing."""
    audit.record(admin, "webhook.delete", _target(endpoint))
    db.session.delete(endpoint)
    db.session.commit()


def send_test(admin: User, endpoint: WebhookEndpoint) -> WebhookDelivery:
    delivery = events.send_test(endpoint)
    audit.record(admin, "webhook.test", _target(endpoint))
    db.session.commit()
    return delivery


def listed() -> list[WebhookEndpoint]:
    return list(db.session.scalars(select(WebhookEndpoint).order_by(WebhookEndpoint.id)))


def recent_deliveries(endpoint: WebhookEndpoint) -> list[WebhookDelivery]:
    """The latest deliveries with their attempts (two queries: the attempts are selectin)."""
    return list(
        db.session.scalars(
            select(WebhookDelivery)
            .where(WebhookDelivery.endpoint_id == endpoint.id)
            .order_by(WebhookDelivery.id.desc())
            .limit(DELIVERIES_SHOWN)
        )
    )
