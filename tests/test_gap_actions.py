"""The gap inbox's buttons: starting an article from a gap, and changing a gap's status."""

import re
from datetime import timedelta

from helpcenter.extensions import db
from helpcenter.models import Article
from helpcenter.search_index.gaps import gap_key
from helpcenter.search_index.text import distinct_spellings
from helpcenter.services.forum import parse_tags
from tests.conftest import csrf_token, make_user, sign_in
from tests.test_insights import insert_rows, search_row


def staff_client(app):
    make_user(app, "staff@example.com", role="staff")
    client = app.test_client()
    sign_in(client, "staff@example.com")
    return client


def test_repeats_differing_in_case_or_width_are_one_tag_in_its_first_spelling():
    assert distinct_spellings(["dark mode", "Dark mode", "ｄａｒｋ ｍｏｄｅ", "DARK MODE"]) == ["dark mode"]  # fmt: skip
    assert distinct_spellings(["ダークモード", "ﾀﾞｰｸﾓｰﾄﾞ", "Export"]) == ["ダークモード", "Export"]
    assert parse_tags("Export, export, ＥＸＰＯＲＴ, gantt") == ["Export", "gantt"]


def test_an_article_from_a_gap_starts_without_duplicate_tags(loaded_app):
    staff = staff_client(loaded_app)
    queries = ["dark mode"] * 3 + ["Dark mode"] * 2 + ["ｄａｒｋ　ｍｏｄｅ"]
    with loaded_app.app_context():
        insert_rows(
            [
                search_row(q, f"v{n}", ago=timedelta(days=1), result_count=0)
                for n, q in enumerate(queries)
            ]
        )
    page = staff.get("/staff/gaps").get_data(as_text=True)
    response = staff.post(
        "/staff/gaps/article", data={"csrf_token": csrf_token(page), "key": gap_key("dark mode")}
    )
    assert response.status_code == 303
    location = response.headers["Location"]
    editor = staff.get(location).get_data(as_text=True)
    assert re.search(r'id="tags" name="tags" value="dark mode"', editor), editor
    with loaded_app.app_context():
        article_id = int(location.split("/")[-2])
        assert db.session.get(Article, article_id).tags == ["dark mode"]
