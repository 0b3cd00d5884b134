"""schema.org JSON-LD for search engines: Article, VideoObject and QAPage, and the one safe way
to put it inside a page.

Member text goes into these blocks. `ld_json` escapes `<`, `>` and `&` as JSON `\\u003c` etc.,
so a `</script>` in an answer stays a string inside the block instead of closing it. The block
has `type="application/ld+json"`: browsers treat it as data, never run it, and the
Content-Security-Policy's `script-src 'self'` does not apply to it (no nonce needed).
"""

from __future__ import annotations

import json
from datetime import datetime

from flask_babel import gettext as _
from markupsafe import Markup

from helpcenter.links import public_url
from helpcenter.models import Article, Post, Thread
from helpcenter.models.community import KIND_QUESTION

SITE_NAME = "Tsumiki"  # the brand base.html shows
HEADLINE_CHARS = 110  # longer headlines are cut by search engines anyway
_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def ld_json(data: dict) -> Markup:
    """`data` as JSON that is safe between `<script type="application/ld+json">` tags."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in _ESCAPES.items():
        text = text.replace(raw, escaped)
    return Markup(text)  # noqa: S704 - every character that could end the block is escaped


def iso(moment: datetime | None) -> str | None:
    """Times are stored naive in UTC."""
    return moment.replace(microsecond=0).isoformat() + "Z" if moment else None


def _organisation() -> dict:
    return {"@type": "Organization", "name": SITE_NAME, "url": public_url("main.home")}


def page_dates(page: Article) -> tuple[datetime, datetime]:
    """(published, modified): imported pages may carry an `updated` date older than the row."""
    modified = page.updated or page.modified_at or page.created_at
    return min(page.created_at, modified), modified


def article_ld(page: Article, url: str, description: str) -> dict:
    published, modified = page_dates(page)
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": page.title[:HEADLINE_CHARS],
        "description": description,
        "inLanguage": page.lang,
        "datePublished": iso(published),
        "dateModified": iso(modified),
        "url": url,
        "mainEntityOfPage": url,
        "author": _organisation(),
        "publisher": _organisation(),
    }
    if page.category is not None:
        data["articleSection"] = page.category.name(page.lang)
    if page.tags:
        data["keywords"] = ", ".join(page.tags)
    return data


def video_ld(page: Article, url: str, description: str) -> dict:
    published, _modified = page_dates(page)
    data = {
        "@context": "https://schema.org",
        "@type": "VideoObject",
        "name": page.title,
        "description": description or page.title,
        "uploadDate": iso(published),
        "inLanguage": page.lang,
        "url": url,
        "publisher": _organisation(),
    }
    if page.duration_seconds:
        minutes, seconds = divmod(page.duration_seconds, 60)
        data["duration"] = f"PT{minutes}M{seconds}S"
    video_url = page.video_url or ""
    if page.is_local_video:
        data["contentUrl"] = public_url("static", filename=video_url.removeprefix("/static/"))
    elif video_url:
        data["embedUrl"] = video_url
    transcript = " ".join(cue.text for cue in page.cues)
    if transcript:
        data["transcript"] = transcript
    return data


def qa_page_ld(thread: Thread, opening: Post, replies: list[Post], url: str) -> dict | None:
    """A question with the answers a visitor can read; None for discussions and questions that
    nobody answered yet (a QAPage needs at least one answer)."""
    answers = [p for p in replies if p.deleted_at is None and p.hidden_at is None]
    if thread.kind != KIND_QUESTION or not answers:
        return None
    question: dict[str, object] = {
        "@type": "Question",
        "name": thread.title,
        "text": opening.body_text or thread.title,
        "dateCreated": iso(thread.created_at),
        "answerCount": len(answers),
        "author": _person(opening),
        "inLanguage": thread.lang,
    }
    accepted = [_answer(p, url) for p in answers if p.id == thread.accepted_post_id]
    suggested = [_answer(p, url) for p in answers if p.id != thread.accepted_post_id]
    if accepted:
        question["acceptedAnswer"] = accepted[0]
    if suggested:
        question["suggestedAnswer"] = suggested
    return {"@context": "https://schema.org", "@type": "QAPage", "mainEntity": question}


def _answer(post: Post, thread_url: str) -> dict:
    return {
        "@type": "Answer",
        "text": post.body_text,
        "dateCreated": iso(post.created_at),
        "upvoteCount": post.vote_count,
        "url": f"{thread_url}#p{post.id}",
        "author": _person(post),
    }


def _person(post: Post) -> dict:
    author = post.author
    if author is None or author.deleted_at is not None:
        return {"@type": "Person", "name": _("Deleted user")}
    return {
        "@type": "Person",
        "name": author.display_name,
        "url": public_url("community.profile", user_id=author.id),
    }
