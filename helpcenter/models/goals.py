"""KPI targets staff commit to: a headline metric, a target, a deadline and an owner."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from helpcenter.extensions import Model
from helpcenter.models.base import utcnow
from helpcenter.models.content import Category
from helpcenter.models.user import User


class Direction(StrEnum):
    AT_LEAST = "at_least"
    AT_MOST = "at_most"


class GoalStatus(StrEnum):
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    MISSED = "missed"


STATUS_LABELS = {
    GoalStatus.ACHIEVED: _l("Achieved"),
    GoalStatus.ON_TRACK: _l("On track"),
    GoalStatus.AT_RISK: _l("At risk"),
    GoalStatus.MISSED: _l("Missed"),
}
DIRECTION_LABELS = {Direction.AT_LEAST: _l("at least"), Direction.AT_MOST: _l("at most")}


class Goal(Model):
    """One target. `target` is in the metric's stored unit (a rate as a fraction, hours,
    a count or a ratio); `status` is the last one computed, kept to notice changes."""

    id: Mapped[int] = mapped_column(primary_key=True)
    metric: Mapped[str] = mapped_column(String(40))
    lang: Mapped[str | None] = mapped_column(String(5))
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id", ondelete="SET NULL"))
    direction: Mapped[str] = mapped_column(String(10))
    target: Mapped[float] = mapped_column(Float)
    start_date: Mapped[date]
    deadline: Mapped[date]
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str | None] = mapped_column(String(12))
    archived_at: Mapped[datetime | None] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    category: Mapped[Category | None] = relationship(lazy="joined")
    owner: Mapped[User] = relationship(lazy="joined")
