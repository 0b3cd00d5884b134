"""Operator commands: init, content import/export, search rebuild/stats, db copy-from."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from flask_migrate import upgrade
from flask_migrate.cli import db as db_cli

from helpcenter import database_copy, worker
from helpcenter.config import PROJECT_ROOT
from helpcenter.extensions import db
from helpcenter.models.user import ROLES
from helpcenter.search_index import IndexUnavailable
from helpcenter.services import audit
from helpcenter.services.accounts import account, users
from helpcenter.services.accounts.account import AccountError
from helpcenter.services.community import notifications, samples
from helpcenter.services.content import curation, imports
from helpcenter.services.content.markdown_files import ContentError
from helpcenter.services.insights import gaps, goal_report, goals, measures, simulation
from helpcenter.services.search import indexing

content_cli = AppGroup("content", help="Import and export help content (Markdown files).")
users_cli = AppGroup("users", help="Create accounts and manage roles.")
notifications_cli = AppGroup("notifications", help="Community notification email.")
analytics_cli = AppGroup("analytics", help="Self-service analytics: report, purge, demo traffic.")
goals_cli = AppGroup("goals", help="KPI targets: the owners' weekly email.")


@analytics_cli.command("report")
@click.option("--days", type=click.IntRange(1, 366), default=30, show_default=True)
@click.option("--lang", type=click.Choice(["en", "ja"]), default=None)
def report_command(days: int, lang: str | None) -> None:
    """Print the headline and the key figures for the last DAYS days."""
    filters = measures.filters_for(days, lang=lang)
    current, previous = measures.funnel(filters), measures.funnel(filters.previous())
    key, figure = measures.headline(current, previous)
    points = (figure or 0.0) * 100  # only "climbing" states it; "no_traffic" has no figure
    sentences = {
        "no_traffic": "No customer searches in this period yet.",
        "climbing": f"Failure rate climbing: {current.failure_rate:.1%} failed, {points:+.1f} points.",
        "gaps": f"Content gaps: {current.failure_rate:.1%} of customer searches failed.",
        "healthy": f"Healthy: {current.success_rate:.1%} of customer searches succeeded.",
    }
    click.echo(sentences[key])
    for step in (
        "searches",
        "with_results",
        "clicked",
        "read",
        "helpful",
        "zero_result",
        "no_click",
        "reformulated",
        "escalated_thread",
        "escalated_support",
        "failed",
    ):
        click.echo(
            f"  {step:18} {getattr(current, step):8}  {current.rate(step):6.1%}  (before: {getattr(previous, step)})"
        )
    click.echo("Top gaps:")
    for row in gaps.inbox(filters, limit=5):
        click.echo(f"  {row.visitors:5} people  {row.samples[0] if row.samples else row.key}")


@analytics_cli.command("purge")
@click.option(
    "--days",
    type=click.IntRange(1),
    default=None,
    help="Default: HELPCENTER_ANALYTICS_RETENTION_DAYS.",
)
def purge_command(days: int | None) -> None:
    """Delete analytics events older than the retention period."""
    days = days or current_app.config["ANALYTICS_RETENTION_DAYS"]
    counts = measures.purge(days)
    click.echo(
        f"Deleted events older than {days} days: "
        + ", ".join(f"{n} {t}" for t, n in counts.items())
    )


@analytics_cli.command("simulate")
@click.option("--days", type=click.IntRange(1, 365), default=60, show_default=True)
@click.option("--per-day", type=click.IntRange(1, 100_000), default=80, show_default=True)
@click.option("--seed", type=int, default=7, show_default=True)
def simulate_command(days: int, per_day: int, seed: int) -> None:
    """Write realistic demo traffic (with planted gaps) for the sample content."""
    with click.progressbar(length=days, label="Simulating days", file=sys.stderr) as bar:
        written = simulation.simulate(days, per_day, seed, progress=bar.update)
    click.echo(f"Wrote {written} customer searches over {days} days.")


@notifications_cli.command("digest")
def digest_command() -> None:
    """Email the daily digest to everyone who chose one (run it daily, from cron)."""
    queued = notifications.send_digests()
    click.echo(f"Queued {queued} digest(s).")
    worker.drain_if_inline()


@goals_cli.command("weekly-report")
def weekly_report_command() -> None:
    """Judge every goal and email each owner their goals' week (run it weekly, from cron)."""
    queued = goal_report.queue_weekly_reports()
    click.echo(f"Queued {queued} goal report(s).")
    worker.drain_if_inline()


search_cli = AppGroup("search", help="Build and inspect the search index.")


def _import(path: Path, prune: bool) -> bool:
    try:
        files = imports.discover_files(path)
    except ContentError as exc:
        raise click.ClickException(str(exc)) from exc
    with click.progressbar(length=len(files), label=f"Importing {path}", file=sys.stderr) as bar:
        summary = imports.import_content(path, files, prune=prune, progress=bar.update)
    for rel, reason in summary.failed:
        click.secho(f"  failed: {rel}: {reason}", fg="red", err=True)
    click.echo(
        f"added {summary.added}, updated {summary.updated}, unchanged {summary.unchanged}, "
        f"failed {len(summary.failed)}" + (f", unpublished {summary.pruned}" if prune else "")
    )
    return summary.ok


def _rebuild() -> None:
    total = indexing.indexable_count()
    with click.progressbar(length=total, label="Indexing pages", file=sys.stderr) as bar:
        written = indexing.rebuild_index(progress=bar.update)
    click.echo(f"Search index rebuilt: {written} documents from {total} pages.")


@content_cli.command("import")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--prune", is_flag=True, help="Unpublish imported pages whose file is gone.")
def import_command(path: Path | None, prune: bool) -> None:
    """Import PATH (default: the content folder). Exits non-zero if any file failed."""
    if not _import(path or Path(current_app.config["CONTENT_DIR"]), prune):
        sys.exit(1)


@content_cli.command("export")
@click.argument("path", type=click.Path(path_type=Path))
def export_command(path: Path) -> None:
    """Write every article and video to PATH in the content/ format."""
    with click.progressbar(length=imports.page_count(), label="Exporting", file=sys.stderr) as bar:
        count = imports.export_content(path, progress=bar.update)
    click.echo(f"Exported {count} pages to {path}.")


@content_cli.command("publish-due")
def publish_due_command() -> None:
    """Publish scheduled articles whose time has come (requests also do this once a minute)."""
    published = curation.publish_due()
    for article in published:
        click.echo(f"Published {article.lang}/{article.slug}: {article.title}")
    click.echo(f"{len(published)} scheduled article(s) published.")
    worker.drain_if_inline()  # answer alerts


@search_cli.command("rebuild")
def rebuild_command() -> None:
    """Build a fresh index beside the live one and swap it in."""
    _rebuild()


@search_cli.command("stats")
def stats_command() -> None:
    """Documents in the index per kind, and whether they match the database."""
    try:
        stats = indexing.index_stats()
    except IndexUnavailable as exc:
        raise click.ClickException(str(exc)) from exc
    for kind, kind_stats in stats.items():
        mark = "ok" if kind_stats.in_step else "OUT OF STEP"
        click.echo(
            f"{kind:8} indexed {kind_stats.indexed:6}  published {kind_stats.in_db:6}  {mark}"
        )
        for label, keys in (("missing", kind_stats.missing), ("stale", kind_stats.extra)):
            if keys:
                shown = ", ".join(keys[:5]) + (" …" if len(keys) > 5 else "")
                click.echo(f"         {len(keys)} {label}: {shown}")
    in_step = all(kind_stats.in_step for kind_stats in stats.values())
    pending = indexing.pending_updates()
    if pending:
        click.echo(f"{pending} queued update(s) not yet in the index: run `search sync`.")
    if not in_step:
        click.echo("Run `flask --app helpcenter search rebuild` to bring the index in step.")
        sys.exit(1)


@search_cli.command("sync")
def sync_command() -> None:
    """Apply queued index updates (left behind when the index was busy or missing)."""
    updated = indexing.drain_outbox()
    pending = indexing.pending_updates()
    click.echo(f"Applied {updated} update(s); {pending} still queued.")
    if pending:
        raise click.ClickException(
            "The index is busy or missing; try again, or run `flask --app helpcenter search rebuild`."
        )


@users_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help="Display name.")
@click.option("--role", type=click.Choice(ROLES), default="member", show_default=True)
@click.option("--lang", type=click.Choice(["en", "ja"]), default="en", show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user_command(email: str, name: str, role: str, lang: str, password_stdin: bool) -> None:
    """Create a confirmed account (password from a prompt, or --password-stdin)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = account.create_user(email, name, password, role=role, lang=lang, confirmed=True)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    audit.record(None, "user.create", f"user:{user.id} {user.email}", actor_label="cli", role=role)
    db.session.commit()
    click.echo(f"Created {role} {user.email}.")


@users_cli.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice(ROLES))
def set_role_command(email: str, role: str) -> None:
    """Give EMAIL the role ROLE (member, staff or admin)."""
    user = account.find_user(email)
    if user is None:
        raise click.ClickException(
            f"No account uses {email}; see `flask --app helpcenter users list`."
        )
    users.set_role(None, user, role, actor_label="cli")
    click.echo(f"{user.email} is now {role}.")


@users_cli.command("list")
def list_users_command() -> None:
    """Every account with its role and state."""
    page = users.search_users(per_page=10_000)
    for user in page.items:
        state = (
            "suspended"
            if user.suspended_at
            else ("confirmed" if user.is_confirmed else "unconfirmed")
        )
        click.echo(f"{user.email:40} {user.role:7} {state:11} {user.display_name}")
    click.echo(f"{page.total} account(s).")


DEMO_USERS = (
    ("admin@tsumiki.example", "Demo Admin", "admin", "en"),
    ("staff@tsumiki.example", "サポート 佐藤", "staff", "ja"),
    ("member@tsumiki.example", "Alex Member", "member", "en"),
    ("member-ja@tsumiki.example", "山田 花子", "member", "ja"),
)
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - printed for the local sample site only


def _create_demo_users() -> None:
    click.echo("Demo accounts (sample site only; every password is " + DEMO_PASSWORD + "):")
    for email, name, role, lang in DEMO_USERS:
        if account.find_user(email) is None:
            account.create_user(email, name, DEMO_PASSWORD, role=role, lang=lang, confirmed=True)
        click.echo(f"  {role:7} {email}")


@db_cli.command("copy-from")
@click.argument("source_url")
@with_appcontext
def copy_from_command(source_url: str) -> None:
    """Copy every row from SOURCE_URL (e.g. sqlite:////srv/help/instance/helpcenter.sqlite3)
    into this app's database, which must be migrated and empty. Then run `search rebuild`."""
    total = database_copy.count_rows(source_url)
    with click.progressbar(length=total, label="Copying rows", file=sys.stderr) as bar:
        try:
            copied = database_copy.copy_database(source_url, db.engine, progress=bar.update)
        except database_copy.CopyRefused as exc:
            raise click.ClickException(str(exc)) from exc
    tables = sum(1 for rows in copied.values() if rows)
    click.echo(f"Copied {sum(copied.values())} rows in {tables} tables.")
    click.echo("Now run `flask --app helpcenter search rebuild` on the new database.")


@click.command("init")
@click.option("--sample", is_flag=True, help="Import the bundled sample content.")
@with_appcontext
def init_command(sample: bool) -> None:
    """Migrate the database, import content and build the search index."""
    click.echo("Upgrading the database…")
    upgrade(directory=str(PROJECT_ROOT / "helpcenter" / "migrations"))
    source = PROJECT_ROOT / "content" if sample else Path(current_app.config["CONTENT_DIR"])
    ok = _import(source, prune=False)
    _rebuild()
    if sample and current_app.config["ENV_NAME"] != "production":
        _create_demo_users()
        threads = samples.load(DEMO_PASSWORD)
        if threads:
            click.echo(f"Sample community: {threads} threads with replies, votes and answers.")
            searches = simulation.simulate(days=60, per_day=80)
            click.echo(f"Sample analytics: {searches} simulated customer searches over 60 days.")
            staff = account.find_user("staff@tsumiki.example")  # a demo user made above
            if staff is not None and goals.add_sample_goals(staff):
                click.echo("Sample goals: see /staff/goals.")
    click.echo("Ready: run `flask --app helpcenter run` and open http://127.0.0.1:5000/")
    if not ok:
        sys.exit(1)


def init_app(app: Flask) -> None:
    worker.init_app(app)
    app.cli.add_command(content_cli)
    app.cli.add_command(search_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(notifications_cli)
    app.cli.add_command(goals_cli)
    app.cli.add_command(analytics_cli)
    app.cli.add_command(init_command)
