"""The public JSON API (v1)."""

from dataclasses import replace

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _

from helpcenter.blueprints.actor import current_actor
from helpcenter.blueprints.search.params import InvalidSearch, parse_search_args
from helpcenter.extensions import limiter
from helpcenter.i18n import current_lang
from helpcenter.services.search.queries import run_search

bp = Blueprint("api", __name__)

API_SOURCES = ("api", "instant", "composer")
API_LIMIT = "120 per minute"
# Instant results and the new-question suggestions ask after each pause in typing (180 ms), up to
# five times a second: a separate, larger allowance, so typing never uses up the API's.
TYPING_LIMIT = "240 per minute"


def _search_limit() -> str:
    return TYPING_LIMIT if request.args.get("source") in ("instant", "composer") else API_LIMIT


@bp.get("/search")
@limiter.limit(_search_limit)
def search():
    source = request.args.get("source", "api")
    try:
        if source not in API_SOURCES:
            raise InvalidSearch(
                _("`source` must be one of %(values)s.", values=", ".join(API_SOURCES))
            )
        search_request = parse_search_args(request.args, current_lang())
    except InvalidSearch as exc:
        return jsonify(error=str(exc), status=400), 400
    if source == "instant" and not request.args.get("q", "").endswith((" ", "\u3000")):
        # Typed so far: the last word may be unfinished ("reset pass" is on its way to password).
        search_request = replace(search_request, as_you_type=True)
    outcome = run_search(
        search_request, source, current_actor(), composer_id=request.args.get("composer")
    )
    if outcome.unavailable:
        return jsonify(
            error=_("Search is not available yet; an operator must build the index."), status=503
        ), 503
    page = outcome.page
    return jsonify(
        query=search_request.query,
        total=page.total,
        page=search_request.page,
        per_page=search_request.per_page,
        results=[
            {
                "type": hit.kind,
                "id": hit.doc_id,
                "slug": hit.slug,
                "lang": hit.lang,
                "title": hit.title,
                "url": hit.url,
                "snippet": hit.snippet,
                "score": hit.score,
                "start": hit.start,
                "solved": hit.solved,
                "promoted": hit.promoted,
            }
            for hit in page.hits
        ],
        search_id=outcome.search_id,
        suggestion=page.suggestion,
    )
