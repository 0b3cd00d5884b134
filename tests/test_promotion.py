"""Promote a solved thread to an article: a draft with the question, the accepted answer and
credit, links both ways, one article per thread, and no member markup smuggled into it."""

import re
from html.parser import HTMLParser

from sqlalchemy import select

from helpcenter.extensions import db
from helpcenter.models import Article, AuditEntry, Thread, User
from tests.builders import (
    XSS,
    answer,
    ask,
    csrf_token,
    dangerous_markup,
    make_user,
    member,
    post_action,
    sign_in,
)


def solved_thread(
    app,
    title="How do I export my board to CSV?",
    body="I need a CSV of all tasks on one board.",
    reply="Open the board menu and choose **Export**.",
    helper_name="Hana Helper",
    **extra,
) -> tuple[int, int]:
    """(thread id, helper id): a member asks, another answers, the asker accepts."""
    asker = member(app)
    helper = member(app, "helper@example.com", name=helper_name)
    thread_id = ask(asker, title=title, body=body, **extra)
    post_id = answer(helper, thread_id, reply)
    assert (
        post_action(asker, thread_id, f"/community/t/{thread_id}/accept/{post_id}").status_code
        == 303
    )
    with app.app_context():
        helper_id = db.session.scalars(
            select(User.id).where(User.email == "helper@example.com")
        ).one()
    return thread_id, helper_id


def staff_client(app, email="staff@example.com", lang="en"):
    make_user(app, email, role="staff", name="Sam Staff", lang=lang)
    client = app.test_client()
    sign_in(client, email)
    return client


def promote(client, thread_id):
    page = client.get(f"/community/t/{thread_id}").get_data(as_text=True)
    return client.post(f"/staff/threads/{thread_id}/promote", data={"csrf_token": csrf_token(page)})


def promoted(app, thread_id) -> list[Article]:
    with app.app_context():
        return db.session.scalars(
            select(Article).where(Article.source_thread_id == thread_id)
        ).all()


class _EditorForm(HTMLParser):
    """The fields of the editor form as the browser would submit them."""

    def __init__(self):
        super().__init__()
        self.fields, self._in_form, self._textarea, self._select = {}, False, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and "editor" in (a.get("class") or ""):
            self._in_form = True
        if not self._in_form:
            return
        if tag == "input" and a.get("name") and a.get("type") not in ("checkbox", "radio"):
            self.fields[a["name"]] = a.get("value") or ""
        elif tag == "textarea":
            self._textarea, self.fields[a["name"]] = a["name"], ""
        elif tag == "select":
            self._select = a["name"]
            self.fields.setdefault(self._select, "")
        elif tag == "option" and self._select and "selected" in a:
            self.fields[self._select] = a.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data


def publish_in_editor(client, editor_path):
    parser = _EditorForm()
    parser.feed(client.get(editor_path).get_data(as_text=True))
    response = client.post(editor_path, data={**parser.fields, "action": "publish"})
    assert response.status_code == 303, response.get_data(as_text=True)[:800]


def test_a_solved_thread_becomes_a_credited_draft_with_backlinks_both_ways(loaded_app):
    thread_id, helper_id = solved_thread(loaded_app, category="account")
    staff = staff_client(loaded_app)
    page = staff.get(f"/community/t/{thread_id}").get_data(as_text=True)
    assert "Promote to article" in page

    response = promote(staff, thread_id)
    assert response.status_code == 303
    [article] = promoted(loaded_app, thread_id)
    assert response.headers["Location"].endswith(f"/staff/articles/{article.id}/edit")
    assert (article.kind, article.status, article.lang) == ("article", "draft", "en")
    assert article.title == "How do I export my board to CSV?"
    assert article.slug == "how-do-i-export-my-board-to-csv"
    with loaded_app.app_context():
        thread = db.session.get(Thread, thread_id)
        staff_id = db.session.scalars(select(User.id).where(User.role == "staff")).one()
        assert article.category_id == thread.category_id is not None
        assert (
            db.session.scalars(select(AuditEntry).where(AuditEntry.action == "thread.promote"))
            .one()
            .target
            == f"thread:{thread_id}"
        )
    assert article.owner_id == staff_id
    assert "I need a CSV of all tasks" in article.body_html
    assert "<strong>Export</strong>" in article.body_html
    assert (
        f'href="/community/u/{helper_id}"' in article.body_html
        and "Hana Helper" in article.body_html
    )
    assert f'href="/community/t/{thread_id}"' in article.body_html
    assert "How do I export my board to CSV?" in staff.get(response.headers["Location"]).get_data(
        as_text=True
    )

    # A draft is the staff's business: customers see no box, staff see the draft in progress.
    customer = loaded_app.test_client()
    assert "Now in the help center" not in customer.get(f"/community/t/{thread_id}").get_data(
        as_text=True
    )
    staff_page = staff.get(f"/community/t/{thread_id}").get_data(as_text=True)
    assert "draft in progress" in staff_page and "Promote to article" not in staff_page

    publish_in_editor(staff, f"/staff/articles/{article.id}/edit")
    thread_page = customer.get(f"/community/t/{thread_id}").get_data(as_text=True)
    assert "Now in the help center:" in thread_page
    assert f'href="/articles/en/{article.slug}"' in thread_page
    article_page = customer.get(f"/articles/en/{article.slug}").get_data(as_text=True)
    assert "Based on a community answer by Hana Helper" in article_page
    assert f'href="/community/t/{thread_id}"' in article_page

    post_action(staff, thread_id, f"/staff/threads/{thread_id}/hide")
    hidden = customer.get(f"/articles/en/{article.slug}").get_data(as_text=True)
    assert "Based on a community answer" not in hidden


def test_promoting_again_opens_the_article_already_started(loaded_app):
    thread_id, _helper = solved_thread(loaded_app)
    staff = staff_client(loaded_app)
    first = promote(staff, thread_id).headers["Location"]
    second = staff.post(
        f"/staff/threads/{thread_id}/promote",
        data={"csrf_token": csrf_token(staff.get(first).get_data(as_text=True))},
    )
    assert second.status_code == 303 and second.headers["Location"] == first
    assert len(promoted(loaded_app, thread_id)) == 1


def test_an_unsolved_thread_cannot_be_promoted(loaded_app):
    thread_id = ask(member(loaded_app))
    staff = staff_client(loaded_app)
    assert "Promote to article" not in staff.get(f"/community/t/{thread_id}").get_data(as_text=True)
    response = promote(staff, thread_id)
    assert response.status_code == 409
    assert "Only a solved thread" in response.get_data(as_text=True)
    assert promoted(loaded_app, thread_id) == []


def test_members_cannot_promote(loaded_app):
    thread_id, _helper = solved_thread(loaded_app)
    response = promote(member(loaded_app, "someone@example.com"), thread_id)
    assert response.status_code == 403
    assert promoted(loaded_app, thread_id) == []


def test_a_japanese_thread_becomes_a_japanese_draft_in_its_topic(loaded_app):
    thread_id, helper_id = solved_thread(
        loaded_app,
        title="iPhoneでパスワードを忘れた場合はどうすればいいですか",
        body="ログインできません。パスワードを再設定したいです。",
        reply="ログイン画面の「パスワードをお忘れですか」から再設定できます。",
        helper_name="山田 花子",
        category="account",
    )
    staff = staff_client(loaded_app, lang="ja")
    assert promote(staff, thread_id).status_code == 303
    [article] = promoted(loaded_app, thread_id)
    assert (
        article.lang == "ja"
        and article.title == "iPhoneでパスワードを忘れた場合はどうすればいいですか"
    )
    assert article.slug == f"community-{thread_id}"  # an address is ASCII; the title has none
    assert "再設定できます" in article.body_html and "山田 花子" in article.body_html
    assert (
        article.body_md.startswith("## 質問\n") and "\n## 回答\n" in article.body_md
    )  # headings too
    assert article.category_id is not None
    publish_in_editor(staff, f"/staff/articles/{article.id}/edit")
    page = loaded_app.test_client().get(f"/articles/ja/{article.slug}").get_data(as_text=True)
    assert "山田 花子" in page and f'href="/community/t/{thread_id}"' in page


def test_member_markup_cannot_reach_the_article_as_html(loaded_app):
    payloads = "\n\n".join(XSS)
    staff_only = (
        "<details open><summary>x</summary>hidden</details>\n\n"
        '<img src="http://tracker.example/pixel.png">\n\n'
        "A paragraph with attributes\n{: #csrf_token .admonition }\n\n"
        "```\n<b>code stays code</b>\n```"
    )
    thread_id, _helper = solved_thread(
        loaded_app,
        body=f"Question\n\n{staff_only}",
        reply=f"Answer\n\n{payloads}",
        helper_name='<img src=x onerror="alert(1)">Eve',
    )
    staff = staff_client(loaded_app)
    assert promote(staff, thread_id).status_code == 303
    [article] = promoted(loaded_app, thread_id)
    html = article.body_html
    assert dangerous_markup(html) == []
    assert "<script" not in html
    assert "<details" not in html and re.search(r"<img[^>]*tracker", html) is None
    assert 'id="csrf_token"' not in html and 'class="admonition' not in html
    assert "&lt;b&gt;code stays code&lt;/b&gt;" in html
    assert "&lt;img src=x" in html and "Eve" in html  # the name, escaped, still credited


def test_a_plain_answer_stays_editable_markdown(loaded_app):
    thread_id, _helper = solved_thread(
        loaded_app,
        body="How do I export **all** boards?",
        reply="Open *Settings* and choose [Export](https://example.com/export).\n\n- one\n- two",
    )
    promote(staff_client(loaded_app), thread_id)
    [article] = promoted(loaded_app, thread_id)
    assert "How do I export **all** boards?" in article.body_md  # staff edit Markdown, not HTML
    assert "[Export](https://example.com/export)" in article.body_md
    assert "<strong>all</strong>" in article.body_html


def test_links_and_images_a_member_could_abuse_arrive_as_sanitised_html(loaded_app):
    thread_id, _helper = solved_thread(
        loaded_app,
        body="Click [here](javascript:alert(1)) please, I need help",
        reply="Try ![pixel](http://tracker.example/p.png) or [x][ref]\n\n[ref]: vbscript:msgbox",
    )
    promote(staff_client(loaded_app), thread_id)
    [article] = promoted(loaded_app, thread_id)
    assert "](javascript:" not in article.body_md and "javascript:" not in article.body_html
    assert "vbscript:" not in article.body_html
    assert re.search(r"<img[^>]*tracker", article.body_html) is None
