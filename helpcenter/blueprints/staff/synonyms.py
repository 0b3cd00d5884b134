"""Staff manage synonym groups (guarded by access.py)."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from helpcenter.blueprints.staff.blueprint import bp
from helpcenter.blueprints.staff.forms import SynonymForm
from helpcenter.input_guard import ActionForm
from helpcenter.services.search import synonyms


@bp.get("/synonyms")
def synonym_list():
    return _page(SynonymForm(formdata=None))


@bp.post("/synonyms")
def add_synonyms():
    form = SynonymForm()
    if not form.validate():
        if form.csrf_token.errors or form.lang.errors:
            abort(400)
        return _page(form), 400
    try:
        synonyms.add_group(current_user, form.lang.data, form.terms.data)
    except synonyms.SynonymError as exc:
        flash(str(exc))
        return _page(form), 400
    flash(_("Synonyms saved. Searches use them from now on."))
    return redirect(url_for(".synonym_list"), code=303)


def _page(typed: SynonymForm) -> str:
    """The list and the add form; after a refusal the form keeps what was typed."""
    return render_template(
        "staff/synonyms.html", groups=synonyms.groups(), form=ActionForm(), typed=typed
    )


@bp.post("/synonyms/<int:group_id>/delete")
def delete_synonyms(group_id: int):
    if not ActionForm().validate():
        abort(400)
    synonyms.delete_group(current_user, group_id)
    return redirect(url_for(".synonym_list"), code=303)
