"""Import content/ into the database (upsert by kind, language and slug) and export it back."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import Path

import yaml
from sqlalchemy import func, select

from helpcenter.extensions import db
from helpcenter.markup import render_markdown
from helpcenter.models import Article, Category, TranscriptCue
from helpcenter.models.content import KIND_ARTICLE, KIND_VIDEO, STATUS_DRAFT, STATUS_PUBLISHED
from helpcenter.services.content import revisions
from helpcenter.services.content.markdown_files import (
    ContentError,
    ContentFile,
    Cue,
    format_content_file,
    format_webvtt,
    parse_categories,
    parse_content_file,
)
from helpcenter.services.search import indexing

log = logging.getLogger(__name__)
IMPORT_BATCH = 50  # files per commit: the write lock is held for a moment, not the whole import


@dataclass
class ImportSummary:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    pruned: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


def discover_files(root: Path) -> list[tuple[str, Path]]:
    """(kind, path) for every content file under `root`, in a stable order."""
    if not root.is_dir():
        raise ContentError(
            f"{root} is not a folder; pass the folder that holds articles/ and videos/."
        )
    files: list[tuple[str, Path]] = [
        (KIND_ARTICLE, p) for p in sorted((root / "articles").rglob("*.md"))
    ]
    files += [(KIND_VIDEO, p) for p in sorted((root / "videos").glob("*.md"))]
    if not files and not (root / "categories.yml").exists():
        raise ContentError(f"{root} has no articles/ or videos/ folder with .md files.")
    return files


def import_content(
    root: Path,
    files: list[tuple[str, Path]] | None = None,
    prune: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Upsert every file; invalid ones are reported and skipped. Commits every IMPORT_BATCH
    files, so a long import never holds the database's write lock for long (searches and posts
    keep answering meanwhile), then indexes."""
    files = discover_files(root) if files is None else files
    summary = ImportSummary()
    categories = _import_categories(root, summary)
    existing = {(a.kind, a.lang, a.slug): a for a in db.session.scalars(select(Article))}
    seen: dict[tuple[str, str, str], str] = {}
    for done, (kind, path) in enumerate(files, 1):
        try:
            doc = parse_content_file(path, root, kind)
            key = (doc.kind, doc.lang, doc.slug)
            if key in seen:
                raise ContentError(f"same language and slug as {seen[key]}; give one a new `slug`.")
            if doc.category and doc.category not in categories:
                raise ContentError(f"unknown category {doc.category!r}; add it to categories.yml.")
            seen[key] = doc.path
            _upsert(existing.get(key), doc, categories, summary)
        except ContentError as exc:
            summary.failed.append((path.relative_to(root).as_posix(), str(exc)))
        if done % IMPORT_BATCH == 0:
            db.session.commit()
        if progress:
            progress(1)
    if prune:
        for key, article in existing.items():
            if key not in seen and article.source_path and article.status == STATUS_PUBLISHED:
                article.status = STATUS_DRAFT
                indexing.queue(article)
                summary.pruned += 1
    db.session.commit()
    indexing.drain_outbox()
    return summary


def _import_categories(root: Path, summary: ImportSummary) -> dict[str, Category]:
    by_slug = {c.slug: c for c in db.session.scalars(select(Category))}
    path = root / "categories.yml"
    if not path.exists():
        return by_slug
    try:
        entries = parse_categories(path)
    except ContentError as exc:
        summary.failed.append(("categories.yml", str(exc)))
        return by_slug
    for entry in entries:
        category = by_slug.get(entry["slug"]) or Category(slug=entry["slug"])
        category.position = entry["position"]
        category.names = entry["names"]
        category.descriptions = entry["descriptions"]
        db.session.add(category)
        by_slug[entry["slug"]] = category
    db.session.flush()
    return by_slug


def _upsert(article: Article | None, doc: ContentFile, categories: dict, summary: ImportSummary):
    if article is not None and article.content_hash == doc.content_hash:
        article.source_path = doc.path
        article.transcript_file = doc.transcript
        summary.unchanged += 1
        return
    if article is None:
        article = Article(kind=doc.kind, lang=doc.lang, slug=doc.slug)
        db.session.add(article)
        summary.added += 1
    else:
        summary.updated += 1
    rendered = render_markdown(doc.body)
    article.title = doc.title
    article.summary = doc.summary
    article.tags = doc.tags
    article.status = doc.status
    article.translation_key = doc.translation_key
    article.category = categories.get(doc.category) if doc.category else None
    article.body_md = doc.body
    article.body_html = rendered.html
    article.body_text = rendered.text
    article.toc = rendered.toc
    article.updated = datetime.combine(doc.updated, time()) if doc.updated else None  # midnight
    article.publish_at = doc.publish_at
    article.video_url = doc.video
    article.duration_seconds = doc.duration
    article.transcript_file = doc.transcript
    article.source_path = doc.path
    article.content_hash = doc.content_hash
    article.cues = [
        TranscriptCue(position=i, start_seconds=c.start, end_seconds=c.end, text=c.text)
        for i, c in enumerate(doc.cues)
    ]
    db.session.flush()
    if revisions.latest_number(article):  # edited in the browser before: the import is undoable too
        revisions.record(article, None, f"imported from {doc.path}")
    indexing.queue(article)


def to_content_file(article: Article) -> ContentFile:
    return ContentFile(
        kind=article.kind,
        path=article.source_path or "",
        title=article.title,
        slug=article.slug,
        lang=article.lang,
        body=article.body_md.strip() + "\n",
        category=article.category.slug if article.category else None,
        tags=list(article.tags or []),
        summary=article.summary or "",
        status=article.status,
        translation_key=article.translation_key,
        updated=article.updated.date() if article.updated else None,
        publish_at=article.publish_at if article.status == "scheduled" else None,
        video=article.video_url,
        duration=article.duration_seconds,
        transcript=article.transcript_file if article.cues else None,
        cues=[Cue(c.start_seconds, c.end_seconds, c.text) for c in article.cues],
    )


def page_count() -> int:
    """Articles and videos, drafts included: what an export writes."""
    return db.session.execute(select(func.count()).select_from(Article)).scalar_one()


def export_content(dest: Path, progress: Callable[[int], None] | None = None) -> int:
    """Write every article and video (drafts included) to `dest` in the content/ format."""
    dest.mkdir(parents=True, exist_ok=True)
    categories = db.session.scalars(select(Category).order_by(Category.position)).all()
    entries = [
        {
            "slug": c.slug,
            **{
                lang: {"name": c.name(lang), "description": c.description(lang)}
                for lang in ("en", "ja")
            },
        }
        for c in categories
    ]
    (dest / "categories.yml").write_text(
        yaml.safe_dump(entries, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    count = 0
    for article in db.session.scalars(select(Article).order_by(Article.id)):
        doc = to_content_file(article)
        if article.kind == KIND_VIDEO:
            path = dest / "videos" / f"{doc.slug}.{doc.lang}.md"
            if doc.cues:
                doc.transcript = f"{doc.slug}.{doc.lang}.vtt"
                path.parent.mkdir(parents=True, exist_ok=True)
                (path.parent / doc.transcript).write_text(format_webvtt(doc.cues), encoding="utf-8")
        else:
            folder = doc.category or "uncategorised"
            path = dest / "articles" / doc.lang / folder / f"{doc.slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(format_content_file(doc), encoding="utf-8")
        count += 1
        if progress:
            progress(1)
    return count
