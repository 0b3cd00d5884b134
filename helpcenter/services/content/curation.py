"""Staff writing articles in the browser: drafts, publishing now or at a set time, archiving,
revisions with restore, linked translations, and old addresses kept working as redirects.

Every save writes a revision, so any earlier state can be compared and restored; publishing (now
or when a scheduled time passes) re-indexes at once and closes the gaps the article answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update

from helpcenter.database import changed_rows
from helpcenter.extensions import db
from helpcenter.markup import render_markdown
from helpcenter.models import Article, ArticleRedirect, ArticleRevision, Category, User
from helpcenter.models.base import utcnow
from helpcenter.models.content import (
    KIND_ARTICLE,
    STATUS_ARCHIVED,
    STATUS_DRAFT,
    STATUS_PUBLISHED,
    STATUS_SCHEDULED,
)
from helpcenter.services import audit
from helpcenter.services.community.posts import parse_tags
from helpcenter.services.content import catalog, revisions
from helpcenter.services.content.markdown_files import SLUG_RE
from helpcenter.services.errors import ServiceError
from helpcenter.services.insights import gaps
from helpcenter.services.search import answer_alerts, indexing
from helpcenter.services.webhooks import events as webhook_events

_KEEP = object()  # "leave the owner as it is"


class CurationError(ServiceError):
    """Something the editor can fix; the message says what."""


class EditConflict(CurationError):
    """Someone saved the article after this editor was opened: saving would silently undo them."""

    def __init__(self, latest: ArticleRevision):
        super().__init__(
            _l(
                "Someone else saved this article since you opened it (revision %(number)s). Your text is kept below: compare it with their changes, then save again to replace them.",
                number=latest.number,
            )
        )
        self.latest = latest


@dataclass
class Fields:
    """What the editor submits, as text."""

    title: str
    summary: str
    body: str
    tags: str
    category_slug: str | None
    slug: str


def new_article(lang: str, translation_of: Article | None = None) -> Article:
    """An unsaved draft for the editor; a translation starts from the original's text."""
    article = Article(
        kind=KIND_ARTICLE,
        lang=lang,
        status=STATUS_DRAFT,
        title="",
        slug="",
        summary="",
        tags=[],
        body_md="",
    )
    if translation_of is not None:
        article.title, article.summary = translation_of.title, translation_of.summary
        article.slug, article.body_md = translation_of.slug, translation_of.body_md
        article.tags, article.category = list(translation_of.tags or []), translation_of.category
        article.translation_key = translation_key_of(translation_of)
    return article


def save_article(
    staff: User,
    article: Article,
    fields: Fields,
    *,
    publish: bool,
    owner=_KEEP,
    base_revision: int | None = None,
) -> Article:
    """Save an article (new or existing) as a new revision; `publish` makes it live now.
    Commits. An article that is live, scheduled or archived keeps that status. `base_revision`
    is the latest revision the editor showed: if there is a newer one, EditConflict."""
    latest = revisions.latest_number(article)
    if base_revision is not None and latest and latest != base_revision:
        newer = revisions.get(article, latest)
        assert newer is not None  # latest_number just found it
        raise EditConflict(newer)
    _check(article, fields)
    _keep_baseline(article)
    was_live = article.status == STATUS_PUBLISHED
    _apply(article, fields)
    if owner is not _KEEP:
        article.owner_id = owner.id if owner else None
    if article.id is None:
        article.owner_id = article.owner_id or staff.id
        db.session.add(article)
        db.session.flush()
    if publish:
        article.status, article.publish_at = STATUS_PUBLISHED, None
    going_live = article.status == STATUS_PUBLISHED and not was_live
    note = "published" if going_live else "saved"
    revisions.record(article, staff, note)
    audit.record(staff, f"article.{'publish' if going_live else 'save'}", _target(article))
    if going_live:
        webhook_events.article_published(article)
    _commit_and_index(article)
    if going_live:
        _went_live(article)
    return article


def schedule(staff: User, article: Article, when: datetime) -> None:
    """Publish a saved draft by itself at `when` (naive UTC). Commits."""
    if article.id is None or article.status not in (STATUS_DRAFT, STATUS_SCHEDULED):
        raise CurationError(_l("Save the draft first; only a draft can be scheduled."))
    if when <= utcnow():
        raise CurationError(_l("Choose a time in the future, or publish now."))
    article.status, article.publish_at = STATUS_SCHEDULED, when
    revisions.record(article, staff, f"scheduled for {when:%Y-%m-%d %H:%M} UTC")
    audit.record(staff, "article.schedule", _target(article), at=when.isoformat())
    db.session.commit()


def unschedule(staff: User, article: Article) -> None:
    if article.status != STATUS_SCHEDULED:
        raise CurationError(_l("This article is not scheduled."))
    article.status, article.publish_at = STATUS_DRAFT, None
    revisions.record(article, staff, "schedule cancelled")
    audit.record(staff, "article.unschedule", _target(article))
    db.session.commit()


def publish_due(now: datetime | None = None) -> list[Article]:
    """Publish every scheduled article whose time has come (run by `content publish-due` and,
    at most once a minute, by requests). Returns what went live."""
    due = db.session.scalars(
        select(Article.id)
        .where(Article.status == STATUS_SCHEDULED, Article.publish_at <= (now or utcnow()))
        .order_by(Article.publish_at)
    ).all()
    published = []
    for article_id in due:
        # Each article is claimed by a conditional UPDATE: when two processes (a request, a
        # worker, cron's `content publish-due`) run at once, only one publishes it and tells
        # the people waiting.
        claimed = changed_rows(
            update(Article)
            .where(Article.id == article_id, Article.status == STATUS_SCHEDULED)
            .values(status=STATUS_PUBLISHED, publish_at=None)
        )
        if not claimed:
            db.session.rollback()
            continue
        article = db.session.get_one(Article, article_id, populate_existing=True)
        revisions.record(article, None, "published as scheduled")
        audit.record(None, "article.publish", _target(article), scheduled=True)
        webhook_events.article_published(article)
        _commit_and_index(article)
        _went_live(article)
        published.append(article)
    return published


def archive(staff: User, article: Article) -> None:
    """Take an article down: out of search and listings; its address answers 410 Gone."""
    if article.status == STATUS_ARCHIVED:
        return
    article.status, article.publish_at = STATUS_ARCHIVED, None
    revisions.record(article, staff, "archived")
    audit.record(staff, "article.archive", _target(article))
    _commit_and_index(article)


def unarchive(staff: User, article: Article) -> None:
    """Bring an archived article back as a draft, to be checked before publishing again."""
    if article.status != STATUS_ARCHIVED:
        raise CurationError(_l("This article is not archived."))
    article.status = STATUS_DRAFT
    revisions.record(article, staff, "restored from the archive as a draft")
    audit.record(staff, "article.unarchive", _target(article))
    db.session.commit()


def restore(staff: User, article: Article, number: int) -> ArticleRevision:
    """Make an earlier revision's text current again, as a new revision (nothing is lost)."""
    old = revisions.get(article, number)
    if old is None:
        raise CurationError(_l("There is no such revision."))
    category = db.session.get(Category, old.category_id) if old.category_id else None
    fields = Fields(
        old.title,
        old.summary,
        old.body_md,
        ", ".join(old.tags or []),
        category.slug if category else None,
        old.slug,
    )
    _check(article, fields)
    _apply(article, fields)
    new = revisions.record(article, staff, f"restored revision {number}")
    audit.record(staff, "article.restore", _target(article), revision=number)
    _commit_and_index(article)
    return new


# Translations: articles in different languages that share a translation key.


def translation_key_of(article: Article) -> str:
    """The article's translation key, made from its address when it has none yet."""
    if not article.translation_key:
        article.translation_key = f"{article.kind}-{article.slug}"
    return article.translation_key


def translations(article: Article) -> list[Article]:
    """Linked translations in any state, for the editor."""
    return catalog.translations(article, published_only=False)


def link_translation(staff: User, article: Article, other: Article) -> None:
    """Mark `other` as the same article in another language (readers can switch between them)."""
    if other.id == article.id or other.kind != article.kind or other.lang == article.lang:
        raise CurationError(_l("A translation must be an article in another language."))
    taken = [a for a in translations(other) if a.lang == article.lang and a.id != article.id]
    if taken:
        raise CurationError(
            _l(
                "“%(title)s” is already linked to “%(other)s”.",
                title=other.title,
                other=taken[0].title,
            )
        )
    key = other.translation_key or translation_key_of(article)
    for linked in [a for a in translations(article) if a.lang == other.lang]:
        linked.translation_key = None  # one version per language
    article.translation_key = other.translation_key = key
    audit.record(staff, "article.link_translation", _target(article), other=other.id)
    _commit_and_index(article)


def unlink_translation(staff: User, article: Article) -> None:
    article.translation_key = None
    audit.record(staff, "article.unlink_translation", _target(article))
    db.session.commit()


def redirect_target(kind: str, lang: str, slug: str) -> Article | None:
    """The article that used to live at this address, if any."""
    return db.session.scalars(
        select(Article)
        .join(ArticleRedirect, ArticleRedirect.article_id == Article.id)
        .where(
            ArticleRedirect.kind == kind, ArticleRedirect.lang == lang, ArticleRedirect.slug == slug
        )
    ).first()


# Internals.


def _check(article: Article, fields: Fields) -> None:
    fields.slug = fields.slug.strip().lower()
    if not fields.title.strip():
        raise CurationError(_l("Give the article a title."))
    if not SLUG_RE.match(fields.slug):
        raise CurationError(_l("The address (slug) may use lowercase letters, digits and hyphens."))
    taken = db.session.scalar(
        select(func.count())
        .select_from(Article)
        .where(
            Article.kind == article.kind,
            Article.lang == article.lang,
            Article.slug == fields.slug,
            Article.id != (article.id or 0),
        )
    )
    if taken:
        raise CurationError(_l("Another article in this language already uses that address."))


def _apply(article: Article, fields: Fields) -> None:
    """Copy the fields in, keep the old address as a redirect, render the Markdown once."""
    old_slug = article.slug
    category = (
        db.session.scalars(select(Category).where(Category.slug == fields.category_slug)).first()
        if fields.category_slug
        else None
    )
    rendered = render_markdown(fields.body)
    article.title, article.summary = fields.title.strip(), fields.summary.strip()
    article.tags, article.category = parse_tags(fields.tags), category
    article.body_md, article.body_html, article.body_text, article.toc = (
        fields.body,
        rendered.html,
        rendered.text,
        rendered.toc,
    )
    article.slug = fields.slug
    article.content_hash = None  # edited in the browser: the next import of its file must update it
    article.updated = utcnow()
    if old_slug and old_slug != fields.slug and article.id is not None:
        _move_address(article, old_slug)


def _move_address(article: Article, old_slug: str) -> None:
    """The old address now redirects here; the new one stops redirecting anywhere else."""
    db.session.execute(
        delete(ArticleRedirect).where(
            ArticleRedirect.kind == article.kind,
            ArticleRedirect.lang == article.lang,
            ArticleRedirect.slug.in_([old_slug, article.slug]),
        )
    )
    db.session.add(
        ArticleRedirect(kind=article.kind, lang=article.lang, slug=old_slug, article_id=article.id)
    )


def _keep_baseline(article: Article) -> None:
    """An article first edited in the browser (imported, or drafted from a gap or thread) keeps
    its starting state as revision 1, so the first edit can be compared and undone."""
    if article.id is not None and not revisions.latest_number(article):
        revisions.record(article, None, "before the first edit in the browser")


def _commit_and_index(article: Article) -> None:
    indexing.queue(article)
    db.session.commit()
    indexing.drain_outbox()


def _went_live(article: Article) -> None:
    answer_alerts.article_published(article, gaps.article_published(article))


def _target(article: Article) -> str:
    return f"article:{article.id} {article.lang}/{article.slug}"
