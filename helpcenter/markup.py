"""Markdown to safe HTML, once, when content is saved: the HTML, its outline and its plain text."""

from __future__ import annotations

import html
from dataclasses import dataclass
from html.parser import HTMLParser

import markdown
import nh3
from markdown.extensions.toc import slugify_unicode

EXTENSIONS = ["extra", "toc", "admonition", "sane_lists"]
EXTENSION_CONFIGS = {"toc": {"slugify": slugify_unicode, "toc_depth": "2-3"}}

ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "img",
    "kbd",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"align", "style"},
    "th": {"align", "style"},
    "abbr": {"title"},
}
URL_SCHEMES = {"http", "https", "mailto"}


@dataclass(frozen=True)
class Rendered:
    html: str
    toc: list[dict]  # [{"id", "name", "level"}] for h2/h3
    text: str  # what the search index reads


def render_markdown(source: str) -> Rendered:
    md = markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)
    raw = md.convert(source)
    # h1 in a body would compete with the page title: demote it.
    raw = raw.replace("<h1", "<h2").replace("</h1>", "</h2>")
    clean = nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener",
        filter_style_properties={"text-align"},
    )
    # The toc extension adds toc_tokens to the Markdown object; the stubs cannot know that.
    toc_tokens = md.toc_tokens  # type: ignore[attr-defined]
    return Rendered(html=clean, toc=_flatten_toc(toc_tokens), text=html_to_text(clean))


def _flatten_toc(tokens: list[dict]) -> list[dict]:
    out: list[dict] = []
    for token in tokens:
        if token["level"] <= 3:
            out.append(
                {"id": token["id"], "name": html.unescape(token["name"]), "level": token["level"]}
            )
        out.extend(_flatten_toc(token.get("children", [])))
    return out


class _TextExtractor(HTMLParser):
    BLOCKS = {"p", "li", "h2", "h3", "h4", "td", "th", "pre", "div", "br", "tr", "dt", "dd"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self.parts.append("\n")


def html_to_text(markup: str) -> str:
    parser = _TextExtractor()
    parser.feed(markup)
    lines = ("".join(parser.parts)).split("\n")
    return "\n".join(" ".join(line.split()) for line in lines if line.strip())


USER_EXTENSIONS = ["fenced_code", "tables", "sane_lists", "nl2br"]
USER_TAGS = {
    "a",
    "blockquote",
    "br",
    "code",
    "del",
    "em",
    "h3",
    "h4",
    "hr",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
USER_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "code": {"class"}}


def _user_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Images only from this site or over https; code classes only for a language name."""
    if tag == "img" and attribute == "src":
        local = value.startswith("/") and not value.startswith("//")
        return value if local or value.startswith("https://") else None
    if tag == "code" and attribute == "class":
        return value if value.startswith("language-") and value[9:].isalnum() else None
    return value


def render_user_markdown(source: str) -> Rendered:
    """Markdown written by members: rendered, then cleaned with a strict allow-list.

    Raw HTML in the source is escaped, not passed through, and cleaning still follows, so
    `[x](javascript:...)`, event handlers, `data:` URLs and SVG never reach a page.
    """
    md = markdown.Markdown(extensions=USER_EXTENSIONS)
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    raw = md.convert(source)
    clean = nh3.clean(
        raw,
        tags=USER_TAGS,
        attributes=USER_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener",
        attribute_filter=_user_attribute,
    )
    return Rendered(html=clean, toc=[], text=html_to_text(clean))
