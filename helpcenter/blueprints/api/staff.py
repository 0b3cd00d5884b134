"""JSON API for staff and admins (guarded by access.py; bearer tokens accepted)."""

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _

from helpcenter.input_guard import db_int
from helpcenter.services.accounts import users
from helpcenter.services.insights import dashboard as dashboards
from helpcenter.services.insights import measures

bp = Blueprint("api_staff", __name__)


@bp.get("/staff/searches")
def searches():
    days = request.args.get("days", default=7, type=db_int)
    if days not in measures.PERIODS:
        return jsonify(error=_("`days` must be 7, 30 or 90."), status=400), 400
    health = dashboards.search_health(days)
    funnel = health.funnel
    return jsonify(
        days=days,
        searches=funnel.searches,
        zero_result=funnel.zero_result,
        zero_result_rate=round(funnel.rate("zero_result"), 4),
        failure_rate=round(funnel.failure_rate, 4),
        top_gaps=[{"key": r.key, "people": r.visitors} for r in health.top_gaps],
    )


@bp.get("/admin/users")
def user_list():
    page = users.search_users(
        request.args.get("q", "")[:100], request.args.get("page", 1, type=db_int)
    )
    return jsonify(
        total=page.total,
        page=page.page,
        users=[
            {
                "id": u.id,
                "email": u.email,
                "display_name": u.display_name,
                "role": u.role,
                "confirmed": u.is_confirmed,
                "suspended": u.suspended_at is not None,
                "created_at": u.created_at.isoformat() + "Z",
            }
            for u in page.items
        ],
    )
