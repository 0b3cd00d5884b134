"""What the sitemap lists: every published article and video, every topic, the home and
community pages in each language, and the public threads that have an answer.

Returns places (an endpoint and its values), not URLs: the sitemap view builds the addresses
from PUBLIC_BASE_URL. Each section is read a page at a time, in a fixed number of statements,
so a site with 100,000 threads is listed file by file.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import lazyload, load_only

from helpcenter.extensions import db
from helpcenter.models import Article, Category, Thread
from helpcenter.models.content import KIND_ARTICLE, KIND_VIDEO, STATUS_PUBLISHED

SECTIONS = ("pages", "topics", "articles", "videos", "threads")
LISTED_COLUMNS = (
    Article.id,
    Article.kind,
    Article.lang,
    Article.slug,
    Article.translation_key,
    Article.updated,
    Article.modified_at,
)
PAGE_LANG = "hl"  # i18n.PAGE_LANG_PARAM; kept here so the service needs no request module


@dataclass(frozen=True)
class Place:
    """An address on the site, as `url_for` arguments; `lang` None is the x-default version."""

    lang: str | None
    endpoint: str
    values: dict = field(default_factory=dict)


@dataclass(frozen=True)
class SitemapEntry:
    place: Place
    lastmod: datetime | None
    alternates: tuple[Place, ...] = ()  # the same page in each language, and x-default


def _in_each_language(
    endpoint: str, languages: tuple[str, ...], lastmod: datetime | None, **values
) -> list[SitemapEntry]:
    """Home, topic and community pages exist in every interface language (`?hl=`)."""
    versions = tuple(Place(lang, endpoint, {**values, PAGE_LANG: lang}) for lang in languages)
    alternates = (*versions, Place(None, endpoint, values))
    return [SitemapEntry(v, lastmod, alternates) for v in versions]


def _published(kind: str):
    """Published pages of a kind, without their bodies (a sitemap reads only addresses)."""
    return (
        select(Article)
        .where(Article.status == STATUS_PUBLISHED, Article.kind == kind)
        .options(load_only(*LISTED_COLUMNS), lazyload(Article.category))
    )


def _modified(page: Article) -> datetime | None:
    return page.updated or page.modified_at


def _fixed_pages(languages: tuple[str, ...]) -> list[SitemapEntry]:
    newest_page = db.session.scalar(
        select(func.max(func.coalesce(Article.updated, Article.modified_at))).where(
            Article.status == STATUS_PUBLISHED
        )
    )
    newest_thread = db.session.scalar(
        select(func.max(Thread.last_activity_at)).where(*_public_thread_filter())
    )
    return [
        *_in_each_language("main.home", languages, newest_page),
        *_in_each_language("community.index", languages, newest_thread),
    ]


def _topics(languages: tuple[str, ...]) -> list[SitemapEntry]:
    newest = dict(
        db.session.execute(
            select(
                Article.category_id, func.max(func.coalesce(Article.updated, Article.modified_at))
            )
            .where(Article.status == STATUS_PUBLISHED)
            .group_by(Article.category_id)
        ).all()
    )
    entries = []
    for cat in db.session.scalars(select(Category).order_by(Category.position, Category.slug)):
        entries += _in_each_language("main.category", languages, newest.get(cat.id), slug=cat.slug)
    return entries


def _content_place(page: Article) -> Place:
    endpoint = "main.video" if page.kind == KIND_VIDEO else "main.article"
    return Place(page.lang, endpoint, {"lang": page.lang, "slug": page.slug})


def _content(kind: str, offset: int, limit: int, default_lang: str) -> list[SitemapEntry]:
    """Published pages of one kind, each with its published translations as alternates."""
    pages = db.session.scalars(
        _published(kind).order_by(Article.id).offset(offset).limit(limit)
    ).all()
    keys = {p.translation_key for p in pages if p.translation_key}
    groups: dict[str, list[Article]] = defaultdict(list)
    if keys:
        for other in db.session.scalars(
            _published(kind).where(Article.translation_key.in_(keys)).order_by(Article.lang)
        ):
            groups[other.translation_key].append(other)
    entries = []
    for page in pages:
        versions = groups.get(page.translation_key, [page]) if page.translation_key else [page]
        places = [_content_place(p) for p in versions]
        default = next((p for p in places if p.lang == default_lang), _content_place(page))
        alternates = (*places, Place(None, default.endpoint, default.values))
        entries.append(SitemapEntry(_content_place(page), _modified(page), alternates))
    return entries


def _public_thread_filter() -> tuple:
    """Visible, and solved or answered by someone other than the asker."""
    return (
        Thread.hidden_at.is_(None),
        Thread.deleted_at.is_(None),
        or_(Thread.accepted_post_id.is_not(None), Thread.first_reply_at.is_not(None)),
    )


def _threads(offset: int, limit: int) -> list[SitemapEntry]:
    rows = db.session.execute(
        select(Thread.id, Thread.lang, Thread.last_activity_at)
        .where(*_public_thread_filter())
        .order_by(Thread.id)
        .offset(offset)
        .limit(limit)
    ).all()
    entries = []
    for thread_id, lang, last_activity in rows:
        place = Place(lang, "community.thread", {"thread_id": thread_id})
        alternates = (place, Place(None, place.endpoint, place.values))
        entries.append(SitemapEntry(place, last_activity, alternates))
    return entries


def section_size(section: str, languages: tuple[str, ...]) -> int:
    """How many addresses a section lists."""
    if section == "pages":
        return 2 * len(languages)
    if section == "topics":
        return (
            len(languages)
            * db.session.execute(select(func.count()).select_from(Category)).scalar_one()
        )
    if section in ("articles", "videos"):
        kind = KIND_ARTICLE if section == "articles" else KIND_VIDEO
        return db.session.execute(
            select(func.count()).select_from(_published(kind).subquery())
        ).scalar_one()
    if section == "threads":
        return db.session.execute(
            select(func.count(Thread.id)).where(*_public_thread_filter())
        ).scalar_one()
    raise KeyError(section)


def section_entries(
    section: str, *, offset: int, limit: int, languages: tuple[str, ...], default_lang: str
) -> list[SitemapEntry]:
    """One file's worth of a section, in a stable order."""
    if section == "pages":
        return _fixed_pages(languages)[offset : offset + limit]
    if section == "topics":
        return _topics(languages)[offset : offset + limit]
    if section == "articles":
        return _content(KIND_ARTICLE, offset, limit, default_lang)
    if section == "videos":
        return _content(KIND_VIDEO, offset, limit, default_lang)
    if section == "threads":
        return _threads(offset, limit)
    raise KeyError(section)
