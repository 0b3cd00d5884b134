"""Index updates go through the outbox: a busy or missing index delays them, never loses them."""

from sqlalchemy import select
from whoosh import index

from helpcenter.extensions import db, search_index
from helpcenter.models import SearchOutbox
from helpcenter.search_index import SearchRequest
from helpcenter.services.content import imports
from helpcenter.services.search import indexing


def found(app, query):
    with app.app_context():
        return [h.title for h in search_index.search(SearchRequest(query=query)).hits]


def edit_title(content_dir, new_title):
    path = content_dir / "articles/en/billing/download-invoices.md"
    path.write_text(path.read_text().replace("title: Download invoices", f"title: {new_title}"))


def test_an_import_updates_the_index_at_once(loaded_app, content_dir):
    edit_title(content_dir, "Grab receipts quickly")
    with loaded_app.app_context():
        imports.import_content(content_dir)
        assert db.session.scalars(select(SearchOutbox)).all() == []
    assert "Grab receipts quickly" in found(loaded_app, "grab")


def test_a_locked_index_keeps_the_update_queued_until_it_is_free(
    loaded_app, content_dir, monkeypatch
):
    monkeypatch.setattr("helpcenter.search_index.whoosh_backend.WRITER_TIMEOUT", 0.1)
    with loaded_app.app_context():
        ix = search_index._open()
        other_writer = ix.writer()  # another process holding the index lock
        try:
            edit_title(content_dir, "Grab receipts quickly")
            summary = imports.import_content(content_dir)
            assert summary.updated == 1
            assert len(db.session.scalars(select(SearchOutbox)).all()) == 1
        finally:
            other_writer.cancel()
        assert found(loaded_app, "grab") == []
    stats = loaded_app.test_cli_runner().invoke(args=["search", "stats"])
    assert "1 queued update(s)" in stats.output
    synced = loaded_app.test_cli_runner().invoke(args=["search", "sync"])
    assert synced.exit_code == 0 and "Applied 1 update(s); 0 still queued." in synced.output
    assert "Grab receipts quickly" in found(loaded_app, "grab")


def test_updates_made_before_the_first_rebuild_are_not_lost(app, content_dir):
    with app.app_context():
        imports.import_content(content_dir)
        assert len(db.session.scalars(select(SearchOutbox)).all()) == 6
        indexing.rebuild_index()
        assert db.session.scalars(select(SearchOutbox)).all() == []
    assert found(app, "invoices")


def test_unpublishing_removes_the_page_from_the_index(loaded_app, content_dir):
    (content_dir / "articles/en/billing/download-invoices.md").unlink()
    with loaded_app.app_context():
        imports.import_content(content_dir, prune=True)
    assert "Download invoices" not in found(loaded_app, "invoices")


def test_the_analyzer_is_stored_in_the_index_and_reloads(loaded_app):
    with loaded_app.app_context():
        ix = index.open_dir(str(search_index.path / (search_index.path / "CURRENT").read_text()))
        analyzer = ix.schema["body"].analyzer
    assert [t.text for t in analyzer("パスワードを忘れた")][:1] == ["ぱすわーど"]


def test_a_rebuild_clears_thousands_of_queued_updates(app, content_dir):
    """An import of a large folder before the first rebuild queues one update per page."""
    with app.app_context():
        imports.import_content(content_dir)
        row = db.session.scalars(select(SearchOutbox)).first()
        db.session.add_all(
            SearchOutbox(doc_kind=row.doc_kind, doc_id=row.doc_id) for _ in range(1_500)
        )
        db.session.commit()
        indexing.rebuild_index()
        assert db.session.scalars(select(SearchOutbox)).all() == []
    assert found(app, "invoices")
