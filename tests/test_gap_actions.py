"""The gap inbox's buttons: starting an article from a gap, and changing a gap's status."""

import re
from datetime import timedelta

from sqlalchemy import select

from helpcenter.extensions import db
from helpcenter.models import Article, Gap
from helpcenter.search_index.gap_key import gap_key
from helpcenter.search_index.text import distinct_spellings
from helpcenter.services.community.posts import parse_tags
from tests.builders import csrf_token, insert_rows, make_user, search_row, sign_in


def staff_client(app):
    make_user(app, "staff@example.com", role="staff")
    client = app.test_client()
    sign_in(client, "staff@example.com")
    return client


def test_repeats_differing_in_case_or_width_are_one_tag_in_its_first_spelling():
    variants = ["dark mode", "Dark mode", "ｄａｒｋ ｍｏｄｅ", "DARK MODE"]
    assert distinct_spellings(variants) == ["dark mode"]
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


def dismissal(page: str, reason: str) -> dict:
    key = gap_key("zebra export")
    return {"csrf_token": csrf_token(page), "key": key, "status": "dismissed", "reason": reason}


def test_an_over_long_dismissal_reason_is_refused_at_its_gap_with_the_text_kept(loaded_app):
    staff = staff_client(loaded_app)
    with loaded_app.app_context():
        insert_rows([search_row("zebra export", f"z{n}", result_count=0) for n in range(3)])
    page = staff.get("/staff/gaps").get_data(as_text=True)
    reason = "Not our product. " * 18  # 306 characters
    response = staff.post(
        "/staff/gaps/status",
        data=dismissal(page, reason),
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "At most 300 characters, please (this has 306)." in html
    assert f'value="{reason}" aria-invalid="true"' in html
    with loaded_app.app_context():
        assert db.session.scalars(select(Gap)).first() is None  # nothing was changed

    response = staff.post(
        "/staff/gaps/status",
        data=dismissal(page, "Not our product."),
    )
    assert response.status_code == 303
    with loaded_app.app_context():
        gap = db.session.scalars(select(Gap)).one()
        assert (gap.status, gap.dismissed_reason) == ("dismissed", "Not our product.")


def test_gap_buttons_refuse_a_missing_key_or_an_unknown_status(loaded_app):
    staff = staff_client(loaded_app)
    token = csrf_token(staff.get("/staff/gaps").get_data(as_text=True))

    def post(url: str, **data) -> int:
        return staff.post(url, data={"csrf_token": token, **data}).status_code

    assert post("/staff/gaps/status", key="x", status="closed") == 400
    assert post("/staff/gaps/status", status="planned") == 400
    assert post("/staff/gaps/article") == 400
    assert post("/staff/gaps/article", key="k" * 501) == 400
    assert post("/staff/gaps/status", key="zebra", status="planned", assign="me") == 303


def test_synonyms_too_long_are_refused_with_the_terms_kept(loaded_app):
    staff = staff_client(loaded_app)
    page = staff.get("/staff/synonyms").get_data(as_text=True)
    terms = ", ".join(f"word{n:04d}" for n in range(120))  # 1,078 characters
    response = staff.post(
        "/staff/synonyms", data={"csrf_token": csrf_token(page), "lang": "en", "terms": terms}
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert f"this has {len(terms)}" in html and f'value="{terms}"' in html
