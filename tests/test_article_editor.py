"""The article editor says what each button does, shows a readable diff, and refuses bad input
next to the field with the typed text kept."""

import re

import pytest

from tests.builders import create_article, editor_fields, member


@pytest.fixture
def japanese_staff(loaded_app):
    return member(loaded_app, "henshu@example.com", role="staff", name="編集 花子", lang="ja")


def save(client, editor: str, **changes) -> str:
    page = client.get(editor).get_data(as_text=True)
    response = client.post(editor, data=editor_fields(page, **changes), follow_redirects=True)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_draft_has_save_draft_and_publish_and_each_says_what_it_did(staff, client):
    editor = create_article(staff)
    page = staff.get(editor).get_data(as_text=True)
    assert "Save draft" in page and "Publish now" in page and "Save and publish" not in page
    assert "Draft saved." in save(staff, editor, summary="Still a draft.")
    assert client.get("/articles/en/export-gantt-chart").status_code == 404
    assert "Published." in save(staff, editor, action="publish")
    assert client.get("/articles/en/export-gantt-chart").status_code == 200


def test_saving_a_published_article_says_it_is_published_at_once(staff, client):
    editor = create_article(staff, action="publish")
    page = staff.get(editor).get_data(as_text=True)
    assert "Save and publish" in page and "Save draft" not in page and "Publish now" not in page
    assert "saving changes the live article at once" in page
    after = save(staff, editor, body="## Steps\n\nNew text.\n")
    assert "Saved and published." in after
    assert "New text." in client.get("/articles/en/export-gantt-chart").get_data(as_text=True)


def test_the_buttons_and_messages_read_in_japanese(japanese_staff):
    editor = create_article(japanese_staff)
    page = japanese_staff.get(editor).get_data(as_text=True)
    assert "下書きを保存" in page and "今すぐ公開" in page
    assert "下書きを保存しました。" in save(japanese_staff, editor)
    assert "公開しました。" in save(japanese_staff, editor, action="publish")
    page = japanese_staff.get(editor).get_data(as_text=True)
    assert "保存して公開" in page and "下書きを保存" not in page
    assert "保存して公開しました。" in save(japanese_staff, editor)


def diff_block(html: str) -> str:
    return html[html.index('<pre class="diff"') : html.index("</pre>")]


def test_a_changed_line_shows_once_without_blank_lines_around_it(staff):
    editor = create_article(staff, body="One.\nTwo.\nThree.\n")
    save(staff, editor, body="One.\nTwo, changed.\nThree.\n")
    pre = diff_block(staff.get(editor.replace("/edit", "/revisions/2")).get_data(as_text=True))
    # <del> and <ins> are blocks: a line break between them would render as an empty line.
    assert "</del>\n" not in pre and "</ins>\n" not in pre
    text = re.sub(r"<[^>]+>", "", pre.split(">", 1)[1])
    assert text.splitlines() == [
        "@@ -1,3 +1,3 @@",
        "  One.",
        "− Two.",
        "+ Two, changed.",
        "  Three.",
    ]


def test_an_over_long_title_is_refused_with_its_limit_and_the_text_kept(staff, loaded_app):
    page = staff.get("/staff/articles/new?lang=en").get_data(as_text=True)
    body = "## Steps\n\nEvery word of this body is kept.\n"
    response = staff.post(
        "/staff/articles/new?lang=en", data=editor_fields(page, title="T" * 301, body=body)
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "At most 300 characters, please (this has 301)." in html
    assert 'aria-invalid="true" aria-errormessage="title-error"' in html
    assert "T" * 301 in html and "Every word of this body is kept." in html
    with loaded_app.app_context():
        from sqlalchemy import func, select

        from helpcenter.extensions import db
        from helpcenter.models import Article

        assert not db.session.scalar(
            select(func.count()).where(Article.slug == "export-gantt-chart")
        )


def test_an_over_long_body_is_refused_in_japanese_not_cut(japanese_staff):
    editor = create_article(japanese_staff)
    page = japanese_staff.get(editor).get_data(as_text=True)
    response = japanese_staff.post(editor, data=editor_fields(page, body="あ" * 100_001))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "100000" in html and "100001" in html and "At most" not in html
    assert "あ" * 100_001 in html
