"""Dates and times as the reader writes them: their language's format (Flask-Babel) in the site's
time zone (HELPCENTER_BABEL_DEFAULT_TIMEZONE). Stored times are naive UTC."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask
from flask_babel import format_date, format_datetime, format_time, get_locale, to_user_timezone


def day(value: date | datetime | None, local: bool = True) -> str:
    """ "Dec 4, 2026" / "2026/12/04"; a stored time is first moved to the reader's time zone,
    unless `local` is false: a calendar date (an article's "updated" from its file, stored as
    midnight) is shown as written, or New York would read the day before."""
    if value is None:
        return ""
    return format_date(value, "medium", rebase=local)


def moment(value: datetime | None, seconds: bool = False) -> str:
    """ "Dec 4, 2026, 2:05 PM" / "2026/12/04 14:05": to the minute unless `seconds` (logs)."""
    if value is None:
        return ""
    if seconds:
        return format_datetime(value, "medium")
    local = to_user_timezone(value)
    joined = get_locale().datetime_formats["medium"]  # "{1}, {0}" in English, "{1} {0}" in Japanese
    return str(joined).format(
        format_time(local, "short", rebase=False), format_date(local, "medium", rebase=False)
    )


def init_app(app: Flask) -> None:
    app.add_template_filter(day, "day")
    app.add_template_filter(moment, "moment")
