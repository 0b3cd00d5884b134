"""Read-side queries for the community pages: listings by tab, a thread's posts in reading order."""

from __future__ import annotations

from sqlalchemy import case, func, select

from helpcenter.extensions import db
from helpcenter.models import Category, Post, PostVote, Thread
from helpcenter.models.community import KIND_QUESTION

TABS = ("latest", "unanswered", "solved", "top")


def list_threads(
    *,
    tab: str = "latest",
    lang: str | None = None,
    category: Category | None = None,
    page: int = 1,
    per_page: int = 20,
):
    query = select(Thread).where(Thread.hidden_at.is_(None), Thread.deleted_at.is_(None))
    if lang:
        query = query.where(Thread.lang == lang)
    if category is not None:
        query = query.where(Thread.category_id == category.id)
    if tab == "unanswered":
        query = query.where(Thread.kind == KIND_QUESTION, Thread.reply_count == 0).order_by(
            Thread.created_at.desc()
        )
    elif tab == "solved":
        query = query.where(Thread.accepted_post_id.is_not(None)).order_by(Thread.solved_at.desc())
    elif tab == "top":
        votes = (
            select(func.coalesce(func.sum(Post.vote_count), 0))
            .where(Post.thread_id == Thread.id, Post.deleted_at.is_(None))
            .scalar_subquery()
        )
        query = query.order_by(votes.desc(), Thread.reply_count.desc(), Thread.created_at.desc())
    else:
        pinned_first = case((Thread.pinned_at.is_(None), 1), else_=0)
        query = query.order_by(pinned_first, Thread.last_activity_at.desc())
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def thread_posts(thread: Thread) -> tuple[Post, list[Post]]:
    """The question, then replies: the accepted answer first, then by votes, then by time."""
    posts = db.session.scalars(
        select(Post).where(Post.thread_id == thread.id).order_by(Post.created_at, Post.id)
    ).all()
    opening = next(p for p in posts if p.is_opening)
    replies = sorted(
        (p for p in posts if not p.is_opening),
        key=lambda p: (p.id != thread.accepted_post_id, -p.vote_count, p.created_at, p.id),
    )
    return opening, replies


def votes_by(user, posts: list[Post]) -> set[int]:
    if not user.is_authenticated or not posts:
        return set()
    ids = [p.id for p in posts]
    return set(
        db.session.scalars(
            select(PostVote.post_id).where(PostVote.user_id == user.id, PostVote.post_id.in_(ids))
        )
    )
