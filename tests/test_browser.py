"""End to end in a real Chromium: instant Japanese search, open the article, vote helpful."""

from __future__ import annotations

from sqlalchemy import select

from helpcenter.extensions import db
from helpcenter.models import Article, HelpfulVote, SearchClick, SearchEvent
from tests.builders import PASSWORD, link_in, make_thread, make_user
from tests.environment import BROWSER_TESTS

pytestmark = BROWSER_TESTS


def test_japanese_instant_search_then_read_and_vote_helpful(page, loaded_app):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "ja"
    search_box = page.locator("#q-hero")
    search_box.click()
    search_box.press_sequentially("パスワード", delay=40)
    option = page.locator("#instant-hero [role=option]").first
    option.wait_for(state="visible", timeout=5000)
    assert "パスワードを忘れた場合の再設定方法" in option.inner_text()

    search_box.press("ArrowDown")
    search_box.press("Enter")
    page.wait_for_url("**/articles/ja/password-reset")
    assert page.locator("h1").inner_text() == "パスワードを忘れた場合の再設定方法"

    page.locator("button[data-vote=yes]").click()
    page.wait_for_selector("#feedback .feedback-thanks")

    with loaded_app.app_context():
        [vote] = db.session.scalars(select(HelpfulVote)).all()
        article = db.session.get(Article, vote.article_id)
        assert vote.helpful is True and article.slug == "password-reset"
        [search] = db.session.scalars(select(SearchEvent)).all()
        assert (search.normalized, search.source, search.result_count) == (
            "ぱすわーど",
            "instant",
            1,
        )
        [click] = db.session.scalars(select(SearchClick)).all()
        assert (click.search_id, click.rank) == (search.id, 1)


def test_search_page_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False, base_url=live_server, locale="en-US")
    page = context.new_page()
    page.goto("/")
    page.fill("#q-hero", "invoices")
    page.press("#q-hero", "Enter")
    page.wait_for_url("**/search?q=invoices")
    assert "Download invoices" in page.locator(".results").inner_text()
    context.close()


def test_sign_up_confirm_from_the_email_sign_in_and_sign_out(
    page, live_server, mailbox, loaded_app
):
    page.goto("/signup")
    page.fill("input[name=email]", "new.member@example.com")
    page.fill("input[name=display_name]", "新しい 会員")
    page.fill("input[name=password]", "a quiet harbour at dawn")
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=メールをご確認ください")

    [message] = mailbox.wait_for("new.member@example.com")
    assert message["Subject"] == "メールアドレスの確認"
    page.goto(link_in(message))
    page.wait_for_selector("text=メールアドレスの確認が完了しました。")

    page.fill("input[name=email]", "new.member@example.com")
    page.fill("input[name=password]", "a quiet harbour at dawn")
    page.click("main form button[type=submit]")
    page.wait_for_selector("header >> text=新しい 会員")

    page.click("header >> text=ログアウト")
    page.wait_for_selector("text=ログアウトしました。")
    assert page.locator("header >> text=新しい 会員").count() == 0
    with loaded_app.app_context():
        from helpcenter.models import User

        user = db.session.scalars(select(User)).one()
        assert user.is_confirmed and user.lang == "ja"


def test_failed_search_to_a_solved_community_thread(page, live_server, mailbox, loaded_app):
    make_user(loaded_app, "asker@example.com", name="Asking Ann", lang="en")
    make_user(loaded_app, "helper@example.com", name="Helpful Hiro", lang="en")

    def sign_in_as(email):
        page.goto("/signin")
        page.fill("main input[name=email]", email)
        page.fill("main input[name=password]", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_selector("header .me")

    sign_in_as("asker@example.com")
    page.goto("/search?q=gantt+chart+export")
    page.wait_for_selector("text=No articles match")
    page.click("main >> text=Ask the community")
    assert page.input_value("input[name=title]") == "gantt chart export"
    page.fill("input[name=title]", "How do I export a gantt chart?")
    page.fill("textarea[name=body]", "I need the **gantt chart** as a PDF for a client meeting.")
    page.wait_for_selector("[data-preview-target] strong >> text=gantt chart")  # live preview
    page.click("main form.composer-form button[type=submit]")
    page.wait_for_selector("h1 >> text=How do I export a gantt chart?")
    thread_url = page.url
    page.click("header >> text=Sign out")

    sign_in_as("helper@example.com")
    page.goto(thread_url)
    page.fill("#reply textarea", "Use **Print** in the gantt view and choose *Save as PDF*.")
    page.click("#reply button[type=submit]")
    page.wait_for_selector("text=Save as PDF")
    page.click("header >> text=Sign out")

    sign_in_as("asker@example.com")
    assert page.locator("header .count-badge").inner_text() == "1"
    [mail] = mailbox.wait_for("asker@example.com")
    assert "Helpful Hiro" in mail.get_body(("plain",)).get_content()
    page.goto(thread_url)
    page.click("text=Accept as the answer")
    page.wait_for_selector("h1 >> text=Solved")

    page.goto("/search?q=gantt+chart+export")
    result = page.locator(".results .result").first
    assert (
        "How do I export a gantt chart?" in result.inner_text() and "Solved" in result.inner_text()
    )
    with loaded_app.app_context():
        from helpcenter.models import SearchEvent, Thread

        thread = db.session.scalars(select(Thread)).one()
        first_search = db.session.scalars(select(SearchEvent).order_by(SearchEvent.id)).first()
        assert thread.is_solved and thread.search_id == first_search.id


def test_from_a_failed_search_to_a_published_article_that_closes_the_gap(
    page, live_server, mailbox, loaded_app
):
    """The loop the product exists for, as staff and a customer see it: a customer's search fails
    and they ask to be told; staff find the gap, write and publish the article in the browser;
    the customer is emailed the answer, and the same search now finds it."""
    make_user(loaded_app, "staff@example.com", role="staff", name="Sato Staff", lang="ja")

    page.goto("/search?q=ガントチャート 書き出し")
    page.wait_for_selector("form.answer-alert")
    page.fill("#alert-email", "customer@example.com")
    page.click("form.answer-alert button[type=submit]")
    page.wait_for_selector(".flash >> text=customer@example.com")
    page.context.clear_cookies()

    page.goto("/signin")
    page.fill("main input[name=email]", "staff@example.com")
    page.fill("main input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_selector("header .me")
    page.goto("/staff/gaps")
    gap = page.locator("section.gap", has_text="ガントチャート")
    gap.locator("button[type=submit]").filter(has_text="記事を作成").click()
    page.wait_for_url("**/staff/articles/*/edit")
    page.fill("input[name=title]", "ガントチャートを書き出す")
    page.fill("input[name=slug]", "export-gantt")
    page.fill("textarea[name=body]", "## 手順\n\nガント表示で **書き出し** を選びます。")
    page.wait_for_selector("[data-preview-target] strong >> text=書き出し")  # live preview
    page.click("button[value=publish]")
    page.wait_for_selector(".flash")

    [mail] = mailbox.wait_for("customer@example.com")
    assert "ガントチャートを書き出す" in mail.get_body(("plain",)).get_content()
    page.context.clear_cookies()
    page.goto("/search?q=ガントチャート 書き出し")
    first = page.locator(".results .result").first
    assert "ガントチャートを書き出す" in first.inner_text()
    first.locator("a").first.click()
    page.wait_for_url("**/articles/ja/export-gantt**")
    assert page.locator("h1").inner_text() == "ガントチャートを書き出す"


def test_json_ld_is_inert_data_under_the_csp_even_with_script_tags_in_an_answer(page, loaded_app):
    payload = "</script><script>alert(1)</script>"
    thread_id = make_thread(loaded_app, answers=[f"Try {payload} or `{payload}`"], accepted=0)
    dialogs, refusals = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda m: refusals.append(m.text) if "Security Policy" in m.text else None)
    page.goto(f"/community/t/{thread_id}")
    page.wait_for_load_state("load")
    data = page.evaluate(
        "JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)"
    )
    assert data["mainEntity"]["acceptedAnswer"]["text"] == f"Try {payload} or {payload}"
    assert page.evaluate("document.scripts.length") == 2  # site.js and the JSON-LD, nothing else
    assert dialogs == [] and refusals == []  # nothing ran, and the CSP refused nothing
