"""Sign-up, email confirmation, sign-in and -out, password reset."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from helpcenter.blueprints.auth.forms import (
    NewPasswordForm,
    ResetRequestForm,
    SignInForm,
    SignUpForm,
)
from helpcenter.extensions import limiter
from helpcenter.i18n import current_lang
from helpcenter.security import is_safe_redirect
from helpcenter.services.accounts import account
from helpcenter.services.accounts.account import AccountError, LinkExpired, SignInProblem

bp = Blueprint("auth", __name__)

ACCOUNT_LIMITS = "5 per minute; 30 per hour"


def _next_url(default: str = "main.home") -> str:
    target = request.args.get("next") or request.form.get("next") or ""
    return target if is_safe_redirect(target) else url_for(default)


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit(ACCOUNT_LIMITS, methods=["POST"])
def signup():
    form = SignUpForm()
    if form.validate_on_submit():
        try:
            account.sign_up(
                form.email.data, form.display_name.data, form.password.data, current_lang()
            )
        except AccountError as exc:
            form.password.errors.append(str(exc))
        else:
            return render_template(
                "auth/check_email.html", email=form.email.data, purpose="confirm"
            )
    return render_template("auth/signup.html", form=form), 400 if form.errors else 200


@bp.get("/confirm/<token>")
def confirm(token: str):
    user = account.confirm_email(token)
    if user is None:
        return render_template("auth/link_invalid.html", purpose="confirm"), 400
    flash(_("Thanks, your email address is confirmed."))
    return redirect(
        url_for("account.profile") if current_user.is_authenticated else url_for("auth.signin")
    )


@bp.post("/confirm/resend")
@login_required
@limiter.limit(ACCOUNT_LIMITS)
def resend_confirmation():
    if not current_user.is_confirmed:
        account.send_confirmation(current_user)
    flash(_("We've sent a new confirmation link to %(email)s.", email=current_user.email))
    return redirect(url_for("account.profile"))


@bp.route("/signin", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def signin():
    form = SignInForm()
    if form.validate_on_submit():
        result = account.sign_in(form.email.data, form.password.data)
        if result.user is not None:
            login_user(result.user, remember=form.remember.data)
            return redirect(_next_url(), code=303)
        return render_template("auth/signin.html", form=form, problem=result.problem), (
            429 if result.problem is SignInProblem.THROTTLED else 400
        )
    return render_template("auth/signin.html", form=form, problem=None), 400 if form.errors else 200


@bp.post("/signout")
@login_required
def signout():
    account.sign_out(current_user)
    logout_user()
    flash(_("You're signed out."))
    return redirect(url_for("main.home"), code=303)


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(ACCOUNT_LIMITS, methods=["POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        account.request_password_reset(form.email.data)
        return render_template("auth/check_email.html", email=form.email.data, purpose="reset")
    return render_template("auth/reset_request.html", form=form), 400 if form.errors else 200


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(ACCOUNT_LIMITS, methods=["POST"])
def reset(token: str):
    if not account.reset_link_valid(token):
        return render_template("auth/link_invalid.html", purpose="reset"), 400
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            account.reset_password(token, form.password.data)
        except LinkExpired:
            return render_template("auth/link_invalid.html", purpose="reset"), 400
        except AccountError as exc:
            form.password.errors.append(str(exc))
        else:
            flash(_("Your password is changed. Sign in with the new one."))
            return redirect(url_for("auth.signin"), code=303)
    return render_template("auth/reset.html", form=form, token=token), 400 if form.errors else 200
