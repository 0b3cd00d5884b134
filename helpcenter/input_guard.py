"""Hostile input stops at the door: bad JSON, NUL bytes, files, and integers too large for the
database answer 400 or 404 before any view, form or query sees them."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, abort, current_app, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from werkzeug.routing import IntegerConverter
from wtforms import PasswordField, StringField, TextAreaField
from wtforms.validators import Length

MAX_DB_INT = 2**31 - 1  # PostgreSQL `integer`: every id and count column
MIN_DB_INT = -(2**31)
MAX_JSON_DEPTH = 32
_DIGITS = re.compile(r"[+-]?[0-9]{1,12}")  # ASCII only: "²" passes isdigit(), "١" passes int()
_LINE_BREAKS = re.compile(r"[\t\n\v\f\r\x1c-\x1e\x85\u2028\u2029]+")
SUBMIT_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

View = TypeVar("View", bound=Callable[..., Any])


def bounded_int(value: object, *, low: int = 1, high: int = MAX_DB_INT) -> int | None:
    """`value` (text from a URL, query string or form) as an int in low..high, else None."""
    if not isinstance(value, str) or not _DIGITS.fullmatch(value.strip()):
        return None
    number = int(value)
    return number if low <= number <= high else None


def db_int(text: str) -> int:
    """For `request.args.get(name, default, type=db_int)`: a whole number the database can hold.
    Anything else raises ValueError, so Werkzeug answers the default, as it does for text that is
    not a number; `type=int` would let 10**20 through to a query (a 500 on PostgreSQL)."""
    number = bounded_int(text, low=MIN_DB_INT)
    if number is None:
        raise ValueError(f"not a number the database can hold: {text!r}")
    return number


class BoundedIntConverter(IntegerConverter):
    """`<int:…>` matches only ids the database can hold (1..2^31-1): anything else is a 404,
    never an OverflowError or a DataError from the query."""

    def __init__(self, map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_DB_INT)
        super().__init__(map, *args, **kwargs)


def single_line(value: object) -> object:
    """A WTForms filter: line breaks and tabs become a space, other control characters go.
    A title or subject with a line break once broke every mail that quoted it."""
    if not isinstance(value, str):
        return value
    value = _LINE_BREAKS.sub(" ", value)
    return "".join(ch for ch in value if unicodedata.category(ch) != "Cc")


class Form(FlaskForm):
    """Every form's base: single-line text fields (not text areas or passwords) are cleaned
    with `single_line`, in this one place; the CSRF token renders without an id, since a page
    with several forms would otherwise repeat `id="csrf_token"`."""

    class Meta(FlaskForm.Meta):
        def bind_field(self, form, unbound_field, options):
            field_class = unbound_field.field_class
            if issubclass(field_class, StringField) and not issubclass(
                field_class, TextAreaField | PasswordField
            ):
                filters = unbound_field.kwargs.get("filters", ())
                options["filters"] = (*filters, single_line)
            return unbound_field.bind(form=form, **options)

        def render_field(self, field, render_kw):
            if field.type == "CSRFTokenField":
                render_kw = {"id": False, **render_kw}
            return super().render_field(field, render_kw)


class ActionForm(Form):
    """A button that changes something (moderate, archive, retry…): only the CSRF token.
    Every area uses it, so it lives beside the base form, not in one area's forms."""


def at_most(limit: int) -> Length:
    """A length limit whose message gives the limit and the length typed: long input is
    refused with the text kept, never cut short without a word."""
    return Length(
        max=limit, message=_l("At most %(max)d characters, please (this has %(length)d).")
    )


def accepts_json(view: View) -> View:
    """Mark a view that reads a JSON object body; other pages outside /api/ refuse JSON."""
    view.accepts_json = True  # type: ignore[attr-defined]
    return view


def takes_json() -> bool:
    """The API, or a view marked `accepts_json`: it reads JSON and answers in JSON."""
    if request.path.startswith("/api/"):
        return True
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, "accepts_json", False))


def _check_json() -> None:
    body = request.get_data(cache=True)
    if not body and request.method not in SUBMIT_METHODS:
        return
    if not takes_json():
        abort(400, _("This address takes a form, not JSON."))
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        abort(400, _("The request body must be a JSON object."))
    if not isinstance(data, dict) or not _plain_json(data):
        abort(400, _("The request body must be a JSON object."))


def _plain_json(data: object) -> bool:
    """At most MAX_JSON_DEPTH deep and no NUL in any string (walked without recursion)."""
    stack = [(data, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return False
        if isinstance(item, str) and "\x00" in item:
            return False
        if isinstance(item, dict):
            stack.extend((key, depth + 1) for key in item)
            stack.extend((value, depth + 1) for value in item.values())
        elif isinstance(item, list):
            stack.extend((value, depth + 1) for value in item)
    return True


def _has_nul(storage: MultiDict) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in storage.lists())


def guard_request() -> None:
    """Refuse, before any view runs: NUL anywhere (PostgreSQL cannot store it), a file (no page
    takes one; in a text field it reached the form as an object), and JSON a page cannot use."""
    if "\x00" in request.path or _has_nul(request.args):
        abort(400, _("The request contains a character that is not allowed."))
    if request.is_json:
        _check_json()
        return
    if request.files:
        abort(400, _("This form does not take files."))
    if _has_nul(request.form):
        abort(400, _("The request contains a character that is not allowed."))


def init_app(app: Flask) -> None:
    """Called before the blueprints are registered: their `<int:…>` rules bind the converter
    in the map at registration time."""
    app.url_map.converters["int"] = BoundedIntConverter
    app.before_request(guard_request)
