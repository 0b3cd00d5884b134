"""Importing content/: idempotent upserts, clear failures, prune, and a lossless export."""

from sqlalchemy import select

from helpcenter.extensions import db
from helpcenter.models import Article, Category
from helpcenter.services.content import imports


def snapshot():
    rows = db.session.scalars(select(Article).order_by(Article.kind, Article.lang, Article.slug))
    return [
        (
            a.kind,
            a.lang,
            a.slug,
            a.title,
            a.summary,
            a.tags,
            a.status,
            a.translation_key,
            a.category.slug if a.category else None,
            a.body_md,
            a.body_html,
            a.updated,
            a.video_url,
            a.duration_seconds,
            [(c.start_seconds, c.end_seconds, c.text) for c in a.cues],
        )
        for a in rows
    ]


def test_import_adds_every_valid_file_and_reimport_changes_nothing(app, content_dir):
    with app.app_context():
        first = imports.import_content(content_dir)
        assert (first.added, first.updated, first.failed) == (6, 0, [])
        before = snapshot()
        second = imports.import_content(content_dir)
        assert (second.added, second.updated, second.unchanged) == (0, 0, 6)
        assert snapshot() == before


def test_edited_file_is_updated_and_rendered(app, content_dir):
    path = content_dir / "articles/en/billing/download-invoices.md"
    with app.app_context():
        imports.import_content(content_dir)
        path.write_text(path.read_text().replace("Download invoices", "Download your invoices"))
        summary = imports.import_content(content_dir)
        assert (summary.updated, summary.unchanged) == (1, 5)
        article = db.session.scalars(
            select(Article).where(Article.slug == "download-invoices")
        ).one()
        assert article.title == "Download your invoices"
        assert "<table>" in article.body_html


def test_markdown_is_rendered_once_with_toc_and_note_boxes(app, content_dir):
    with app.app_context():
        imports.import_content(content_dir)
        article = db.session.scalars(select(Article).where(Article.slug == "reset-password")).one()
        assert [entry["name"] for entry in article.toc] == [
            "Request a reset link",
            "Choose a new password",
        ]
        assert 'class="admonition note"' in article.body_html
        assert "<ol>" in article.body_html
        assert article.category.name("ja") == "アカウント"


def test_video_transcript_cues_are_stored(app, content_dir):
    with app.app_context():
        imports.import_content(content_dir)
        video = db.session.scalars(select(Article).where(Article.kind == "video")).one()
        assert video.duration_seconds == 90
        assert len(video.cues) == 4
        assert video.cues[2].start_seconds == 40.0
        assert "calendar integration" in video.cues[2].text


def test_invalid_files_are_reported_and_skipped_while_others_import(app, content_dir):
    folder = content_dir / "articles/en/account"
    (folder / "bad-yaml.md").write_text("---\ntitle: [unclosed\n---\nBody\n")
    (folder / "no-title.md").write_text("---\nlang: en\n---\nBody\n")
    (folder / "klingon.md").write_text("---\ntitle: Qapla\nlang: tlh\n---\nBody\n")
    with app.app_context():
        summary = imports.import_content(content_dir)
    failed = dict(summary.failed)
    assert summary.added == 6
    assert "YAML" in failed["articles/en/account/bad-yaml.md"]
    assert "title" in failed["articles/en/account/no-title.md"]
    assert "unknown language 'tlh'" in failed["articles/en/account/klingon.md"]


def test_cli_import_exits_non_zero_and_names_the_bad_file(app, content_dir):
    (content_dir / "articles/en/account/broken.md").write_text(
        "---\ntitle: ok\nstatus: maybe\n---\n"
    )
    result = app.test_cli_runner().invoke(args=["content", "import", str(content_dir)])
    assert result.exit_code == 1
    assert "articles/en/account/broken.md" in result.output
    assert "status 'maybe'" in result.output
    assert "added 6, updated 0, unchanged 0, failed 1" in result.output


def test_unknown_category_and_duplicate_slug_fail_clearly(app, content_dir):
    (content_dir / "articles/en/account/odd.md").write_text(
        "---\ntitle: Odd\ncategory: nope\n---\nx\n"
    )
    twin = content_dir / "articles/en/billing/reset-password.md"
    twin.write_text("---\ntitle: Twin\nlang: en\n---\nx\n")
    with app.app_context():
        failed = dict(imports.import_content(content_dir).failed)
    assert "unknown category 'nope'" in failed["articles/en/account/odd.md"]
    assert len(failed) == 2


def test_prune_unpublishes_pages_whose_file_is_gone(app, content_dir):
    with app.app_context():
        imports.import_content(content_dir)
        (content_dir / "articles/en/billing/download-invoices.md").unlink()
        summary = imports.import_content(content_dir, prune=True)
        assert summary.pruned == 1
        article = db.session.scalars(
            select(Article).where(Article.slug == "download-invoices")
        ).one()
        assert article.status == "draft"


def test_import_export_import_changes_nothing(app, content_dir, tmp_path):
    exported = tmp_path / "exported"
    with app.app_context():
        imports.import_content(content_dir)
        before = snapshot()
        categories = [
            (c.slug, c.names, c.descriptions) for c in db.session.scalars(select(Category))
        ]
        assert imports.export_content(exported) == 6
        again = imports.import_content(exported)
        assert (again.added, again.updated, again.unchanged, again.failed) == (0, 0, 6, [])
        assert snapshot() == before
        assert [
            (c.slug, c.names, c.descriptions) for c in db.session.scalars(select(Category))
        ] == categories
    assert (exported / "videos/getting-started.en.vtt").read_text().startswith("WEBVTT")
    assert (exported / "articles/ja/account/password-reset.md").exists()
