"""The community pages."""

import secrets

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.exceptions import Forbidden

from helpcenter import page_meta
from helpcenter.blueprints.actor import current_actor
from helpcenter.blueprints.community.forms import (
    FLAG_REASON_LABELS,
    EditForm,
    FlagForm,
    ReplyForm,
    ThreadForm,
)
from helpcenter.errors import handle_http
from helpcenter.extensions import csrf, db, limiter
from helpcenter.i18n import current_lang
from helpcenter.input_guard import ActionForm, accepts_json, bounded_int, db_int
from helpcenter.markup import render_user_markdown
from helpcenter.models import Post, Thread, User
from helpcenter.models.base import utcnow
from helpcenter.services.community import (
    listings,
    moderation,
    notifications,
    pages,
    posts,
    reputation,
)
from helpcenter.services.community.posts import CommunityError, NotAllowed
from helpcenter.services.content import catalog
from helpcenter.visitors import is_crawler, visitor_id

bp = Blueprint("community", __name__, url_prefix="/community")
NEW_MEMBER_LIMIT = "10 per hour; 50 per day"
TRUSTED_LIMIT = "60 per hour; 500 per day"


def _post_limit() -> str:
    """Posting limits lift once a member has earned some reputation."""
    trusted = current_user.is_authenticated and (
        current_user.is_staff or reputation.points(current_user) >= reputation.TRUSTED_POINTS
    )
    return TRUSTED_LIMIT if trusted else NEW_MEMBER_LIMIT


def _member_key() -> str:
    return f"user:{current_user.id}" if current_user.is_authenticated else request.remote_addr or ""


def _thread_or_404(thread_id: int) -> Thread:
    thread = db.session.get(Thread, thread_id)
    if (
        thread is None
        or thread.deleted_at is not None
        or (thread.hidden_at and not (current_user.is_authenticated and current_user.is_staff))
    ):
        abort(404)
    return thread


def _post_or_404(post_id: int) -> Post:
    post = db.get_or_404(Post, post_id)
    _thread_or_404(post.thread_id)
    return post


@bp.errorhandler(NotAllowed)
def not_allowed(_exc):
    return handle_http(Forbidden())


@bp.get("/")
def index():
    tab = request.args.get("tab", "latest")
    tab = tab if tab in listings.TABS else "latest"
    lang = request.args.get("lang", current_lang())
    listing = pages.listing_page(
        current_user,
        tab=tab,
        lang=lang if lang in ("en", "ja") else None,
        category_slug=request.args.get("category") or None,
        page=request.args.get("page", 1, type=db_int),
    )
    meta = page_meta.community_meta(
        lang=current_lang(),
        shown_lang=lang if lang in ("en", "ja") else "all",
        category=listing.category,
        tab=tab,
        page=listing.page.page,
    )
    return render_template(
        "community/index.html",
        **vars(listing),
        tab=tab,
        lang=lang,
        action_form=ActionForm(),
        page_meta=meta,
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
@limiter.limit(_post_limit, key_func=_member_key, methods=["POST"])
def new_thread():
    form = ThreadForm(
        request.form if request.method == "POST" else None,
        title=request.args.get("q", "")[:200],
        search_id=request.args.get("sid", ""),
        composer_id=secrets.token_hex(16),
    )
    if request.method == "POST" and form.validate():
        try:
            thread = posts.create_thread(
                author=current_user,
                title=form.title.data,
                body=form.body.data,
                category_slug=form.category.data or None,
                kind=form.kind.data,
                tags=form.tags.data,
                search_id=bounded_int(form.search_id.data),
                composer_id=form.composer_id.data,
                actor=current_actor(),
            )
        except CommunityError as exc:
            form.body.errors.append(str(exc))
        else:
            return redirect(url_for(".thread", thread_id=thread.id), code=303)
    status = 400 if form.errors else 200
    return render_template(
        "community/new.html", form=form, **vars(pages.composer_page(current_user))
    ), status


@bp.get("/t/<int:thread_id>")
def thread(thread_id: int):
    page = pages.thread_page(
        _thread_or_404(thread_id),
        current_user,
        visitor_id=None if is_crawler() else visitor_id(),  # crawlers stay out of analytics
    )
    return render_template(
        "community/thread.html",
        **vars(page),
        page_meta=page_meta.thread_meta(page.thread, page.opening, page.replies),
        reply_form=ReplyForm(),
        action_form=ActionForm(),
        can_edit=posts.can_edit,
        flag_reasons=FLAG_REASON_LABELS,
    )


@bp.post("/t/<int:thread_id>/reply")
@login_required
@limiter.limit(_post_limit, key_func=_member_key)
def reply(thread_id: int):
    item = _thread_or_404(thread_id)
    form = ReplyForm()
    if not form.validate():
        flash(_("Write an answer of at least 2 characters."))
        return redirect(url_for(".thread", thread_id=thread_id, _anchor="reply"), code=303)
    post = posts.reply(current_user, item, form.body.data)
    return redirect(url_for(".thread", thread_id=thread_id, _anchor=f"p{post.id}"), code=303)


@bp.route("/p/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
def edit(post_id: int):
    post = _post_or_404(post_id)
    if not posts.can_edit(current_user, post):
        abort(403)
    item = db.session.get_one(Thread, post.thread_id)
    form = EditForm(obj=post, title=item.title) if request.method == "GET" else EditForm()
    if request.method == "GET":
        form.body.data = post.body_md
    if request.method == "POST" and form.validate():
        posts.edit_post(
            current_user, post, form.body.data, form.title.data if post.is_opening else None
        )
        return redirect(url_for(".thread", thread_id=item.id, _anchor=f"p{post.id}"), code=303)
    return render_template(
        "community/edit.html", form=form, post=post, thread=item
    ), 400 if form.errors else 200


@bp.post("/p/<int:post_id>/delete")
@login_required
def delete(post_id: int):
    post = _post_or_404(post_id)
    posts.delete_post(current_user, post)
    flash(_("The post is deleted."))
    thread_gone = db.session.get_one(Thread, post.thread_id).deleted_at is not None
    return redirect(
        url_for(".index") if thread_gone else url_for(".thread", thread_id=post.thread_id), code=303
    )


@bp.post("/t/<int:thread_id>/accept/<int:post_id>")
@login_required
def accept(thread_id: int, post_id: int):
    item = _thread_or_404(thread_id)
    try:
        posts.accept(current_user, item, _post_or_404(post_id))
    except CommunityError as exc:
        flash(str(exc))
    return redirect(url_for(".thread", thread_id=thread_id, _anchor=f"p{post_id}"), code=303)


@bp.post("/t/<int:thread_id>/unaccept")
@login_required
def unaccept(thread_id: int):
    posts.unaccept(current_user, _thread_or_404(thread_id))
    return redirect(url_for(".thread", thread_id=thread_id), code=303)


@bp.post("/p/<int:post_id>/vote")
@login_required
def vote(post_id: int):
    post = _post_or_404(post_id)
    posts.toggle_vote(current_user, post)
    return redirect(url_for(".thread", thread_id=post.thread_id, _anchor=f"p{post.id}"), code=303)


@bp.post("/t/<int:thread_id>/follow")
@login_required
def follow_thread(thread_id: int):
    if not ActionForm().validate():
        abort(400)
    notifications.follow_thread(
        current_user, _thread_or_404(thread_id), request.form.get("follow") == "yes"
    )
    return redirect(url_for(".thread", thread_id=thread_id), code=303)


@bp.post("/c/<slug>/follow")
@login_required
def follow_category(slug: str):
    category = catalog.category(slug) or abort(404)
    if not ActionForm().validate():
        abort(400)
    notifications.follow_category(current_user, category.id, request.form.get("follow") == "yes")
    return redirect(url_for(".index", category=slug), code=303)


@bp.post("/p/<int:post_id>/flag")
@login_required
@limiter.limit("20 per hour", key_func=_member_key)
def flag(post_id: int):
    post = _post_or_404(post_id)
    form = FlagForm()
    if not form.validate():
        flash(_("Choose a reason for the report."))
    else:
        moderation.flag(current_user, post, form.reason.data, form.note.data)
        flash(_("Thanks for the report. Staff will review it."))
    return redirect(url_for(".thread", thread_id=post.thread_id, _anchor=f"p{post.id}"), code=303)


@bp.get("/u/<int:user_id>")
def profile(user_id: int):
    person = db.session.get(User, user_id)
    if person is None or person.deleted_at is not None:
        abort(404)
    return render_template(
        "community/profile.html", **vars(pages.profile_page(person)), badges=reputation.BADGES
    )


@bp.get("/leaderboard")
def leaderboard():
    period = request.args.get("period", "month")
    since = (
        utcnow().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        if period == "month"
        else None
    )
    return render_template(
        "community/leaderboard.html",
        rows=reputation.leaderboard(since),
        period="month" if since else "all",
    )


@bp.post("/preview")
@limiter.limit("60 per minute")
@accepts_json
def preview():
    """Render Markdown through the same pipeline as a saved post (JSON, CSRF token in a header)."""
    text = (request.get_json(silent=True) or {}).get("body", "")
    if not isinstance(text, str) or len(text) > 20000:
        return jsonify(
            error=_("`body` must be text of at most %(n)s characters.", n="20,000"), status=400
        ), 400
    return jsonify(html=render_user_markdown(text).html)


@bp.get("/notifications")
@login_required
def notification_list():
    items = notifications.recent(current_user)
    return render_template("community/notifications.html", items=items, action_form=ActionForm())


@bp.post("/notifications/read")
@login_required
def mark_read():
    notifications.mark_all_read(current_user)
    return redirect(url_for(".notification_list"), code=303)


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # the POST is RFC 8058 one-click, sent by mail clients: the signed token suffices
def unsubscribe(token: str):
    """The link in every notification mail. Stops notification email, and nothing else."""
    user = notifications.unsubscribe(token)
    return render_template("community/unsubscribed.html", ok=user is not None), 200 if user else 400


@bp.app_context_processor
def notification_count():
    """The bell's number, on every page for signed-in people (one indexed count)."""
    if current_user.is_authenticated:
        return {"unread_notifications": notifications.unread_count(current_user)}
    return {"unread_notifications": 0}
