"""CSV downloads of staff tables: UTF-8 with a byte-order mark (so spreadsheet programs read
Japanese correctly), and text that a spreadsheet would run as a formula kept as plain text
(queries and comments are typed by customers)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

from flask import Response

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.match(value):
        return "'" + value
    return value


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable]) -> Response:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([safe_cell(v) for v in row] for row in rows)
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename={filename}.csv"},
    )
