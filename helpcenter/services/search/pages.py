"""What the search page shows, gathered in one call: the logged search and the topics to filter
by (also shown, alone, when the address asked for something the page cannot search)."""

from __future__ import annotations

from dataclasses import dataclass

from helpcenter.models import Category
from helpcenter.search_index import SearchRequest
from helpcenter.services.content import catalog
from helpcenter.services.insights.events import Actor
from helpcenter.services.search.queries import SearchOutcome, run_search


@dataclass(frozen=True)
class ResultsPage:
    outcome: SearchOutcome | None  # None: the search was refused (the page says why)
    categories: list[Category]

    @property
    def sid(self) -> int | None:
        return self.outcome.search_id if self.outcome else None


def results_page(
    search: SearchRequest | None, actor: Actor, *, known_search_id: int | None = None
) -> ResultsPage:
    """Run and log the visitor's search (commits); `search` None for a refused one."""
    outcome = run_search(search, "page", actor, known_search_id) if search is not None else None
    return ResultsPage(outcome=outcome, categories=catalog.categories())
