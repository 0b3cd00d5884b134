"""Promote a solved thread to a draft article: the question and the accepted answer, with credit
to the answer's author and links both ways between the thread and the article."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import select

from helpcenter.extensions import db
from helpcenter.markup import render_markdown, render_user_markdown
from helpcenter.models import Article, Post, Thread, User
from helpcenter.models.content import KIND_ARTICLE, STATUS_ARCHIVED, STATUS_DRAFT
from helpcenter.services import audit
from helpcenter.services.content import catalog
from helpcenter.services.content.markdown_files import slug_from_title
from helpcenter.services.errors import ServiceError

SUMMARY_CHARS = 200
NOT_SOLVED = _l("Only a solved thread with an accepted answer can become an article.")


class PromotionError(ServiceError):
    """The thread cannot become an article; the message says why (translated lazily)."""


@dataclass(frozen=True)
class Credit:
    """Where an article came from, for the line under it: the thread and its answer's author."""

    thread: Thread
    author: User | None  # None once the answer or its author is gone


def article_for(thread: Thread) -> Article | None:
    """The live (draft, scheduled or published) article promoted from this thread, if any."""
    return db.session.scalars(
        select(Article)
        .where(Article.source_thread_id == thread.id, Article.status != STATUS_ARCHIVED)
        .order_by(Article.id.desc())
        .limit(1)
    ).first()


def credit_for(article: Article) -> Credit | None:
    """The thread an article came from, while customers can still see that thread."""
    if article.source_thread_id is None:
        return None
    thread = db.session.get(Thread, article.source_thread_id)
    if thread is None or not thread.is_visible:
        return None
    answer = db.session.get(Post, thread.accepted_post_id) if thread.accepted_post_id else None
    author = answer.author if answer is not None and answer.deleted_at is None else None
    return Credit(thread, author if author is not None and author.deleted_at is None else None)


def promote(staff: User, thread: Thread) -> Article:
    """Start a draft from a solved thread, or return the article already started from it.

    Commits the draft and an audit entry; drafts are not indexed until published."""
    existing = article_for(thread)
    if existing is not None:
        return existing
    answer = db.session.get(Post, thread.accepted_post_id) if thread.accepted_post_id else None
    if answer is None or answer.deleted_at is not None or thread.deleted_at is not None:
        raise PromotionError(NOT_SOLVED)
    question = db.session.scalars(
        select(Post).where(Post.thread_id == thread.id, Post.is_opening.is_(True))
    ).first()
    body = _body(thread, question, answer)
    rendered = render_markdown(body)
    article = Article(
        kind=KIND_ARTICLE,
        lang=thread.lang,
        title=thread.title,
        status=STATUS_DRAFT,
        slug=catalog.free_slug(
            KIND_ARTICLE, thread.lang, slug_from_title(thread.title, f"community-{thread.id}")
        ),
        summary=question.body_text[:SUMMARY_CHARS] if question else "",
        tags=list(thread.tags or []),
        category_id=thread.category_id,
        body_md=body,
        body_html=rendered.html,
        body_text=rendered.text,
        toc=rendered.toc,
        source_thread_id=thread.id,
        owner_id=staff.id,
    )
    db.session.add(article)
    db.session.flush()
    audit.record(staff, "thread.promote", f"thread:{thread.id}", article=article.id)
    db.session.commit()
    return article


def _body(thread: Thread, question: Post | None, answer: Post) -> str:
    """The draft's Markdown, headings in the thread's language.

    The posts are member Markdown. Rendering that with the trusted (staff) renderer would let
    raw HTML, `{: attributes}` and http images through, so a post using any of them is rendered
    with the strict member renderer first and its sanitised HTML is embedded as an HTML block,
    which Markdown leaves as it is (the trusted renderer cleans it once more). Plain posts stay
    Markdown. Names and titles are escaped."""
    author = answer.author if answer.author and answer.author.deleted_at is None else None
    with force_locale(thread.lang):
        name = (
            Markup('<a href="{}">{}</a>').format(author.profile_path, author.display_name)
            if author
            else escape(_("a former member"))
        )
        link = Markup('<a href="{}">{}</a>').format(thread.path, thread.title)
        credit = escape(_("Based on an answer by %(name)s in the community thread %(thread)s.")) % {
            "name": name,
            "thread": link,
        }
        question_heading, answer_heading = (
            _("Question"),
            _("Answer"),
        )  # extractable, not in f-strings
        parts = [f"## {question_heading}", _member_html(question), f"## {answer_heading}"]
        parts += [_member_html(answer), "---", f"<p>{credit}</p>"]
    return "\n\n".join(parts) + "\n"


# Member Markdown that the staff renderer would treat like the member renderer: no raw HTML or
# autolinks (<), no attribute lists ({: {# {.), no images, and links only to web, site or mail
# addresses. Such a post is copied as Markdown, which staff can edit; anything else as the
# sanitised HTML the community showed.
_NOT_PLAIN = re.compile(
    r"<|\{\s*[:#.]|!\[|\]\s*\(\s*(?!https?://|/|#|mailto:)|^\s{0,3}\[[^\]]+\]:\s*(?!https?://|/|#|mailto:)",
    re.MULTILINE | re.IGNORECASE,
)


def _member_html(post: Post | None) -> str:
    if post is None:
        return ""
    if not _NOT_PLAIN.search(post.body_md):
        return post.body_md.strip()
    return render_user_markdown(post.body_md).html.strip()
