"""The goal form: a metric, a scope, a target in the metric's unit, dates and an owner."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, FloatField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, InputRequired, Length, Optional, ValidationError

from helpcenter.input_guard import Form
from helpcenter.models.goals import DIRECTION_LABELS
from helpcenter.services.insights.goal_metrics import METRICS, UPPER_BOUND, Unit

UNIT_LABELS = {
    Unit.PERCENT: _l("percent (0 to 100)"),
    Unit.HOURS: _l("hours"),
    Unit.COUNT: _l("threads (a whole number)"),
    Unit.RATIO: _l("people who helped themselves per person who contacted support"),
}


class GoalForm(Form):
    """The view fills in the topic and owner choices."""

    metric = SelectField(
        _l("Metric"),
        choices=[SelectChoice(k, m.label) for k, m in METRICS.items()],
        validators=[AnyOf(list(METRICS))],
    )
    lang = SelectField(
        _l("Language"),
        choices=[
            SelectChoice("", _l("All")),
            SelectChoice("en", "English"),
            SelectChoice("ja", "日本語"),
        ],
        validators=[AnyOf(["", "en", "ja"])],
    )
    category = SelectField(_l("Topic"), choices=[])
    direction = SelectField(
        _l("Direction"),
        choices=[SelectChoice(k, label) for k, label in DIRECTION_LABELS.items()],
        validators=[AnyOf(list(DIRECTION_LABELS))],
    )
    target = FloatField(
        _l("Target"), validators=[InputRequired(message=_l("Enter a target value."))]
    )
    start_date = DateField(
        _l("Start"), validators=[InputRequired(message=_l("Enter a start date."))]
    )
    deadline = DateField(
        _l("Deadline"), validators=[InputRequired(message=_l("Enter a deadline."))]
    )
    owner = SelectField(_l("Owner"), coerce=int, choices=[])
    note = TextAreaField(
        _l("Why (the business goal it serves)"), validators=[Optional(), Length(max=2000)]
    )

    def validate_target(self, field) -> None:
        metric = METRICS.get(self.metric.data)
        if metric is None or field.data is None:
            return
        top = UPPER_BOUND[metric.unit]
        if not 0 <= field.data <= top:
            raise ValidationError(
                _l(
                    "Enter a value from 0 to %(top)s %(unit)s.",
                    top=f"{top:g}",
                    unit=UNIT_LABELS[metric.unit],
                )
            )
        if metric.unit is Unit.COUNT and field.data != int(field.data):
            raise ValidationError(_l("Enter a whole number of threads."))

    def validate_deadline(self, field) -> None:
        if field.data and self.start_date.data and field.data <= self.start_date.data:
            raise ValidationError(_l("The deadline must be after the start."))

    def validate_category(self, field) -> None:
        metric = METRICS.get(self.metric.data)
        if field.data and metric is not None and not metric.by_topic:
            raise ValidationError(_l("Searches have no topic: choose “All” for this metric."))
