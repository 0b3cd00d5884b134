"""The search outbox: index work recorded in the same transaction as the change it follows."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from helpcenter.extensions import Model
from helpcenter.models.base import utcnow


class SearchOutbox(Model):
    """A pending index update; deleted once the index holds it, so a crash only delays it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    doc_kind: Mapped[str] = mapped_column(String(20))
    doc_id: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
