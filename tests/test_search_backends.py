"""What the PostgreSQL search backend promises beyond the shared search tests: the same ranking
as the Whoosh backend, index writes in the content's own transaction, and updates held (never
lost) while a rebuild runs. The other search modules run on both backends (conftest)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from helpcenter import create_app
from helpcenter.config import TestingConfig
from helpcenter.extensions import db, search_index
from helpcenter.models import Article, SearchOutbox, Thread
from helpcenter.search_index import SearchRequest
from helpcenter.search_index.postgres.store import REBUILD_LOCK
from helpcenter.search_index.whoosh_backend import WhooshIndex
from helpcenter.services.search import indexing

QUERIES = ["password", "reset password", "パスワード", "二段階認証", "export csv", "税", "動画"]


@pytest.fixture
def postgres_app(loaded_app, search_backend):
    if search_backend != "postgresql":
        pytest.skip("about the PostgreSQL backend only")
    return loaded_app


def _everything() -> list:
    articles = db.session.scalars(select(Article).where(Article.status == "published"))
    documents = [doc for article in articles for doc in indexing.documents_for(article)]
    for thread in db.session.scalars(select(Thread)):
        if thread.is_visible:
            documents.extend(indexing.thread_documents(thread))
    return documents


def _ranked(backend, query: str) -> list[tuple[str, float]]:
    page = backend.search(SearchRequest(query=query, prefer_lang="en", per_page=20))
    return [(hit.url, round(hit.score, 3)) for hit in page.hits]


def test_both_backends_rank_the_same_pages_with_the_same_scores(postgres_app, tmp_path):
    with postgres_app.app_context():
        whoosh = WhooshIndex(str(tmp_path / "whoosh"))
        whoosh.rebuild(_everything())
        for query in QUERIES:
            assert _ranked(search_index, query) == _ranked(whoosh, query), query


def _retitle(slug: str, title: str) -> Article:
    article = db.session.scalars(select(Article).where(Article.slug == slug)).one()
    article.title = title
    indexing.queue(article)
    return article


def _total(query: str) -> int:
    return search_index.search(SearchRequest(query=query)).total


def test_a_change_is_searchable_when_it_commits_and_a_rolled_back_one_never(postgres_app):
    with postgres_app.app_context():
        _retitle("reset-password", "Zebracorn password recovery")
        db.session.rollback()
        assert _total("zebracorn") == 0
        _retitle("reset-password", "Zebracorn password recovery")
        db.session.commit()  # no drain_outbox: the commit itself wrote the index
        assert db.session.scalar(select(func.count()).select_from(SearchOutbox)) == 0
        assert _total("zebracorn") == 1


def test_updates_made_during_a_rebuild_wait_and_are_applied_after_it(postgres_app):
    with postgres_app.app_context():
        with db.engine.connect() as rebuild:  # another process rebuilding
            rebuild.execute(text("SELECT pg_advisory_lock(:k)"), {"k": REBUILD_LOCK})
            _retitle("reset-password", "Zebracorn password recovery")
            db.session.commit()  # not held up by the rebuild, and nothing lost
            assert db.session.scalar(select(func.count()).select_from(SearchOutbox)) == 1
            assert _total("zebracorn") == 0
            rebuild.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": REBUILD_LOCK})
            rebuild.commit()
        assert indexing.drain_outbox() == 1
        assert _total("zebracorn") == 1


def test_a_rebuild_keeps_answers_and_statistics_the_same(postgres_app):
    with postgres_app.app_context():
        before = [_ranked(search_index, query) for query in QUERIES]
        generation = search_index.version()[0]
        indexing.rebuild_index()
        assert search_index.version()[0] == generation + 1
        assert [_ranked(search_index, query) for query in QUERIES] == before
        stale = db.session.scalar(
            text("SELECT count(*) FROM search_posting WHERE generation <> :g"),
            {"g": generation + 1},
        )
        assert stale == 0


def test_the_postgresql_backend_needs_a_postgresql_database(tmp_path):
    with pytest.raises(RuntimeError, match="postgresql\\+psycopg://"):
        create_app(
            TestingConfig,
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite3'}",
                "SEARCH_BACKEND": "postgresql",
            },
        )
    with pytest.raises(RuntimeError, match="whoosh \\(the default\\) or postgresql"):
        create_app(TestingConfig, {"SEARCH_BACKEND": "elastic"})
