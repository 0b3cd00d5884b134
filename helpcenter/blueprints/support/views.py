"""Contact support: the last way onward, with suggestions beside the form."""

import secrets

from flask import Blueprint, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import EmailField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length

from helpcenter.blueprints.actor import current_actor
from helpcenter.extensions import limiter
from helpcenter.i18n import current_lang
from helpcenter.input_guard import Form, bounded_int
from helpcenter.services.community import support

bp = Blueprint("support", __name__, url_prefix="/support")


class ContactForm(Form):
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    subject = StringField(_l("Subject"), validators=[DataRequired(), Length(min=3, max=200)])
    message = TextAreaField(
        _l("How can we help?"), validators=[DataRequired(), Length(min=10, max=10000)]
    )
    search_id = HiddenField()
    composer_id = HiddenField()


@bp.route("/contact", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"])
def contact():
    signed_in = current_user.is_authenticated
    form = ContactForm(
        request.form if request.method == "POST" else None,
        subject=request.args.get("q", "")[:200],
        search_id=request.args.get("sid", ""),
        name=current_user.display_name if signed_in else "",
        email=current_user.email if signed_in else "",
        composer_id=secrets.token_hex(16),
    )
    if request.method == "POST" and form.validate():
        sid = form.search_id.data
        support.submit(
            name=form.name.data,
            email=form.email.data,
            subject=form.subject.data,
            message=form.message.data,
            lang=current_lang(),
            actor=current_actor(),
            search_id=bounded_int(sid),
        )
        return render_template("support/sent.html")
    return render_template("support/contact.html", form=form), 400 if form.errors else 200
