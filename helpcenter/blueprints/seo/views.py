"""The sitemap (an index of per-section files once it outgrows one file) and robots.txt.

Neither records anything: no page view, no visitor cookie, so crawlers stay out of analytics.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import Blueprint, Response, abort, current_app, render_template, request

from helpcenter.links import public_url_builder
from helpcenter.services.content import sitemap
from helpcenter.structured_data import iso, ld_json

bp = Blueprint("seo", __name__)

# Paths no search engine should crawl: staff and admin tools, people's own pages, sign-in and
# account forms, search results (endless, and thin), and the JSON API.
DISALLOWED = (
    "/staff/",
    "/admin/",
    "/account/",
    "/api/",
    "/search",
    "/signin",
    "/signup",
    "/signout",
    "/reset",
    "/confirm/",
    "/language/",
    "/community/new",
    "/community/notifications",
    "/community/preview",
    "/community/unsubscribe/",
    "/community/p/",
)
NOINDEX_BLUEPRINTS = {"staff", "admin", "account", "auth", "search"}  # and every api* blueprint
SITEMAP_CACHE_SECONDS = 3600


@dataclass(frozen=True)
class SitemapUrl:
    loc: str
    lastmod: str | None
    alternates: tuple[tuple[str, str], ...]  # (hreflang, url)


def _urls(entries: list[sitemap.SitemapEntry]) -> list[SitemapUrl]:
    build = public_url_builder()
    return [
        SitemapUrl(
            loc=build(e.place.endpoint, **e.place.values),
            lastmod=iso(e.lastmod),
            alternates=tuple(
                (a.lang or "x-default", build(a.endpoint, **a.values)) for a in e.alternates
            ),
        )
        for e in entries
    ]


def _xml(template: str, **context) -> Response:
    response = Response(render_template(template, **context), mimetype="application/xml")
    response.headers["Cache-Control"] = f"public, max-age={SITEMAP_CACHE_SECONDS}"
    return response


def _entries(section: str, offset: int, limit: int) -> list[sitemap.SitemapEntry]:
    return sitemap.section_entries(
        section,
        offset=offset,
        limit=limit,
        languages=tuple(current_app.config["LANGUAGES"]),
        default_lang=current_app.config["BABEL_DEFAULT_LOCALE"],
    )


@bp.get("/sitemap.xml")
def sitemap_index():
    """One file when everything fits, else an index of `/sitemap-<section>-<n>.xml` files."""
    per_file = current_app.config["SITEMAP_URLS_PER_FILE"]
    languages = tuple(current_app.config["LANGUAGES"])
    sizes = {s: sitemap.section_size(s, languages) for s in sitemap.SECTIONS}
    if sum(sizes.values()) <= per_file:
        entries = [e for s in sitemap.SECTIONS for e in _entries(s, 0, sizes[s])]
        return _xml("seo/sitemap.xml", urls=_urls(entries))
    build = public_url_builder()
    files = [
        build("seo.sitemap_file", section=s, number=n)
        for s in sitemap.SECTIONS
        for n in range(1, math.ceil(sizes[s] / per_file) + 1)
    ]
    return _xml("seo/sitemap_index.xml", files=files)


@bp.get("/sitemap-<any(pages,topics,articles,videos,threads):section>-<int:number>.xml")
def sitemap_file(section: str, number: int):
    per_file = current_app.config["SITEMAP_URLS_PER_FILE"]
    entries = _entries(section, (number - 1) * per_file, per_file) if number >= 1 else []
    if not entries:
        abort(404)
    return _xml("seo/sitemap.xml", urls=_urls(entries))


@bp.get("/robots.txt")
def robots():
    prefix = urlsplit(current_app.config["PUBLIC_BASE_URL"]).path.rstrip("/")
    lines = ["User-agent: *", *(f"Disallow: {prefix}{path}" for path in DISALLOWED)]
    lines += ["", f"Sitemap: {public_url_builder()('seo.sitemap_index')}", ""]
    return Response("\n".join(lines), mimetype="text/plain")


@bp.after_app_request
def keep_private_pages_out(response: Response) -> Response:
    """`X-Robots-Tag: noindex` on staff, account, sign-in, search and API responses, CSV and
    JSON included (a robots.txt rule alone still lets a linked address be listed)."""
    blueprint = (request.blueprint or "").split(".")[0]
    if blueprint in NOINDEX_BLUEPRINTS or blueprint.startswith("api"):
        response.headers.setdefault("X-Robots-Tag", "noindex")
    return response


bp.add_app_template_global(ld_json, "ld_json")
