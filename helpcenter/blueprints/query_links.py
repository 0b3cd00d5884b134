"""Links and redirects that keep the page's query string (the staff pages' filters, sort and
tab), built from the request in one place."""

from typing import Any

from flask import request


def same_query(**changes: Any) -> dict[str, Any]:
    """The request's query parameters with `changes` over them, as `url_for` keywords. Names
    `url_for` keeps for itself (`_external`, `_anchor`, `_scheme`, `_method`) are dropped, so a
    crafted query cannot make a link absolute or give it a fragment; and a parameter the call sets
    (`name` of an export) replaces the request's, rather than reaching `url_for` twice."""
    kept = {name: value for name, value in request.args.items() if not name.startswith("_")}
    kept.update(changes)
    return kept
