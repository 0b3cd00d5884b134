"""JSON API for staff and admins (guarded by access.py; bearer tokens accepted)."""

from flask import Blueprint, jsonify, request

from helpcenter.services import search_report, users

bp = Blueprint("api_staff", __name__)


@bp.get("/staff/searches")
def searches():
    days = request.args.get("days", default=7, type=int)
    if days not in (7, 30, 90):
        return jsonify(error="`days` must be 7, 30 or 90.", status=400), 400
    summary = search_report.summarize(days)
    return jsonify(
        days=summary.days,
        searches=summary.searches,
        zero_result=summary.zero_result,
        zero_result_rate=round(summary.zero_result_rate, 4),
        top_zero_result=[{"query": q, "count": n} for q, n in summary.top_zero_result],
    )


@bp.get("/admin/users")
def user_list():
    page = users.search_users(
        request.args.get("q", "")[:100], request.args.get("page", 1, type=int)
    )
    return jsonify(
        total=page.total,
        page=page.page,
        users=[
            {
                "id": u.id, "email": u.email, "display_name": u.display_name, "role": u.role,
                "confirmed": u.is_confirmed, "suspended": u.suspended_at is not None,
                "created_at": u.created_at.isoformat() + "Z",
            }
            for u in page.items
        ],
    )  # fmt: skip
