"""Webhook endpoints for admins (guarded by access.py): register, look at deliveries and their
attempts, send a test event, disable, enable, delete."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from helpcenter.blueprints.admin.blueprint import bp
from helpcenter.blueprints.admin.forms import WebhookEnableForm, WebhookForm
from helpcenter.extensions import db
from helpcenter.input_guard import ActionForm
from helpcenter.models import WebhookEndpoint
from helpcenter.services.errors import ServiceError
from helpcenter.services.webhooks import endpoints
from helpcenter.services.webhooks.events import EVENTS


def _endpoint_or_404(endpoint_id: int) -> WebhookEndpoint:
    return db.get_or_404(WebhookEndpoint, endpoint_id)


def _list_page(
    form: WebhookForm,
    status: int = 200,
    secret: str | None = None,
    created: WebhookEndpoint | None = None,
):
    page = render_template(
        "admin/webhooks.html",
        form=form,
        endpoints=endpoints.listed(),
        events=EVENTS,
        secret=secret,
        created=created,
    )
    return page, status, {"Cache-Control": "no-store"} if secret else {}


@bp.get("/webhooks")
def webhook_list():
    return _list_page(WebhookForm(formdata=None))


@bp.post("/webhooks")
def create_webhook():
    """Shows the new secret in this answer only: it is never in a redirect, a flash or a log."""
    form = WebhookForm()
    if not form.validate():
        return _list_page(form, 400)
    try:
        endpoint, secret = endpoints.create(
            current_user,
            url=form.url.data,
            description=form.description.data or "",
            event_types=form.events.data,
            slack=form.slack.data,
        )
    except ServiceError as error:
        form.url.errors = [*form.url.errors, str(error)]
        return _list_page(form, 400)
    return _list_page(WebhookForm(formdata=None), secret=secret, created=endpoint)


@bp.get("/webhooks/<int:endpoint_id>")
def webhook_detail(endpoint_id: int):
    endpoint = _endpoint_or_404(endpoint_id)
    return render_template(
        "admin/webhook.html",
        endpoint=endpoint,
        events=EVENTS,
        deliveries=endpoints.recent_deliveries(endpoint),
        form=ActionForm(),
        enable_form=WebhookEnableForm(),
    )


@bp.post("/webhooks/<int:endpoint_id>/test")
def test_webhook(endpoint_id: int):
    endpoint = _endpoint_or_404(endpoint_id)
    if not ActionForm().validate():
        abort(400)
    endpoints.send_test(current_user, endpoint)
    flash(_("A test event is on its way. Its attempts appear below."))
    return redirect(url_for(".webhook_detail", endpoint_id=endpoint.id), code=303)


@bp.post("/webhooks/<int:endpoint_id>/enabled")
def enable_webhook(endpoint_id: int):
    endpoint = _endpoint_or_404(endpoint_id)
    form = WebhookEnableForm()
    if not form.validate():
        abort(400)
    enabled = form.enabled.data == "yes"
    endpoints.set_enabled(current_user, endpoint, enabled)
    flash(_("The endpoint is enabled.") if enabled else _("The endpoint is disabled."))
    return redirect(url_for(".webhook_detail", endpoint_id=endpoint.id), code=303)


@bp.post("/webhooks/<int:endpoint_id>/delete")
def delete_webhook(endpoint_id: int):
    endpoint = _endpoint_or_404(endpoint_id)
    if not ActionForm().validate():
        abort(400)
    endpoints.delete(current_user, endpoint)
    flash(_("The endpoint was deleted."))
    return redirect(url_for(".webhook_list"), code=303)
