"""Operator commands: init on an empty database, rebuild, stats, export; migrations match models."""

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from helpcenter.extensions import db
from helpcenter.models import Article
from tests.builders import fresh_schema


def test_init_migrates_imports_and_indexes(app, runner):
    fresh_schema(app)
    result = runner.invoke(args=["init"])
    assert result.exit_code == 0, result.output
    assert "added 6" in result.output and "Search index rebuilt" in result.output
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Article)) == 6
    stats = runner.invoke(args=["search", "stats"])
    assert stats.exit_code == 0, stats.output
    assert "article" in stats.output and "OUT OF STEP" not in stats.output


def test_migrations_create_exactly_the_models_schema(app, runner):
    fresh_schema(app)
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    with app.app_context(), db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diff == []


def test_upgrade_twice_loses_nothing(loaded_app):
    runner = loaded_app.test_cli_runner()
    with loaded_app.app_context():
        db.drop_all()
    fresh_schema(loaded_app)
    runner.invoke(args=["init"])
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    with loaded_app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Article)) == 6


def test_stats_reports_missing_index_with_the_fix(runner):
    result = runner.invoke(args=["search", "stats"])
    assert result.exit_code != 0
    assert "search rebuild" in result.output


def test_stats_notices_an_index_out_of_step(loaded_app):
    with loaded_app.app_context():
        db.session.add(
            Article(kind="article", lang="en", slug="sneaky", title="Added behind its back")
        )
        db.session.commit()
    result = loaded_app.test_cli_runner().invoke(args=["search", "stats"])
    assert result.exit_code == 1 and "OUT OF STEP" in result.output
    rebuilt = loaded_app.test_cli_runner().invoke(args=["search", "rebuild"])
    assert rebuilt.exit_code == 0 and "from 6 pages" in rebuilt.output


def test_rebuild_swaps_generations_and_keeps_one(loaded_app):
    index_dir = Path(loaded_app.config["SEARCH_INDEX_DIR"])
    before = (index_dir / "CURRENT").read_text()
    assert loaded_app.test_cli_runner().invoke(args=["search", "rebuild"]).exit_code == 0
    after = (index_dir / "CURRENT").read_text()
    assert before != after
    assert [p.name for p in index_dir.glob("gen-*")] == [after]


def test_export_command_writes_the_content_format(loaded_app, tmp_path):
    result = loaded_app.test_cli_runner().invoke(args=["content", "export", str(tmp_path / "out")])
    assert result.exit_code == 0 and "Exported 6 pages" in result.output
    text_ = (tmp_path / "out/articles/en/account/reset-password.md").read_text()
    assert text_.startswith("---\ntitle: Reset a forgotten password\n")


def test_import_of_a_missing_folder_says_what_to_pass(runner, tmp_path):
    result = runner.invoke(args=["content", "import", str(tmp_path / "nowhere")])
    assert result.exit_code != 0 and "is not a folder" in result.output


def test_stats_compares_pages_not_counts(loaded_app):
    """One page missing and one stale page in its place: the counts agree, the pages do not."""
    from helpcenter.extensions import search_index
    from helpcenter.search_index import IndexDocument

    with loaded_app.app_context():
        missing = db.session.scalars(
            select(Article).where(Article.slug == "download-invoices")
        ).one()
        stale = IndexDocument(
            key="article:99999",
            parent="article:99999",
            kind="article",
            doc_id=99999,
            slug="gone",
            lang="en",
            category="",
            url="/gone",
            title="Gone",
            body="gone",
        )
        search_index.upsert([f"article:{missing.id}"], [stale])
        missing_key = f"article:{missing.id}"
    result = loaded_app.test_cli_runner().invoke(args=["search", "stats"])
    assert result.exit_code == 1 and "OUT OF STEP" in result.output
    assert (
        f"1 missing: {missing_key}" in result.output and "1 stale: article:99999" in result.output
    )
