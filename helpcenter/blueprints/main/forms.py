"""Forms on the public pages."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length, Optional

from helpcenter.input_guard import Form
from helpcenter.models.analytics import REASON_LABELS


class HelpfulForm(Form):
    helpful = HiddenField(validators=[DataRequired(), AnyOf(["yes", "no"])])


class FeedbackReasonForm(Form):
    # Rendered as radio buttons by the template; validated against the fixed list here.
    reason = StringField(
        _l("What went wrong?"), validators=[DataRequired(), AnyOf(list(REASON_LABELS))]
    )
    comment = TextAreaField(
        _l("Anything else? (optional)"), validators=[Optional(), Length(max=2000)]
    )
