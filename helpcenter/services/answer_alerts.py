"""Tell me when this is answered (DESIGN.md §1): people whose search failed leave a way to reach
them, and hear once when an article or a solved thread answers what they searched for."""

from __future__ import annotations

from helpcenter.models import Article, Gap, Thread


def article_published(article: Article, gaps: list[Gap]) -> int:
    """Tell those waiting on these gaps that `article` answers them; returns how many were told."""
    return 0


def thread_solved(thread: Thread) -> int:
    """Tell those waiting on the gap of the search that started `thread`; returns how many."""
    return 0
