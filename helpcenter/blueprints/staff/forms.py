"""Forms of the staff pages: the article editor, the gap inbox, synonyms and moderation.
Each limit matches its column; an over-long field is refused with its limit, the text kept."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Optional

from helpcenter.input_guard import Form, at_most
from helpcenter.models.analytics import FEEDBACK_STATUSES, GAP_STATUSES
from helpcenter.services.community.moderation import DECISIONS

BODY_LIMIT = 100_000


class ArticleForm(Form):
    """The editor. `owner` is "keep", "" (nobody) or a staff member's id: the view checks it."""

    title = StringField(
        _l("Title"),
        validators=[DataRequired(message=_l("Give the article a title.")), at_most(300)],
    )
    slug = StringField(_l("Address (slug)"), validators=[at_most(200)])
    summary = StringField(_l("Summary"), validators=[at_most(1000)])
    category = StringField(_l("Topic"), validators=[at_most(80)])
    tags = StringField(_l("Tags"), validators=[at_most(300)])
    owner = StringField(_l("Owner"), default="keep", validators=[at_most(12)])
    body = TextAreaField(_l("Text (Markdown)"), validators=[at_most(BODY_LIMIT)])
    base_revision = HiddenField(validators=[at_most(12)])
    action = HiddenField(default="save", validators=[AnyOf(["save", "publish"])])


class ScheduleForm(Form):
    publish_at = StringField(_l("Publish automatically at"))
    action = HiddenField(default="schedule", validators=[AnyOf(["schedule", "cancel"])])


class ArchiveForm(Form):
    action = HiddenField(default="archive", validators=[AnyOf(["archive", "unarchive"])])


class TranslationLinkForm(Form):
    other_id = HiddenField(validators=[at_most(12)])
    action = HiddenField(default="link", validators=[AnyOf(["link", "unlink"])])


class GapStatusForm(Form):
    key = HiddenField(validators=[DataRequired(), at_most(500)])
    status = HiddenField(validators=[AnyOf(GAP_STATUSES)])
    reason = StringField(_l("Why dismiss?"), validators=[Optional(), at_most(300)])
    assign = HiddenField(validators=[Optional(), AnyOf(["me"])])


class GapArticleForm(Form):
    key = HiddenField(validators=[DataRequired(), at_most(500)])


class SynonymForm(Form):
    lang = HiddenField(validators=[AnyOf(["en", "ja"])])
    terms = TextAreaField(_l("Terms"), validators=[InputRequired(), at_most(1000)])


class DecisionForm(Form):
    decision = HiddenField(validators=[AnyOf(DECISIONS)])


class ThreadActionForm(Form):
    category = HiddenField(validators=[at_most(80)])
    target = HiddenField(validators=[at_most(12)])


class GoalArchiveForm(Form):
    restore = HiddenField(validators=[Optional(), AnyOf(["yes", ""])])


class FeedbackStatusForm(Form):
    status = HiddenField(validators=[AnyOf(FEEDBACK_STATUSES)])
