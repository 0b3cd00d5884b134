"""Public pages: home, categories, articles, videos, helpful votes, language choice."""

from typing import cast

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    get_flashed_messages,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from helpcenter import page_meta
from helpcenter.blueprints.actor import current_actor
from helpcenter.blueprints.main.forms import REASON_LABELS, FeedbackReasonForm, HelpfulForm
from helpcenter.extensions import limiter
from helpcenter.i18n import LANG_COOKIE, current_lang, without_page_lang
from helpcenter.input_guard import db_int
from helpcenter.models.content import KIND_ARTICLE, KIND_VIDEO
from helpcenter.security import is_safe_redirect
from helpcenter.services.content import catalog, curation, pages
from helpcenter.services.insights import events

bp = Blueprint("main", __name__)


@bp.get("/")
def home():
    lang = current_lang()
    return render_template(
        "main/home.html", **vars(pages.home_page(lang)), page_meta=page_meta.home_meta(lang)
    )


@bp.get("/categories/<slug>")
def category(slug: str):
    lang = current_lang()
    topic = pages.category_page(slug, lang) or abort(404)
    return render_template(
        "main/category.html",
        **vars(topic),
        page_meta=page_meta.category_meta(topic.category, lang),
    )


@bp.get("/articles/<lang>/<slug>")
def article(lang: str, slug: str):
    page = _page(KIND_ARTICLE, lang, slug)
    html = render_article(
        page, FeedbackReasonForm(), asking_reason=request.args.get("feedback") == "no"
    )
    # Recorded after rendering: the commit would otherwise expire the page and load it again.
    events.record_view(page, current_actor())
    return html


def render_article(page, reason_form: FeedbackReasonForm, asking_reason: bool) -> str:
    links = pages.reading_links(page)
    return render_template(
        "main/article.html",
        **vars(links),
        page_meta=page_meta.content_meta(page, links.translations),
        **_feedback_box(page, reason_form, asking_reason=asking_reason),
    )


def _feedback_box(
    page, reason_form: FeedbackReasonForm, *, asking_reason: bool = False, thanks: str | None = None
) -> dict:
    """What the "Was this helpful?" box shows: the thanks flashed by a vote (kept out of the
    messages at the top of the page, 1,500 px away from where the reader clicked), the reasons,
    or the question."""
    if thanks is None:
        # Without with_categories the flashed messages are plain strings.
        flashed = cast(list[str], get_flashed_messages(category_filter=[FEEDBACK_FLASH]))
        thanks = next(iter(flashed), None)
    return {
        "article": page,
        "helpful_form": HelpfulForm(),
        "reason_form": reason_form,
        "asking_reason": asking_reason,
        "feedback_thanks": thanks,
    }


@bp.get("/videos/<lang>/<slug>")
def video(lang: str, slug: str):
    page = _page(KIND_VIDEO, lang, slug)
    start = request.args.get("t", default=0, type=db_int)
    start = min(max(start, 0), page.duration_seconds or 24 * 3600)
    links = pages.reading_links(page)
    html = render_template(
        "main/video.html",
        video=page,
        start=start,
        **vars(links),
        page_meta=page_meta.content_meta(page, links.translations),
    )
    events.record_view(page, current_actor())  # after rendering, as for articles
    return html


FEEDBACK_LIMIT = "30 per hour"  # a comment mails the article's owner: keep that from spam
FEEDBACK_FLASH = "feedback"  # shown in the feedback box, not with the messages at the top
IN_PLACE_HEADER = "X-Feedback-Box"


def _page(kind: str, lang: str, slug: str):
    """The published page at this address; an old address forwards (301), a removed page is
    410 Gone, anything else 404."""
    page = catalog.published_page(kind, lang, slug)
    if page is not None:
        return page
    moved = curation.redirect_target(kind, lang, slug)
    if moved is not None and moved.is_published:
        query = request.query_string.decode()
        abort(redirect(moved.path + (f"?{query}" if query else ""), code=301))
    if catalog.was_archived(kind, lang, slug) or (moved is not None and moved.is_archived):
        abort(410)
    abort(404)


@bp.post("/articles/<lang>/<slug>/feedback")
@limiter.limit(FEEDBACK_LIMIT)
def feedback(lang: str, slug: str):
    """Store "Was this helpful?"; a "no" then asks why in the same box. Sent by the page's script
    (the `X-Feedback-Box` header), the answer is the box alone, swapped in place; without
    JavaScript, a redirect to the box's anchor, where the thanks now shows."""
    page = catalog.published_page(KIND_ARTICLE, lang, slug) or abort(404)
    in_place = request.headers.get(IN_PLACE_HEADER) == "1"
    if "reason" in request.form:
        form = FeedbackReasonForm()
        if not form.validate():
            if in_place:
                return _render_box(page, form, asking_reason=True), 400
            return render_article(page, form, asking_reason=True), 400
        events.record_vote(page, False, current_actor(), form.reason.data, form.comment.data)
        return _thank(page, _("Thank you. Your feedback helps us improve this article."), in_place)
    form = HelpfulForm()
    if not form.validate():
        abort(400)
    helpful = form.helpful.data == "yes"
    events.record_vote(page, helpful, current_actor())
    if helpful:
        return _thank(page, _("Thanks! We're glad it helped."), in_place)
    if in_place:
        return _render_box(page, FeedbackReasonForm(formdata=None), asking_reason=True)
    return redirect(
        url_for(".article", lang=lang, slug=slug, feedback="no", _anchor="feedback"), code=303
    )


def _render_box(page, reason_form: FeedbackReasonForm, **state) -> str:
    return render_template("main/_feedback.html", **_feedback_box(page, reason_form, **state))


def _thank(page, message: str, in_place: bool):
    if in_place:
        return _render_box(page, FeedbackReasonForm(formdata=None), thanks=message)
    flash(message, FEEDBACK_FLASH)
    return redirect(url_for(".article", lang=page.lang, slug=page.slug, _anchor="feedback"), 303)


@bp.get("/language/<code>")
def set_language(code: str):
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    target = request.args.get("next", "")
    target = without_page_lang(target) if is_safe_redirect(target) else url_for(".home")
    response = redirect(target, code=303)
    response.set_cookie(LANG_COOKIE, code, max_age=365 * 24 * 3600, httponly=True, samesite="Lax")
    return response


@bp.app_context_processor
def feedback_reasons():
    return {"reason_labels": REASON_LABELS}
