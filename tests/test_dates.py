"""Dates and times read as the reader writes them, in the member's own time zone (account
settings) or else the site's (HELPCENTER_BABEL_DEFAULT_TIMEZONE), not as UTC in a hand-made
format; staff enter scheduled times in the zone they read them in."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, update

from helpcenter.extensions import db
from helpcenter.models import Article, Post, User
from helpcenter.models.base import utcnow
from helpcenter.services.community import posts
from tests.builders import csrf_token, make_user, sign_in

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
        thread = posts.create_thread(
            author=asker,
            title="Export a board?",
            body="How do I export?",
            category_slug=None,
            kind="question",
        )
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


def member(app, email: str, lang: str = "en"):
    make_user(app, email, lang=lang)
    client = app.test_client()
    sign_in(client, email)
    return client


def save_profile(client, lang: str = "en", **changes):
    page = client.get("/account/").get_data(as_text=True)
    data = {
        "csrf_token": csrf_token(page),
        "display_name": "Test Person",
        "lang": lang,
        "notify_email": "each",
        **changes,
    }
    return client.post("/account/", data=data)


def stored_zone(app, email: str) -> str | None:
    with app.app_context():
        return db.session.scalar(select(User.timezone).where(User.email == email))


def test_a_member_reads_times_in_the_zone_they_chose_others_in_the_sites(
    loaded_app, client, thread_path
):
    tokyo = member(loaded_app, "tokyo@example.com")
    assert save_profile(tokyo, timezone="Asia/Tokyo").status_code == 303
    assert stored_zone(loaded_app, "tokyo@example.com") == "Asia/Tokyo"
    assert "Mar 10, 2026, 8:30 AM" in page(tokyo, thread_path, "en")  # 9 hours ahead of UTC
    unset = member(loaded_app, "unset@example.com")
    assert "Mar 9, 2026, 11:30 PM" in page(unset, thread_path, "en")
    assert "Mar 9, 2026, 11:30 PM" in page(client, thread_path, "en")  # anonymous


@pytest.mark.app_config(BABEL_DEFAULT_TIMEZONE="Asia/Tokyo")
def test_the_site_default_is_offered_first_and_named_in_the_readers_language(loaded_app):
    reader = member(loaded_app, "yomite@example.com", lang="ja")
    html = page(reader, "/account/", "ja")
    assert "日付と時刻のタイムゾーン" in html
    assert '<option selected value="">サイトの既定（Asia/Tokyo）</option>' in html
    assert "America/New_York（ニューヨーク）" in html
    save_profile(reader, lang="ja", timezone="Europe/London")
    assert '<option selected value="Europe/London">' in page(reader, "/account/", "ja")
    save_profile(reader, lang="ja", timezone="")  # back to the site's zone
    assert stored_zone(loaded_app, "yomite@example.com") is None


def test_a_zone_not_in_the_list_is_refused_with_a_message(loaded_app):
    reader = member(loaded_app, "mars@example.com")
    save_profile(reader, timezone="Asia/Tokyo")
    for bad in ("Mars/Olympus_Mons", "../../etc/passwd", "asia/tokyo", "x" * 500):
        response = save_profile(reader, timezone=bad)
        assert response.status_code == 400
        assert "Choose a time zone from the list." in response.get_data(as_text=True)
    assert stored_zone(loaded_app, "mars@example.com") == "Asia/Tokyo"


def test_staff_schedule_in_the_zone_they_read_it_in(loaded_app):
    make_user(loaded_app, "eda@example.com", role="staff")
    staff = loaded_app.test_client()
    sign_in(staff, "eda@example.com")
    save_profile(staff, timezone="Asia/Tokyo")
    with loaded_app.app_context():
        article_id = db.session.scalar(select(Article.id).where(Article.slug == "reset-password"))
        db.session.get(Article, article_id).status = "draft"
        db.session.commit()
    editor = f"/staff/articles/{article_id}/edit"
    html = staff.get(editor).get_data(as_text=True)
    assert "Publish automatically at (Asia/Tokyo)" in html
    tomorrow = utcnow() + timedelta(days=1)
    offered = (tomorrow + timedelta(hours=9)).strftime("%Y-%m-%dT%H:%M")
    assert f'value="{offered}"' in html  # the suggested time, in Tokyo
    when = (tomorrow + timedelta(hours=9)).replace(minute=0, second=0, microsecond=0)
    typed = when.strftime("%Y-%m-%dT%H:%M")
    data = {"csrf_token": csrf_token(html), "publish_at": typed}
    assert staff.post(f"/staff/articles/{article_id}/schedule", data=data).status_code == 303
    with loaded_app.app_context():
        assert db.session.get(Article, article_id).publish_at == when - timedelta(hours=9)
    shown = staff.get(editor).get_data(as_text=True)
    assert f"Scheduled to publish at {when:%Y-%m-%d %H:%M} (Asia/Tokyo)" in shown
