"""The reader's language: the address (`?hl=ja`), their choice (a cookie), their profile, else
Accept-Language."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import Flask, current_app, g, has_request_context, request
from flask_login import current_user

from helpcenter import dates, labels, time_zones
from helpcenter.extensions import babel

LANG_COOKIE = "hc_lang"
# A page's address may name its language, so that search engines can list and link each language
# of the home, topic and community pages (a crawler has no cookie and rarely an Accept-Language).
PAGE_LANG_PARAM = "hl"


def current_lang() -> str:
    """`?hl=` in the address, else the switch in the header, else the signed-in person's
    setting, else Accept-Language."""
    if not has_request_context():  # commands and mail composed outside a request
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if "lang" not in g:
        languages = current_app.config["LANGUAGES"]
        chosen = request.args.get(PAGE_LANG_PARAM)
        if chosen not in languages:
            chosen = request.cookies.get(LANG_COOKIE)
        if chosen not in languages and current_user.is_authenticated:
            chosen = current_user.lang
        if chosen not in languages:
            chosen = request.accept_languages.best_match(languages) or "en"
        g.lang = chosen
    return g.lang


def without_page_lang(path: str) -> str:
    """The same address without `?hl=`: after the reader picks a language in the header, the
    page they return to must not override it."""
    parts = urlsplit(path)
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != PAGE_LANG_PARAM
    ]
    return urlunsplit(parts._replace(query=urlencode(query)))


def other_lang(lang: str) -> str:
    return "ja" if lang == "en" else "en"


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=current_lang, timezone_selector=time_zones.reader_timezone)
    labels.init_app(app)
    dates.init_app(app)

    @app.context_processor
    def language_context():
        return {"current_lang": current_lang(), "other_lang": other_lang(current_lang())}
