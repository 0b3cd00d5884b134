"""Moderation: the queue of held posts, decisions on them, thread actions, a post's history."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from helpcenter.blueprints.staff.blueprint import bp
from helpcenter.blueprints.staff.forms import DecisionForm, ThreadActionForm
from helpcenter.extensions import db
from helpcenter.input_guard import ActionForm, bounded_int
from helpcenter.models import Post, PostRevision, Thread
from helpcenter.services.community import moderation
from helpcenter.services.community.posts import CommunityError


@bp.get("/moderation")
def moderation_queue():
    return render_template("staff/moderation.html", items=moderation.queue(), form=ActionForm())


@bp.post("/moderation/<int:post_id>")
def decide(post_id: int):
    post = db.get_or_404(Post, post_id)
    form = DecisionForm()
    if not form.validate():
        abort(400)
    moderation.decide(current_user, post, form.decision.data)
    flash(_("Decision saved."))
    return redirect(url_for(".moderation_queue"), code=303)


@bp.post("/threads/<int:thread_id>/<action>")
def thread_action(thread_id: int, action: str):
    thread = db.get_or_404(Thread, thread_id)
    form = ThreadActionForm()
    if not form.validate():
        abort(400)
    target = bounded_int(form.target.data) or 0
    try:
        result = moderation.thread_action(
            current_user, thread, action, category_slug=form.category.data or "", target_id=target
        )
    except CommunityError as exc:
        flash(str(exc))
        result = thread
    return redirect(url_for("community.thread", thread_id=result.id), code=303)


@bp.get("/posts/<int:post_id>/history")
def post_history(post_id: int):
    post = db.get_or_404(Post, post_id)
    revisions = db.session.scalars(
        select(PostRevision).where(PostRevision.post_id == post.id).order_by(PostRevision.id.desc())
    ).all()
    return render_template("staff/history.html", post=post, revisions=revisions)
