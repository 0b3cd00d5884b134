"""The staff area (guarded for staff by access.py): an overview of search."""

from flask import Blueprint, render_template, request

from helpcenter.services import search_report

bp = Blueprint("staff", __name__, url_prefix="/staff")


@bp.get("/")
def overview():
    days = request.args.get("days", default=7, type=int)
    days = days if days in (7, 30, 90) else 7
    return render_template("staff/overview.html", summary=search_report.summarize(days))
