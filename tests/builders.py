"""Builders the tests share: plain functions that make people, threads, replies and search events
through the app's own services or pages, and read what the app sent (mail) or wrote (rows, SQL).
Fixtures in conftest.py and in the test modules chain them; a test module imports them from
here, never from conftest.py or another test module."""

from __future__ import annotations

import re
import socket
import time
from contextlib import contextmanager
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from html.parser import HTMLParser
from urllib.parse import urlsplit

from sqlalchemy import event, insert, select, text

from helpcenter.blueprints.staff.insights import EXPORTS
from helpcenter.extensions import db, search_index
from helpcenter.models import Article, Job, SearchEvent, User, WebhookEndpoint
from helpcenter.models.base import utcnow
from helpcenter.models.content import STATUS_SCHEDULED
from helpcenter.models.goals import Direction
from helpcenter.models.jobs import JobStatus
from helpcenter.search_index import SearchRequest
from helpcenter.search_index.gap_key import gap_key
from helpcenter.services.community import posts
from helpcenter.services.content import curation, revisions
from helpcenter.services.insights import events, gaps, goals, measures
from helpcenter.services.search import synonyms
from tests.environment import PG_URL, reset_postgres

PASSWORD = "correct horse battery"  # a test password that passes the rules


# -- a browser's part: forms and signing in -------------------------------------------------------


def csrf_token(html: str) -> str:
    match = re.search(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def sign_in(client, email, password=PASSWORD, remember=False, next_url=None):
    page = client.get("/signin").get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "email": email, "password": password}
    if remember:
        data["remember"] = "y"
    if next_url is not None:
        data["next"] = next_url
    return client.post("/signin", data=data)


# -- people ---------------------------------------------------------------------------------------


def make_user(
    app,
    email="member@example.com",
    role="member",
    confirmed=True,
    name="Test Person",
    lang="en",
    password=PASSWORD,
) -> int:
    from helpcenter.services.accounts import account

    with app.app_context():
        user = account.create_user(email, name, password, role=role, lang=lang, confirmed=confirmed)
        return user.id


def member(app, email="asker@example.com", **kwargs):
    """A test client signed in as a new person: a member, unless `role` says otherwise."""
    make_user(app, email, **kwargs)
    client = app.test_client()
    sign_in(client, email)
    return client


# -- community ------------------------------------------------------------------------------------


def _member(email: str, name: str):
    from helpcenter.services.accounts import account

    user = db.session.scalars(select(User).where(User.email == email)).first()
    return user or account.create_user(email, name, PASSWORD, confirmed=True)


def make_thread(
    app,
    *,
    title="How do I export my board to CSV?",
    body="I need a CSV of all tasks on one board.",
    answers=(),
    accepted=None,
    kind="question",
    category="account",
    self_reply=False,
) -> int:
    """A thread asked by one member and answered (each of `answers`) by another, through the
    forum service; `accepted` is the index of the answer the asker accepts. `self_reply` adds
    a reply by the asker, which does not make the thread answered."""
    from helpcenter.services.community import posts

    with app.app_context():
        asker = _member("asker@example.com", "Asker")
        helper = _member("helper@example.com", "Helper")
        thread = posts.create_thread(
            author=asker, title=title, body=body, category_slug=category, kind=kind
        )
        if self_reply:
            posts.reply(asker, thread, "Any ideas, anyone? I still need this.")
        replies = [posts.reply(helper, thread, text) for text in answers]
        if accepted is not None:
            posts.accept(asker, thread, replies[accepted])
        return thread.id


def ask(
    client,
    title="How do I export my board to CSV?",
    body="I need a CSV of all tasks on one board.",
    **extra,
) -> int:
    """A question asked through the page, as the signed-in `client`; returns the thread's id."""
    page = client.get("/community/new").get_data(as_text=True)
    data = {
        "csrf_token": csrf_token(page),
        "title": title,
        "body": body,
        "kind": "question",
        **extra,
    }
    response = client.post("/community/new", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return int(response.headers["Location"].rsplit("/", 1)[1])


def answer(client, thread_id, body="Open the board menu and choose Export.") -> int:
    """A reply posted through the thread's page; returns the post's id."""
    page = client.get(f"/community/t/{thread_id}").get_data(as_text=True)
    response = client.post(
        f"/community/t/{thread_id}/reply", data={"csrf_token": csrf_token(page), "body": body}
    )
    assert response.status_code == 303
    return int(response.headers["Location"].rsplit("#p", 1)[1])


def post_action(client, thread_id, path):
    """A button pressed on the thread's page (accept, vote, follow…)."""
    page = client.get(f"/community/t/{thread_id}").get_data(as_text=True)
    return client.post(path, data={"csrf_token": csrf_token(page)})


# -- search events --------------------------------------------------------------------------------


def search_row(query, visitor, ago=timedelta(days=1), lang="en", **outcome) -> dict:
    """One logged search as a row for `insert_rows`: results, no click, unless `outcome` says."""
    at = utcnow() - ago
    row = {
        "query": query,
        "normalized": query.lower(),
        "gap_key": gap_key(query),
        "lang": lang,
        "source": "page",
        "visitor_id": visitor,
        "is_staff": False,
        "is_crawler": False,
        "created_at": at,
        "updated_at": at,
        "result_count": 5,
        "reformulated": False,
    }
    row.update(outcome)
    return row


def insert_rows(rows) -> None:
    """Search events written straight to the table (inside an app context), for hand counts."""
    db.session.execute(insert(SearchEvent), rows)
    db.session.commit()


XSS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](java&#115;cript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    '<svg onload="alert(1)"><circle/></svg>',
    '<a href="javascript:alert(1)">x</a>',
    '<iframe src="https://evil.example"></iframe>',
    "<div style=\"background:url('javascript:alert(1)')\">x</div>",
    '<p onmouseover="alert(1)">hover</p>',
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '"><script>alert(1)</script>',
    "<<img src=x onerror=alert(1)//>",
    "[x](vbscript:msgbox(1))",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
]


def found(app, query, **kwargs):
    with app.app_context():
        return [
            (h.kind, h.title)
            for h in search_index.search(SearchRequest(query=query, **kwargs)).hits
        ]


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "svg", "iframe", "math", "style", "object", "embed", "form"}:
            self.found.append(tag)
        for name, value in attrs:
            scheme = (value or "").strip().lower().split(":", 1)[0]
            if (
                name.startswith("on")
                or name == "style"
                or (
                    name in ("href", "src")
                    and ":" in (value or "")
                    and scheme not in ("http", "https", "mailto")
                )
            ):
                self.found.append(f"{tag}[{name}={value}]")


def dangerous_markup(html: str) -> list[str]:
    """Elements and attributes (not escaped text) that could run script or restyle the page."""
    parser = _Elements()
    parser.feed(html)
    return parser.found


def editor_fields(page: str, **changes) -> dict:
    data = {
        "csrf_token": csrf_token(page),
        "title": "Export a Gantt chart",
        "slug": "export-gantt-chart",
        "summary": "PDF or PNG.",
        "body": "## Steps\n\nOpen the Gantt view.\n\nChoose **Export**.\n",
        "tags": "gantt, export",
        "category": "account",
        "action": "save",
    }
    data.update(changes)
    return data


def create_article(staff, lang="en", **changes) -> str:
    """A new article saved from the editor; returns its editor URL."""
    page = staff.get(f"/staff/articles/new?lang={lang}").get_data(as_text=True)
    response = staff.post(f"/staff/articles/new?lang={lang}", data=editor_fields(page, **changes))
    assert response.status_code == 303, response.get_data(as_text=True)
    return response.headers["Location"]


def gap_section(page: str, text: str) -> str:
    """The gap inbox entry whose heading is `text`."""
    for section in re.findall(r'<section class="panel gap">.*?</section>', page, re.S):
        if re.search(r"<h2>\s*" + re.escape(text), section):
            return section
    raise AssertionError(f"no gap {text!r} on the page")


def add_synonyms(client, lang, terms):
    page = client.get("/staff/synonyms").get_data(as_text=True)
    return client.post(
        "/staff/synonyms", data={"csrf_token": csrf_token(page), "lang": lang, "terms": terms}
    )


# real_objects(): each role that may act gets its own article, so one role's action leaves the
# next one work.
ARTICLES = {
    "anonymous": "reset-password",
    "member": "reset-password",
    "staff": "cancel-plan",
    "admin": "download-invoices",
}


def real_objects(app, tag: str) -> dict[str, object]:
    """Fresh objects for every URL parameter a guarded route can take (made in a request, as
    posting one mails its followers)."""
    with app.test_request_context():
        staff = db.session.scalars(select(User).where(User.email == "staff@example.com")).one()
        asker = db.session.get(User, make_user(app, f"asker-{tag}@example.com"))
        helper = db.session.get(User, make_user(app, f"helper-{tag}@example.com"))
        thread = posts.create_thread(
            author=asker,
            title=f"Export question {tag}",
            body="How do I export a board?",
            category_slug=None,
            kind="question",
        )
        reply = posts.reply(helper, thread, "Open the board menu and choose Export.")
        posts.accept(asker, thread, reply)
        article = db.session.scalars(select(Article).where(Article.slug == ARTICLES[tag])).one()
        article.status, article.publish_at = STATUS_SCHEDULED, datetime(2099, 1, 1, 9, 0)
        revisions.record(article, staff, "scheduled for the permission matrix")
        vote = events.record_vote(
            article, False, events.Actor(visitor_id=f"v-{tag}"), "incorrect", "Old screenshots."
        )
        group = synonyms.add_group(staff, "en", f"board{tag}, kanban{tag}")
        today = datetime.now().date()
        goal = goals.create(
            staff,
            goals.GoalFields(
                metric="search_success",
                direction=Direction.AT_LEAST,
                target=0.8,
                start_date=today,
                deadline=today.replace(year=today.year + 1),
                owner=staff,
            ),
        )
        endpoint = WebhookEndpoint(
            url="http://127.0.0.1:9/hook", secret="whsec_x", event_types=["article.published"]
        )
        untranslated = curation.new_article("ja")
        untranslated.title, untranslated.slug = f"翻訳 {tag}", f"translation-{tag}"
        job = Job(  # a digest for nobody: retrying it runs and does nothing
            kind="digest",
            payload={"user_id": asker.id, "notification_ids": []},
            status=JobStatus.FAILED,
            attempts=8,
            last_error="Connection refused",
        )
        db.session.add_all([endpoint, untranslated, job])
        db.session.commit()
        return {
            "tag": tag,
            "staff_id": staff.id,
            "other_lang_id": untranslated.id,
            "job_id": job.id,
            "endpoint_id": endpoint.id,
            "user_id": asker.id,
            "thread_id": thread.id,
            "post_id": reply.id,
            "article_id": article.id,
            "number": 1,
            "vote_id": vote.id,
            "group_id": group.id,
            "goal_id": goal.id,
            "action": "lock",
            "name": next(iter(EXPORTS)),
        }


def report_post(client, thread_id, post_id, reason="spam"):
    page = client.get(f"/community/t/{thread_id}").get_data(as_text=True)
    return client.post(
        f"/community/p/{post_id}/flag", data={"csrf_token": csrf_token(page), "reason": reason}
    )


def moderation_action(client, path, **data):
    page = client.get("/staff/moderation").get_data(as_text=True)
    return client.post(path, data={"csrf_token": csrf_token(page), **data})


def spammy_thread(app):
    asker = member(app)
    spammer = member(app, "spammer@example.com")
    thread_id = ask(asker, title="Calendar sync is slow today", body="Sync takes an hour for me.")
    post_id = answer(spammer, thread_id, "Buy cheap watches at spam dot example")
    return asker, thread_id, post_id


def visitor_search(client, query):
    """Search like a visitor; returns the results page and the search id it carries."""
    html = client.get("/search", query_string={"q": query}).get_data(as_text=True)
    sid = re.search(r'name="sid" value="(\d+)"', html)
    assert sid, "no 'tell me when this is answered' form on the results page"
    return html, int(sid.group(1))


def ask_for_alert(client, query, email=None):
    html, sid = visitor_search(client, query)
    data = {"csrf_token": csrf_token(html), "sid": sid, "q": query}
    if email is not None:
        data["email"] = email
    return client.post("/search/alert", data=data, follow_redirects=True)


def publish_for(app, query, title="Zebras and quokkas", slug="zebras-and-quokkas"):
    """Staff start an article from the gap of `query` and publish it (the curation loop)."""
    staff_id = make_user(app, f"staff-{slug}@example.com", role="staff")
    with app.app_context():
        staff = db.session.get(User, staff_id)
        draft = gaps.draft_article(staff, gap_key(query), measures.filters_for(30))
        fields = curation.Fields(title, "", "## Answer\n\nLike this.", "", None, slug)
        article = curation.save_article(staff, draft, fields, publish=True)
        return article.path


def redis_running() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


def fresh_schema(app):
    """Drop what the fixture created, so `init` must build the schema with migrations."""
    with app.app_context():
        if PG_URL:
            reset_postgres()
        else:
            db.drop_all()
            with db.engine.begin() as conn:
                conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


PHONE = {"width": 390, "height": 844}


def signed_in_context(browser, live_server, role: str, viewport: dict[str, int]):
    context = browser.new_context(base_url=live_server, viewport=viewport, locale="en-US")
    if role != "anonymous":
        page = context.new_page()
        page.goto("/signin")
        page.fill("main input[name=email]", f"{role}@example.com")
        page.fill("main input[name=password]", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_url(lambda url: "/signin" not in url)
        page.close()
    return context


# -- mail and the database, as a test reads them --------------------------------------------------


class Mailbox:
    """Messages received by the loopback SMTP server, and a way to wait for one."""

    def __init__(self):
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def wait_for(self, to: str, count: int = 1, timeout: float = 10.0) -> list:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [m for m in self.messages if m["To"] == to]
            if len(found) >= count:
                return found
            time.sleep(0.02)
        raise AssertionError(
            f"{count} mail(s) to {to} did not arrive; got {[m['To'] for m in self.messages]}"
        )

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"] == address]


def link_in(message) -> str:
    """The first http link in a mail's text part, as a path."""
    text = message.get_body(("plain",)).get_content()
    url = re.search(r"https?://\S+", text).group(0)
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def without_tokens(html: str) -> str:
    """A page with its CSRF tokens masked, to compare two pages served a moment apart."""
    return re.sub(r'(name="csrf_token"[^>]*value=")[^"]+', r"\1…", html)


@contextmanager
def counted_statements(app):
    """Every SQL statement the app sends inside the block, to count queries or find writes."""
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def snapshot(app) -> dict[str, list[str]]:
    """Every row of every table, to show that a request changed the database, or nothing."""
    with app.app_context():
        return {
            table.name: sorted(repr(tuple(row)) for row in db.session.execute(select(table)))
            for table in db.metadata.sorted_tables
        }
