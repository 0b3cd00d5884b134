"""Article revisions: every state an article was saved in, numbered from 1, and what changed
between two of them. Written by curation (and by content import over browser edits)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from sqlalchemy import func, select

from helpcenter.extensions import db
from helpcenter.models import Article, ArticleRevision, User


def record(article: Article, author: User | None, note: str) -> ArticleRevision:
    """Keep the article's current state as the next revision."""
    number = latest_number(article) + 1
    rev = ArticleRevision(
        article_id=article.id,
        number=number,
        title=article.title,
        slug=article.slug,
        summary=article.summary or "",
        tags=list(article.tags or []),
        category_id=article.category_id if article.category is None else article.category.id,
        body_md=article.body_md or "",
        status=article.status,
        note=note[:300],
        author_id=author.id if author else None,
    )
    db.session.add(rev)
    db.session.flush()
    return rev


def history(article: Article) -> list[ArticleRevision]:
    """Newest first."""
    return list(
        db.session.scalars(
            select(ArticleRevision)
            .where(ArticleRevision.article_id == article.id)
            .order_by(ArticleRevision.number.desc())
        )
    )


def latest_number(article: Article) -> int:
    """0 before the first revision."""
    if article.id is None:
        return 0
    return (
        db.session.scalar(
            select(func.max(ArticleRevision.number)).where(ArticleRevision.article_id == article.id)
        )
        or 0
    )


def get(article: Article, number: int) -> ArticleRevision | None:
    return db.session.scalars(
        select(ArticleRevision).where(
            ArticleRevision.article_id == article.id, ArticleRevision.number == number
        )
    ).first()


@dataclass
class Diff:
    """What changed between two revisions: fields side by side, the text line by line."""

    fields: list[tuple[str, str, str]]  # (field, before, after) for changed short fields
    lines: list[tuple[str, str]]  # ("hunk" | "same" | "del" | "ins", text)


def diff(old: ArticleRevision | None, new: ArticleRevision) -> Diff:
    """The change `new` made to `old` (to nothing, for the first revision)."""
    fields = []
    for name in ("title", "slug", "summary", "status"):
        before, after = getattr(old, name, "") or "", getattr(new, name) or ""
        if before != after:
            fields.append((name, before, after))
    before_tags = ", ".join(old.tags or []) if old else ""
    if before_tags != ", ".join(new.tags or []):
        fields.append(("tags", before_tags, ", ".join(new.tags or [])))
    kinds = {" ": "same", "-": "del", "+": "ins", "@": "hunk"}
    unified = difflib.unified_diff(
        (old.body_md if old else "").splitlines(), new.body_md.splitlines(), n=3, lineterm=""
    )
    lines = [
        (kinds[line[0]], line if line[0] == "@" else line[1:])
        for line in list(unified)[2:]  # past the two file-name lines
    ]
    return Diff(fields, lines)


@dataclass(frozen=True)
class Comparison:
    revision: ArticleRevision
    old: ArticleRevision | None  # None: the first revision, compared with nothing
    diff: Diff


def compare(article: Article, number: int, against: int | None = None) -> Comparison | None:
    """Revision `number` against `against` (by default the one before it); None when either is
    not a revision of this article (the first has nothing before it, and that is no error)."""
    new = get(article, number)
    old = get(article, against if against is not None else number - 1)
    if new is None or (against is not None and old is None):
        return None
    return Comparison(revision=new, old=old, diff=diff(old, new))
