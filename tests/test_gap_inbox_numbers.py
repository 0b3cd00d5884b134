"""The gap inbox staff act on: honest counts, a fixed number of queries whatever its length,
pages and sorting, readable CSV, and a read that writes nothing."""

import csv
import io
from datetime import timedelta

from sqlalchemy import select

from helpcenter.extensions import db
from helpcenter.models import Gap, User
from helpcenter.models.base import utcnow
from helpcenter.search_index.gap_key import gap_key
from helpcenter.services.insights import gaps
from tests.builders import (
    counted_statements,
    gap_section,
    insert_rows,
    make_user,
    search_row,
    sign_in,
)


def staff_client(app):
    make_user(app, "staff@example.com", role="staff")
    client = app.test_client()
    sign_in(client, "staff@example.com")
    return client


def plant_gaps(app, count: int) -> None:
    rows = []
    for number in range(count):
        query = f"missing feature {number:03d}"
        rows += [search_row(query, f"{number}-{p}", result_count=0) for p in range(number % 3 + 1)]
    with app.app_context():
        insert_rows(rows)


def test_each_gap_shows_its_failed_and_all_searches(loaded_app):
    """7 searches for "keyboard shortcuts" found nothing, 13 were clicked: 7 failed of 20."""
    now = utcnow()
    with loaded_app.app_context():
        insert_rows(
            [search_row("keyboard shortcuts", f"a{n}", result_count=0) for n in range(7)]
            + [search_row("keyboard shortcuts", f"b{n}", clicked_at=now) for n in range(13)]
        )
    page = staff_client(loaded_app).get("/staff/gaps?days=30").get_data(as_text=True)
    assert "7 failed of 20 searches" in gap_section(page, "keyboard shortcuts")


def test_the_inbox_costs_the_same_few_queries_for_ten_gaps_or_sixty(loaded_app):
    staff = staff_client(loaded_app)
    plant_gaps(loaded_app, 10)
    staff.get("/staff/gaps?days=30")  # warm: rollups, synonyms, caches
    with counted_statements(loaded_app) as few:
        assert staff.get("/staff/gaps?days=30&status=all").status_code == 200
    plant_gaps(loaded_app, 60)
    with counted_statements(loaded_app) as many:
        assert staff.get("/staff/gaps?days=30&status=all").status_code == 200
    assert len(many) == len(few) and len(many) < 25, (len(few), len(many))
    for export in ("/staff/export/gaps.csv?days=90", "/api/v1/analytics/gaps?days=90"):
        with counted_statements(loaded_app) as statements:
            assert staff.get(export).status_code == 200
        assert len(statements) < 25, (export, len(statements))


def test_the_inbox_is_paged_and_every_gap_is_on_exactly_one_page(loaded_app):
    staff = staff_client(loaded_app)
    plant_gaps(loaded_app, 45)
    seen = []
    for number in (1, 2, 3):
        page = staff.get(f"/staff/gaps?days=30&page={number}").get_data(as_text=True)
        seen += [
            line.split("missing feature ")[1][:3]
            for line in page.split("<h2>")[1:]
            if "missing feature" in line.split("</h2>")[0]
        ]
        assert f"Page {number} of 3" in page
    assert sorted(seen) == [f"{n:03d}" for n in range(45)]


def test_staff_can_sort_by_newest_and_by_rising(loaded_app):
    with loaded_app.app_context():
        insert_rows(
            [
                search_row("old trouble", f"o{n}", ago=timedelta(days=20), result_count=0)
                for n in range(5)
            ]
            + [search_row("new trouble", "n1", ago=timedelta(hours=2), result_count=0)]
        )
    staff = staff_client(loaded_app)
    first = lambda html: html.split("<h2>")[1].split("<")[0].strip()  # noqa: E731
    assert first(staff.get("/staff/gaps?days=30").get_data(as_text=True)) == "old trouble"
    assert (
        first(staff.get("/staff/gaps?days=30&sort=newest").get_data(as_text=True)) == "new trouble"
    )
    assert (
        first(staff.get("/staff/gaps?days=30&sort=trend").get_data(as_text=True)) == "new trouble"
    )
    assert staff.get("/staff/gaps?sort=sideways").status_code == 400


def test_the_csv_names_a_gap_by_what_people_typed(loaded_app):
    with loaded_app.app_context():
        insert_rows([search_row("Mode offline", f"m{n}", result_count=0) for n in range(2)])
    body = staff_client(loaded_app).get("/staff/export/gaps.csv?days=30").get_data(as_text=True)
    [row] = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert row["gap"] == "Mode offline" and row["key"] == gap_key("Mode offline")


def test_reading_the_inbox_writes_nothing_even_when_a_gap_comes_back(loaded_app):
    staff = make_user(loaded_app, "staff@example.com", role="staff")
    with loaded_app.app_context():
        insert_rows(
            [
                search_row("dark mode", f"d{n}", ago=timedelta(days=3), result_count=0)
                for n in range(5)
            ]
        )
        gap = gaps.set_status(db.session.get(User, staff), gap_key("dark mode"), "addressed")
        gap.addressed_at = utcnow() - timedelta(days=2)
        db.session.commit()
        insert_rows(
            [
                search_row("dark mode", f"e{n}", ago=timedelta(hours=1), result_count=0)
                for n in range(5)
            ]
        )
    client = loaded_app.test_client()
    sign_in(client, "staff@example.com")
    with counted_statements(loaded_app) as statements:
        page = client.get("/staff/gaps?days=30").get_data(as_text=True)
    assert "Open" in gap_section(page, "dark mode")
    writes = [
        s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    with loaded_app.app_context():
        assert db.session.scalars(select(Gap.status)).one() == "addressed"
