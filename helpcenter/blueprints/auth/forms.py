"""Account forms."""

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import AnyOf, DataRequired, Email, EqualTo, Length, Optional

from helpcenter import time_zones
from helpcenter.input_guard import Form
from helpcenter.services.accounts.passwords import MAX_LENGTH
from helpcenter.services.community.notifications import EMAIL_CHOICES

LANGUAGE_CHOICES = ["en", "ja"]


class SignUpForm(Form):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    display_name = StringField(
        _l("Display name"), validators=[DataRequired(), Length(min=1, max=80)]
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=MAX_LENGTH)])


class SignInForm(Form):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=MAX_LENGTH)])
    remember = BooleanField(_l("Keep me signed in"))


class ResetRequestForm(Form):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])


class NewPasswordForm(Form):
    password = PasswordField(
        _l("New password"), validators=[DataRequired(), Length(max=MAX_LENGTH)]
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords don't match."))],
    )


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(
        _l("Current password"), validators=[DataRequired(), Length(max=MAX_LENGTH)]
    )


class ProfileForm(Form):
    display_name = StringField(
        _l("Display name"), validators=[DataRequired(), Length(min=1, max=80)]
    )
    # Rendered as a select with language names; validated against the fixed list here.
    lang = SelectField(
        _l("Language"), choices=LANGUAGE_CHOICES, validators=[AnyOf(LANGUAGE_CHOICES)]
    )
    notify_email = SelectField(
        _l("Email me about community activity"),
        choices=EMAIL_CHOICES,
        validators=[Optional(), AnyOf(EMAIL_CHOICES)],
    )
    # "" is the site's zone; the options are named in the reader's language (see __init__).
    timezone = SelectField(
        _l("Time zone for dates and times"),
        default="",
        validate_choice=False,
        validators=[
            AnyOf(("", *time_zones.ZONES), message=_l("Choose a time zone from the list."))
        ],
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = time_zones.choices(str(get_locale()))
        if self.timezone.data is None:  # a member who never chose one, read from the account
            self.timezone.data = ""


class TokenForm(Form):
    """The view fills in the scope choices: only those the person's role may hold."""

    name = StringField(_l("Token name"), validators=[DataRequired(), Length(max=80)])
    scopes = SelectMultipleField(_l("What the token may read"), default=["read"])


class DeleteAccountForm(Form):
    password = PasswordField(
        _l("Your password"), validators=[DataRequired(), Length(max=MAX_LENGTH)]
    )
