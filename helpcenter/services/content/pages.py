"""What each public content page shows, gathered in one call per page, so the views only parse
the address and render."""

from __future__ import annotations

from dataclasses import dataclass

from helpcenter.models import Article, Category, Thread
from helpcenter.models.content import KIND_VIDEO
from helpcenter.services.community import listings
from helpcenter.services.content import catalog
from helpcenter.services.content.catalog import TopicCounts

THREADS_ON_A_TOPIC = 5  # the newest community threads a topic page links to


@dataclass(frozen=True)
class HomePage:
    categories: list[Category]
    counts: dict[int | None, TopicCounts]
    popular: list[Article]
    videos: list[Article]


@dataclass(frozen=True)
class CategoryPage:
    category: Category
    articles: list[Article]
    videos: list[Article]
    threads: list[Thread]


@dataclass(frozen=True)
class ReadingLinks:
    """Beside an article or video: the same page in the other language, and related pages."""

    translations: list[Article]
    related: list[Article]


def home_page(lang: str) -> HomePage:
    return HomePage(
        categories=catalog.categories(),
        counts=catalog.category_counts(lang),
        popular=catalog.popular_articles(lang),
        videos=catalog.videos(lang),
    )


def category_page(slug: str, lang: str) -> CategoryPage | None:
    """A topic's articles and videos in the reader's language and its newest threads; None for
    an unknown topic."""
    category = catalog.category(slug)
    if category is None:
        return None
    threads = listings.list_threads(tab="latest", category=category, per_page=THREADS_ON_A_TOPIC)
    return CategoryPage(
        category=category,
        articles=catalog.category_pages(category, lang),
        videos=catalog.category_pages(category, lang, KIND_VIDEO),
        threads=list(threads.items),
    )


def reading_links(page: Article) -> ReadingLinks:
    return ReadingLinks(translations=catalog.translations(page), related=catalog.related(page))
