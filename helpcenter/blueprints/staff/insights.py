"""Staff dashboard, gap inbox and CSV exports (the staff area is guarded by access.py)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from helpcenter.blueprints.insight_filters import request_filters
from helpcenter.blueprints.query_links import same_query
from helpcenter.blueprints.staff.blueprint import bp
from helpcenter.blueprints.staff.forms import GapArticleForm, GapStatusForm
from helpcenter.charts import line_chart, sparkline
from helpcenter.csv_export import csv_response
from helpcenter.i18n import current_lang
from helpcenter.input_guard import ActionForm, db_int
from helpcenter.models.analytics import GAP_STATUSES
from helpcenter.services.community import performance
from helpcenter.services.content import attention, catalog
from helpcenter.services.insights import dashboard as dashboards
from helpcenter.services.insights import gaps, goal_pages, measures, self_service


@bp.get("/")
def dashboard():
    filters = request_filters()
    page = dashboards.dashboard(filters)
    days, weeks = page.summary.daily, page.self_service_weeks
    return render_template(
        "staff/dashboard.html",
        filters=filters,
        **vars(page.summary),
        **vars(page),
        searches_chart=line_chart([(d, n) for d, n, _f in days], _("Customer searches per day")),
        failure_chart=line_chart(
            [(d, f) for d, _n, f in days], _("Failed searches per day"), percent=True
        ),
        self_service_chart=line_chart(
            [(d, s.score) for d, s in weeks if s.score is not None],
            _("Self-service score per week"),
        ),
    )


@bp.get("/how-we-count")
def how_we_count():
    return render_template("staff/how_we_count.html")


@bp.get("/gaps")
def gap_inbox():
    return _inbox()


def _inbox(refused: GapStatusForm | None = None) -> str:
    """The inbox page; `refused` is a dismissal whose reason was refused, shown at its gap."""
    filters = request_filters()
    status = request.args.get("status", "open")
    sort = request.args.get("sort", "people")
    page = request.args.get("page", 1, type=db_int) or 1
    if sort not in gaps.SORTS or not 1 <= page <= 10_000:
        abort(400)
    rows, total = gaps.inbox_page(
        filters, None if status == "all" else status, page=page, sort=sort
    )
    weekly = gaps.is_weekly(filters)
    return render_template(
        "staff/gaps.html",
        rows=rows,
        filters=filters,
        status=status,
        statuses=GAP_STATUSES,
        form=ActionForm(),
        categories=catalog.categories(),
        weekly=weekly,
        sort=sort,
        page=page,
        pages=max(1, -(-total // gaps.PAGE_SIZE)),
        total=total,
        refused=refused,
        trends={row.key: trend_chart(row.trend, weekly) for row in rows},
    )


def trend_chart(trend: list[tuple[str, int]], weekly: bool) -> Markup:
    """A gap's failed searches over the period as a sparkline; its text alternative says the
    first, last and peak figures."""
    if not trend:
        return Markup("")
    values = [n for _day, n in trend]
    peak = values.index(max(values))
    figures = {
        "start": trend[0][0],
        "end": trend[-1][0],
        "first": values[0],
        "last": values[-1],
        "peak": values[peak],
        "peak_day": trend[peak][0],
    }
    if weekly:
        label = _(
            "Failed searches per week, weeks of %(start)s to %(end)s: first %(first)d, last %(last)d, peak %(peak)d (week of %(peak_day)s).",
            **figures,
        )
    else:
        label = _(
            "Failed searches per day, %(start)s to %(end)s: first %(first)d, last %(last)d, peak %(peak)d (%(peak_day)s).",
            **figures,
        )
    return sparkline(trend, label)


@bp.post("/gaps/status")
def gap_status():
    form = GapStatusForm()
    if not form.validate():
        if form.reason.errors and not form.csrf_token.errors:
            return _inbox(refused=form), 400
        abort(400)
    assignee = current_user if form.assign.data == "me" else None
    gaps.set_status(
        current_user, form.key.data, form.status.data, reason=form.reason.data, assignee=assignee
    )
    flash(_("Gap updated."))
    return redirect(url_for(".gap_inbox", **same_query()), code=303)


@bp.post("/gaps/article")
def gap_article():
    form = GapArticleForm()
    if not form.validate():
        abort(400)
    article = gaps.draft_article(current_user, form.key.data)
    return redirect(url_for(".edit_article", article_id=article.id), code=303)


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def _funnel_rows(filters):
    data = dashboards.summary(filters)
    rows = [
        (
            s,
            getattr(data.current, s),
            f"{data.current.rate(s):.4f}",
            getattr(data.previous, s),
        )
        for s in measures.STEPS
    ]
    return ["step", "count", "rate", "previous_period_count"], rows


def _daily_rows(filters):
    return ["day", "searches", "failed_rate"], [
        (d, n, _fmt(f)) for d, n, f in measures.daily(filters)
    ]


def _misses_rows(filters):
    return ["sample_query", "searches"], gaps.most_common_misses(filters, limit=1000)


def _gap_rows(filters):
    header = ["gap", "status", "people", "searches", "failed", "sample_queries", "languages", "key"]
    rows = [
        (
            r.samples[0] if r.samples else r.key,
            r.status,
            r.visitors,
            r.searches,
            r.failed,
            " | ".join(r.samples),
            " ".join(r.langs),
            r.key,
        )
        for r in gaps.inbox(filters, None, limit=1000)
    ]
    return header, rows


def _article_rows(filters):
    rows = [
        (a.lang, a.slug, a.title, yes, total, f"{yes / total:.3f}")
        for a, yes, total in attention.articles(filters, limit=1000).least_helpful
    ]
    return ["lang", "slug", "title", "helpful_yes", "votes", "helpfulness"], rows


def _reason_rows(filters):
    return ["reason", "votes"], attention.articles(filters, limit=1000).no_reasons


def _escalating_rows(filters):
    rows = [
        (a.lang, a.slug, a.title, reads, esc)
        for a, reads, esc in attention.articles(filters, limit=1000).escalating
    ]
    return ["lang", "slug", "title", "reads_from_search", "escalated"], rows


def _stale_rows(filters):
    rows = [
        (a.lang, a.slug, a.title, a.updated.date().isoformat() if a.updated else "", views)
        for a, views in attention.articles(filters, limit=1000).stale
    ]
    return ["lang", "slug", "title", "updated", "views"], rows


def _passage_rows(filters):
    return ["passage", "clicks"], attention.transcript_passages(filters)


def _video_rows(filters):
    rows = [
        (v.lang, v.slug, v.title, views, esc, f"{esc / views:.3f}")
        for v, views, esc in attention.articles(filters, limit=1000).videos_escalating
    ]
    return ["lang", "slug", "title", "views_from_search", "escalated", "escalation_rate"], rows


def _community_rows(filters):
    rows = [
        (
            c.slug or "",
            c.category.name(current_lang()) if c.category else _("No topic"),
            c.questions,
            c.unanswered,
            _fmt(c.first_reply_median_h),
            _fmt(c.first_reply_p90_h),
            c.solved,
            c.old_questions,
            _fmt(c.solved_rate),
            _fmt(c.solution_median_h),
            c.by_community,
            c.accepted,
            _fmt(c.community_share),
        )
        for c in performance.by_category(filters)
    ]
    return [
        "category",
        "name",
        "questions",
        "unanswered",
        "first_reply_median_hours",
        "first_reply_p90_hours",
        "solved",
        "questions_older_than_7_days",
        "solved_rate",
        "solution_median_hours",
        "accepted_by_community",
        "accepted",
        "community_share",
    ], rows


def _unanswered_rows(filters):
    rows = [
        (t.id, t.lang, t.title, t.created_at.isoformat())
        for t in performance.community(filters).unanswered
    ]
    return ["thread", "lang", "title", "asked_at"], rows


def _helper_rows(filters):
    rows = [
        (p.display_name, points, upvotes, accepted)
        for p, points, upvotes, accepted in performance.community(filters).top_helpers
    ]
    return ["member", "points", "upvotes", "accepted_answers"], rows


def _self_service_rows(filters):
    now, before = self_service.measure(filters), self_service.measure(filters.previous())
    names = (
        "users",
        "contacts",
        "score",
        "requests",
        "after_search",
        "searched_share",
        "with_results",
        "results_share",
    )
    return ["figure", "value", "previous_period_value"], [
        (name, _num(getattr(now, name)), _num(getattr(before, name))) for name in names
    ]


def _num(value) -> str:
    return _fmt(value) if isinstance(value, float) or value is None else str(value)


def _goal_rows(_filters):
    header = [
        "id",
        "metric",
        "lang",
        "category",
        "direction",
        "target",
        "start_date",
        "deadline",
        "owner",
        "value_at_start",
        "value_now",
        "previous_week",
        "status",
        "archived",
        "note",
    ]
    rows = [
        (
            g.id,
            g.metric,
            g.lang or "",
            g.category.slug if g.category else "",
            g.direction,
            _fmt(g.target),
            g.start_date.isoformat(),
            g.deadline.isoformat(),
            g.owner.email,
            _fmt(r.start_value),
            _fmt(r.current),
            _fmt(r.previous),
            r.status,
            "yes" if g.archived_at else "",
            g.note,
        )
        for r in goal_pages.every_report()
        for g in (r.goal,)
    ]
    return header, rows


# Every table on the dashboard and the gap inbox, by the name its CSV link uses.
EXPORTS = {
    "funnel": _funnel_rows,
    "daily": _daily_rows,
    "misses": _misses_rows,
    "gaps": _gap_rows,
    "articles": _article_rows,
    "reasons": _reason_rows,
    "escalating": _escalating_rows,
    "stale": _stale_rows,
    "passages": _passage_rows,
    "videos": _video_rows,
    "community": _community_rows,
    "unanswered": _unanswered_rows,
    "helpers": _helper_rows,
    "selfservice": _self_service_rows,
    "goals": _goal_rows,
}


@bp.get("/export/<name>.csv")
def export(name: str):
    if name not in EXPORTS:
        abort(404)
    header, rows = EXPORTS[name](request_filters())
    return csv_response(name, header, rows)
