"""The reader's language: their choice (a cookie), their profile, else Accept-Language."""

from __future__ import annotations

from flask import Flask, current_app, g, has_request_context, request
from flask_login import current_user

from helpcenter import dates, labels
from helpcenter.extensions import babel

LANG_COOKIE = "hc_lang"


def current_lang() -> str:
    """The switch in the header, else the signed-in person's setting, else Accept-Language."""
    if not has_request_context():  # commands and mail composed outside a request
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if "lang" not in g:
        languages = current_app.config["LANGUAGES"]
        chosen = request.cookies.get(LANG_COOKIE)
        if chosen not in languages and current_user.is_authenticated:
            chosen = current_user.lang
        if chosen not in languages:
            chosen = request.accept_languages.best_match(languages) or "en"
        g.lang = chosen
    return g.lang


def other_lang(lang: str) -> str:
    return "ja" if lang == "en" else "en"


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=current_lang)
    labels.init_app(app)
    dates.init_app(app)

    @app.context_processor
    def language_context():
        return {"current_lang": current_lang(), "other_lang": other_lang(current_lang())}
