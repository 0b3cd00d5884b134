"""The admin area (guarded for admins by access.py): people, background jobs, the audit log;
webhooks in webhooks.py."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from helpcenter import jobs
from helpcenter.blueprints.admin.blueprint import bp
from helpcenter.blueprints.admin.forms import JobForm, RoleForm, SuspendForm, UserSearchForm
from helpcenter.extensions import db
from helpcenter.input_guard import db_int
from helpcenter.labels import ROLES
from helpcenter.models import Job, JobStatus, User
from helpcenter.services import audit
from helpcenter.services.accounts import users


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.deleted_at is not None:
        abort(404)
    return user


@bp.get("/users")
def user_list():
    search = UserSearchForm(request.args)
    valid = search.validate()
    query = (search.q.data or "") if valid else ""
    page = users.search_users(query, request.args.get("page", 1, type=db_int))
    html = render_template(
        "admin/users.html",
        page=page,
        query=query,
        search=search,
        role_form=RoleForm(),
        suspend_form=SuspendForm(),
    )
    return html, 200 if valid else 400


@bp.post("/users/<int:user_id>/role")
def change_role(user_id: int):
    user = _user_or_404(user_id)
    form = RoleForm()
    if not form.validate():
        abort(400)
    if user.id == current_user.id and form.role.data != user.role:
        flash(_("You can't change your own role. Ask another admin."))
    else:
        users.set_role(current_user, user, form.role.data)
        flash(_("%(name)s is now %(role)s.", name=user.display_name, role=ROLES[form.role.data]))
    return redirect(url_for(".user_list", q=request.args.get("q", "")), code=303)


@bp.post("/users/<int:user_id>/suspend")
def suspend(user_id: int):
    user = _user_or_404(user_id)
    form = SuspendForm()
    if not form.validate() or user.id == current_user.id:
        abort(400)
    users.set_suspended(current_user, user, form.suspend.data == "yes")
    flash(
        _("%(name)s is suspended.", name=user.display_name)
        if form.suspend.data == "yes"
        else _("%(name)s can sign in again.", name=user.display_name)
    )
    return redirect(url_for(".user_list", q=request.args.get("q", "")), code=303)


@bp.get("/jobs")
def job_list():
    return render_template(
        "admin/jobs.html",
        counts=jobs.counts(),
        queued=jobs.listed((JobStatus.QUEUED, JobStatus.RUNNING)),
        failed=jobs.listed((JobStatus.FAILED,)),
        form=JobForm(),
    )


@bp.post("/jobs/retry")
def retry_job():
    if job := _job_from_form():
        jobs.retry(current_user, job)
        flash(_("Job %(id)s is queued again.", id=job.id))
    return redirect(url_for(".job_list"), code=303)


@bp.post("/jobs/discard")
def discard_job():
    if job := _job_from_form():
        job_id = job.id
        jobs.discard(current_user, job)
        flash(_("Job %(id)s was discarded.", id=job_id))
    return redirect(url_for(".job_list"), code=303)


def _job_from_form() -> Job | None:
    """The job named by the form, unless it is gone (another admin, a worker) or running."""
    form = JobForm()
    job = db.session.get(Job, form.job_id.data) if form.validate() else None
    if job is None or job.status == JobStatus.RUNNING:
        flash(_("That job is no longer waiting."))
        return None
    return job


@bp.get("/audit")
def audit_log():
    return render_template(
        "admin/audit.html", page=audit.recent(request.args.get("page", 1, type=db_int))
    )
