"""axe-core, the accessibility engine browsers' own audits use, finds no serious or critical
problem on any page type, in either language, for the role that sees it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from helpcenter.extensions import db
from helpcenter.models import Goal, User
from helpcenter.services.insights import goals, simulation
from helpcenter.services.webhooks import endpoints
from tests.builders import PHONE, signed_in_context
from tests.environment import BROWSER_TESTS

AXE = Path(__file__).parent / ".axe" / "node_modules" / "axe-core" / "axe.min.js"
INSTALL_AXE = "npm install --prefix tests/.axe axe-core@4"

pytestmark = BROWSER_TESTS
NEEDS_AXE = pytest.mark.skipif(
    not AXE.exists(), reason=f"axe-core is not installed: run `{INSTALL_AXE}` (CI does)"
)

DESKTOP = {"width": 1280, "height": 800}
BLOCKING = ("serious", "critical")

# Each rule broken, flattened to what is needed to fix it: the rule, its impact, its help text
# and where (the first selectors of the offending nodes). What axe cannot decide alone ("needs
# review") counts too, but for colour contrast: there it means text on the SVG charts, in the
# avatars or the aria-hidden brand mark, whose background axe cannot compute.
RUN_AXE = """async () => {
  const results = await axe.run(document, {resultTypes: ["violations", "incomplete"]});
  const flat = (v, review) => ({
    id: v.id + (review ? " (needs review)" : ""),
    impact: v.impact,
    help: v.help,
    count: v.nodes.length,
    targets: v.nodes.slice(0, 4).map(n => n.target.join(" ")),
  });
  return results.violations.map(v => flat(v, false)).concat(
    results.incomplete.filter(v => v.id !== "color-contrast").map(v => flat(v, true)));
}"""

# A chart is a picture of numbers: the same numbers follow it as a table (in a <details>), for
# screen readers and for anyone who wants the figures. One entry per chart: its name and whether
# the table is there.
CHARTS = """() => Array.from(document.querySelectorAll("svg.chart")).map(svg => {
  let box = svg.closest("figure") || svg;
  if (box.parentElement.classList.contains("charts")) box = box.parentElement;
  const next = box.nextElementSibling;
  return [svg.getAttribute("aria-label"),
          Boolean(next && next.matches("details") && next.querySelector("table tbody tr td"))];
})"""


@pytest.fixture
def every_page(loaded_app, site) -> dict[str, dict[str, str]]:  # noqa: F811 - the reused fixture
    """Each page type once, under the least role that can see it; staff pages with traffic
    behind their charts, goals and a webhook endpoint."""
    with loaded_app.test_request_context():
        admin = db.session.scalars(select(User).where(User.email == "admin@example.com")).one()
        simulation.simulate(days=21, per_day=15)
        goals.add_sample_goals(admin)
        endpoints.create(
            admin,
            url="https://hooks.example.com/helpcenter",
            description="Support channel",
            event_types=["article.published"],
            slack=True,
        )
        goal_id = db.session.scalars(select(Goal.id).order_by(Goal.id)).first()
    extra = {"sign-in form": "/signin", "not found": "/articles/en/no-such-article"}
    shown = {"anonymous": site["anonymous"] | extra}
    for lower, role in (("anonymous", "member"), ("member", "staff"), ("staff", "admin")):
        shown[role] = {name: path for name, path in site[role].items() if name not in site[lower]}
    shown["staff"] |= {"staff goals": "/staff/goals", "goal": f"/staff/goals/{goal_id}"}
    shown["admin"] |= {"admin webhooks": "/admin/webhooks"}
    return shown


def audit(
    context, live_server, pages: dict[str, str], axe_source: str, *, menu: bool = False
) -> tuple[list, int]:
    """What axe finds on `pages` in both languages (with the phone menu open if `menu`), with
    the page it was found on, plus charts without their table; and how many charts there were."""
    found, charts = [], 0
    page = context.new_page()
    for lang in ("en", "ja"):
        context.add_cookies([{"name": "hc_lang", "value": lang, "url": live_server}])
        for name, path in pages.items():
            where = f"{name} [{lang}] {path}"
            page.goto(path)
            if menu:
                page.click(".menu-button")
            # Through the DevTools protocol, not a <script> tag: the site's CSP
            # (script-src 'self') rightly refuses inline scripts, and the test keeps that CSP on.
            page.evaluate(axe_source)
            found += [v | {"page": where} for v in page.evaluate(RUN_AXE)]
            for label, has_table in page.evaluate(CHARTS):
                charts += 1
                if not has_table:
                    found.append(chart_without_table(where, label))
    page.close()
    return found, charts


def chart_without_table(where: str, label: str) -> dict:
    return {
        "page": where,
        "id": "chart-without-table",
        "impact": "serious",
        "help": "A chart must be followed by its numbers as a table",
        "count": 1,
        "targets": [f"svg[aria-label={label!r}]"],
    }


def describe(found: list[dict]) -> str:
    return "\n".join(
        f"{v['page']}: {v['id']} ({v['impact']}, {v['count']}×) {v['help']}: "
        + ", ".join(v["targets"])
        for v in found
    )


@NEEDS_AXE
def test_no_page_has_a_serious_or_critical_accessibility_problem(browser, live_server, every_page):
    axe_source = AXE.read_text(encoding="utf-8")
    found, charts = [], 0
    for role, pages in every_page.items():
        context = signed_in_context(browser, live_server, role, DESKTOP)
        role_found, role_charts = audit(context, live_server, pages, axe_source)
        found, charts = found + role_found, charts + role_charts
        context.close()
    # The phone's own header: the menu button and the navigation it opens, as the admin (who
    # has the most links in it).
    context = signed_in_context(browser, live_server, "admin", PHONE)
    phone = {"home (phone, menu open)": "/", "staff dashboard (phone, menu open)": "/staff/"}
    found += audit(context, live_server, phone, axe_source, menu=True)[0]
    context.close()
    blocking = [v for v in found if v["impact"] in BLOCKING]
    assert not blocking, "serious or critical accessibility problems:\n" + describe(blocking)
    assert charts >= 6, "the dashboard's and the goal's charts were not drawn"


def test_a_form_sent_back_with_errors_takes_the_reader_to_the_first_one(browser, live_server):
    expect = pytest.importorskip("playwright.sync_api").expect
    context = browser.new_context(base_url=live_server, locale="ja-JP")
    page = context.new_page()
    page.goto("/signup")
    page.fill("#email", "not-an-email")
    page.fill("#password", "a long enough password")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()

    email, name = page.locator("#email"), page.locator("#display_name")
    assert page.evaluate("document.activeElement.id") == "email"
    email_error, name_error = page.get_by_role("alert").all_inner_texts()
    # What a screen reader says with the field: its error (after the hint, if it has one).
    expect(email).to_have_accessible_description(email_error)
    expect(name).to_have_accessible_description(re.compile(re.escape(name_error) + "$"))
    assert email.get_attribute("aria-invalid") == name.get_attribute("aria-invalid") == "true"
    assert page.locator("#password").get_attribute("aria-invalid") is None
    context.close()
