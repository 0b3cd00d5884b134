"""KPI targets for staff (guarded by access.py): list, create, edit, archive, one goal's page."""

from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from helpcenter.blueprints.staff.blueprint import bp
from helpcenter.blueprints.staff.forms import GoalArchiveForm
from helpcenter.blueprints.staff.goal_forms import GoalForm
from helpcenter.charts import target_chart
from helpcenter.extensions import db
from helpcenter.i18n import current_lang
from helpcenter.input_guard import ActionForm
from helpcenter.models import Goal, User
from helpcenter.models.goals import DIRECTION_LABELS, STATUS_LABELS, Direction
from helpcenter.models.user import ROLE_ADMIN, ROLE_STAFF
from helpcenter.services.content import catalog
from helpcenter.services.insights import goal_pages, goals
from helpcenter.services.insights.goal_metrics import METRICS, Unit, to_stored, to_typed


@bp.app_template_filter("metric_value")
def metric_value(value: float | None, metric: str) -> str:
    """A metric's value as staff read it: 80.0%, 3.5 h, 12, 4.2; "—" when nothing to measure."""
    if value is None:
        return "—"
    unit = METRICS[metric].unit
    if unit is Unit.PERCENT:
        return f"{value * 100:.1f}%"
    if unit is Unit.HOURS:
        return f"{value:.1f} h"
    return f"{value:.0f}" if unit is Unit.COUNT else f"{value:.2f}"


@bp.app_context_processor
def goal_labels() -> dict:
    return {
        "goal_status_labels": STATUS_LABELS,
        "goal_metrics": METRICS,
        "goal_directions": DIRECTION_LABELS,
    }


def _staff_people() -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.role.in_((ROLE_STAFF, ROLE_ADMIN)), User.deleted_at.is_(None))
            .order_by(User.display_name)
        )
    )


def _form(goal: Goal | None = None) -> GoalForm:
    form = GoalForm(obj=goal) if goal is not None and request.method == "GET" else GoalForm()
    form.category.choices = [("", _("All"))] + [
        (c.slug, c.name(current_lang())) for c in catalog.categories()
    ]
    form.owner.choices = [(u.id, u.display_name) for u in _staff_people()]
    if request.method == "GET":
        if goal is not None:
            form.category.data = goal.category.slug if goal.category else ""
            form.lang.data = goal.lang or ""
            form.target.data = round(to_typed(METRICS[goal.metric].unit, goal.target), 4)
        else:
            form.owner.data = current_user.id
    return form


def _fields(form: GoalForm) -> goals.GoalFields:
    metric = METRICS[form.metric.data]
    return goals.GoalFields(
        metric=metric.key,
        direction=Direction(form.direction.data),
        target=to_stored(metric.unit, form.target.data),
        start_date=form.start_date.data,
        deadline=form.deadline.data,
        owner=db.session.get_one(User, form.owner.data),  # one of the form's choices
        note=form.note.data or "",
        lang=form.lang.data or None,
        category=catalog.category(form.category.data) if form.category.data else None,
    )


@bp.get("/goals")
def goal_list():
    return render_template("staff/goals.html", **vars(goal_pages.goal_list()), form=ActionForm())


@bp.route("/goals/new", methods=["GET", "POST"])
def new_goal():
    form = _form()
    if form.validate_on_submit():
        goal = goals.create(current_user, _fields(form))
        flash(_("Goal saved."))
        return redirect(url_for(".goal_page", goal_id=goal.id), code=303)
    return render_template(
        "staff/goal_form.html", form=form, goal=None
    ), 400 if form.errors else 200


@bp.route("/goals/<int:goal_id>/edit", methods=["GET", "POST"])
def edit_goal(goal_id: int):
    goal = db.get_or_404(Goal, goal_id)
    form = _form(goal)
    if form.validate_on_submit():
        goals.update(current_user, goal, _fields(form))
        flash(_("Goal saved."))
        return redirect(url_for(".goal_page", goal_id=goal.id), code=303)
    return render_template(
        "staff/goal_form.html", form=form, goal=goal
    ), 400 if form.errors else 200


@bp.post("/goals/<int:goal_id>/archive")
def archive_goal(goal_id: int):
    goal = db.get_or_404(Goal, goal_id)
    form = GoalArchiveForm()
    if not form.validate():
        abort(400)
    restore = form.restore.data == "yes"
    goals.archive(current_user, goal, restore=restore)
    flash(_("Goal restored.") if restore else _("Goal archived."))
    return redirect(url_for(".goal_list"), code=303)


@bp.get("/goals/<int:goal_id>")
def goal_page(goal_id: int):
    page = goal_pages.goal_page(db.get_or_404(Goal, goal_id))
    return render_template(
        "staff/goal.html",
        **vars(page),
        chart=goal_chart(page.report),
        week=timedelta(days=7),
        form=ActionForm(),
    )


def goal_chart(report: goals.Progress) -> Markup:
    """The weekly values over the line from the start to the target."""
    points = [(w.start.date().isoformat(), w.value) for w in report.weeks]
    guide = [w.expected for w in report.weeks]
    metric = report.goal.metric
    return target_chart(
        points,
        guide,
        _("%(metric)s per week, against the line to the target", metric=METRICS[metric].label),
        lambda v: metric_value(v, metric),
    )
