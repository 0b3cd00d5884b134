"""Staff write and publish articles in the browser (guarded by access.py): the list, the editor,
scheduling, archiving, revisions with diff and restore, and translation links."""

import re
from datetime import datetime, timedelta

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_timezone, to_user_timezone, to_utc
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from helpcenter.blueprints.staff.blueprint import bp
from helpcenter.blueprints.staff.forms import (
    ArchiveForm,
    ArticleForm,
    ScheduleForm,
    TranslationLinkForm,
)
from helpcenter.extensions import db
from helpcenter.i18n import other_lang
from helpcenter.input_guard import ActionForm, Form, accepts_json, bounded_int, db_int
from helpcenter.markup import render_markdown
from helpcenter.models import Article, User
from helpcenter.models.base import utcnow
from helpcenter.models.content import (
    KIND_ARTICLE,
    STATUS_ARCHIVED,
    STATUS_PUBLISHED,
    STATUS_SCHEDULED,
)
from helpcenter.services.content import article_editor, catalog, curation, revisions

STATUS_FILTERS = ("all", "draft", "scheduled", "published", "archived")
STATUS_LABELS = {
    "draft": _l("Draft"),
    "scheduled": _l("Scheduled"),
    "published": _l("Published"),
    "archived": _l("Archived"),
}


# Revision notes are stored in English (like the audit log) and shown in the reader's language.
REVISION_NOTES = {
    "saved": _l("Saved"),
    "published": _l("Published"),
    "archived": _l("Archived"),
    "schedule cancelled": _l("Schedule cancelled"),
    "published as scheduled": _l("Published as scheduled"),
    "restored from the archive as a draft": _l("Back from the archive as a draft"),
    "before the first edit in the browser": _l("Before the first edit in the browser"),
}
REVISION_NOTE_PATTERNS = (
    (re.compile(r"restored revision (?P<number>\d+)"), _l("Restored revision %(number)s")),
    (re.compile(r"scheduled for (?P<time>.+) UTC"), _l("Scheduled for %(time)s UTC")),
    (re.compile(r"imported from (?P<path>.+)"), _l("Imported from %(path)s")),
)


@bp.app_template_filter("revision_note")
def revision_note(note: str) -> str:
    if note in REVISION_NOTES:
        return str(REVISION_NOTES[note])
    for pattern, label in REVISION_NOTE_PATTERNS:
        if match := pattern.fullmatch(note):
            return label % match.groupdict()
    return note


@bp.get("/articles")
def article_list():
    status = request.args.get("status", "all")
    lang = request.args.get("lang", "")
    articles = article_editor.listing(
        status if status in STATUS_FILTERS[1:] else None,
        lang if lang in current_app.config["LANGUAGES"] else None,
    )
    return render_template(
        "staff/articles.html",
        articles=articles,
        status=status,
        lang=lang,
        statuses=STATUS_FILTERS,
        status_labels=STATUS_LABELS,
    )


@bp.route("/articles/new", methods=["GET", "POST"])
def new_article():
    """A blank draft in a language, or a translation of an existing article (`translation_of`)."""
    original = None
    if request.values.get("translation_of"):
        original = _article(bounded_int(request.values.get("translation_of")) or 0)
        lang = other_lang(original.lang)
    else:
        lang = request.values.get("lang", "en")
        if lang not in current_app.config["LANGUAGES"]:
            abort(400, _("Choose a language for the new article."))
    article = curation.new_article(lang, translation_of=original)
    if request.method == "POST":
        return _save(article, original)
    return _editor(article, original=original)


@bp.route("/articles/<int:article_id>/edit", methods=["GET", "POST"])
def edit_article(article_id: int):
    article = _article(article_id)
    if request.method == "POST":
        return _save(article)
    return _editor(article)


@bp.post("/articles/<int:article_id>/schedule")
def schedule_article(article_id: int):
    article, form = _checked(article_id, ScheduleForm)
    if form.action.data == "cancel":
        return _act(article, curation.unschedule, _("Schedule cancelled: the article is a draft."))
    try:
        when = to_utc(datetime.fromisoformat((form.publish_at.data or "").strip())).replace(
            tzinfo=None
        )
    except (ValueError, OverflowError):  # OverflowError: year 9999 moved to UTC
        flash(_("Enter the publishing time as a date and time, like 2026-12-01 09:00."))
        return _editor(article), 400
    return _act(article, lambda staff, a: curation.schedule(staff, a, when), _("Scheduled."))


@bp.post("/articles/<int:article_id>/archive")
def archive_article(article_id: int):
    article, form = _checked(article_id, ArchiveForm)
    if form.action.data == "unarchive":
        return _act(article, curation.unarchive, _("Back as a draft: check it, then publish."))
    return _act(
        article,
        curation.archive,
        _("Archived: the article is out of search and its address says it was removed."),
    )


@bp.post("/articles/<int:article_id>/translation")
def link_translation(article_id: int):
    article, form = _checked(article_id, TranslationLinkForm)
    if form.action.data == "unlink":
        return _act(article, curation.unlink_translation, _("Translation link removed."))
    other = db.session.get(Article, bounded_int(form.other_id.data) or 0)
    if other is None:
        flash(_("Choose the article to link."))
        return _editor(article), 400
    return _act(
        article,
        lambda staff, a: curation.link_translation(staff, a, other),
        _("Translations linked."),
    )


@bp.get("/articles/<int:article_id>/revisions")
def article_revisions(article_id: int):
    article = _article(article_id)
    return render_template(
        "staff/revisions.html",
        article=article,
        revisions=revisions.history(article),
        form=ActionForm(),
    )


@bp.get("/articles/<int:article_id>/revisions/<int:number>")
def article_revision(article_id: int, number: int):
    """Revision `number` against the one before it, or against `?against=N`."""
    article = _article(article_id)
    against = request.args.get("against", type=db_int)
    comparison = revisions.compare(article, number, against) or abort(404)
    return render_template(
        "staff/revision.html", article=article, **vars(comparison), form=ActionForm()
    )


@bp.post("/articles/<int:article_id>/revisions/<int:number>/restore")
def restore_revision(article_id: int, number: int):
    article, _form = _checked(article_id)
    if revisions.get(article, number) is None:
        abort(404)
    return _act(
        article,
        lambda staff, a: curation.restore(staff, a, number),
        _("Revision %(number)s restored as the current text.", number=number),
    )


@bp.post("/articles/preview")
@accepts_json
def article_preview():
    """Staff Markdown, rendered exactly as publishing will render it (JSON; CSRF header)."""
    text = (request.get_json(silent=True) or {}).get("body", "")
    if not isinstance(text, str) or len(text) > 100_000:
        return jsonify(
            error=_("`body` must be text of at most %(n)s characters.", n="100,000"), status=400
        ), 400
    return jsonify(html=render_markdown(text).html)


def _article(article_id: int) -> Article:
    article = db.session.get(Article, article_id)
    if article is None or article.kind != KIND_ARTICLE:
        abort(404)
    return article


def _checked(article_id: int, form_class: type[Form] = ActionForm) -> tuple[Article, Form]:
    """The article of a POST whose form (and so its CSRF token) is valid."""
    article = _article(article_id)
    form = form_class()
    if not form.validate():
        abort(400)
    return article, form


def _act(article: Article, action, done: str):
    try:
        action(current_user, article)
    except curation.CurationError as exc:
        db.session.rollback()
        flash(str(exc))
        return _editor(article), 400
    flash(done)
    return redirect(url_for(".edit_article", article_id=article.id), code=303)


def _save(article: Article, original: Article | None = None):
    form = ArticleForm()
    if not form.validate():
        if form.csrf_token.errors:
            abort(400)
        return _editor(article, original=original, typed=form), 400
    owner, was = _owner(form.owner.data or ""), article.status
    try:
        curation.save_article(
            current_user,
            article,
            curation.Fields(
                title=form.title.data,
                summary=form.summary.data or "",
                body=form.body.data or "",
                tags=form.tags.data or "",
                category_slug=form.category.data or None,
                slug=form.slug.data or "",
            ),
            publish=form.action.data == "publish",
            base_revision=bounded_int(form.base_revision.data),
            **({} if owner == "keep" else {"owner": owner}),
        )
    except curation.EditConflict as exc:
        flash(str(exc))
        return _editor(article, original=original, typed=form, conflict=exc.latest), 409
    except curation.CurationError as exc:
        flash(str(exc))
        return _editor(article, original=original, typed=form), 400
    flash(_saved_message(was, article.status))
    return redirect(url_for(".edit_article", article_id=article.id), code=303)


def _saved_message(was: str, now: str) -> str:
    """What the save did, in the words of the button that was pressed."""
    if was == STATUS_PUBLISHED:
        return _("Saved and published.")
    if now == STATUS_PUBLISHED:
        return _("Published.")
    if now == STATUS_SCHEDULED:
        return _("Saved. It will be published at the scheduled time.")
    if now == STATUS_ARCHIVED:
        return _("Saved. It stays archived.")
    return _("Draft saved.")


def _owner(value: str):
    """The owner field: "keep", "" (nobody) or a staff member's id."""
    if value == "keep":
        return "keep"
    if not value:
        return None
    user_id = bounded_int(value)
    user = db.session.get(User, user_id) if user_id else None
    if user is None or not user.is_staff:
        abort(400, _("The owner must be a staff member."))
    return user


def _editor(
    article: Article,
    original: Article | None = None,
    typed: ArticleForm | None = None,
    conflict=None,
) -> str:
    """The editor page; after a refused save it shows what was typed (`typed`), not what is stored."""
    editing = article_editor.state(article)
    local = to_user_timezone(article.publish_at or utcnow() + timedelta(days=1))
    return render_template(
        "staff/edit_article.html",
        article=article,
        original=original,
        form=ActionForm(),
        editor=typed or _form_of(article),
        categories=catalog.categories(),
        staff=editing.staff,
        translations=editing.translations,
        candidates=editing.candidates,
        redirects=editing.redirects,
        status_labels=STATUS_LABELS,
        other_lang_of_article=other_lang(article.lang),
        timezone=get_timezone().zone,  # the staff member's own, else the site's
        publish_at_local=local.strftime("%Y-%m-%dT%H:%M"),
        revision_count=editing.revision_count,
        base_revision=editing.revision_count,
        conflict=conflict,
    )


def _form_of(article: Article) -> ArticleForm:
    """The editor's fields as the article stores them (a new one is owned by its writer)."""
    owner = (article.owner_id or "") if article.id else current_user.id
    stored = {
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "category": article.category.slug if article.category else "",
        "tags": ", ".join(article.tags or []),
        "body": article.body_md,
        "owner": str(owner),
    }
    return ArticleForm(formdata=None, data=stored)
