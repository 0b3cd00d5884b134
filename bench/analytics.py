"""Time the staff dashboard on a large scratch database.

    python bench/analytics.py [--searches 1000000] [--threads 100000]

Generates the events of a busy help center (searches with their outcomes, article views and
votes, community threads with replies and accepted answers) over 60 days into a temporary
SQLite database, then times every dashboard query and the whole dashboard page for 30 days.
The sample content is indexed too, so the gap inbox's synonym suggestions consult a real index.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scratch import scratch_app  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

from helpcenter.config import PROJECT_ROOT  # noqa: E402
from helpcenter.extensions import db  # noqa: E402
from helpcenter.models import (
    Article,
    ArticleView,
    Category,
    HelpfulVote,
    Post,
    SearchEvent,
    Thread,
    User,
)  # noqa: E402
from helpcenter.models.base import utcnow  # noqa: E402
from helpcenter.search_index import variants  # noqa: E402
from helpcenter.search_index.gap_key import gap_key
from helpcenter.services.accounts import account
from helpcenter.services.community import performance
from helpcenter.services.content import attention, imports
from helpcenter.services.insights import gaps, measures
from helpcenter.services.search import indexing, synonym_suggestions

CHUNK = 50_000
DAYS = 60


def timed(label: str, fn, rounds: int = 3):
    times = []
    result = None
    for _ in range(rounds):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    print(f"  {label:28} {statistics.median(times):8.1f} ms")
    return result


def generate(searches: int, threads: int, rng: random.Random) -> None:
    now = utcnow()
    articles = db.session.scalars(select(Article.id)).all()
    vocabulary = [f"topic{i} {w}" for i in range(3000) for w in ("setup", "error")] + [
        "請求書 再発行",
        "ダークモード",
        "refund annual plan",
    ]
    keys = {q: gap_key(q) for q in vocabulary}
    print(f"Generating {searches:,} searches, {threads:,} threads…", flush=True)
    t0 = time.perf_counter()
    for start in range(0, searches, CHUNK):
        rows = []
        for _ in range(min(CHUNK, searches - start)):
            at = now - timedelta(seconds=rng.randint(0, DAYS * 86400))
            query = rng.choice(vocabulary)
            results = 0 if rng.random() < 0.08 else rng.randint(1, 20)
            clicked = results and rng.random() < 0.65
            rows.append(
                {
                    "query": query,
                    "normalized": query,
                    "gap_key": keys[query],
                    "lang": rng.choice(("en", "ja")),
                    "source": "page",
                    "visitor_id": f"{rng.getrandbits(64):016x}",
                    "is_staff": rng.random() < 0.02,
                    "is_crawler": rng.random() < 0.03,
                    "created_at": at,
                    "updated_at": at,
                    "result_count": results,
                    "clicked_at": at if clicked else None,
                    "read_article_id": rng.choice(articles) if clicked else None,
                    "rated_helpful": (rng.random() < 0.8)
                    if clicked and rng.random() < 0.1
                    else None,
                    "reformulated": not clicked and results > 0 and rng.random() < 0.3,
                    "escalated": rng.choice(("thread", "support")) if rng.random() < 0.03 else None,
                }
            )
        db.session.execute(insert(SearchEvent), rows)
        db.session.commit()
    views = [
        {
            "article_id": rng.choice(articles),
            "visitor_id": "v",
            "is_crawler": False,
            "created_at": now - timedelta(seconds=rng.randint(0, DAYS * 86400)),
        }
        for _ in range(searches // 4)
    ]
    db.session.execute(insert(ArticleView), views)
    votes = [
        {
            "article_id": rng.choice(articles),
            "visitor_id": f"{i}",
            "helpful": rng.random() < 0.75,
            "reason": rng.choice((None, "not_answered", "missing_steps")),
            "created_at": now - timedelta(days=rng.randint(0, DAYS)),
            "updated_at": now - timedelta(days=rng.randint(0, DAYS)),
        }
        for i in range(searches // 20)
    ]
    db.session.execute(insert(HelpfulVote), votes)
    db.session.commit()
    users = db.session.scalars(select(User.id)).all()
    topics = [*db.session.scalars(select(Category.id)).all(), None]  # None: filed under no topic
    for start in range(0, threads, CHUNK):
        thread_rows = []
        for _ in range(min(CHUNK, threads - start)):
            created = now - timedelta(seconds=rng.randint(0, DAYS * 86400))
            replied = rng.random() < 0.8
            thread_rows.append(
                {
                    "kind": "question",
                    "lang": rng.choice(("en", "ja")),
                    "title": "A question",
                    "tags": [],
                    "category_id": rng.choice(topics),
                    "author_id": rng.choice(users),
                    "reply_count": 1 if replied else 0,
                    "created_at": created,
                    "last_activity_at": created,
                    "first_reply_at": created + timedelta(minutes=(wait := rng.randint(5, 3000)))
                    if replied
                    else None,
                    "first_reply_seconds": wait * 60 if replied else None,
                }
            )
        ids = db.session.execute(
            insert(Thread).returning(Thread.id, Thread.created_at, Thread.first_reply_at),
            thread_rows,
        ).all()
        posts = [
            {
                "thread_id": tid,
                "author_id": rng.choice(users),
                "body_md": "An answer.",
                "body_html": "<p>An answer.</p>",
                "body_text": "An answer.",
                "created_at": first,
                "vote_count": rng.randint(0, 5),
            }
            for tid, _created, first in ids
            if first is not None
        ]
        post_ids = db.session.execute(
            insert(Post).returning(Post.id, Post.thread_id, Post.created_at), posts
        ).all()
        for post_id, thread_id, at in post_ids:
            if rng.random() < 0.6:
                db.session.execute(
                    Thread.__table__.update()
                    .where(Thread.id == thread_id)
                    .values(
                        accepted_post_id=post_id,
                        solved_at=at + timedelta(hours=1),
                        solution_seconds=rng.randint(3600, 300_000),
                    )
                )
        db.session.commit()
    print(f"Generated in {time.perf_counter() - t0:.0f} s.", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--searches", type=int, default=1_000_000)
    parser.add_argument("--threads", type=int, default=100_000)
    args = parser.parse_args()
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp:
        app = scratch_app(Path(tmp))
        with app.app_context():
            imports.import_content(PROJECT_ROOT / "content")
            indexing.rebuild_index()
            staff = account.create_user(
                "bench@example.com", "Bench", "quiet harbour staff", role="staff", confirmed=True
            )
            # Members who wrote the threads: they never sign in, so no password hashing is needed.
            for i in range(200):
                db.session.add(
                    User(email=f"m{i}@example.com", display_name=f"Member {i}", password_hash="!")
                )
            db.session.commit()
            generate(args.searches, args.threads, rng)
            db.session.execute(db.text("ANALYZE"))
            filters = measures.filters_for(30)
            t0 = time.perf_counter()
            measures.funnel(filters)
            print(
                f"First dashboard query, which also writes the daily rollups: {time.perf_counter() - t0:.2f} s"
            )
            print(
                f"Dashboard queries, 30 days, {args.searches:,} searches and {args.threads:,} threads (median of 3):"
            )
            timed("funnel", lambda: measures.funnel(filters))
            timed("funnel, previous period", lambda: measures.funnel(filters.previous()))
            timed("daily trend", lambda: measures.daily(filters))
            timed("articles, videos to attend", lambda: attention.articles(filters))
            timed("community, overall + topics", lambda: performance.community(filters))
            timed("community by topic (CSV)", lambda: performance.by_category(filters))
            timed("transcript passages", lambda: attention.transcript_passages(filters))
            timed("searches that found nothing", lambda: gaps.most_common_misses(filters))
            timed("gap inbox (top 50)", lambda: gaps.inbox(filters))
            top = gaps.inbox(filters)
            timed("gap trends (top 50)", lambda: gaps.fill_trends(top, filters))
            timed(
                "gap trends, 90 days by week",
                lambda: gaps.fill_trends(top, measures.filters_for(90)),
            )

            def suggest(cold: bool) -> None:
                if cold:  # as after a commit to the index: every word looked up again
                    variants.remembered.forget()
                synonym_suggestions.fill_suggestions([replace(r, suggestions=[]) for r in top])

            timed("gap synonyms, index changed", lambda: suggest(cold=True))
            timed("gap synonyms, remembered", lambda: suggest(cold=False))
            timed("gap inbox page data", lambda: gaps.inbox_page(filters))
            staff_email = staff.email
        client = app.test_client()
        page = client.get("/signin").get_data(as_text=True)
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        client.post(
            "/signin",
            data={"csrf_token": token, "email": staff_email, "password": "quiet harbour staff"},
        )
        timed("whole dashboard page", lambda: client.get("/staff/?days=30"))
        with app.app_context():
            variants.remembered.forget()
        timed("gap inbox page, first", lambda: client.get("/staff/gaps?days=30"), rounds=1)
        timed("whole gap inbox page", lambda: client.get("/staff/gaps?days=30"))


if __name__ == "__main__":
    main()
