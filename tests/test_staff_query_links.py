"""Staff pages keep their filters in links and redirects. A crafted query string neither breaks
them (a parameter a link sets itself, like an export's `name`, used to reach url_for twice: a 500)
nor changes where they point (url_for's own `_external`, `_anchor`, `_scheme`)."""

import re

import pytest

from tests.builders import csrf_token

CRAFTED = "days=30&name=x&_external=1&_anchor=elsewhere&_scheme=javascript"


@pytest.mark.parametrize("path", ["/staff/", "/staff/gaps", "/staff/feedback"])
def test_a_query_naming_a_link_parameter_still_shows_the_page(staff, path):
    assert staff.get(f"{path}?{CRAFTED}").status_code == 200


@pytest.mark.parametrize("path", ["/staff/", "/staff/gaps"])
def test_links_keep_the_filters_and_stay_on_the_site(staff, path):
    page = staff.get(f"{path}?{CRAFTED}").get_data(as_text=True)
    targets = re.findall(r'(?:href|action)="([^"]*)"', page)
    links = [target for target in targets if "days=30" in target and "/language/" not in target]
    assert len(links) >= 2
    for link in links:
        assert link.startswith("/staff/") and "#" not in link and "_external" not in link, link
    assert not [target for target in targets if target.startswith(("http:", "javascript:"))]
    exports = [link for link in links if "/export/" in link]
    assert exports and not any("name=x" in link for link in exports)


def test_a_gap_decision_returns_to_the_same_filters_on_this_site(staff):
    token = csrf_token(staff.get("/staff/gaps").get_data(as_text=True))
    response = staff.post(
        f"/staff/gaps/status?status=planned&{CRAFTED}",
        data={"csrf_token": token, "key": "zebra", "status": "planned", "assign": "me"},
    )
    assert response.status_code == 303
    location = response.headers["Location"]
    assert location.startswith("/staff/gaps?") and "#" not in location
    assert "status=planned" in location and "days=30" in location
