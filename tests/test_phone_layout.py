"""Every page type fits a 390 px phone for every role in both languages, the header's menu button
opens the navigation, and the staff pages fit a 768 px tablet."""

from __future__ import annotations

from tests.builders import PHONE, signed_in_context
from tests.environment import BROWSER_TESTS

pytestmark = BROWSER_TESTS

TABLET = {"width": 768, "height": 1024}
ROLES = ("anonymous", "member", "staff", "admin")

# The widest element that sticks out, to say what to fix, not only where.
OVERFLOW_CULPRITS = """width => Array.from(document.querySelectorAll("body *"))
  .filter(el => el.getBoundingClientRect().right > width + 1)
  .filter(el => !el.parentElement || el.parentElement.getBoundingClientRect().right <= width + 1)
  .slice(0, 3)
  .map(el => el.tagName.toLowerCase() + (el.className && el.className.baseVal === undefined
    ? "." + el.className.trim().split(/\\s+/).join(".") : "")
    + " '" + el.textContent.replace(/\\s+/g, " ").trim().slice(0, 30) + "'"
    + " (" + Math.round(el.getBoundingClientRect().right) + " px)")
  .join(", ")"""

# Header labels whose text breaks over lines (ログイン stacked one character per line) or that
# sit outside the screen.
BROKEN_LABELS = """width => Array.from(document.querySelectorAll(
    "header .menu-button, header nav a, header nav button"))
  .filter(el => el.getBoundingClientRect().width > 0)
  .filter(el => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const range = document.createRange();
      range.selectNodeContents(node);
      const tops = new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top)));
      if (tops.size > 1) return true;
    }
    return el.getBoundingClientRect().right > width + 1;
  })
  .map(el => el.textContent.trim())"""


def overflowing(context, live_server, pages: dict[str, str], width: int) -> list[str]:
    """The pages wider than the screen, in both languages, with what sticks out; and header
    labels broken over lines or off-screen, with the phone menu folded and open."""
    found = []
    page = context.new_page()
    for lang in ("en", "ja"):
        context.add_cookies([{"name": "hc_lang", "value": lang, "url": live_server}])
        for name, path in pages.items():
            page.goto(path, wait_until="domcontentloaded")
            if name == "home":
                broken = page.evaluate(BROKEN_LABELS, width)
                if page.locator(".menu-button").is_visible():
                    page.click(".menu-button")
                    broken += page.evaluate(BROKEN_LABELS, width)
                found += [f"home [{lang}]: the header label {label!r} breaks" for label in broken]
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > width:
                culprits = page.evaluate(OVERFLOW_CULPRITS, width)
                found.append(f"{name} [{lang}] {path}: {scroll_width} px ({culprits})")
    page.close()
    return found


def test_every_page_fits_a_phone_for_every_role_in_both_languages(browser, live_server, site):
    offenders = []
    for role in ROLES:
        context = signed_in_context(browser, live_server, role, PHONE)
        offenders += [f"{role}: {o}" for o in overflowing(context, live_server, site[role], 390)]
        context.close()
    assert not offenders, "wider than a 390 px phone:\n" + "\n".join(offenders)


def test_staff_pages_fit_a_tablet(browser, live_server, site):
    context = signed_in_context(browser, live_server, "admin", TABLET)
    staff_only = {name: path for name, path in site["admin"].items() if name not in site["member"]}
    offenders = overflowing(context, live_server, staff_only, 768)
    context.close()
    assert not offenders, "wider than a 768 px tablet:\n" + "\n".join(offenders)


def test_the_phone_menu_button_opens_the_navigation(browser, live_server, site):
    context = signed_in_context(browser, live_server, "admin", PHONE)
    page = context.new_page()
    page.goto("/")
    menu = page.get_by_role("button", name="Menu")
    sign_out = page.get_by_role("button", name="Sign out")
    assert menu.get_attribute("aria-expanded") == "false" and not sign_out.is_visible()
    menu.click()
    assert menu.get_attribute("aria-expanded") == "true"
    assert sign_out.is_visible() and sign_out.bounding_box()["x"] + 20 < 390
    assert page.get_by_role("link", name="People").is_visible()
    page.get_by_role("link", name="Community").focus()
    page.keyboard.press("Escape")
    assert menu.get_attribute("aria-expanded") == "false" and not sign_out.is_visible()
    assert page.evaluate("document.activeElement.getAttribute('aria-controls')") == "site-nav"
    context.close()


def test_without_javascript_the_phone_header_shows_every_link(browser, live_server, site):
    context = browser.new_context(
        base_url=live_server, viewport=PHONE, locale="ja-JP", java_script_enabled=False
    )
    page = context.new_page()
    page.goto("/")
    assert not page.locator(".menu-button").is_visible()
    for label in ("ログイン", "新規登録", "English"):
        link = page.locator("header").get_by_role("link", name=label)
        assert link.is_visible() and link.bounding_box()["x"] + link.bounding_box()["width"] <= 390
    assert page.evaluate(BROKEN_LABELS, 390) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
