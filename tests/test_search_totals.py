"""Search results add up: `total`, the number of pages and the results served agree, on the page
and in the API, with video passages collapsed to their video and both languages; walking every
page yields each result exactly once."""

import re

import pytest

from helpcenter.config import PROJECT_ROOT
from helpcenter.services.content import imports
from helpcenter.services.search import indexing

QUERIES = [
    ("project", "en"),
    ("slack", "en"),
    ("task", "en"),
    ("password", "en"),
    ("video", "en"),
    ("プロジェクト", "ja"),
    ("タスク", "ja"),
    ("パスワード", "ja"),
    ("Google", "ja"),
    ("SAML", "ja"),  # the English guide is shown first: promoted out of the English results
    ("sso saml password", "ja"),
]


@pytest.fixture
def sample_app(app):
    with app.app_context():
        assert imports.import_content(PROJECT_ROOT / "content").ok
        indexing.rebuild_index()
    return app


def walk_api(client, query: str, lang: str, per_page: int) -> tuple[int, list[str]]:
    urls: list[str] = []
    total = None
    for page in range(1, 50):
        data = client.get(
            "/api/v1/search",
            query_string={"q": query, "page": page, "per_page": per_page},
            headers={"Accept-Language": lang},
        ).get_json()
        total = data["total"] if total is None else total
        assert data["total"] == total, "the total must not change from page to page"
        if not data["results"]:
            break
        assert len(data["results"]) <= per_page
        urls += [hit["url"].split("?")[0] for hit in data["results"]]
    return total, urls


@pytest.mark.parametrize(("query", "lang"), QUERIES)
def test_walking_every_api_page_yields_exactly_total_distinct_results(sample_app, query, lang):
    client = sample_app.test_client()
    total, urls = walk_api(client, query, lang, per_page=5)
    assert total > 0
    assert len(urls) == len(set(urls)), "a result appeared on two pages"
    assert len(urls) == total


@pytest.mark.parametrize(("query", "lang"), QUERIES[:3] + QUERIES[5:7])
def test_the_search_page_links_reach_every_result_and_no_further(sample_app, query, lang):
    client = sample_app.test_client()

    def results_page(number: int) -> str:
        return client.get(
            "/search", query_string={"q": query, "page": number}, headers={"Accept-Language": lang}
        ).get_data(as_text=True)

    first = results_page(1)
    total = int(re.search(r'class="result-count"[^>]*>\D*(\d+)', first).group(1))
    pages = -(-total // 10)
    titles = []
    for number in range(1, pages + 1):
        page = results_page(number)
        found = re.findall(r'class="result-title" href="[^"]*to=([^"&]+)', page)
        assert len(found) == (10 if number < pages else total - 10 * (pages - 1)), number
        titles += found
    assert len(titles) == len(set(titles)) == total
    assert 'class="result-title"' not in results_page(pages + 1)


@pytest.mark.parametrize(
    ("kind", "heading"),
    [
        ("video", "No videos match"),
        ("thread", "No community threads match"),
        ("", "No articles match"),
    ],
)
def test_a_filter_with_no_hits_names_what_it_looked_for(client, kind, heading):
    html = client.get("/search", query_string={"q": "zzqqxx", "type": kind}).get_data(as_text=True)
    assert heading in html
