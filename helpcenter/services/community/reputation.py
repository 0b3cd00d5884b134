"""Recognising the people who help: points, badges and the leaderboard, derived from votes and
accepted answers (nothing stored that could drift from what happened)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from helpcenter.extensions import db
from helpcenter.models import Post, PostVote, Thread, User

POINTS_PER_UPVOTE = 10
POINTS_PER_ACCEPTED = 15
TRUSTED_POINTS = 50  # posting limits lift from here
NEW_MEMBER_MAX_LINKS = 2

BADGES = {
    "first_question": (_l("First question"), _l("Asked a first question")),
    "first_answer": (_l("First answer"), _l("Answered someone for the first time")),
    "first_accepted": (_l("Problem solver"), _l("Wrote a first accepted answer")),
    "accepted_10": (_l("Go-to helper"), _l("Wrote 10 accepted answers")),
    "accepted_50": (_l("Community pillar"), _l("Wrote 50 accepted answers")),
    "upvoted_10": (_l("Appreciated"), _l("Received 10 upvotes")),
    "bilingual": (_l("Bilingual helper"), _l("Answered in both English and Japanese")),
}


@dataclass
class Standing:
    questions: int = 0
    answers: int = 0
    accepted: int = 0
    upvotes: int = 0
    answer_langs: set[str] = field(default_factory=set)

    @property
    def points(self) -> int:
        return self.upvotes * POINTS_PER_UPVOTE + self.accepted * POINTS_PER_ACCEPTED

    @property
    def badges(self) -> list[str]:
        earned = {
            "first_question": self.questions >= 1,
            "first_answer": self.answers >= 1,
            "first_accepted": self.accepted >= 1,
            "accepted_10": self.accepted >= 10,
            "accepted_50": self.accepted >= 50,
            "upvoted_10": self.upvotes >= 10,
            "bilingual": {"en", "ja"} <= self.answer_langs,
        }
        return [key for key, ok in earned.items() if ok]


def _live_posts():
    return (Post.deleted_at.is_(None), Post.hidden_at.is_(None))


def standing(user: User) -> Standing:
    replies = (
        select(Post)
        .where(Post.author_id == user.id, Post.is_opening.is_(False), *_live_posts())
        .subquery()
    )
    result = Standing()
    result.questions = db.session.execute(
        select(func.count())
        .select_from(Thread)
        .where(Thread.author_id == user.id, Thread.deleted_at.is_(None))
    ).scalar_one()
    result.answers = db.session.execute(select(func.count()).select_from(replies)).scalar_one()
    result.upvotes = db.session.execute(
        select(func.count()).select_from(PostVote).join(replies, replies.c.id == PostVote.post_id)
    ).scalar_one()
    result.accepted = db.session.execute(
        select(func.count())
        .select_from(Thread)
        .join(replies, replies.c.id == Thread.accepted_post_id)
    ).scalar_one()
    result.answer_langs = set(
        db.session.scalars(
            select(Thread.lang).join(replies, replies.c.thread_id == Thread.id).distinct()
        )
    )
    return result


def points(user: User) -> int:
    return standing(user).points if user.is_authenticated else 0


def leaderboard(since: datetime | None = None, limit: int = 20) -> list[tuple[User, int, int, int]]:
    """(member, points, upvotes, accepted answers) since a time, staff left out: it honours the
    community, not the people paid to answer."""
    upvotes = (
        select(Post.author_id, func.count(PostVote.id))
        .join(PostVote, PostVote.post_id == Post.id)
        .where(Post.is_opening.is_(False), *_live_posts())
    )
    accepted = (
        select(Post.author_id, func.count(Thread.id))
        .join(Thread, Thread.accepted_post_id == Post.id)
        .where(*_live_posts())
    )
    if since is not None:
        upvotes = upvotes.where(PostVote.created_at >= since)
        accepted = accepted.where(Thread.solved_at >= since)
    votes_by = dict(db.session.execute(upvotes.group_by(Post.author_id)).all())
    accepted_by = dict(db.session.execute(accepted.group_by(Post.author_id)).all())
    ids = {i for i in set(votes_by) | set(accepted_by) if i is not None}
    people = db.session.scalars(
        select(User).where(User.id.in_(ids), User.role == "member", User.deleted_at.is_(None))
    ).all()
    rows = [
        (
            u,
            votes_by.get(u.id, 0) * POINTS_PER_UPVOTE
            + accepted_by.get(u.id, 0) * POINTS_PER_ACCEPTED,
            votes_by.get(u.id, 0),
            accepted_by.get(u.id, 0),
        )
        for u in people
    ]
    rows.sort(key=lambda row: (-row[1], row[0].display_name))
    return rows[:limit]


def recent_answers(user: User, limit: int = 10) -> list[tuple[Post, Thread]]:
    rows = db.session.execute(
        select(Post, Thread)
        .join(Thread, Thread.id == Post.thread_id)
        .where(
            Post.author_id == user.id,
            Post.is_opening.is_(False),
            *_live_posts(),
            Thread.deleted_at.is_(None),
            Thread.hidden_at.is_(None),
        )
        .order_by(Post.created_at.desc())
        .limit(limit)
    ).all()
    return [(post, thread) for post, thread in rows]
