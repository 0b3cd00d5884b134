"""Read search parameters from a query string, shared by the search page and the API."""

from __future__ import annotations

import re

from flask import current_app
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from helpcenter.search_index import SearchRequest

KINDS = ("article", "video", "thread")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")  # a NUL cannot even be stored by PostgreSQL


class InvalidSearch(ValueError):
    """A parameter the visitor can fix; the message says how, in the reader's language (the
    search page shows it, the API returns it)."""


def _int(args: MultiDict, name: str, default: int, low: int, high: int) -> int:
    raw = args.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise InvalidSearch(_("`%(name)s` must be a whole number.", name=name)) from exc
    if not low <= value <= high:
        raise InvalidSearch(
            _("`%(name)s` must be between %(low)d and %(high)d.", name=name, low=low, high=high)
        )
    return value


def parse_search_args(args: MultiDict, prefer_lang: str) -> SearchRequest:
    config = current_app.config
    lang = args.get("lang") or None
    if lang is not None and lang not in config["LANGUAGES"]:
        raise InvalidSearch(
            _("`lang` must be one of %(values)s.", values=", ".join(config["LANGUAGES"]))
        )
    kind = args.get("type") or None
    if kind is not None and kind not in KINDS:
        raise InvalidSearch(_("`type` must be one of %(values)s.", values=", ".join(KINDS)))
    category = args.get("category") or None
    if category is not None and len(category) > 80:
        raise InvalidSearch(_("`category` is too long."))
    return SearchRequest(
        query=CONTROL_CHARACTERS.sub(" ", args.get("q", ""))[: config["SEARCH_MAX_QUERY_CHARS"]],
        lang=lang,
        prefer_lang=prefer_lang,
        kind=kind,
        category=category,
        page=_int(args, "page", 1, 1, 1000),
        per_page=_int(
            args, "per_page", config["SEARCH_PER_PAGE"], 1, config["SEARCH_MAX_PER_PAGE"]
        ),
    )
