"""What search engines are given to crawl: the sitemap (and its index), robots.txt, and that a
crawler reading them is never counted as a reader."""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from sqlalchemy import func, select

from helpcenter.extensions import db
from helpcenter.models import ArticleView, SearchEvent, Thread, ThreadEvent
from helpcenter.models.base import utcnow
from tests.builders import counted_statements, make_thread

BASE = "https://help.example.com/help"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


@pytest.fixture
def site(loaded_app):
    """The fixture content, the public address set, and threads in every state."""
    loaded_app.config["PUBLIC_BASE_URL"] = BASE
    ids = {
        "solved": make_thread(
            loaded_app, title="Export to CSV", answers=["Use Export."], accepted=0
        ),
        "answered": make_thread(loaded_app, title="Dark mode?", answers=["Settings, Theme."]),
        "unanswered": make_thread(loaded_app, title="Nobody knows this"),
        "self_replied": make_thread(loaded_app, title="Only I replied", self_reply=True),
        "hidden": make_thread(loaded_app, title="Hidden one", answers=["An answer."], accepted=0),
        "deleted": make_thread(loaded_app, title="Deleted one", answers=["An answer."]),
    }
    with loaded_app.app_context():
        db.session.get(Thread, ids["hidden"]).hidden_at = utcnow()
        db.session.get(Thread, ids["deleted"]).deleted_at = utcnow()
        db.session.commit()
    return ids


def urls_in(xml: bytes) -> dict[str, ElementTree.Element]:
    root = ElementTree.fromstring(xml)  # noqa: S314 - the app's own sitemap
    assert root.tag == f"{{{NS['s']}}}urlset"
    return {u.findtext("s:loc", namespaces=NS): u for u in root.findall("s:url", NS)}


def alternates(url: ElementTree.Element) -> dict[str, str]:
    links = url.findall("x:link", NS)
    assert all(link.get("rel") == "alternate" for link in links)
    return {link.get("hreflang"): link.get("href") for link in links}


def test_sitemap_lists_every_published_page_and_answered_thread_with_absolute_addresses(
    client, site
):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    urls = urls_in(response.data)
    for loc, url in urls.items():
        assert loc.startswith(BASE + "/"), loc
        assert all(href.startswith(BASE + "/") for href in alternates(url).values())
    paths = {loc.removeprefix(BASE) for loc in urls}
    assert {
        "/articles/en/reset-password",
        "/articles/ja/password-reset",
        "/articles/ja/two-step",
        "/articles/en/download-invoices",
        "/videos/en/getting-started",
        "/?hl=en",
        "/?hl=ja",
        "/categories/account?hl=en",
        "/categories/account?hl=ja",
        "/categories/billing?hl=ja",
        "/community/?hl=ja",
        f"/community/t/{site['solved']}",
        f"/community/t/{site['answered']}",
    } <= paths
    assert "/articles/en/cancel-plan" not in paths  # a draft
    for state in ("unanswered", "self_replied", "hidden", "deleted"):
        assert f"/community/t/{site[state]}" not in paths, state
    assert len(paths) == 15  # nothing else: 5 pages, 4 topic pages, 4 home/community, 2 threads


def test_every_page_has_a_lastmod_and_translations_point_at_each_other(client, site):
    urls = urls_in(client.get("/sitemap.xml").data)
    for loc, url in urls.items():
        if "/community/?" in loc:
            continue  # the community list has a date only once a thread is listed
        stamp = url.findtext("s:lastmod", namespaces=NS)
        assert stamp, loc
        datetime.fromisoformat(stamp.replace("Z", "+00:00"))

    english, japanese = BASE + "/articles/en/reset-password", BASE + "/articles/ja/password-reset"
    for page in (english, japanese):
        assert alternates(urls[page]) == {"en": english, "ja": japanese, "x-default": english}
    alone = BASE + "/articles/ja/two-step"
    assert alternates(urls[alone]) == {"ja": alone, "x-default": alone}
    thread = f"{BASE}/community/t/{site['solved']}"
    assert alternates(urls[thread]) == {"en": thread, "x-default": thread}
    home_en, home_ja = urls[BASE + "/?hl=en"], urls[BASE + "/?hl=ja"]
    assert (
        alternates(home_en)
        == alternates(home_ja)
        == {
            "en": BASE + "/?hl=en",
            "ja": BASE + "/?hl=ja",
            "x-default": BASE + "/",
        }
    )


def test_a_large_sitemap_becomes_an_index_of_files(client, site, loaded_app):
    whole = set(urls_in(client.get("/sitemap.xml").data))
    loaded_app.config["SITEMAP_URLS_PER_FILE"] = 3
    root = ElementTree.fromstring(client.get("/sitemap.xml").data)  # noqa: S314 - ours
    assert root.tag == f"{{{NS['s']}}}sitemapindex"
    files = [s.findtext("s:loc", namespaces=NS) for s in root.findall("s:sitemap", NS)]
    assert len(files) == 8  # pages 2, topics 2, articles 2, videos 1, threads 1
    listed: list[str] = []
    for address in files:
        assert address.startswith(BASE + "/sitemap-")
        urls = urls_in(client.get(urlsplit(address).path.removeprefix("/help")).data)
        assert 1 <= len(urls) <= 3
        listed += urls
    assert len(listed) == len(set(listed)) and set(listed) == whole
    assert client.get("/sitemap-threads-2.xml").status_code == 404
    assert client.get("/sitemap-drafts-1.xml").status_code == 404


def test_robots_keeps_private_and_endless_pages_out_and_points_to_the_sitemap(client, site):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "User-agent: *"
    disallowed = {line.split(": ", 1)[1] for line in lines if line.startswith("Disallow:")}
    for path in ("/staff/", "/admin/", "/account/", "/api/", "/search", "/signin", "/signup"):
        assert "/help" + path in disallowed, path
    for public in ("/articles/", "/videos/", "/categories/", "/community/t/", "/community/"):
        assert not any(("/help" + public).startswith(rule) for rule in disallowed), public
    assert f"Sitemap: {BASE}/sitemap.xml" in lines


def _event_counts(app) -> tuple[int, int, int]:
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (ArticleView, SearchEvent, ThreadEvent)
        )


def test_a_crawler_reading_the_sitemap_and_pages_is_not_counted(client, site, loaded_app):
    before = _event_counts(loaded_app)
    for path in ("/sitemap.xml", "/robots.txt"):
        response = client.get(path, headers={"User-Agent": GOOGLEBOT})
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers  # not even a visitor id
    assert _event_counts(loaded_app) == before

    client.get(f"/community/t/{site['solved']}", headers={"User-Agent": GOOGLEBOT})
    assert _event_counts(loaded_app) == before  # no thread view from a crawler
    client.get(f"/community/t/{site['solved']}", headers={"User-Agent": "Mozilla/5.0 Firefox/130"})
    assert _event_counts(loaded_app)[2] == before[2] + 1  # a person's view still counts

    client.get("/articles/en/reset-password", headers={"User-Agent": GOOGLEBOT})
    with loaded_app.app_context():
        assert db.session.scalars(select(ArticleView)).one().is_crawler is True


def test_the_sitemap_costs_the_same_statements_however_many_threads(client, site, loaded_app):
    client.get("/sitemap.xml")  # the first request of a process also looks for due articles
    loaded_app.config["SCHEDULE_CHECK_SECONDS"] = 10**9

    def statements() -> list[str]:
        with counted_statements(loaded_app) as seen:
            assert client.get("/sitemap.xml").status_code == 200
        return [s for s in seen if not re.search(r"\bjob\b", s)]  # mail jobs run beside it

    before = statements()
    for n in range(5):
        make_thread(loaded_app, title=f"Question {n}", answers=[f"Answer {n}"], accepted=0)
    assert len(statements()) == len(before) <= 12
