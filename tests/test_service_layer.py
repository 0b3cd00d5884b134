"""Services return data and never depend on a request: links are built by views, templates and
mail templates (models give paths, like Thread.path and User.profile_path)."""

import ast
from pathlib import Path

SERVICES = Path(__file__).resolve().parent.parent / "helpcenter" / "services"
REQUEST_ONLY = {"url_for", "test_request_context", "request"}


def test_no_service_builds_links_or_reads_the_request():
    offenders = []
    for path in SERVICES.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "flask":
                used = {alias.name for alias in node.names} & REQUEST_ONLY
                offenders += [f"{path.name} imports {name}" for name in sorted(used)]
            if isinstance(node, ast.Attribute) and node.attr == "test_request_context":
                offenders.append(f"{path.name} calls test_request_context")
    assert offenders == []
