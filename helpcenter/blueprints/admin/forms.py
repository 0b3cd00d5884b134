"""Forms admins use on people."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, SearchField, SelectField
from wtforms.validators import AnyOf, DataRequired

from helpcenter.input_guard import Form, at_most
from helpcenter.models.user import ROLES


class RoleForm(Form):
    role = SelectField(_l("Role"), choices=list(ROLES), validators=[AnyOf(ROLES)])


class JobForm(Form):
    """Retry or discard a job."""

    job_id = IntegerField(validators=[DataRequired()])


class SuspendForm(Form):
    suspend = HiddenField(validators=[AnyOf(["yes", "no"])])


class UserSearchForm(Form):
    """The people search: a GET form, so no CSRF token."""

    class Meta:
        csrf = False

    q = SearchField(_l("Find by name or email"), validators=[at_most(100)])
