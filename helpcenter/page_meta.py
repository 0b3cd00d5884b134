"""What a public page tells search engines and link previews about itself: its canonical
address, the same page in the other language, a description, OpenGraph and JSON-LD.

Addresses are built from PUBLIC_BASE_URL (links.py), never from the request's Host. Pages that
render base.html without a PageMeta (search results, staff, account, forms, errors) are marked
`noindex` by the template.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from flask_babel import gettext as _

from helpcenter import structured_data
from helpcenter.i18n import PAGE_LANG_PARAM
from helpcenter.links import public_url
from helpcenter.models import Article, Category, Post, Thread

DESCRIPTION_CHARS = 160
OG_LOCALES = {"en": "en_US", "ja": "ja_JP"}


@dataclass(frozen=True)
class Alternate:
    hreflang: str  # a language code, or "x-default"
    url: str


@dataclass(frozen=True)
class PageMeta:
    canonical: str
    lang: str
    title: str
    description: str
    og_type: str = "website"
    alternates: tuple[Alternate, ...] = ()
    json_ld: tuple[dict, ...] = field(default=())
    noindex: bool = False

    @property
    def og_locale(self) -> str:
        return OG_LOCALES.get(self.lang, self.lang)

    @property
    def og_locale_alternates(self) -> list[str]:
        others = {a.hreflang for a in self.alternates} - {self.lang, "x-default"}
        return [OG_LOCALES.get(lang, lang) for lang in sorted(others)]


def describe(text: str | None, limit: int = DESCRIPTION_CHARS) -> str:
    """One line of at most `limit` characters, cut at a word where there are words."""
    flat = " ".join((text or "").split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut + "…"


def language_versions(endpoint: str, **values) -> tuple[Alternate, ...]:
    """A page shown in every interface language (`?hl=`): one address per language, and the
    address without `hl` (which follows the reader's choice) as x-default."""
    versions = [
        Alternate(lang, public_url(endpoint, **values, **{PAGE_LANG_PARAM: lang}))
        for lang in current_app.config["LANGUAGES"]
    ]
    return (*versions, Alternate("x-default", public_url(endpoint, **values)))


def _url_of(alternates: tuple[Alternate, ...], lang: str) -> str:
    return next(a.url for a in alternates if a.hreflang == lang)


def home_meta(lang: str) -> PageMeta:
    alternates = language_versions("main.home")
    return PageMeta(
        canonical=_url_of(alternates, lang),
        lang=lang,
        title=" ".join((structured_data.SITE_NAME, _("Help Center"))),
        description=_(
            "Answers, guides and videos about Tsumiki, and a community of customers who help "
            "each other."
        ),
        alternates=alternates,
    )


def category_meta(category: Category, lang: str) -> PageMeta:
    alternates = language_versions("main.category", slug=category.slug)
    name = category.name(lang)
    return PageMeta(
        canonical=_url_of(alternates, lang),
        lang=lang,
        title=name,
        # Not the English description on a Japanese page: a translated sentence instead.
        description=describe(category.descriptions.get(lang))
        or _("Articles, videos and community threads about %(topic)s.", topic=name),
        alternates=alternates,
    )


def community_meta(
    *, lang: str, shown_lang: str, category: Category | None, tab: str, page: int
) -> PageMeta:
    """The thread list. `shown_lang` is the language of the threads listed ("all" for every
    language); it is part of the address only when it is not the interface language."""
    values: dict[str, Any] = {
        "category": category.slug if category else None,
        "tab": tab if tab != "latest" else None,
        "page": page if page > 1 else None,
    }
    alternates = language_versions("community.index", **values)
    canonical = _url_of(alternates, lang)
    if shown_lang != lang:
        canonical = public_url(
            "community.index", **values, lang=shown_lang, **{PAGE_LANG_PARAM: lang}
        )
    return PageMeta(
        canonical=canonical,
        lang=lang,
        title=_("Community") + (f": {category.name(lang)}" if category else ""),
        description=_(
            "Customers helping customers. Search first: your answer may already be here."
        ),
        alternates=alternates,
    )


def _page_url(page: Article) -> str:
    return public_url(
        "main.video" if page.is_video else "main.article", lang=page.lang, slug=page.slug
    )


def content_meta(page: Article, translations: list[Article]) -> PageMeta:
    """An article or a video page; x-default is the version in the default language, if any."""
    url = _page_url(page)
    versions = sorted([page, *translations], key=lambda p: p.lang)
    alternates = [Alternate(p.lang, _page_url(p)) for p in versions]
    default_lang = current_app.config["BABEL_DEFAULT_LOCALE"]
    default = next((a for a in alternates if a.hreflang == default_lang), Alternate("", url))
    alternates.append(Alternate("x-default", default.url))
    description = describe(page.summary or page.body_text)
    build = structured_data.video_ld if page.is_video else structured_data.article_ld
    return PageMeta(
        canonical=url,
        lang=page.lang,
        title=page.title,
        description=description,
        og_type="video.other" if page.is_video else "article",
        alternates=tuple(alternates),
        json_ld=(build(page, url, description),),
    )


def thread_meta(thread: Thread, opening: Post, replies: list[Post]) -> PageMeta:
    """A thread exists in one language: it is its own alternate and x-default."""
    url = public_url("community.thread", thread_id=thread.id)
    qa_page = structured_data.qa_page_ld(thread, opening, replies, url)
    return PageMeta(
        canonical=url,
        lang=thread.lang,
        title=thread.title,
        description=describe(opening.body_text) or thread.title,
        og_type="article",
        alternates=(Alternate(thread.lang, url), Alternate("x-default", url)),
        json_ld=(qa_page,) if qa_page else (),
        noindex=not thread.is_visible,
    )
