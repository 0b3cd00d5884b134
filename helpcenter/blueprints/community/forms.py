"""Community forms."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length, Optional

from helpcenter.input_guard import Form
from helpcenter.models.community import FLAG_REASONS, THREAD_KINDS


class ThreadForm(Form):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(min=8, max=200)])
    body = TextAreaField(_l("Details"), validators=[DataRequired(), Length(min=10, max=20000)])
    kind = HiddenField(default="question", validators=[AnyOf(THREAD_KINDS)])
    category = StringField(_l("Topic"), validators=[Optional(), Length(max=80)])
    tags = StringField(_l("Tags"), validators=[Optional(), Length(max=200)])
    search_id = HiddenField()
    composer_id = HiddenField()


class ReplyForm(Form):
    body = TextAreaField(_l("Your answer"), validators=[DataRequired(), Length(min=2, max=20000)])


class EditForm(Form):
    title = StringField(_l("Title"), validators=[Optional(), Length(min=8, max=200)])
    body = TextAreaField(_l("Text"), validators=[DataRequired(), Length(min=2, max=20000)])


FLAG_REASON_LABELS = {
    "spam": _l("Spam or advertising"),
    "abusive": _l("Rude or abusive"),
    "off_topic": _l("Off topic"),
    "personal_data": _l("Shares personal data"),
    "other": _l("Something else"),
}


class FlagForm(Form):
    reason = StringField(_l("Why?"), validators=[DataRequired(), AnyOf(FLAG_REASONS)])
    note = StringField(
        _l("Anything staff should know? (optional)"), validators=[Optional(), Length(max=500)]
    )
