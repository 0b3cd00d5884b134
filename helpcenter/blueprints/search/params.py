"""Read search parameters from a query string, shared by the search page and the API."""

from __future__ import annotations

import re

from flask import current_app
from werkzeug.datastructures import MultiDict

from helpcenter.search_index import SearchRequest

KINDS = ("article", "video", "thread")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")  # a NUL cannot even be stored by PostgreSQL


class InvalidSearch(ValueError):
    """A parameter the visitor can fix; the message says how."""


def _int(args: MultiDict, name: str, default: int, low: int, high: int) -> int:
    raw = args.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise InvalidSearch(f"`{name}` must be a whole number.") from exc
    if not low <= value <= high:
        raise InvalidSearch(f"`{name}` must be between {low} and {high}.")
    return value


def parse_search_args(args: MultiDict, prefer_lang: str) -> SearchRequest:
    config = current_app.config
    lang = args.get("lang") or None
    if lang is not None and lang not in config["LANGUAGES"]:
        raise InvalidSearch(f"`lang` must be one of {', '.join(config['LANGUAGES'])}.")
    kind = args.get("type") or None
    if kind is not None and kind not in KINDS:
        raise InvalidSearch(f"`type` must be one of {', '.join(KINDS)}.")
    category = args.get("category") or None
    if category is not None and len(category) > 80:
        raise InvalidSearch("`category` is too long.")
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
