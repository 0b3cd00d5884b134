"""Read-side queries for the public pages: categories, listings, popular, related, translations."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import load_only

from helpcenter import cache_versions
from helpcenter.extensions import db, search_index
from helpcenter.links import public_url
from helpcenter.models import Article, ArticleView, Category
from helpcenter.models.base import utcnow
from helpcenter.models.content import KIND_ARTICLE, KIND_VIDEO, STATUS_ARCHIVED, STATUS_PUBLISHED
from helpcenter.search_index import IndexUnavailable, SearchRequest

POPULAR_DAYS = 30


def categories() -> list[Category]:
    return list(db.session.scalars(select(Category).order_by(Category.position, Category.slug)))


def category(slug: str) -> Category | None:
    return db.session.scalars(select(Category).where(Category.slug == slug)).first()


def published_page(kind: str, lang: str, slug: str) -> Article | None:
    return db.session.scalars(
        select(Article).where(
            Article.kind == kind,
            Article.lang == lang,
            Article.slug == slug,
            Article.status == STATUS_PUBLISHED,
        )
    ).first()


def free_slug(kind: str, lang: str, base: str) -> str:
    """`base`, or `base-2`, `base-3`…: the first address no page of that kind and language has."""
    slug, n = base, 1
    while db.session.scalar(
        select(func.count())
        .select_from(Article)
        .where(Article.kind == kind, Article.lang == lang, Article.slug == slug)
    ):
        n += 1
        slug = f"{base}-{n}"
    return slug


def page_url(page: Article) -> str:
    """The full address of an article or video page, for mail and notifications."""
    endpoint = "main.video" if page.is_video else "main.article"
    return public_url(endpoint, lang=page.lang, slug=page.slug)


def was_archived(kind: str, lang: str, slug: str) -> bool:
    return bool(
        db.session.scalar(
            select(func.count())
            .select_from(Article)
            .where(
                Article.kind == kind,
                Article.lang == lang,
                Article.slug == slug,
                Article.status == STATUS_ARCHIVED,
            )
        )
    )


def prefer_language(pages: list[Article], lang: str) -> list[Article]:
    """The reader's language first; other-language pages only where no translation exists."""
    mine = [p for p in pages if p.lang == lang]
    covered = {p.translation_key for p in mine if p.translation_key}
    others = [
        p
        for p in pages
        if p.lang != lang and (not p.translation_key or p.translation_key not in covered)
    ]
    return mine + others


def category_pages(cat: Category, lang: str, kind: str = KIND_ARTICLE) -> list[Article]:
    pages = db.session.scalars(
        select(Article)
        .where(
            Article.category_id == cat.id, Article.kind == kind, Article.status == STATUS_PUBLISHED
        )
        .order_by(Article.title)
    ).all()
    return prefer_language(list(pages), lang)


@dataclass(frozen=True)
class TopicCounts:
    """How many published articles and videos a topic has in one language."""

    articles: int = 0
    videos: int = 0


def category_counts(lang: str) -> dict[int | None, TopicCounts]:
    """Each topic's pages by kind (a video is not an article). Grouping every published page is
    most of the home page's time on a large site, and the answer only changes with the content:
    kept per content version, which a change made through any server moves at once."""
    version = cache_versions.current()
    cache = current_app.extensions.setdefault("category_counts", {})
    if (version, lang) not in cache:
        for old in [key for key in cache if key[0] != version]:
            del cache[old]
        cache[(version, lang)] = _count_topics(lang)
    return cache[(version, lang)]


def _count_topics(lang: str) -> dict[int | None, TopicCounts]:
    rows = db.session.execute(
        select(Article.category_id, Article.kind, func.count())
        .where(Article.status == STATUS_PUBLISHED, Article.lang == lang)
        .group_by(Article.category_id, Article.kind)
    ).all()
    by_kind: dict[int | None, dict[str, int]] = {}  # None: pages without a topic
    for category_id, kind, count in rows:
        by_kind.setdefault(category_id, {})[kind] = count
    return {
        category_id: TopicCounts(articles=k.get(KIND_ARTICLE, 0), videos=k.get(KIND_VIDEO, 0))
        for category_id, k in by_kind.items()
    }


def popular_articles(lang: str, limit: int = 6) -> list[Article]:
    """Most viewed in the last 30 days (crawlers excluded), topped up with the newest.

    Counting a month of views is the home page's dearest query, and the ranking moves slowly:
    each process keeps the answer for POPULAR_REFRESH_SECONDS, then counts again. A change to
    the content (a page published or archived through any server) counts again at once."""
    cache = current_app.extensions.setdefault("popular_articles", {})
    key = (lang, limit)
    version = cache_versions.current()
    expires, counted_at, ids = cache.get(key, (0.0, None, []))
    if time.monotonic() >= expires or counted_at != version:
        ids = [a.id for a in _count_popular(lang, limit)]
        refresh = current_app.config["POPULAR_REFRESH_SECONDS"]
        cache[key] = (time.monotonic() + refresh, version, ids)
    found = {
        a.id: a
        for a in db.session.scalars(
            select(Article)
            .where(Article.id.in_(ids), Article.status == STATUS_PUBLISHED)
            .options(load_only(*LISTED_COLUMNS))
        )
    }
    return [found[i] for i in ids if i in found]


def _count_popular(lang: str, limit: int) -> list[Article]:
    since = utcnow() - timedelta(days=POPULAR_DAYS)
    views = (
        select(ArticleView.article_id, func.count().label("n"))
        .where(ArticleView.created_at >= since, ArticleView.is_crawler.is_(False))
        .group_by(ArticleView.article_id)
        .subquery()
    )
    base = (
        select(Article)
        .where(
            Article.kind == KIND_ARTICLE, Article.lang == lang, Article.status == STATUS_PUBLISHED
        )
        .options(load_only(*LISTED_COLUMNS))  # a listing never reads the bodies
    )
    top = list(
        db.session.scalars(
            base.join(views, views.c.article_id == Article.id)
            .order_by(views.c.n.desc())
            .limit(limit)
        )
    )
    if len(top) < limit:
        ids = [a.id for a in top]
        top += db.session.scalars(
            base.where(Article.id.not_in(ids))
            .order_by(Article.updated.desc(), Article.id)
            .limit(limit - len(top))
        ).all()
    return top


def videos(lang: str, limit: int = 6) -> list[Article]:
    pages = db.session.scalars(
        select(Article)
        .where(Article.kind == KIND_VIDEO, Article.status == STATUS_PUBLISHED)
        .order_by(Article.title)
    ).all()
    return prefer_language(list(pages), lang)[:limit]


def translations(article: Article, published_only: bool = True) -> list[Article]:
    """The same page in the other languages (staff also see unpublished ones)."""
    if not article.translation_key:
        return []
    return list(
        db.session.scalars(
            select(Article).where(
                Article.translation_key == article.translation_key,
                Article.kind == article.kind,
                Article.id != article.id,
                *([Article.status == STATUS_PUBLISHED] if published_only else []),
            )
        )
    )


LISTED_COLUMNS = (
    Article.id,
    Article.kind,
    Article.lang,
    Article.slug,
    Article.title,
    Article.summary,
    Article.status,
    Article.category_id,
    Article.updated,
)
RELATED_CACHE_SIZE = 5000
_related_cache: dict[object, dict[tuple, list[int]]] = {}  # per index state; per process


def related(article: Article, limit: int = 5) -> list[Article]:
    """Pages the search engine finds for this one's title and tags, else its category siblings.
    The search runs once per article and index state (a page view repeats it otherwise)."""
    ids = _related_ids(article, limit)
    found = {
        a.id: a
        for a in db.session.scalars(
            select(Article).where(Article.id.in_(ids)).options(load_only(*LISTED_COLUMNS))
        )
    }
    pages = [found[i] for i in ids if i in found and found[i].is_published]
    if len(pages) < limit and article.category_id:
        siblings = db.session.scalars(
            select(Article)
            .where(
                Article.category_id == article.category_id,
                Article.lang == article.lang,
                Article.id.not_in([article.id, *[p.id for p in pages]]),
                Article.status == STATUS_PUBLISHED,
            )
            .limit(limit - len(pages))
        )
        pages += list(siblings)
    return pages


def _related_ids(article: Article, limit: int) -> list[int]:
    try:
        version = search_index.version()
    except IndexUnavailable:
        return []
    key = (article.id, article.title, tuple(article.tags or ()), limit)
    cached = _related_cache.get(version, {}).get(key)
    if cached is not None:
        return cached
    text = " ".join([article.title, *(article.tags or [])])
    try:
        page = search_index.search(SearchRequest(query=text, lang=article.lang, per_page=limit + 1))
    except IndexUnavailable:
        return []
    ids = [h.doc_id for h in page.hits if h.doc_id != article.id][:limit]
    answers = _related_cache.setdefault(version, {})
    if len(_related_cache) > 1:  # the index changed: forget the answers for older states
        for old in [v for v in _related_cache if v != version]:
            del _related_cache[old]
    if len(answers) < RELATED_CACHE_SIZE:
        answers[key] = ids
    return ids
