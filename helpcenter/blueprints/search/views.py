"""The search page, the result-click redirect, and "tell me when this is answered"."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from helpcenter.blueprints.actor import current_actor
from helpcenter.blueprints.search.params import InvalidSearch, parse_search_args
from helpcenter.extensions import csrf, limiter
from helpcenter.i18n import current_lang
from helpcenter.input_guard import db_int
from helpcenter.security import is_safe_redirect
from helpcenter.services.insights import events
from helpcenter.services.search import answer_alerts
from helpcenter.services.search.pages import results_page

bp = Blueprint("search", __name__)
SEARCH_LIMIT = "120 per minute"  # as the API: searching is cheap, but not free
ALERT_LIMIT = "10 per hour; 30 per day"  # anonymous visitors give an address: keep it from spam


@bp.get("/search")
@limiter.limit(SEARCH_LIMIT)
def results():
    try:
        search, error = parse_search_args(request.args, current_lang()), None
    except InvalidSearch as exc:
        search, error = None, str(exc)
    page = results_page(
        search, current_actor(), known_search_id=request.args.get("sid", type=db_int)
    )
    status = 400 if error else 503 if page.outcome and page.outcome.unavailable else 200
    return render_template(
        "search/results.html",
        error=error,
        outcome=page.outcome,
        sid=page.sid,
        categories=page.categories,
    ), status


@bp.get("/search/click")
def click():
    """Count a click on a result, then go there. Only paths on this site are followed."""
    target = request.args.get("to", "")
    if not is_safe_redirect(target):
        abort(400)
    events.record_result_click(
        target,
        current_actor(),
        search_id=request.args.get("sid", type=db_int),
        rank=request.args.get("rank", type=db_int),
        composer_id=request.args.get("composer") or None,
    )
    return redirect(target, code=303)


@bp.post("/search/alert")
@limiter.limit(ALERT_LIMIT, exempt_when=lambda: current_user.is_authenticated)
def alert():
    """Tell me when this is answered: a member with one click, anyone else by email."""
    search_id = request.form.get("sid", type=db_int)
    email = request.form.get("email", "")[:400]
    try:
        waiting = answer_alerts.subscribe(search_id or 0, current_actor(), email)
    except answer_alerts.NotYourSearch:
        abort(404)
    except answer_alerts.AlertError as exc:
        return render_template(
            "search/alert.html",
            error=str(exc),
            sid=search_id,
            email=email,
            query=request.form.get("q", "")[:1000],
        ), 400
    if waiting.email:
        flash(_("We'll email you at %(email)s when this is answered.", email=waiting.email))
    else:
        flash(_("We'll tell you in your notifications when this is answered."))
    back = request.form.get("q", "")[:1000] or waiting.query
    return redirect(url_for(".results", q=back, sid=search_id), code=303)


@bp.route("/search/alerts/stop/<token>", methods=["GET", "POST"])
@csrf.exempt  # the POST is RFC 8058 one-click, sent by mail clients: the signed token suffices
def stop_alerts(token: str):
    """The link in an alert mail: no more answer alerts for that address. No sign-in needed."""
    dropped = answer_alerts.stop(token)
    return render_template("search/alerts_stopped.html", ok=dropped is not None), (
        400 if dropped is None else 200
    )
