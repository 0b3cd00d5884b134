"""Forms admins use on people, jobs and webhooks."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SearchField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import AnyOf, DataRequired, Length, Optional

from helpcenter.input_guard import Form, at_most
from helpcenter.models.user import ROLES
from helpcenter.services.webhooks.events import EVENTS, SUBSCRIBABLE


class RoleForm(Form):
    role = SelectField(_l("Role"), choices=list(ROLES), validators=[AnyOf(ROLES)])


class JobForm(Form):
    """Retry or discard a job."""

    job_id = IntegerField(validators=[DataRequired()])


class SuspendForm(Form):
    suspend = HiddenField(validators=[AnyOf(["yes", "no"])])


class WebhookForm(Form):
    """Register an endpoint; the view offers the event types from the registry."""

    url = StringField(_l("Address (https://…)"), validators=[DataRequired(), Length(max=2000)])
    description = StringField(_l("Description"), validators=[Optional(), Length(max=200)])
    events = SelectMultipleField(
        _l("Events to send"), validators=[DataRequired(_l("Choose at least one event."))]
    )
    slack = BooleanField(_l("Slack-compatible: add a one-line “text” summary"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.events.choices = [(str(event), EVENTS[event].label) for event in SUBSCRIBABLE]


class WebhookEnableForm(Form):
    enabled = HiddenField(validators=[AnyOf(["yes", "no"])])


class UserSearchForm(Form):
    """The people search: a GET form, so no CSRF token."""

    class Meta:
        csrf = False

    q = SearchField(_l("Find by name or email"), validators=[at_most(100)])
