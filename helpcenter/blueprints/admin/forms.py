"""Forms admins use on people."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, SelectField
from wtforms.validators import AnyOf, DataRequired

from helpcenter.input_guard import Form
from helpcenter.models.user import ROLES


class RoleForm(Form):
    role = SelectField(_l("Role"), choices=list(ROLES), validators=[AnyOf(ROLES)])


class JobForm(Form):
    """Retry or discard a job."""

    job_id = IntegerField(validators=[DataRequired()])


class SuspendForm(Form):
    suspend = HiddenField(validators=[AnyOf(["yes", "no"])])
