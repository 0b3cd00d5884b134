"""Staff curation in the browser: new articles, revisions with diff and restore, scheduled
publishing, archiving, linked translations, and old addresses that keep working."""

from datetime import timedelta

from sqlalchemy import select

from helpcenter.extensions import db
from helpcenter.models import Article, ArticleRevision, AuditEntry
from helpcenter.models.base import utcnow
from helpcenter.services.content import curation, imports
from tests.builders import create_article, csrf_token, editor_fields, make_user, sign_in


def post(staff, url: str, **data):
    page = staff.get("/staff/articles").get_data(as_text=True)
    return staff.post(url, data={"csrf_token": csrf_token(page), **data})


def article_id(editor_url: str) -> int:
    return int(editor_url.rstrip("/").split("/")[-2])


def test_a_new_draft_is_private_until_published_then_searchable(staff, client):
    editor = create_article(staff)
    assert client.get("/articles/en/export-gantt-chart").status_code == 404
    assert "Export a Gantt chart" not in client.get("/search?q=gantt").get_data(as_text=True)
    page = staff.get(editor).get_data(as_text=True)
    assert "Draft" in page and "Eda Editor" in page  # its owner defaults to its writer
    response = staff.post(editor, data=editor_fields(page, action="publish"))
    assert response.status_code == 303
    assert "Choose <strong>Export</strong>" in client.get(
        "/articles/en/export-gantt-chart"
    ).get_data(as_text=True)
    assert "Export a Gantt chart" in client.get("/search?q=gantt").get_data(as_text=True)


def test_bad_input_is_refused_with_the_typed_text_kept(staff):
    page = staff.get("/staff/articles/new?lang=en").get_data(as_text=True)
    response = staff.post(
        "/staff/articles/new?lang=en", data=editor_fields(page, slug="Not A Slug!")
    )
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "lowercase letters, digits and hyphens" in body and "Not A Slug!" in body
    response = staff.post(
        "/staff/articles/new?lang=en", data=editor_fields(page, slug="reset-password")
    )
    assert response.status_code == 400 and "already uses that address" in response.get_data(
        as_text=True
    )
    response = staff.post("/staff/articles/new?lang=en", data=editor_fields(page, title="  "))
    assert response.status_code == 400 and "Give the article a title" in response.get_data(
        as_text=True
    )
    assert staff.get("/staff/articles/new?lang=xx").status_code == 400
    make_user(staff.application, "reader@example.com")  # a member cannot own an article
    with staff.application.app_context():
        from helpcenter.models import User

        member_id = db.session.scalar(select(User.id).where(User.email == "reader@example.com"))
    refused = staff.post(
        "/staff/articles/new?lang=en", data=editor_fields(page, owner=str(member_id))
    )
    assert refused.status_code == 400 and "must be a staff member" in refused.get_data(as_text=True)
    with staff.application.app_context():
        assert (
            db.session.scalar(select(Article).where(Article.title == "Export a Gantt chart"))
            is None
        )


def test_every_save_is_a_revision_with_a_diff_and_restore(staff, client):
    editor = create_article(staff, action="publish")
    page = staff.get(editor).get_data(as_text=True)
    staff.post(
        editor,
        data=editor_fields(
            page,
            title="Export a Gantt chart as PDF",
            body="## Steps\n\nOpen the Gantt view.\n\nChoose **Export PDF**.\n",
        ),
    )
    revisions = staff.get(editor.replace("/edit", "/revisions")).get_data(as_text=True)
    assert (
        "<td>Published</td>" in revisions
        and "<td>Saved</td>" in revisions
        and "Eda Editor" in revisions
    )
    diff = staff.get(editor.replace("/edit", "/revisions/2")).get_data(as_text=True)
    assert "<del>− Choose **Export**.\n</del>" in diff
    assert "<ins>+ Choose **Export PDF**.\n</ins>" in diff
    assert (
        "<del>Export a Gantt chart</del>" in diff
        and "<ins>Export a Gantt chart as PDF</ins>" in diff
    )
    assert "Open the Gantt view." in diff  # unchanged context around the change
    response = post(staff, editor.replace("/edit", "/revisions/1/restore"))
    assert response.status_code == 303
    live = client.get("/articles/en/export-gantt-chart").get_data(as_text=True)
    assert "Choose <strong>Export</strong>." in live and "as PDF" not in live  # live at once
    with staff.application.app_context():
        notes = db.session.scalars(
            select(ArticleRevision.note).order_by(ArticleRevision.number)
        ).all()
        assert notes == ["published", "saved", "restored revision 1"]
    assert staff.get(editor.replace("/edit", "/revisions/9")).status_code == 404
    assert post(staff, editor.replace("/edit", "/revisions/9/restore")).status_code == 404


def test_an_imported_article_keeps_its_imported_text_as_revision_one(staff, loaded_app):
    with loaded_app.app_context():
        article = db.session.scalars(select(Article).where(Article.slug == "reset-password")).one()
        editor, original = f"/staff/articles/{article.id}/edit", article.body_md
    page = staff.get(editor).get_data(as_text=True)
    staff.post(editor, data=editor_fields(page, slug="reset-password", body="Rewritten.\n"))
    diff = staff.get(editor.replace("/edit", "/revisions/2")).get_data(as_text=True)
    assert (
        "<ins>+ Rewritten.\n</ins>" in diff
        and "Before the first edit in the browser"
        in staff.get(editor.replace("/edit", "/revisions")).get_data(as_text=True)
    )
    with loaded_app.app_context():
        assert db.session.get(ArticleRevision, 1).body_md == original


def test_changing_the_address_keeps_the_old_one_forwarding(staff, client):
    editor = create_article(staff, action="publish")
    page = staff.get(editor).get_data(as_text=True)
    staff.post(editor, data=editor_fields(page, slug="gantt-export"))
    moved = client.get("/articles/en/export-gantt-chart?from=mail")
    assert moved.status_code == 301
    assert moved.headers["Location"].endswith("/articles/en/gantt-export?from=mail")
    assert client.get("/articles/en/gantt-export").status_code == 200
    assert "/articles/en/export-gantt-chart" in staff.get(editor).get_data(as_text=True)
    # Moving back: the address is live again and no longer forwards anywhere.
    staff.post(editor, data=editor_fields(page, slug="export-gantt-chart"))
    assert client.get("/articles/en/export-gantt-chart").status_code == 200
    assert client.get("/articles/en/gantt-export").status_code == 301


def test_archiving_takes_it_down_with_410_and_it_can_come_back(staff, client):
    editor = create_article(staff, action="publish")
    assert post(staff, editor.replace("/edit", "/archive"), action="archive").status_code == 303
    gone = client.get("/articles/en/export-gantt-chart")
    assert gone.status_code == 410 and "removed" in gone.get_data(as_text=True)
    assert "Export a Gantt chart" not in client.get("/search?q=gantt").get_data(as_text=True)
    post(staff, editor.replace("/edit", "/archive"), action="unarchive")
    page = staff.get(editor).get_data(as_text=True)
    assert "Draft" in page and client.get("/articles/en/export-gantt-chart").status_code == 404


def test_scheduled_articles_publish_themselves_when_due(staff, client, loaded_app, runner):
    editor = create_article(staff)
    response = post(staff, editor.replace("/edit", "/schedule"), publish_at="2020-01-01T09:00")
    assert response.status_code == 400 and "in the future" in response.get_data(as_text=True)
    response = post(staff, editor.replace("/edit", "/schedule"), publish_at="next tuesday")
    assert response.status_code == 400 and "date and time" in response.get_data(as_text=True)
    when = (utcnow() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    assert post(staff, editor.replace("/edit", "/schedule"), publish_at=when).status_code == 303
    assert f"Scheduled to publish at {when.replace('T', ' ')} (UTC)" in staff.get(editor).get_data(
        as_text=True
    )
    assert client.get("/articles/en/export-gantt-chart").status_code == 404
    result = runner.invoke(args=["content", "publish-due"])
    assert "0 scheduled article(s) published" in result.output
    with loaded_app.app_context():
        article = db.session.get(Article, article_id(editor))
        article.publish_at = utcnow() - timedelta(minutes=1)  # the time has come
        db.session.commit()
    result = runner.invoke(args=["content", "publish-due"])
    assert "Published en/export-gantt-chart" in result.output
    assert client.get("/articles/en/export-gantt-chart").status_code == 200
    assert "Export a Gantt chart" in client.get("/search?q=gantt").get_data(as_text=True)


def test_requests_publish_due_articles_without_cron(staff, loaded_app):
    editor = create_article(staff)
    with loaded_app.app_context():
        article = db.session.get(Article, article_id(editor))
        article.status, article.publish_at = "scheduled", utcnow() - timedelta(seconds=5)
        db.session.commit()
    reader = loaded_app.test_client()
    assert reader.get("/articles/en/export-gantt-chart").status_code == 404  # checked a moment ago
    loaded_app.config["SCHEDULE_CHECK_SECONDS"] = 0  # as if a minute had passed
    assert reader.get("/articles/en/export-gantt-chart").status_code == 200
    with loaded_app.app_context():
        entry = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "article.publish")
        ).all()
        assert [e.details for e in entry if e.details.get("scheduled")]


def test_cancelling_a_schedule_returns_it_to_draft(staff):
    editor = create_article(staff)
    when = (utcnow() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    post(staff, editor.replace("/edit", "/schedule"), publish_at=when)
    assert post(staff, editor.replace("/edit", "/schedule"), action="cancel").status_code == 303
    page = staff.get(editor).get_data(as_text=True)
    assert "Scheduled to publish" not in page and 'name="publish_at"' in page


def test_a_translation_starts_from_the_original_and_links_both_ways(staff, client):
    editor = create_article(staff, action="publish")
    source_id = article_id(editor)
    page = staff.get(f"/staff/articles/new?translation_of={source_id}").get_data(as_text=True)
    assert "Translating “Export a Gantt chart”" in page and "Choose **Export**." in page
    response = staff.post(
        f"/staff/articles/new?translation_of={source_id}",
        data=editor_fields(
            page,
            title="ガントチャートを書き出す",
            slug="export-gantt-chart",
            body="ガント表示で **書き出し** を選びます。",
            action="publish",
        ),
    )
    assert response.status_code == 303
    ja = client.get("/articles/ja/export-gantt-chart").get_data(as_text=True)
    assert "ガントチャートを書き出す" in ja and "/articles/en/export-gantt-chart" in ja
    assert "/articles/ja/export-gantt-chart" in client.get(
        "/articles/en/export-gantt-chart"
    ).get_data(as_text=True)
    assert "ガントチャートを書き出す" in staff.get(editor).get_data(as_text=True)


def test_linking_and_unlinking_existing_articles(staff, loaded_app):
    editor = create_article(staff, action="publish")
    ja_editor = create_article(staff, lang="ja", title="ガント", slug="gantt", action="publish")
    with loaded_app.app_context():
        reset_ja = (
            db.session.scalars(select(Article).where(Article.slug == "password-reset")).one().id
        )
    refused = post(staff, editor.replace("/edit", "/translation"), other_id=reset_ja)
    assert refused.status_code == 400 and "already linked" in refused.get_data(as_text=True)
    assert (
        post(
            staff, editor.replace("/edit", "/translation"), other_id=article_id(ja_editor)
        ).status_code
        == 303
    )
    with loaded_app.app_context():
        en, ja = (
            db.session.get(Article, article_id(editor)),
            db.session.get(Article, article_id(ja_editor)),
        )
        assert en.translation_key and en.translation_key == ja.translation_key
    post(staff, editor.replace("/edit", "/translation"), action="unlink")
    with loaded_app.app_context():
        assert db.session.get(Article, article_id(editor)).translation_key is None


def test_browser_articles_export_in_the_content_format_and_import_back(staff, loaded_app, tmp_path):
    create_article(staff, action="publish")
    editor = create_article(staff, slug="later", title="Coming soon")
    when = (utcnow() + timedelta(days=3)).replace(second=0, microsecond=0)
    post(staff, editor.replace("/edit", "/schedule"), publish_at=when.strftime("%Y-%m-%dT%H:%M"))
    with loaded_app.app_context():
        imports.export_content(tmp_path)
        text = (tmp_path / "articles/en/account/export-gantt-chart.md").read_text()
        assert "title: Export a Gantt chart" in text and "Choose **Export**." in text
        later = (tmp_path / "articles/en/account/later.md").read_text()
        assert "status: scheduled" in later and f"publish_at: '{when:%Y-%m-%dT%H:%M:%S}Z'" in later
        summary = imports.import_content(tmp_path)
        assert not summary.failed and summary.added == 0
        assert db.session.get(Article, article_id(editor)).publish_at == when


def test_a_reimport_over_browser_edits_is_a_revision_that_can_be_undone(
    staff, loaded_app, content_dir, client
):
    with loaded_app.app_context():
        article = db.session.scalars(select(Article).where(Article.slug == "reset-password")).one()
        editor = f"/staff/articles/{article.id}/edit"
    page = staff.get(editor).get_data(as_text=True)
    staff.post(
        editor, data=editor_fields(page, slug="reset-password", body="Edited in the browser.\n")
    )
    with loaded_app.app_context():
        imports.import_content(content_dir)  # the file wins, as documented
    assert "Edited in the browser" not in client.get("/articles/en/reset-password").get_data(
        as_text=True
    )
    assert "Imported from articles/en/account/reset-password.md" in staff.get(
        editor.replace("/edit", "/revisions")
    ).get_data(as_text=True)
    post(staff, editor.replace("/edit", "/revisions/2/restore"))
    assert "Edited in the browser" in client.get("/articles/en/reset-password").get_data(
        as_text=True
    )


def test_the_revision_history_reads_in_japanese(loaded_app):
    make_user(loaded_app, "henshu@example.com", role="staff", name="編集 花子", lang="ja")
    staff = loaded_app.test_client()
    sign_in(staff, "henshu@example.com")
    editor = create_article(staff, action="publish")
    post(staff, editor.replace("/edit", "/revisions/1/restore"))
    page = staff.get(editor.replace("/edit", "/revisions")).get_data(as_text=True)
    assert "<td>公開中</td>" in page and "版 1 を復元" in page and "編集 花子" in page


def test_the_owner_can_be_changed_or_cleared(staff, loaded_app):
    other = make_user(loaded_app, "owner@example.com", role="staff", name="Otto Owner")
    editor = create_article(staff)
    page = staff.get(editor).get_data(as_text=True)
    staff.post(editor, data=editor_fields(page, owner=str(other)))
    with loaded_app.app_context():
        assert db.session.get(Article, article_id(editor)).owner_id == other
    staff.post(editor, data=editor_fields(page, owner=""))
    with loaded_app.app_context():
        assert db.session.get(Article, article_id(editor)).owner_id is None


def test_a_second_editor_is_stopped_from_silently_undoing_the_first(staff, loaded_app):
    import re

    editor = create_article(staff, action="publish")
    make_user(loaded_app, "other@example.com", role="staff", name="Olga Other")
    other = loaded_app.test_client()
    sign_in(other, "other@example.com")

    def form_of(client):
        page = client.get(editor).get_data(as_text=True)
        base = re.search(r'name="base_revision" value="(\d+)"', page).group(1)
        return page, base

    page_a, base_a = form_of(staff)
    page_b, base_b = form_of(other)
    assert base_a == base_b == "1"
    staff.post(editor, data=editor_fields(page_a, base_revision=base_a, body="Eda's version.\n"))
    clash = other.post(
        editor, data=editor_fields(page_b, base_revision=base_b, body="Olga's version.\n")
    )
    assert clash.status_code == 409
    text = clash.get_data(as_text=True)
    assert "Someone else saved this article" in text and "Olga&#39;s version." in text
    assert f"{editor.replace('/edit', '/revisions/2')}" in text  # what Eda changed
    with loaded_app.app_context():
        assert db.session.get(Article, article_id(editor)).body_md == "Eda's version.\n"
    base_now = re.search(r'name="base_revision" value="(\d+)"', text).group(1)
    again = other.post(
        editor, data=editor_fields(text, base_revision=base_now, body="Olga's version.\n")
    )
    assert again.status_code == 303  # seen and chosen: her text replaces it
    with loaded_app.app_context():
        assert db.session.get(Article, article_id(editor)).body_md == "Olga's version.\n"


def test_two_processes_publishing_due_articles_at_once_publish_each_once(loaded_app):
    """A request, a worker and cron's `content publish-due` may all look at the same moment:
    each scheduled article is published, revised and audited exactly once."""
    import threading
    from datetime import timedelta

    from helpcenter.models import Article, AuditEntry
    from helpcenter.models.base import utcnow

    with loaded_app.app_context():
        for article in db.session.scalars(select(Article).where(Article.kind == "article")):
            article.status, article.publish_at = "scheduled", utcnow() - timedelta(minutes=1)
        db.session.commit()
    start = threading.Barrier(3)
    published: list[str] = []

    def publish():
        with loaded_app.app_context():
            start.wait()
            published.extend(a.slug for a in curation.publish_due())

    runs = [threading.Thread(target=publish) for _ in range(3)]
    for run in runs:
        run.start()
    for run in runs:
        run.join(timeout=60)
    with loaded_app.app_context():
        audited = db.session.scalars(
            select(AuditEntry.target).where(AuditEntry.action == "article.publish")
        ).all()
        articles = db.session.scalars(select(Article).where(Article.kind == "article")).all()
    assert sorted(published) == sorted(a.slug for a in articles)
    assert len(audited) == len(set(audited)) == len(articles)
    assert all(a.status == "published" for a in articles)
