"""Staff manage synonym groups (guarded by access.py)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from helpcenter.blueprints.community.forms import ActionForm
from helpcenter.blueprints.staff.views import bp
from helpcenter.services import synonyms


@bp.get("/synonyms")
def synonym_list():
    return render_template("staff/synonyms.html", groups=synonyms.groups(), form=ActionForm())


@bp.post("/synonyms")
def add_synonyms():
    if not ActionForm().validate() or request.form.get("lang") not in ("en", "ja"):
        abort(400)
    try:
        synonyms.add_group(current_user, request.form["lang"], request.form.get("terms", "")[:1000])
    except synonyms.SynonymError as exc:
        flash(str(exc))
        return render_template(
            "staff/synonyms.html", groups=synonyms.groups(), form=ActionForm()
        ), 400
    flash(_("Synonyms saved. Searches use them from now on."))
    return redirect(url_for(".synonym_list"), code=303)


@bp.post("/synonyms/<int:group_id>/delete")
def delete_synonyms(group_id: int):
    if not ActionForm().validate():
        abort(400)
    synonyms.delete_group(current_user, group_id)
    return redirect(url_for(".synonym_list"), code=303)
