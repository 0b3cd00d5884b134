"""Webhooks: endpoints admins register, each event's delivery to one of them, and every attempt."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from helpcenter.extensions import Model
from helpcenter.models.base import utcnow
from helpcenter.models.jobs import Job, JobStatus


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # queued, or its last attempt failed and the job will try again
    DELIVERED = "delivered"
    FAILED = "failed"  # every attempt failed; the job is kept as failed (Retry on /admin/jobs)


class AttemptError(StrEnum):
    HTTP = "http"  # the receiver answered, with a status other than 2xx
    REDIRECT = "redirect"  # 3xx: never followed, it could lead anywhere
    TIMEOUT = "timeout"
    CONNECTION = "connection"
    DNS = "dns"
    REFUSED = "refused"  # the address is not public (production)
    DISABLED = "disabled"  # the endpoint was disabled after the event was queued


class WebhookEndpoint(Model):
    """An address that receives events. The secret is kept as it is: signing needs it back."""

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    description: Mapped[str] = mapped_column(String(200), default="")
    secret: Mapped[str] = mapped_column(String(100))
    event_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    slack: Mapped[bool] = mapped_column(default=False)
    enabled: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class WebhookDelivery(Model):
    """One event for one endpoint: the exact body sent (signed afresh at each attempt)."""

    __table_args__ = (Index("ix_webhook_delivery_endpoint", "endpoint_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(ForeignKey("webhook_endpoint.id", ondelete="CASCADE"))
    event_id: Mapped[str] = mapped_column(String(40))
    event_type: Mapped[str] = mapped_column(String(40))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default=DeliveryStatus.PENDING)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("job.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    job: Mapped[Job | None] = relationship(lazy="joined")
    attempts: Mapped[list[WebhookAttempt]] = relationship(
        order_by="WebhookAttempt.id", lazy="selectin", passive_deletes=True
    )

    @property
    def state(self) -> str:
        """delivered, queued, retrying (a failed attempt, the job waits), or failed (given up,
        or its job was discarded)."""
        if self.status == DeliveryStatus.DELIVERED:
            return "delivered"
        if self.status == DeliveryStatus.FAILED or self.job is None:
            return "failed"
        if self.job.status == JobStatus.FAILED:
            return "failed"
        return "retrying" if self.attempts else "queued"


class WebhookAttempt(Model):
    """One try at sending a delivery: when, how long, the answer's status code or the error."""

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_delivery.id", ondelete="CASCADE"), index=True
    )
    ok: Mapped[bool] = mapped_column(default=False)
    response_code: Mapped[int | None]
    error_code: Mapped[str | None] = mapped_column(String(20))  # AttemptError, shown translated
    error: Mapped[str | None] = mapped_column(String(300))  # the detail: an exception, a body
    duration_ms: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class WebhookMark(Model):
    """An event that must be sent once per object (a thread unanswered for 24 hours) was sent."""

    __table_args__ = (UniqueConstraint("event_type", "subject", name="uq_webhook_mark"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_type: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(600))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
