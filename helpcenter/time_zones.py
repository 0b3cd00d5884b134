"""The time zone each request reads and enters times in: a signed-in member's own choice
(account settings), else the site's (HELPCENTER_BABEL_DEFAULT_TIMEZONE). Flask-Babel asks
`reader_timezone` once per request; `|day`, `|moment` and the staff schedule form follow it."""

from __future__ import annotations

from functools import cache

from babel.dates import get_timezone_location
from flask import current_app, has_request_context
from flask_babel import gettext as _
from flask_login import current_user
from pytz import common_timezones

ZONES: tuple[str, ...] = tuple(common_timezones)
_ZONE_SET = frozenset(ZONES)


def reader_timezone() -> str | None:
    """The member's zone; None (the site's) for anonymous readers, outside requests, or for a
    stored name a later tz database no longer lists."""
    if not has_request_context() or not current_user.is_authenticated:
        return None
    chosen = getattr(current_user, "timezone", None)
    return chosen if chosen in _ZONE_SET else None


def choices(lang: str) -> list[tuple[str, str]]:
    """The account page's options: the site default first, then every common zone by name."""
    site = current_app.config["BABEL_DEFAULT_TIMEZONE"]
    return [("", _("Site default (%(zone)s)", zone=site)), *_named_zones(lang)]


@cache
def _named_zones(lang: str) -> tuple[tuple[str, str], ...]:
    """ "Asia/Tokyo (東京)": the tz name, with its city in the reader's language when that
    says more than the name itself. Called with the request's own language, so `_` matches."""
    named = []
    for zone in ZONES:
        city = get_timezone_location(zone, lang, return_city=True)
        plain = zone.rsplit("/", 1)[-1].replace("_", " ")
        named.append(
            (
                zone,
                zone if city in (plain, zone) else _("%(zone)s (%(city)s)", zone=zone, city=city),
            )
        )
    return tuple(named)
