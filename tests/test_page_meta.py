"""What each public page tells search engines about itself (canonical address, translations,
description, OpenGraph, schema.org JSON-LD), that member text cannot break out of the JSON-LD,
and that private pages ask not to be indexed."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

from tests.builders import make_thread, make_user, sign_in

BASE = "https://help.example.com"
PAYLOAD = "</script><script>alert(1)</script>"


class _Head(HTMLParser):
    """Links, meta tags and every script element of a page, with their text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[dict] = []
        self.meta: dict[str, list[str]] = {}
        self.scripts: list[dict] = []
        self.html_lang = None
        self._script: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.html_lang = attrs.get("lang")
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "meta" and (attrs.get("name") or attrs.get("property")):
            key = attrs.get("name") or attrs.get("property")
            self.meta.setdefault(key, []).append(attrs.get("content", ""))
        elif tag == "script":
            self._script = {**attrs, "text": ""}
            self.scripts.append(self._script)

    def handle_data(self, data):
        if self._script is not None:
            self._script["text"] += data

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None

    def one(self, key: str) -> str:
        values = self.meta.get(key, [])
        assert len(values) == 1, (key, values)
        return values[0]

    @property
    def canonical(self) -> str:
        (link,) = [x for x in self.links if x.get("rel") == "canonical"]
        return link["href"]

    @property
    def hreflang(self) -> dict[str, str]:
        return {x["hreflang"]: x["href"] for x in self.links if x.get("rel") == "alternate"}

    @property
    def json_ld(self) -> list[dict]:
        return [
            json.loads(s["text"]) for s in self.scripts if s.get("type") == "application/ld+json"
        ]


def head(client, path: str, **headers) -> _Head:
    response = client.get(path, headers=headers)
    assert response.status_code == 200, path
    parser = _Head()
    parser.feed(response.get_data(as_text=True))
    return parser


@pytest.fixture
def site(loaded_app):
    loaded_app.config["PUBLIC_BASE_URL"] = BASE
    return loaded_app


PUBLIC_PAGES = {
    "home": ("/", "website", BASE + "/?hl=en"),
    "article": ("/articles/en/reset-password", "article", BASE + "/articles/en/reset-password"),
    "video": ("/videos/en/getting-started", "video.other", BASE + "/videos/en/getting-started"),
    "topic": ("/categories/account", "website", BASE + "/categories/account?hl=en"),
    "community": ("/community/", "website", BASE + "/community/?hl=en"),
}


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_pages_have_canonical_translations_description_and_opengraph(client, site, name):
    path, og_type, canonical = PUBLIC_PAGES[name]
    page = head(client, path + "?feedback=no&t=3" if name == "article" else path)
    assert page.canonical == canonical  # query strings that change nothing are dropped
    assert page.hreflang["en"] == canonical and "x-default" in page.hreflang
    assert all(url.startswith(BASE + "/") for url in page.hreflang.values())
    assert len(page.one("description")) > 10
    assert page.one("og:title") and page.one("og:description") == page.one("description")
    assert page.one("og:url") == canonical and page.one("og:type") == og_type
    assert page.one("og:locale") == "en_US"
    assert "robots" not in page.meta


def test_translations_link_each_other_both_ways(client, site):
    english = head(client, "/articles/en/reset-password")
    japanese = head(client, "/articles/ja/password-reset")
    assert (
        english.hreflang
        == japanese.hreflang
        == {
            "en": BASE + "/articles/en/reset-password",
            "ja": BASE + "/articles/ja/password-reset",
            "x-default": BASE + "/articles/en/reset-password",
        }
    )
    assert japanese.one("og:locale") == "ja_JP" and japanese.meta["og:locale:alternate"] == [
        "en_US"
    ]


def test_the_japanese_home_page_has_its_own_address_and_japanese_metadata(client, site):
    page = head(client, "/?hl=ja", **{"Accept-Language": "en"})
    assert page.html_lang == "ja" and page.canonical == BASE + "/?hl=ja"
    assert page.hreflang == {
        "en": BASE + "/?hl=en",
        "ja": BASE + "/?hl=ja",
        "x-default": BASE + "/",
    }
    assert page.one("og:locale") == "ja_JP"
    assert not any(
        ch.isascii() and ch.isalpha() for ch in page.one("description").replace("Tsumiki", "")
    )
    topic = head(client, "/categories/billing?hl=ja")
    assert topic.one("description") == "プランと請求書。" and topic.one("og:title") == "お支払い"


def test_choosing_a_language_in_the_header_is_not_overridden_by_the_address(client, site):
    response = client.get("/language/en?next=/categories/account?hl%3Dja%26x%3D1")
    assert response.headers["Location"] == "/categories/account?x=1"
    assert head(client, "/categories/account").html_lang == "en"


def test_article_json_ld(client, site):
    (data,) = head(client, "/articles/ja/password-reset").json_ld
    assert data["@context"] == "https://schema.org" and data["@type"] == "Article"
    assert data["headline"] == "パスワードを忘れた場合の再設定方法"
    assert data["inLanguage"] == "ja" and data["url"] == BASE + "/articles/ja/password-reset"
    assert data["datePublished"] <= data["dateModified"]
    assert data["author"]["name"] and data["publisher"]["@type"] == "Organization"


def test_video_json_ld_carries_the_transcript(client, site):
    (data,) = head(client, "/videos/en/getting-started").json_ld
    assert data["@type"] == "VideoObject"
    assert data["name"] == "Getting started tour" and data["description"]
    assert data["uploadDate"] and data["duration"] == "PT1M30S"
    assert "connect the calendar integration" in data["transcript"]


def test_a_solved_thread_is_a_qa_page_with_its_accepted_and_suggested_answers(client, site):
    thread_id = make_thread(site, answers=["Try the menu.", "Board menu, then Export."], accepted=1)
    page = head(client, f"/community/t/{thread_id}")
    url = f"{BASE}/community/t/{thread_id}"
    assert page.canonical == url and page.hreflang == {"en": url, "x-default": url}
    assert page.one("og:description") == "I need a CSV of all tasks on one board."
    (data,) = page.json_ld
    assert data["@type"] == "QAPage"
    question = data["mainEntity"]
    assert (
        question["@type"] == "Question" and question["name"] == "How do I export my board to CSV?"
    )
    assert question["answerCount"] == 2 and question["author"]["name"] == "Asker"
    assert question["acceptedAnswer"]["text"] == "Board menu, then Export."
    assert question["acceptedAnswer"]["url"].startswith(url + "#p")
    assert [a["text"] for a in question["suggestedAnswer"]] == ["Try the menu."]


def test_unanswered_questions_and_discussions_are_not_qa_pages(client, site):
    for thread_id in (make_thread(site), make_thread(site, kind="discussion", answers=["Agreed."])):
        page = head(client, f"/community/t/{thread_id}")
        assert page.json_ld == [] and page.canonical.endswith(f"/community/t/{thread_id}")


def test_member_text_cannot_break_out_of_the_json_ld(client, site):
    thread_id = make_thread(
        site,
        title=f"Title {PAYLOAD}",
        body=f"Question {PAYLOAD} & more",
        answers=[f"Answer `{PAYLOAD}` and {PAYLOAD}"],
        accepted=0,
    )
    html = client.get(f"/community/t/{thread_id}").get_data(as_text=True)
    page = _Head()
    page.feed(html)
    assert "<script>alert(1)" not in html
    scripts = [(s.get("type"), s.get("src")) for s in page.scripts]
    assert scripts == [(None, "/static/js/site.js"), ("application/ld+json", None)]
    (data,) = page.json_ld
    question = data["mainEntity"]
    assert question["name"] == f"Title {PAYLOAD}"
    assert question["text"] == f"Question {PAYLOAD} & more"
    assert question["acceptedAnswer"]["text"] == f"Answer {PAYLOAD} and {PAYLOAD}"


@pytest.mark.parametrize(
    "path", ["/search?q=password", "/staff/", "/account/", "/signin", "/community/new"]
)
def test_private_and_search_pages_ask_not_to_be_indexed(client, site, path):
    make_user(site, "staff@example.com", role="staff")
    sign_in(client, "staff@example.com")
    page = head(client, path)
    assert page.one("robots") == "noindex"
    assert not any(link.get("rel") == "canonical" for link in page.links)
    if path != "/community/new":
        assert client.get(path).headers["X-Robots-Tag"] == "noindex"


def test_api_answers_carry_noindex(client, site):
    assert client.get("/api/v1/search?q=password").headers["X-Robots-Tag"] == "noindex"
    assert "X-Robots-Tag" not in client.get("/articles/en/reset-password").headers
