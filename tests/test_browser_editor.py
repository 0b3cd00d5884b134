"""The revision diff in a real Chromium: each line takes one line of the screen."""

from tests.builders import PASSWORD, make_user
from tests.environment import BROWSER_TESTS

pytestmark = BROWSER_TESTS


def test_a_changed_line_renders_once_without_blank_lines(page, loaded_app):
    make_user(loaded_app, "editor@example.com", role="staff", name="Eda Editor")
    page.goto("/signin")
    page.fill("main input[name=email]", "editor@example.com")
    page.fill("main input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    page.goto("/staff/articles/new?lang=en")
    page.fill("#title", "Export a Gantt chart")
    page.fill("#slug", "export-gantt-chart")
    page.fill("#body", "One.\nTwo.\nThree.")
    with page.expect_navigation():
        page.click("button[value=save]")
    page.fill("#body", "One.\nTwo, changed.\nThree.")
    with page.expect_navigation():
        page.click("button[value=save]")
    page.goto(page.url.replace("/edit", "/revisions/2"))
    lines = page.evaluate(
        """() => {
        const pre = document.querySelector("pre.diff");
        const style = getComputedStyle(pre);
        const inner = pre.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
        return inner / parseFloat(getComputedStyle(pre.querySelector("del")).lineHeight);
    }"""
    )
    assert round(lines) == 5  # the hunk header, One., − Two., + Two, changed., Three.
