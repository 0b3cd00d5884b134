"""Dates and times read as the reader writes them, in the site's time zone
(HELPCENTER_BABEL_DEFAULT_TIMEZONE), not as UTC in a hand-made format."""

from datetime import datetime

import pytest
from sqlalchemy import select, update

from helpcenter.extensions import db
from helpcenter.models import Post, User
from helpcenter.services import forum
from tests.conftest import make_user

LATE_EVENING_UTC = datetime(2026, 3, 9, 23, 30)  # already the next morning in Tokyo


def page(client, path: str, lang: str) -> str:
    html = client.get(path, headers={"Accept-Language": lang}).get_data(as_text=True)
    return html.replace("\u202f", " ")  # CLDR puts a narrow space before AM/PM


@pytest.fixture
def thread_path(loaded_app) -> str:
    """A member who joined, and posted, late in the evening of 9 March (UTC)."""
    make_user(loaded_app, "asker@example.com", name="Asking Ann")
    with loaded_app.test_request_context():
        asker = db.session.scalars(select(User).where(User.email == "asker@example.com")).one()
        thread = forum.create_thread(asker, "Export a board?", "How do I export?", None, "question")
        asker.created_at = thread.created_at = LATE_EVENING_UTC
        db.session.execute(
            update(Post).where(Post.thread_id == thread.id).values(created_at=LATE_EVENING_UTC)
        )
        db.session.commit()
        return f"/community/t/{thread.id}"


@pytest.mark.app_config(BABEL_DEFAULT_TIMEZONE="Asia/Tokyo")
def test_times_are_shown_in_the_site_time_zone_in_each_language(client, thread_path):
    assert "Mar 10, 2026, 8:30 AM" in page(client, thread_path, "en")
    assert "2026/03/10 8:30" in page(client, thread_path, "ja")
    profile = page(client, "/community/u/1", "en")
    assert "Member since Mar 10, 2026." in profile and "2026-03-09" not in profile


def test_by_default_the_time_zone_is_utc(client, thread_path):
    assert "Mar 9, 2026, 11:30 PM" in page(client, thread_path, "en")


@pytest.mark.app_config(BABEL_DEFAULT_TIMEZONE="America/New_York")
def test_an_articles_updated_date_is_a_calendar_date_never_moved_across_zones(client):
    html = page(client, "/articles/en/reset-password", "en")
    assert "Updated Sep 1, 2026" in html.replace("\n", " ")
