"""Sending one delivery: the `webhook` job. Signed afresh at each attempt, sent with a timeout
to addresses checked just before (and connected to as checked), never following a redirect.
A failure raises, so the job system retries it with its doubling delay (jobs.py)."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import logging
import socket
import ssl
import time
from dataclasses import dataclass

from flask import current_app

from helpcenter import jobs
from helpcenter.extensions import db
from helpcenter.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from helpcenter.models.webhooks import AttemptError, DeliveryStatus
from helpcenter.services.webhooks import addresses

log = logging.getLogger(__name__)

JOB_KIND = "webhook"
TEST_EVENT = "webhook.test"  # sent even to a disabled endpoint: the admin asked for it
SIGNATURE_HEADER = "X-Helpcenter-Signature"
TIMESTAMP_HEADER = "X-Helpcenter-Timestamp"
USER_AGENT = "Helpcenter-Webhooks/1"
MAX_DETAIL = 300


class DeliveryFailed(RuntimeError):
    """This attempt failed; the job is retried later (or kept as failed after its last)."""


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """`sha256=` and the hex HMAC-SHA256 of "<timestamp>.<body>": a receiver that refuses old
    timestamps cannot be fed a recorded delivery again."""
    signed = str(timestamp).encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


@dataclass
class Outcome:
    ok: bool
    response_code: int | None = None
    error_code: AttemptError | None = None
    error: str | None = None


class _PinnedConnection(http.client.HTTPConnection):
    """Plain HTTP to one of the addresses that were checked, whatever DNS says a moment later."""

    def __init__(self, host: str, port: int, *, addresses: list, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.addresses = addresses

    def _open(self) -> socket.socket:
        error: OSError | None = None
        for address in self.addresses:
            try:
                return socket.create_connection((str(address), self.port), self.timeout)
            except OSError as exc:
                error = exc
        raise error or OSError("no address to connect to")

    def connect(self) -> None:
        self.sock = self._open()


class _PinnedTLSConnection(_PinnedConnection):
    """HTTPS the same way: the certificate is still checked against the host name."""

    default_port = http.client.HTTPS_PORT

    def connect(self) -> None:
        context = ssl.create_default_context()
        self.sock = context.wrap_socket(self._open(), server_hostname=self.host)


def post(url: str, body: bytes, headers: dict[str, str]) -> Outcome:
    """POST once; the outcome, never an exception."""
    try:
        found = addresses.allowed_addresses(url)
    except addresses.HostNotFound as missing:
        return Outcome(False, error_code=AttemptError.DNS, error=missing.detail[:MAX_DETAIL])
    except addresses.AddressRefused as refusal:
        return Outcome(False, error_code=AttemptError.REFUSED, error=refusal.detail[:MAX_DETAIL])
    parts = addresses.checked_url(url)
    assert parts.hostname  # checked_url refuses an address without a host
    kind = _PinnedTLSConnection if parts.scheme == "https" else _PinnedConnection
    connection = kind(
        parts.hostname,
        addresses.default_port(parts),
        addresses=found,
        timeout=current_app.config["WEBHOOKS_TIMEOUT_SECONDS"],
    )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        detail = response.read(MAX_DETAIL).decode("utf-8", "replace").strip()
    except TimeoutError:
        return Outcome(False, error_code=AttemptError.TIMEOUT)
    except (OSError, http.client.HTTPException) as error:
        return Outcome(False, error_code=AttemptError.CONNECTION, error=_error_name(error))
    finally:
        connection.close()
    code = response.status
    if 200 <= code < 300:
        return Outcome(True, response_code=code)
    if 300 <= code < 400:
        location = (response.getheader("Location") or "")[:MAX_DETAIL]
        return Outcome(False, code, AttemptError.REDIRECT, location or None)
    return Outcome(False, code, AttemptError.HTTP, detail or None)


def _error_name(error: Exception) -> str:
    """The error's name and code, not its English sentence: the page around it is translated."""
    code = getattr(error, "reason", None) or getattr(error, "errno", None)
    return f"{type(error).__name__} ({code})" if code else type(error).__name__


def headers_for(delivery: WebhookDelivery, secret: str, body: bytes) -> dict[str, str]:
    timestamp = int(time.time())
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "X-Helpcenter-Event": delivery.event_type,
        "X-Helpcenter-Delivery": delivery.event_id,
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: sign(secret, timestamp, body),
    }


@jobs.handler(JOB_KIND)
def _deliver(payload: dict) -> None:
    """Send one delivery and log the attempt. A success is committed by the worker with the
    job; a failed attempt is committed here before raising, so the job's rollback keeps it."""
    delivery = db.session.get(WebhookDelivery, payload["delivery_id"])
    if delivery is None or delivery.status != DeliveryStatus.PENDING:
        return  # the endpoint was deleted, or an earlier run got through
    endpoint = db.session.get_one(WebhookEndpoint, delivery.endpoint_id)
    if not endpoint.enabled and delivery.event_type != TEST_EVENT:
        delivery.status = DeliveryStatus.FAILED
        db.session.add(WebhookAttempt(delivery_id=delivery.id, error_code=AttemptError.DISABLED))
        return
    body = delivery.body.encode("utf-8")
    started = time.monotonic()
    outcome = post(endpoint.url, body, headers_for(delivery, endpoint.secret, body))
    attempt = WebhookAttempt(
        delivery_id=delivery.id,
        ok=outcome.ok,
        response_code=outcome.response_code,
        error_code=outcome.error_code,
        error=outcome.error,
        duration_ms=int((time.monotonic() - started) * 1000),
    )
    db.session.add(attempt)
    if outcome.ok:
        delivery.status = DeliveryStatus.DELIVERED
        return
    db.session.commit()
    log.warning(
        "webhook delivery %s to endpoint %s failed: %s %s",
        delivery.id,
        endpoint.id,
        outcome.error_code,
        outcome.response_code or "",
    )
    raise DeliveryFailed(f"{outcome.error_code} {outcome.response_code or ''}".strip())
