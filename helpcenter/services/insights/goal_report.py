"""The owners' weekly goal email: each of their goals with its value, change and status.

`flask goals weekly-report`, run weekly from cron like the daily digest, judges every goal
(storing status changes) and queues one durable job per owner; the job composes the mail in
the owner's language when it runs, so the figures are those of the moment it is sent.
"""

from __future__ import annotations

from sqlalchemy import select

from helpcenter import jobs, mail
from helpcenter.extensions import db
from helpcenter.links import public_url
from helpcenter.models import Goal, User
from helpcenter.models.goals import DIRECTION_LABELS, STATUS_LABELS
from helpcenter.services.insights import goals
from helpcenter.services.insights.goal_metrics import METRICS

KIND = "goal_report"


def queue_weekly_reports() -> int:
    """Judge the goals, then queue one report per owner of an active goal. Commits; returns
    the number of reports queued."""
    reports = goals.refresh_statuses()
    owners = sorted({report.goal.owner_id for report in reports})
    for owner_id in owners:
        jobs.enqueue(KIND, {"user_id": owner_id})
    db.session.commit()
    return len(owners)


@jobs.handler(KIND)
def _deliver_report(payload: dict) -> None:
    """Compose and send one owner's report (nothing if they left or own no active goal now)."""
    owner = db.session.get(User, payload["user_id"])
    if owner is None or not owner.is_active:
        return
    owned = db.session.scalars(
        select(Goal)
        .where(Goal.owner_id == owner.id, Goal.archived_at.is_(None))
        .order_by(Goal.deadline, Goal.id)
    ).all()
    if not owned:
        return
    items = [
        (goals.progress(goal), public_url("staff.goal_page", goal_id=goal.id)) for goal in owned
    ]
    message = mail.compose(
        "goal_report",
        owner.email,
        owner.lang,
        user=owner,
        items=items,
        labels={"status": STATUS_LABELS, "metric": METRICS, "direction": DIRECTION_LABELS},
        goals_link=public_url("staff.goal_list"),
    )
    mail.deliver_now(message)
