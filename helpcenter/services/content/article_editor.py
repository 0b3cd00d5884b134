"""The staff article pages: the list, and what the editor shows beside the text: who can own the article, its translations (or
the articles it could be linked to), the old addresses that forward to it, and how many
revisions it has (revisions are numbered 1..n, so the count is also the latest number)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from helpcenter.extensions import db
from helpcenter.i18n import other_lang
from helpcenter.models import Article, ArticleRedirect, User
from helpcenter.models.user import ROLE_ADMIN, ROLE_STAFF
from helpcenter.services.content import curation, revisions


def listing(status: str | None, lang: str | None, limit: int = 500) -> list[Article]:
    """Articles, most recently changed first, optionally of one status and language."""
    query = select(Article).order_by(Article.modified_at.desc()).limit(limit)
    if status:
        query = query.where(Article.status == status)
    if lang:
        query = query.where(Article.lang == lang)
    return list(db.session.scalars(query))


@dataclass
class EditorState:
    staff: list[User]
    translations: list[Article] = field(default_factory=list)
    candidates: list[Article] = field(default_factory=list)
    redirects: list[ArticleRedirect] = field(default_factory=list)
    revision_count: int = 0


def state(article: Article) -> EditorState:
    staff = db.session.scalars(
        select(User)
        .where(User.role.in_((ROLE_STAFF, ROLE_ADMIN)), User.deleted_at.is_(None))
        .order_by(User.display_name)
    ).all()
    result = EditorState(staff=list(staff))
    if article.id is None:
        return result
    result.translations = curation.translations(article)
    if not any(a.lang != article.lang for a in result.translations):
        result.candidates = list(
            db.session.scalars(
                select(Article)
                .where(Article.kind == article.kind, Article.lang == other_lang(article.lang))
                .order_by(Article.title)
            )
        )
    result.redirects = list(
        db.session.scalars(select(ArticleRedirect).where(ArticleRedirect.article_id == article.id))
    )
    result.revision_count = revisions.latest_number(article)
    return result
