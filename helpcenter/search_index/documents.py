"""What the index stores and returns: plain dataclasses, never Whoosh objects."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class IndexDocument:
    """One searchable unit. Passages of a video share the video's `parent`."""

    key: str
    parent: str
    kind: str
    doc_id: int
    slug: str
    lang: str
    category: str
    url: str
    title: str
    body: str
    tags: tuple[str, ...] = ()
    summary: str = ""
    start: float | None = None
    solved: bool = False  # threads: an accepted answer exists


@dataclass(frozen=True)
class SearchRequest:
    query: str
    lang: str | None = None  # restrict to one language
    prefer_lang: str | None = None  # this language's hits first, the others after
    kind: str | None = None
    category: str | None = None
    page: int = 1
    per_page: int = 10
    as_you_type: bool = False  # the last word may be unfinished: match the words it may become


@dataclass(frozen=True)
class SearchHit:
    kind: str
    doc_id: int
    slug: str
    lang: str
    category: str
    title: str
    url: str
    snippet: str  # HTML: escaped text with <mark> around matches
    score: float
    start: float | None = None  # a transcript hit: where the words are spoken
    solved: bool = False
    promoted: bool = False  # a strong match in the other language, shown before weak own ones


@dataclass
class SearchPage:
    request: SearchRequest
    total: int
    hits: list[SearchHit] = field(default_factory=list)
    suggestion: str | None = None

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.request.per_page))
