"""Promote a solved thread to an article draft (guarded for staff by access.py), and the
backlinks the thread and article pages show."""

from flask import abort, redirect, render_template, url_for
from flask_login import current_user

from helpcenter.blueprints.staff.blueprint import bp
from helpcenter.extensions import db
from helpcenter.input_guard import ActionForm
from helpcenter.models import Thread
from helpcenter.services.content import promotion


@bp.post("/threads/<int:thread_id>/promote")
def promote_thread(thread_id: int):
    thread = db.session.get(Thread, thread_id)
    if thread is None or thread.deleted_at is not None:
        abort(404)
    if not ActionForm().validate():
        abort(400)
    try:
        article = promotion.promote(current_user, thread)
    except promotion.PromotionError as exc:
        return render_template("errors/error.html", code=409, message=str(exc)), 409
    return redirect(url_for(".edit_article", article_id=article.id), code=303)


@bp.app_template_global()
def promoted_article(thread: Thread):
    """For the thread page: the article started from it (the template shows drafts to staff only)."""
    return promotion.article_for(thread)


@bp.app_template_global()
def article_credit(article):
    """For the article page: the community thread and answer it was based on, if still visible."""
    return promotion.credit_for(article)
