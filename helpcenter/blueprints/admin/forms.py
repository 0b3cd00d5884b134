"""Forms admins use on people."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField
from wtforms.validators import AnyOf, DataRequired

from helpcenter.models.user import ROLES


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=list(ROLES), validators=[AnyOf(ROLES)])


class JobForm(FlaskForm):
    """Retry or discard a job."""

    job_id = IntegerField(validators=[DataRequired()])


class SuspendForm(FlaskForm):
    suspend = HiddenField(validators=[AnyOf(["yes", "no"])])
