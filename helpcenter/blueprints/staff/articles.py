"""Staff write and publish articles in the browser (guarded by access.py)."""

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from helpcenter.blueprints.community.forms import ActionForm
from helpcenter.blueprints.staff.views import bp
from helpcenter.extensions import db
from helpcenter.markup import render_markdown
from helpcenter.models import Article
from helpcenter.services import catalog, curation


@bp.get("/articles")
def article_list():
    articles = db.session.scalars(
        select(Article).order_by(Article.status, Article.modified_at.desc()).limit(500)
    ).all()
    return render_template("staff/articles.html", articles=articles)


@bp.route("/articles/<int:article_id>/edit", methods=["GET", "POST"])
def edit_article(article_id: int):
    article = db.session.get(Article, article_id) or abort(404)
    form = ActionForm()
    if request.method == "POST":
        if not form.validate():
            abort(400)
        f = request.form
        try:
            curation.save_article(current_user, article, f.get("title", "")[:300], f.get("summary", "")[:1000],
                                  f.get("body", "")[:100_000], f.get("tags", "")[:300], f.get("category") or None,
                                  f.get("slug", ""), publish=f.get("action") == "publish")  # fmt: skip
        except curation.CurationError as exc:
            flash(str(exc))
            return render_template(
                "staff/edit_article.html",
                article=article,
                form=form,
                categories=catalog.categories(),
            ), 400
        flash(_("Published.") if article.is_published else _("Draft saved."))
        return redirect(url_for(".edit_article", article_id=article.id), code=303)
    return render_template(
        "staff/edit_article.html", article=article, form=form, categories=catalog.categories()
    )


@bp.post("/articles/preview")
def article_preview():
    """Staff Markdown, rendered exactly as publishing will render it (JSON; CSRF header)."""
    text = (request.get_json(silent=True) or {}).get("body", "")
    if not isinstance(text, str) or len(text) > 100_000:
        return jsonify(error="`body` must be text of at most 100,000 characters.", status=400), 400
    return jsonify(html=render_markdown(text).html)
