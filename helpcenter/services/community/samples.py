"""Load the sample community (helpcenter/data/sample_community.yml) so a new site looks alive.

Threads, replies, votes and accepted answers are written with their past timestamps and thread
events, without sending any notification. Loading twice changes nothing. So that the site reads
true, every member joined some days before their first post or vote, and good answers keep
getting votes up to today (the "This month" leaderboard is never empty).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path

import yaml
from sqlalchemy import func, select

from helpcenter.extensions import db
from helpcenter.markup import render_user_markdown
from helpcenter.models import Category, Post, PostVote, Thread, ThreadEvent, User
from helpcenter.models.base import utcnow
from helpcenter.services.accounts import account
from helpcenter.services.search import indexing

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample_community.yml"


def load(password: str, path: Path = SAMPLE) -> int:
    """Create the members and threads; returns how many threads were added (0 if loaded before)."""
    if db.session.scalar(select(func.count()).select_from(Thread)):
        return 0
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for member in data["members"]:
        if account.find_user(member["email"]) is None:
            account.create_user(
                member["email"], member["name"], password, lang=member["lang"], confirmed=True
            )
    people = {u.email: u for u in db.session.scalars(select(User))}
    categories = {c.slug: c for c in db.session.scalars(select(Category))}
    rng = random.Random(2026)
    now = utcnow()
    month_start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    for item in data["threads"]:
        _add_thread(item, people, categories, rng, (now, month_start))
    db.session.flush()
    _backdate_members(rng)
    db.session.commit()
    indexing.drain_outbox()
    return len(data["threads"])


def _post(
    thread: Thread, author: User, body: str, at, opening: bool = False, votes: int = 0
) -> Post:
    rendered = render_user_markdown(body)
    post = Post(
        thread_id=thread.id,
        author_id=author.id,
        is_opening=opening,
        body_md=body,
        body_html=rendered.html,
        body_text=rendered.text,
        created_at=at,
        vote_count=votes,
    )
    db.session.add(post)
    db.session.flush()
    return post


def _vote_times(rng: random.Random, after: datetime, clock: tuple[datetime, datetime], count: int):
    """When `count` readers upvoted an answer given at `after`: spread from then to now, the
    latest one this month (an answer people still find), unless the answer is in the future."""
    now, month_start = clock
    start = after + timedelta(hours=1)
    if start >= now:
        return [start] * count
    times = [start + (now - start) * rng.random() for _ in range(count)]
    if times:
        recent = max(start, month_start)
        times[-1] = recent + (now - recent) * rng.random()
    return sorted(times)


def _backdate_members(rng: random.Random) -> None:
    """Each person who posted or voted joined 2 to 40 days before their first post or vote."""
    first_post = select(Post.author_id, func.min(Post.created_at)).group_by(Post.author_id)
    first_vote = select(PostVote.user_id, func.min(PostVote.created_at)).group_by(PostVote.user_id)
    first: dict[int, datetime] = {}
    for user_id, at in [*db.session.execute(first_post), *db.session.execute(first_vote)]:
        first[user_id] = min(at, first.get(user_id, at))
    for user_id, at in first.items():
        user = db.session.get_one(User, user_id)
        joined = at - timedelta(days=rng.randint(2, 40), minutes=rng.randint(0, 1440))
        user.created_at = min(user.created_at, joined)


def _add_thread(item: dict, people: dict, categories: dict, rng: random.Random, clock) -> None:
    now = clock[0]
    author = people[item["author"]]
    created = now - timedelta(days=item["days_ago"], minutes=rng.randint(0, 600))
    thread = Thread(
        kind=item["kind"],
        lang=item["lang"],
        title=item["title"],
        tags=item.get("tags", []),
        category=categories.get(item["category"]),
        author_id=author.id,
        created_at=created,
        last_activity_at=created,
    )
    db.session.add(thread)
    db.session.flush()
    opening = _post(thread, author, item["body"], created, opening=True)
    db.session.add(
        ThreadEvent(
            thread_id=thread.id,
            post_id=opening.id,
            actor_id=author.id,
            event="created",
            created_at=created,
        )
    )
    for reply in item.get("replies", []):
        at = created + timedelta(hours=reply["hours_after"])
        replier = people[reply["author"]]
        post = _post(thread, replier, reply["body"], at, votes=reply.get("votes", 0))
        db.session.add(
            ThreadEvent(
                thread_id=thread.id,
                post_id=post.id,
                actor_id=replier.id,
                event="reply",
                created_at=at,
            )
        )
        voters = [u for u in people.values() if u.id not in (replier.id,) and u.role == "member"]
        chosen = rng.sample(voters, min(reply.get("votes", 0), len(voters)))
        for voter, voted_at in zip(chosen, _vote_times(rng, at, clock, len(chosen)), strict=True):
            db.session.add(PostVote(post_id=post.id, user_id=voter.id, created_at=voted_at))
        post.vote_count = min(reply.get("votes", 0), len(voters))
        thread.reply_count += 1
        thread.last_activity_at = at
        if thread.first_reply_at is None and replier.id != author.id:
            thread.first_reply_at = at
            thread.first_reply_seconds = int((at - created).total_seconds())
        if reply.get("accepted"):
            thread.accepted_post_id = post.id
            thread.solved_at = at + timedelta(hours=2)
            thread.solution_seconds = int((thread.solved_at - created).total_seconds())
            db.session.add(
                ThreadEvent(
                    thread_id=thread.id,
                    post_id=post.id,
                    actor_id=author.id,
                    event="accepted",
                    created_at=thread.solved_at,
                )
            )
    db.session.add(indexing.outbox_row("thread", thread.id))
