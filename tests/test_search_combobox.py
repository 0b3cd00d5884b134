"""The instant results as a screen reader and a keyboard meet them: a combobox and its listbox,
arrow keys that move the active option, and Escape that closes the list without wiping the query."""

from __future__ import annotations

from tests.environment import BROWSER_TESTS

pytestmark = BROWSER_TESTS

# Every child of the listbox, by role: a listbox may hold options only.
LISTBOX_CHILDREN = """input => Array.from(
  document.getElementById(input.getAttribute("aria-controls")).children
).map(el => el.getAttribute("role"))"""


def type_query(page, text: str):
    box = page.locator("#q-hero")
    box.click()
    box.press_sequentially(text, delay=30)
    page.locator("#instant-hero [role=option]").first.wait_for(state="visible", timeout=5000)
    return box


def test_the_search_box_is_a_combobox_whose_arrow_keys_move_the_active_option(page):
    page.goto("/")
    box = page.locator("#q-hero")
    assert box.get_attribute("role") == "combobox"
    assert box.get_attribute("aria-expanded") == "false"
    type_query(page, "パスワード")

    assert box.get_attribute("aria-expanded") == "true"
    listbox = page.locator(f"#{box.get_attribute('aria-controls')}")
    assert listbox.get_attribute("role") == "listbox"
    roles = box.evaluate(LISTBOX_CHILDREN)
    assert len(roles) == 2 and set(roles) == {"option"}, roles  # one hit, then "See all results"
    first, see_all = listbox.locator("[role=option]").all()
    assert box.get_attribute("aria-activedescendant") is None

    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    assert first.get_attribute("aria-selected") == "true"
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == see_all.get_attribute("id")
    assert first.get_attribute("aria-selected") == "false"
    box.press("ArrowUp")
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    assert page.evaluate("document.activeElement.id") == "q-hero"  # focus never left the box


def test_escape_closes_the_instant_results_and_keeps_the_typed_words(page):
    page.goto("/")
    box = type_query(page, "パスワード")
    box.press("ArrowDown")
    box.press("Escape")

    assert box.input_value() == "パスワード"
    assert not page.locator("#instant-hero").is_visible()
    assert box.get_attribute("aria-expanded") == "false"
    assert box.get_attribute("aria-activedescendant") is None
    box.press("Enter")
    page.wait_for_url("**/search?q=*")
    assert page.locator("#q-page").input_value() == "パスワード"
    assert "パスワードを忘れた場合の再設定方法" in page.locator(".results").inner_text()
