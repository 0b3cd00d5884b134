"""What each community page shows, gathered in one call per page: the views only parse input and
render, and what a reader may do on a page is decided here, beside the rules in posts.py."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_sqlalchemy.pagination import Pagination

from helpcenter.models import Category, Post, Thread, User
from helpcenter.services.community import listings, notifications, posts, reputation
from helpcenter.services.content import catalog

# The signed-in member, or Flask-Login's anonymous user: both answer `is_authenticated`.
Reader = Any


@dataclass(frozen=True)
class ThreadPage:
    thread: Thread
    opening: Post
    replies: list[Post]
    voted: set[int]  # reply ids the reader voted for
    can_post: bool
    can_accept: bool
    following: bool
    categories: list[Category]


@dataclass(frozen=True)
class ListingPage:
    page: Pagination
    category: Category | None
    following: bool  # the reader follows the topic shown
    categories: list[Category]


@dataclass(frozen=True)
class ComposerPage:
    can_post: bool
    categories: list[Category]


@dataclass(frozen=True)
class ProfilePage:
    person: User
    standing: reputation.Standing
    answers: list[tuple[Post, Thread]]


def thread_page(thread: Thread, reader: Reader, *, visitor_id: str | None) -> ThreadPage:
    """The thread in reading order. Counts a view (commits) unless `visitor_id` is None: crawlers
    stay out of analytics."""
    opening, replies = listings.thread_posts(thread)
    if visitor_id is not None:
        posts.record_view(thread, visitor_id, reader)
    signed_in = reader.is_authenticated
    return ThreadPage(
        thread=thread,
        opening=opening,
        replies=replies,
        voted=listings.votes_by(reader, replies),
        can_post=signed_in and posts.can_post(reader),
        can_accept=posts.can_accept(reader, thread),
        following=signed_in and notifications.follows_thread(reader, thread),
        categories=catalog.categories(),
    )


def listing_page(
    reader: Reader, *, tab: str, lang: str | None, category_slug: str | None, page: int
) -> ListingPage:
    """One page of threads by tab, language and topic (an unknown topic lists every topic)."""
    category = catalog.category(category_slug) if category_slug else None
    return ListingPage(
        page=listings.list_threads(tab=tab, lang=lang, category=category, page=page),
        category=category,
        following=bool(
            category
            and reader.is_authenticated
            and notifications.follows_category(reader, category.id)
        ),
        categories=catalog.categories(),
    )


def composer_page(reader: Reader) -> ComposerPage:
    return ComposerPage(can_post=posts.can_post(reader), categories=catalog.categories())


def profile_page(person: User) -> ProfilePage:
    return ProfilePage(
        person=person,
        standing=reputation.standing(person),
        answers=reputation.recent_answers(person),
    )
