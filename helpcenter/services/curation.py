"""Staff writing articles in the browser: save a draft or publish, with the index updated at once."""

from __future__ import annotations

from helpcenter.content_files import SLUG_RE
from helpcenter.extensions import db
from helpcenter.markup import render_markdown
from helpcenter.models import Article, Category, User
from helpcenter.models.base import utcnow
from helpcenter.models.content import STATUS_DRAFT, STATUS_PUBLISHED
from helpcenter.services import answer_alerts, audit, gaps, indexing
from helpcenter.services.forum import parse_tags


class CurationError(ValueError):
    """Something the editor can fix; the message says what."""


def save_article(staff: User, article: Article, title: str, summary: str, body: str, tags: str,
                 category_slug: str | None, slug: str, publish: bool) -> Article:  # fmt: skip
    """Save an article; publishing makes it live and searchable, and addresses its gaps. Commits."""
    slug = slug.strip().lower()
    if not SLUG_RE.match(slug):
        raise CurationError("The address (slug) may use lowercase letters, digits and hyphens.")
    taken = db.session.scalars(
        db.select(Article).where(
            Article.kind == article.kind,
            Article.lang == article.lang,
            Article.slug == slug,
            Article.id != article.id,
        )  # fmt: skip
    ).first()
    if taken is not None:
        raise CurationError("Another article in this language already uses that address.")
    category = (
        db.session.scalars(db.select(Category).where(Category.slug == category_slug)).first()
        if category_slug
        else None
    )
    rendered = render_markdown(body)
    article.title, article.summary, article.slug = title.strip(), summary.strip(), slug
    article.tags, article.category = parse_tags(tags), category
    article.body_md, article.body_html, article.body_text, article.toc = (
        body,
        rendered.html,
        rendered.text,
        rendered.toc,
    )
    article.content_hash = None  # edited in the browser: the next import of its file must update it
    article.updated = utcnow()
    was_published = article.status == STATUS_PUBLISHED
    article.status = STATUS_PUBLISHED if publish or was_published else STATUS_DRAFT
    audit.record(staff, "article.publish" if publish and not was_published else "article.save",
                 f"article:{article.id} {article.lang}/{article.slug}")  # fmt: skip
    indexing.queue(article)
    db.session.commit()
    indexing.drain_outbox()
    if article.status == STATUS_PUBLISHED:
        answer_alerts.article_published(article, gaps.article_published(article))
    return article
