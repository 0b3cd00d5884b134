"""The reader's language: their explicit choice (a cookie), else Accept-Language."""

from __future__ import annotations

from flask import Flask, current_app, g, request

from helpcenter.extensions import babel

LANG_COOKIE = "hc_lang"


def current_lang() -> str:
    if "lang" not in g:
        languages = current_app.config["LANGUAGES"]
        chosen = request.cookies.get(LANG_COOKIE)
        g.lang = (
            chosen
            if chosen in languages
            else (request.accept_languages.best_match(languages) or "en")
        )
    return g.lang


def other_lang(lang: str) -> str:
    return "ja" if lang == "en" else "en"


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=current_lang)

    @app.context_processor
    def language_context():
        return {"current_lang": current_lang(), "other_lang": other_lang(current_lang())}
