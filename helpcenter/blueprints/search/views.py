"""The search page and the result-click redirect."""

from flask import Blueprint, abort, redirect, render_template, request

from helpcenter.blueprints.actor import current_actor
from helpcenter.blueprints.search.params import InvalidSearch, parse_search_args
from helpcenter.i18n import current_lang
from helpcenter.security import is_safe_redirect
from helpcenter.services import analytics, catalog
from helpcenter.services.search import run_search

bp = Blueprint("search", __name__)


@bp.get("/search")
def results():
    try:
        search = parse_search_args(request.args, current_lang())
    except InvalidSearch as exc:
        return render_template(
            "search/results.html", error=str(exc), outcome=None, categories=catalog.categories()
        ), 400
    outcome = run_search(search, "page", current_actor())
    sid = outcome.search_id or request.args.get("sid", type=int)
    status = 503 if outcome.unavailable else 200
    return render_template(
        "search/results.html", outcome=outcome, sid=sid, categories=catalog.categories()
    ), status


@bp.get("/search/click")
def click():
    """Count a click on a result, then go there. Only paths on this site are followed."""
    target = request.args.get("to", "")
    if not is_safe_redirect(target):
        abort(400)
    search_id = request.args.get("sid", type=int)
    rank = request.args.get("rank", type=int)
    if search_id and rank:
        analytics.record_click(search_id, rank, target, current_actor())
    if request.args.get("composer"):
        analytics.record_composer_event(
            request.args["composer"], "clicked", current_actor(), search_id, target, rank=rank
        )
    return redirect(target, code=303)
