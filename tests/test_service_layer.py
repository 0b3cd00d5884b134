"""Services return data and never depend on a request: links are built by views, templates and
mail templates (models give paths, like Thread.path and User.profile_path)."""

import re
from pathlib import Path

SERVICES = Path(__file__).resolve().parent.parent / "helpcenter" / "services"
# A plain text scan (ast.parse in a test can race CPython 3.11's parser against the threads
# other tests leave running, gh-106905).
REQUEST_ONLY = re.compile(
    r"\burl_for\(|\btest_request_context\(|^from flask import .*\b(?:url_for|request)\b",
    re.MULTILINE,
)


def test_no_service_builds_links_or_reads_the_request():
    offenders = [
        f"{path.name}: {match.group()}"
        for path in sorted(SERVICES.rglob("*.py"))
        for match in REQUEST_ONLY.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
