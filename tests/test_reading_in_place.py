"""What a reader sees stays where they are looking: the thanks for feedback appears in the box
they clicked, and a video's transcript panel shows the current line, without moving the page or
taking the keyboard."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.environment import BROWSER_TESTS

pytestmark = BROWSER_TESTS

SAMPLE_VIDEOS = Path(__file__).parents[1] / "content" / "videos"

IN_PANEL = """li => {
  const panel = li.closest(".transcript").getBoundingClientRect(), line = li.getBoundingClientRect();
  return line.top >= panel.top && line.bottom <= panel.bottom;
}"""

# Once the player knows the video's length, jump as the reader would with the player's bar.
SEEK = """seconds => new Promise(done => {
  const player = document.getElementById("player");
  const seek = () => { player.currentTime = seconds; done(); };
  if (player.readyState >= 1) seek(); else player.addEventListener("loadedmetadata", seek);
})"""


@pytest.fixture
def long_video(content_dir):
    """The sample two-and-a-half-minute tour (a local file, 24 transcript lines), in a fixture
    topic, written before the content is imported."""
    shutil.copy(SAMPLE_VIDEOS / "quick-tour.en.vtt", content_dir / "videos")
    text = (SAMPLE_VIDEOS / "quick-tour.en.md").read_text(encoding="utf-8")
    (content_dir / "videos" / "quick-tour.en.md").write_text(
        text.replace("category: getting-started", "category: account"), encoding="utf-8"
    )


def test_the_feedback_answer_replaces_the_box_in_place(page):
    page.set_viewport_size({"width": 1000, "height": 500})
    page.goto("/articles/ja/password-reset")
    page.evaluate("window.sameDocument = true")
    page.locator("button[data-vote=no]").click()
    page.locator("#feedback input[value=incorrect]").check()
    page.fill("#comment", "画面が古いです。")
    page.click("#feedback button[type=submit]")

    thanks = page.locator("#feedback .feedback-thanks")
    thanks.wait_for()
    assert page.evaluate("window.sameDocument"), "the page was reloaded"
    assert "ご意見" in thanks.inner_text()
    box = thanks.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= 500, "the thanks is off-screen"
    assert page.evaluate("document.activeElement.className") == "feedback-thanks"
    assert page.locator(".flash").count() == 0  # not repeated at the top of the page


def test_the_transcript_panel_shows_the_line_of_t_and_follows_playback(long_video, page):
    page.set_viewport_size({"width": 1200, "height": 700})
    page.goto("/videos/en/quick-tour?t=118")
    current = page.locator(".transcript li.current")
    assert current.count() == 1 and current.evaluate(IN_PANEL), "the line is scrolled away"
    assert page.evaluate("scrollY") == 0

    page.locator("#q-top").focus()  # the reader is typing a search while the video plays
    page.evaluate(SEEK, 8)
    page.locator(".transcript li.current#t5").wait_for()
    assert page.locator("#t5").evaluate(IN_PANEL), "the panel did not follow playback"
    assert page.evaluate("document.activeElement.id") == "q-top"
    assert page.evaluate("scrollY") == 0
