"""`search rebuild` analyses pages in several processes; the index it builds answers exactly as
one built in a single process."""

from helpcenter.config import PROJECT_ROOT
from helpcenter.extensions import search_index
from helpcenter.search_index import SearchRequest
from helpcenter.search_index import whoosh_backend as search_index_module
from helpcenter.services.content import imports
from helpcenter.services.search import indexing

QUERIES = [("password", "en"), ("パスワード", "ja"), ("slack 通知", "ja"), ("invoice tax", "en")]


def answers():
    out = []
    for query, lang in QUERIES:
        page = search_index.search(SearchRequest(query=query, prefer_lang=lang, per_page=20))
        out.append((page.total, [(hit.url, hit.score, hit.snippet) for hit in page.hits]))
    return out


def test_a_rebuild_in_two_processes_answers_as_one_in_one(app, monkeypatch):
    with app.app_context():
        assert imports.import_content(PROJECT_ROOT / "content").ok
        written = indexing.rebuild_index()
        single = answers()
        monkeypatch.setattr(search_index, "build_procs", 2)
        monkeypatch.setattr(search_index_module, "REBUILD_BATCH", 10)  # the sample is small
        assert indexing.rebuild_index() == written
        assert len(search_index._open().reader().leaf_readers()) >= 2  # the processes wrote
        assert answers() == single
        assert all(kind.in_step for kind in indexing.index_stats().values())
