"""A member's own account: profile, password, API tokens, data download, deletion."""

from flask import Blueprint, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from helpcenter.blueprints.auth.forms import (
    ChangePasswordForm,
    DeleteAccountForm,
    ProfileForm,
    TokenForm,
)
from helpcenter.labels import TOKEN_SCOPES
from helpcenter.services.accounts import account, api_tokens
from helpcenter.services.accounts.account import AccountError, WrongPassword

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.before_request
@login_required
def require_sign_in():
    """Every page here is about the signed-in person."""


def token_form() -> TokenForm:
    """The token form offering only the scopes this person's role may hold."""
    form = TokenForm()
    form.scopes.choices = [
        (scope.value, TOKEN_SCOPES[scope]) for scope in api_tokens.scopes_for(current_user)
    ]
    return form


def render_profile(status: int = 200, **forms):
    context = {
        "profile_form": ProfileForm(obj=current_user),
        "password_form": ChangePasswordForm(),
        "token_form": token_form(),
        "delete_form": DeleteAccountForm(),
        "tokens": api_tokens.tokens_of(current_user),
        "new_token": None,
        **forms,
    }
    return render_template("account/profile.html", **context), status


@bp.get("/")
def profile():
    return render_profile()


@bp.post("/")
def update_profile():
    form = ProfileForm()
    if not form.validate():
        return render_profile(400, profile_form=form)
    account.update_profile(
        current_user,
        form.display_name.data,
        form.lang.data,
        form.notify_email.data,
        timezone=form.timezone.data or None,
    )
    flash(_("Your profile is saved."))
    return redirect(url_for(".profile"), code=303)


@bp.post("/password")
def change_password():
    form = ChangePasswordForm()
    if form.validate():
        try:
            account.change_password(current_user, form.current.data, form.password.data)
        except WrongPassword as exc:
            form.current.errors.append(str(exc))
        except AccountError as exc:
            form.password.errors.append(str(exc))
        else:
            logout_user()
            flash(_("Your password is changed. Sign in again with the new one."))
            return redirect(url_for("auth.signin"), code=303)
    return render_profile(400, password_form=form)


@bp.post("/tokens")
def create_token():
    form = token_form()
    if not form.validate():
        return render_profile(400, token_form=form)
    try:
        value = api_tokens.create_token(current_user, form.name.data, form.scopes.data)
    except api_tokens.ScopeNotAllowed as exc:
        form.scopes.errors.append(str(exc))
        return render_profile(400, token_form=form)
    except ValueError as exc:
        form.name.errors.append(str(exc))
        return render_profile(400, token_form=form)
    return render_profile(new_token=value)


@bp.post("/tokens/<int:token_id>/revoke")
def revoke_token(token_id: int):
    if api_tokens.revoke_token(current_user, token_id):
        flash(_("The token is revoked."))
    return redirect(url_for(".profile", _anchor="tokens"), code=303)


@bp.get("/export.json")
def export():
    response = jsonify(account.export_data(current_user))
    response.headers["Content-Disposition"] = "attachment; filename=helpcenter-my-data.json"
    return response


@bp.post("/delete")
def delete():
    form = DeleteAccountForm()
    if form.validate():
        try:
            account.delete_account(current_user, form.password.data)
        except WrongPassword as exc:
            form.password.errors.append(str(exc))
        else:
            logout_user()
            flash(_("Your account is deleted. Thank you for being part of the community."))
            return redirect(url_for("main.home"), code=303)
    return render_profile(400, delete_form=form)
