"""The analytics JSON API for staff (`/api/v1/analytics/...`, guarded by access.py)."""

from flask import Blueprint, jsonify

from helpcenter.blueprints.insight_filters import request_filters
from helpcenter.services.community import performance
from helpcenter.services.content import attention
from helpcenter.services.insights import dashboard as dashboards
from helpcenter.services.insights import gaps, goal_pages, goals, measures
from helpcenter.services.insights.self_service import SelfService

bp = Blueprint("api_analytics", __name__)


def _scope(filters: measures.Filters) -> dict:
    return {
        "start": filters.start.isoformat() + "Z",
        "end": filters.end.isoformat() + "Z",
        "lang": filters.lang,
        "category": filters.category.slug if filters.category else None,
    }


@bp.get("/analytics/summary")
def analytics_summary():
    filters = request_filters()
    data = dashboards.summary(filters)
    current, previous = data.current, data.previous
    return jsonify(
        **_scope(filters),
        headline=data.headline,
        headline_figure=data.figure,
        success_rate=round(current.success_rate, 4),
        funnel={
            s: {
                "count": getattr(current, s),
                "rate": round(current.rate(s), 4),
                "previous_count": getattr(previous, s),
            }
            for s in measures.STEPS
        },
        daily=[{"day": d, "searches": n, "failure_rate": round(f, 4)} for d, n, f in data.daily],
        self_service=_self_service(data.self_service, data.self_service_previous),
    )


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _self_service(now: SelfService, before: SelfService) -> dict:
    """The score is null when nobody contacted support (no division by zero)."""
    return {
        "score": _rounded(now.score),
        "previous_score": _rounded(before.score),
        "users": now.users,
        "contacts": now.contacts,
        "support_requests": now.requests,
        "requests_after_search": now.after_search,
        "requests_after_search_share": _rounded(now.searched_share),
        "searches_with_results": now.with_results,
        "searches_with_results_share": _rounded(now.results_share),
    }


@bp.get("/analytics/goals")
def analytics_goals():
    """Every goal (archived ones too, marked) with its figures and status."""
    return jsonify(goals=[_goal(report) for report in goal_pages.every_report()])


def _goal(report: goals.Progress) -> dict:
    goal = report.goal
    return {
        "id": goal.id,
        "metric": goal.metric,
        "lang": goal.lang,
        "category": goal.category.slug if goal.category else None,
        "direction": goal.direction,
        "target": goal.target,
        "start_date": goal.start_date.isoformat(),
        "deadline": goal.deadline.isoformat(),
        "owner": goal.owner.display_name,
        "note": goal.note,
        "archived": goal.archived_at is not None,
        "status": report.status,
        "value_at_start": _rounded(report.start_value),
        "value_now": _rounded(report.current),
        "value_previous_week": _rounded(report.previous),
        "expected_now": _rounded(report.expected),
        "projected_at_deadline": _rounded(report.projected),
        "weekly": [
            {
                "week_start": w.start.date().isoformat(),
                "value": _rounded(w.value),
                "expected": _rounded(w.expected),
            }
            for w in report.weeks
        ],
    }


@bp.get("/analytics/gaps")
def analytics_gaps():
    filters = request_filters()
    return jsonify(
        **_scope(filters),
        gaps=[
            {
                "key": r.key,
                "status": r.status,
                "people": r.visitors,
                "searches": r.searches,
                "failed": r.failed,
                "samples": r.samples,
                "languages": r.langs,
                "threads": [t.path for t in r.threads],
                "failure_rate_before": r.before,
                "failure_rate_after": r.after,
                "verified_fixed": r.verified,
            }
            for r in gaps.inbox(filters, None, limit=200)
        ],
    )


@bp.get("/analytics/articles")
def analytics_articles():
    filters = request_filters()
    report = attention.articles(filters)
    return jsonify(
        **_scope(filters),
        least_helpful=[
            {"path": a.path, "title": a.title, "yes": y, "votes": t}
            for a, y, t in report.least_helpful
        ],
        no_reasons={reason: n for reason, n in report.no_reasons},
        escalating=[{"path": a.path, "reads": r, "escalated": e} for a, r, e in report.escalating],
        videos_escalating=[
            {"path": v.path, "title": v.title, "views": n, "escalated": e, "rate": round(e / n, 4)}
            for v, n, e in report.videos_escalating
        ],
        stale=[{"path": a.path, "views": v} for a, v in report.stale],
    )


@bp.get("/analytics/community")
def analytics_community():
    filters = request_filters()
    c = performance.community(filters)
    return jsonify(
        **_scope(filters),
        threads=c.threads,
        unanswered=[{"path": t.path, "title": t.title} for t in c.unanswered],
        first_reply_median_hours=c.first_reply_median_h,
        first_reply_p90_hours=c.first_reply_p90_h,
        solved_rate=c.solved_rate,
        solution_median_hours=c.solution_median_h,
        community_share=c.community_share,
        top_helpers=[{"name": u.display_name, "points": p} for u, p, _v, _a in c.top_helpers],
        by_category=[_category_health(row) for row in c.by_category],
    )


def _category_health(row: performance.CategoryHealth) -> dict:
    return {
        "category": row.slug,
        "questions": row.questions,
        "unanswered": row.unanswered,
        "first_reply_median_hours": row.first_reply_median_h,
        "first_reply_p90_hours": row.first_reply_p90_h,
        "solved": row.solved,
        "questions_older_than_7_days": row.old_questions,
        "solved_rate": row.solved_rate,
        "solution_median_hours": row.solution_median_h,
        "accepted": row.accepted,
        "accepted_by_community": row.by_community,
        "community_share": row.community_share,
    }
