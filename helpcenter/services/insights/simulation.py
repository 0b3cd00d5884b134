"""Realistic demo traffic for the sample help center, so a new site shows a living dashboard.

Writes customer searches with their outcomes (clicks, reads, helpful votes, reformulations,
escalations), straight into the event tables, spread over the last N days. Some searches ask
for things the sample content does not cover: those become the gap inbox's top entries.
"""

from __future__ import annotations

import random
import secrets
from datetime import timedelta

from sqlalchemy import insert, select

from helpcenter.extensions import db
from helpcenter.models import (
    AnswerAlert,
    Article,
    ArticleView,
    HelpfulVote,
    SearchClick,
    SearchEvent,
)
from helpcenter.models.analytics import Escalation, FeedbackStatus
from helpcenter.models.base import utcnow
from helpcenter.models.content import STATUS_PUBLISHED
from helpcenter.search_index.gap_key import gap_key
from helpcenter.search_index.text import normalize_query
from helpcenter.services.insights import measures

# Topics the sample content lacks: (weight, en query variants, ja query variants).
PLANTED_GAPS = [
    (
        5,
        ["refund annual plan", "Refund for an annual plan", "annual plan refund"],
        ["年払い 返金", "年払いの返金"],
    ),
    (4, ["dark mode", "Dark mode", "enable dark mode"], ["ダークモード", "ﾀﾞｰｸﾓｰﾄﾞ"]),
    (3, ["offline mode", "use offline", "Offline mode"], ["オフライン 利用", "オフラインで使う"]),
]
REASONS = ("not_answered", "hard_to_follow", "incorrect", "missing_steps", "other")
# What readers write under "No", so the sample feedback queue has work in it. Drawn like cards
# from a shuffled deck per language, so a short sample queue does not repeat itself.
COMMENTS = {
    "en": [
        "The screenshots don't match what I see in the app.",
        "Step 3 is missing: where is the button?",
        "This doesn't say what happens to my existing data.",
        "I needed this for the mobile app, not the web.",
        "I followed every step and the export is still empty.",
        "My plan doesn't have this menu. Is it only for admins?",
        "Too long. I just wanted the one setting.",
        "The link at the bottom goes to a page that says something different.",
        "What if I signed up with Google and have no password?",
        "It worked, but only after I logged out and in again. Please mention that.",
        "Doesn't cover guests outside our company.",
        "The article says 'Settings', but my menu says 'Preferences'.",
        "How do I undo this? I changed it by mistake.",
        "A short video would help; I got lost at the permissions part.",
        "It doesn't explain the error message I get: 'quota exceeded'.",
        "Nothing about the time zone, and my dates are off by a day.",
    ],
    "ja": [
        "画面の表示が記事のスクリーンショットと違います。",
        "手順3のボタンが見つかりません。",
        "既存のデータがどうなるのか書かれていません。",
        "スマホアプリでの手順が知りたかったです。",
        "手順どおりにしましたが、エクスポートしたファイルが空でした。",
        "私のプランにはこのメニューがありません。管理者だけの機能ですか？",
        "長すぎて、知りたい設定がどこにあるのか分かりませんでした。",
        "最後のリンク先に書いてある内容と食い違っています。",
        "Google アカウントで登録したのでパスワードがありません。その場合は？",
        "一度ログアウトしてからでないと反映されませんでした。書いておいてほしいです。",
        "社外のゲストを招待する場合について書かれていません。",
        "記事では「設定」とありますが、私の画面では「環境設定」になっています。",
        "間違えて変更してしまいました。元に戻す方法を知りたいです。",
        "権限のところで迷いました。短い動画があると助かります。",
        "「容量の上限を超えました」というエラーの意味が説明されていません。",
        "タイムゾーンについての説明がなく、日付が1日ずれたままです。",
    ],
}


class _Deck:
    """Comments dealt without repeats until every one has been used, then reshuffled."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.left: dict[str, list[str]] = {lang: [] for lang in COMMENTS}

    def deal(self, lang: str) -> str:
        if not self.left[lang]:
            self.left[lang] = self.rng.sample(COMMENTS[lang], len(COMMENTS[lang]))
        return self.left[lang].pop()


def simulate(days: int = 60, per_day: int = 80, seed: int = 7, progress=None) -> int:
    """Write about `per_day` customer searches a day for `days` days. Commits. Returns searches."""
    rng = random.Random(seed)
    articles = db.session.scalars(select(Article).where(Article.status == STATUS_PUBLISHED)).all()
    now = utcnow()
    written, comments = 0, _Deck(rng)
    for day in range(days, 0, -1):
        events, clicks, views, votes = [], [], [], []
        for _ in range(max(1, int(rng.gauss(per_day, per_day / 5)))):
            at = now - timedelta(days=day, seconds=rng.randint(0, 86_399))
            visitor = secrets.token_hex(16)
            gap = rng.random() < 0.12
            if gap:
                _weight, en, ja = rng.choices(PLANTED_GAPS, weights=[g[0] for g in PLANTED_GAPS])[0]
                lang = rng.choice(("en", "ja"))
                query = rng.choice(en if lang == "en" else ja)
                article = None
            else:
                article = rng.choice(articles)
                lang = article.lang
                words = article.tags or [article.title]
                query = rng.choice(words) if rng.random() < 0.6 else article.title
            event = _search(query, lang, visitor, at)
            roll = rng.random()
            if article is None:  # a planted gap
                event["result_count"] = 0 if rng.random() < 0.6 else rng.randint(1, 4)
                event["escalated"] = rng.choice((None, None, Escalation.THREAD, Escalation.SUPPORT))
            elif roll < 0.72:  # found it
                event["result_count"] = rng.randint(3, 20)
                event["clicked_at"] = at + timedelta(seconds=rng.randint(2, 40))
                event["read_article_id"] = article.id
                views.append(
                    {
                        "article_id": article.id,
                        "visitor_id": visitor,
                        "created_at": event["clicked_at"],
                    }
                )
                if rng.random() < 0.25:
                    helpful = rng.random() < 0.8
                    event["rated_helpful"] = helpful
                    comment = None if helpful or rng.random() < 0.85 else comments.deal(lang)
                    votes.append(
                        {
                            "article_id": article.id,
                            "visitor_id": visitor,
                            "helpful": helpful,
                            "reason": None if helpful else rng.choice(REASONS),
                            "comment": comment,
                            "feedback_status": FeedbackStatus.NEW if comment else None,
                            "created_at": event["clicked_at"],
                            "updated_at": event["clicked_at"],
                        }
                    )
            else:  # results, but nothing clicked; some try again
                event["result_count"] = rng.randint(1, 12)
                event["reformulated"] = rng.random() < 0.5
            events.append(event)
        ids = [
            db.session.execute(insert(SearchEvent).values(**e).returning(SearchEvent.id)).scalar()
            for e in events
        ]
        for event_id, event in zip(ids, events, strict=True):
            if event.get("clicked_at") and event.get("read_article_id"):
                article = db.session.get_one(Article, event["read_article_id"])
                clicks.append(
                    {
                        "search_id": event_id,
                        "rank": rng.randint(1, 3),
                        "target_url": article.path,
                        "visitor_id": event["visitor_id"],
                        "created_at": event["clicked_at"],
                    }
                )
        alerts = [
            {
                "gap_key": e["gap_key"],
                "query": e["query"],
                "lang": e["lang"],
                "search_id": event_id,
                "email": f"reader-{event_id}@example.com",
                "created_at": e["created_at"],
            }
            for event_id, e in zip(ids, events, strict=True)
            if day <= 14 and e["result_count"] == 0 and rng.random() < 0.1
        ]  # a few people asked to be told when their failed search is answered
        for table, rows in (
            (SearchClick, clicks),
            (ArticleView, views),
            (HelpfulVote, votes),
            (AnswerAlert, alerts),
        ):
            if rows:
                db.session.execute(insert(table), rows)
        db.session.commit()
        written += len(events)
        if progress:
            progress(1)
    measures.forget_rollups()
    return written


def _search(query: str, lang: str, visitor: str, at) -> dict:
    return {
        "query": query,
        "normalized": normalize_query(query),
        "gap_key": gap_key(query),
        "lang": lang,
        "source": "page",
        "visitor_id": visitor,
        "is_staff": False,
        "is_crawler": False,
        "created_at": at,
        "updated_at": at,
        "result_count": 0,
        "reformulated": False,
    }
