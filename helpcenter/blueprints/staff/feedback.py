"""The feedback queue for staff (guarded by access.py): readers' "not helpful" comments per
article owner, their status, and a CSV of the current view."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from helpcenter.blueprints.query_links import same_query
from helpcenter.blueprints.staff.blueprint import bp
from helpcenter.blueprints.staff.forms import FeedbackStatusForm
from helpcenter.csv_export import csv_response
from helpcenter.extensions import db
from helpcenter.input_guard import ActionForm
from helpcenter.models import Article, HelpfulVote
from helpcenter.services.content import feedback_queue

STATUS_LABELS = {
    "new": _l("New"),
    "planned": _l("Planned"),
    "resolved": _l("Resolved"),
    "dismissed": _l("Dismissed"),
    "all": _l("All"),
}
TAB_LABELS = {"mine": _l("Mine"), "unowned": _l("Unowned"), "all": _l("All")}
CSV_HEADER = [
    "date",
    "status",
    "lang",
    "article",
    "path",
    "owner",
    "reason",
    "comment",
    "handled_by",
    "handled_at",
]


def _view() -> tuple[str, str]:
    """tab=mine|unowned|all (mine by default), status=new|planned|resolved|dismissed|all."""
    tab, status = request.args.get("tab", "mine"), request.args.get("status", "new")
    if tab not in feedback_queue.TABS or status not in STATUS_LABELS:
        abort(400)
    return tab, status


def _back():
    return redirect(url_for(".feedback_queue", **same_query()), code=303)


@bp.get("/feedback", endpoint="feedback_queue")
def queue_page():
    tab, status = _view()
    items = feedback_queue.queue(current_user, tab=tab, status=None if status == "all" else status)
    return render_template(
        "staff/feedback.html",
        items=items,
        tab=tab,
        status=status,
        form=ActionForm(),
        labels=STATUS_LABELS,
        tabs=TAB_LABELS,
        limit=feedback_queue.PAGE_LIMIT,
    )


@bp.post("/feedback/<int:vote_id>/status")
def feedback_status(vote_id: int):
    vote = db.get_or_404(HelpfulVote, vote_id)
    form = FeedbackStatusForm()
    if not form.validate():
        abort(400)
    status = form.status.data
    try:
        feedback_queue.set_status(current_user, vote, status)
        flash(_("Feedback marked “%(status)s”.", status=STATUS_LABELS[status]))
    except feedback_queue.FeedbackError as exc:
        flash(str(exc))
    return _back()


@bp.post("/feedback/articles/<int:article_id>/own")
def feedback_take_ownership(article_id: int):
    article = db.get_or_404(Article, article_id)
    if not ActionForm().validate():
        abort(400)
    feedback_queue.take_ownership(current_user, article)
    flash(_("You now own “%(title)s”: its feedback comes to you.", title=article.title))
    return _back()


@bp.get("/feedback.csv")
def feedback_export():
    tab, status = _view()
    items = feedback_queue.queue(
        current_user,
        tab=tab,
        status=None if status == "all" else status,
        limit=feedback_queue.EXPORT_LIMIT,
    )
    rows = [
        (
            item.at.isoformat(timespec="seconds"),
            item.vote.feedback_status,
            item.article.lang,
            item.article.title,
            item.article.path,
            item.owner.display_name if item.owner else "",
            item.vote.reason or "",
            item.vote.comment or "",
            item.handled_by.display_name if item.handled_by else "",
            item.vote.feedback_at.isoformat(timespec="seconds") if item.vote.feedback_at else "",
        )
        for item in items
    ]
    return csv_response(f"feedback-{tab}-{status}", CSV_HEADER, rows)


@bp.app_template_global()
def feedback_new_count() -> int:
    """For the dashboard's link row: new feedback on the signed-in staff member's articles."""
    return feedback_queue.new_count(current_user) if current_user.is_authenticated else 0
