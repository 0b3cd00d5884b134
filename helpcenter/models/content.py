"""Help content: categories, articles and videos (one table, `kind`), transcript cues."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from helpcenter.extensions import Model
from helpcenter.models.base import utcnow
from helpcenter.models.user import User


class ArticleKind(StrEnum):
    ARTICLE = "article"
    VIDEO = "video"


class ArticleStatus(StrEnum):
    PUBLISHED = "published"
    DRAFT = "draft"
    SCHEDULED = "scheduled"  # publishes itself at `publish_at`
    ARCHIVED = "archived"  # taken down; kept with its revisions, its address answers 410


# The short names the services use.
KIND_ARTICLE, KIND_VIDEO = ArticleKind.ARTICLE, ArticleKind.VIDEO
STATUS_PUBLISHED, STATUS_DRAFT = ArticleStatus.PUBLISHED, ArticleStatus.DRAFT
STATUS_SCHEDULED, STATUS_ARCHIVED = ArticleStatus.SCHEDULED, ArticleStatus.ARCHIVED


class Category(Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    position: Mapped[int] = mapped_column(default=0)
    names: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    descriptions: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.names.get("en") or self.slug

    def description(self, lang: str) -> str:
        return self.descriptions.get(lang) or self.descriptions.get("en") or ""


class Article(Model):
    """An article or a video page; a video keeps its transcript as cues."""

    __table_args__ = (
        UniqueConstraint("kind", "lang", "slug", name="uq_article_kind_lang_slug"),
        Index("ix_article_listing", "kind", "lang", "status", "category_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), default=KIND_ARTICLE)
    lang: Mapped[str] = mapped_column(String(5))
    slug: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20), default=STATUS_PUBLISHED, index=True)
    translation_key: Mapped[str | None] = mapped_column(String(200), index=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"), index=True)
    body_md: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    body_text: Mapped[str] = mapped_column(Text, default="")
    toc: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    video_url: Mapped[str | None] = mapped_column(String(500))
    duration_seconds: Mapped[int | None]
    transcript_file: Mapped[str | None] = mapped_column(String(300))
    source_path: Mapped[str | None] = mapped_column(String(500))
    content_hash: Mapped[str | None] = mapped_column(String(64))
    updated: Mapped[datetime | None]
    publish_at: Mapped[datetime | None] = mapped_column(index=True)
    # The staff member who answers for it: reader feedback goes to them.
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # The solved thread it was promoted from (credit and backlink both ways).
    source_thread_id: Mapped[int | None] = mapped_column(
        ForeignKey("thread.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    modified_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    category: Mapped[Category | None] = relationship(lazy="joined")
    cues: Mapped[list[TranscriptCue]] = relationship(
        back_populates="article",
        order_by="TranscriptCue.position",
        cascade="all, delete-orphan",
    )

    @property
    def is_published(self) -> bool:
        return self.status == STATUS_PUBLISHED

    @property
    def is_archived(self) -> bool:
        return self.status == STATUS_ARCHIVED

    @property
    def is_video(self) -> bool:
        return self.kind == KIND_VIDEO

    @property
    def path(self) -> str:
        """The page's URL path; the article and video routes use the same shape."""
        section = "videos" if self.kind == KIND_VIDEO else "articles"
        return f"/{section}/{self.lang}/{self.slug}"

    @property
    def is_local_video(self) -> bool:
        return bool(self.video_url and self.video_url.startswith("/static/"))


class ArticleRevision(Model):
    """A saved state of an article, written on every save in the browser, so staff can see what
    changed and restore any earlier version."""

    __table_args__ = (
        UniqueConstraint("article_id", "number", name="uq_article_revision_article_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"))
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    slug: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id", ondelete="SET NULL"))
    body_md: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(String(300), default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User | None] = relationship(lazy="selectin")


class ArticleRedirect(Model):
    """An address an article used to have; old links and bookmarks keep working."""

    __table_args__ = (
        UniqueConstraint("kind", "lang", "slug", name="uq_article_redirect_kind_lang_slug"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    lang: Mapped[str] = mapped_column(String(5))
    slug: Mapped[str] = mapped_column(String(200))
    article_id: Mapped[int] = mapped_column(
        ForeignKey("article.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TranscriptCue(Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("article.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    start_seconds: Mapped[float]
    end_seconds: Mapped[float]
    text: Mapped[str] = mapped_column(Text)

    article: Mapped[Article] = relationship(back_populates="cues")


class SynonymGroup(Model):
    """Terms staff declare equivalent in one language (ログイン, サインイン, login); queries expand."""

    id: Mapped[int] = mapped_column(primary_key=True)
    lang: Mapped[str] = mapped_column(String(5), index=True)
    terms: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
