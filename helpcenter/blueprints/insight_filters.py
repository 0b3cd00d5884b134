"""The analytics period, language and topic a request asks for, and the funnel summary: shared by
the staff dashboard (HTML and CSV) and the JSON analytics API."""

from datetime import datetime, timedelta

from flask import abort, request
from flask_babel import gettext as _

from helpcenter.input_guard import db_int
from helpcenter.services.content import catalog
from helpcenter.services.insights import measures

FIRST_DAY, LAST_DAY = datetime(2000, 1, 1), datetime(2100, 1, 1)


def request_filters() -> measures.Filters:
    """days=7|30|90, or start/end dates (YYYY-MM-DD); lang=en|ja; category=slug. Bad values: 400."""
    args = request.args
    lang = args.get("lang") if args.get("lang") in ("en", "ja") else None
    category = catalog.category(args["category"]) if args.get("category") else None
    if args.get("category") and category is None:
        abort(400)
    if args.get("start") or args.get("end"):
        try:
            start = datetime.fromisoformat(args.get("start", ""))
            end = datetime.fromisoformat(args.get("end", ""))
        except ValueError:
            abort(400)
        # The comparison period reaches a year before `start`: calendar edges would overflow.
        if not FIRST_DAY <= start <= end < LAST_DAY or end - start >= timedelta(days=366):
            abort(400, _("Choose dates from 2000-01-01 to 2099-12-31, at most a year apart."))
        end += timedelta(days=1)
        return measures.filters_for(lang=lang, category=category, start=start, end=end)
    days = args.get("days", measures.DEFAULT_DAYS, type=db_int)
    days = days if days in measures.PERIODS else measures.DEFAULT_DAYS
    return measures.filters_for(days, lang=lang, category=category)
