"""The search outbox: index work recorded in the same transaction as the change it follows."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from helpcenter.extensions import Model
from helpcenter.models.base import utcnow


class SearchOutbox(Model):
    """A pending index update; deleted once the index holds it, so a crash only delays it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    doc_kind: Mapped[str] = mapped_column(String(20))
    doc_id: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# -- the PostgreSQL search backend (search_index/postgres): unused with the Whoosh backend -------
#
# Every row carries the generation it belongs to: `search rebuild` writes generation N+1 beside
# the live one, swaps `SearchState.generation`, then deletes generation N, so searches never stop.

# Term columns sort by code point ("C"): a prefix is a range of the B-tree whatever the locale.
TermText = String(200).with_variant(String(200, collation="C"), "postgresql")
CharSpans = JSON().with_variant(ARRAY(Integer), "postgresql")


class SearchState(Model):
    """One row: the live generation, a version bumped by every index write (answers are cached
    per version on every server), and the statistics BM25F needs. Index writes lock this row,
    so they apply one at a time, in commit order."""

    id: Mapped[int] = mapped_column(primary_key=True)
    generation: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(BigInteger, default=0)
    documents: Mapped[int] = mapped_column(default=0)
    # Total words per field (title, tags, summary, body), for the average field lengths.
    field_lengths: Mapped[list[int]] = mapped_column(JSON, default=list)


class SearchDocument(Model):
    """A searchable unit as the Whoosh backend stores it: a page, or a passage of a video."""

    __table_args__ = (
        Index("ix_search_document_gen_parent", "generation", "parent"),
        UniqueConstraint("generation", "key", name="uq_search_document_gen_key"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    generation: Mapped[int]
    key: Mapped[str] = mapped_column(String(64))
    parent: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(20))
    doc_id: Mapped[int]
    slug: Mapped[str] = mapped_column(String(255))
    lang: Mapped[str] = mapped_column(String(8))
    category: Mapped[str] = mapped_column(String(120))
    url: Mapped[str] = mapped_column(String(500))
    start: Mapped[float | None]
    solved: Mapped[bool] = mapped_column(default=False)
    heading: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    field_lengths: Mapped[list[int]] = mapped_column(JSON)  # exact words per field


class SearchPosting(Model):
    """A word in one field of one document: how often, the field's length as Whoosh rounds it
    (so scores equal the Whoosh backend's), and for summary and body where it stands (snippets).
    The key leads with (generation, field, term): a query word is one range of the B-tree."""

    __table_args__ = (Index("ix_search_posting_document", "document_id"),)

    generation: Mapped[int] = mapped_column(primary_key=True)
    field: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    term: Mapped[str] = mapped_column(TermText, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True
    )
    frequency: Mapped[int]
    length: Mapped[int]
    spans: Mapped[list[int] | None] = mapped_column(CharSpans, nullable=True)


class SearchTerm(Model):
    """How many documents hold each word per field (field 4: the unstemmed spelling words):
    inverse document frequency, completions as you type, and "did you mean"."""

    generation: Mapped[int] = mapped_column(primary_key=True)
    field: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    term: Mapped[str] = mapped_column(TermText, primary_key=True)
    documents: Mapped[int]
