"""The search-quality benchmark keeps running: a tiny collection through the real script."""

import subprocess
import sys
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from helpcenter.config import PROJECT_ROOT
from tests.environment import PG_URL

BENCH = PROJECT_ROOT / "bench" / "search_quality.py"
TINY = PROJECT_ROOT / "tests" / "fixtures" / "eval-tiny"


def test_search_quality_runs_on_a_tiny_collection():
    command = [sys.executable, str(BENCH), str(TINY)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "4 queries" in result.stdout and "MRR@10 1.000" in result.stdout, result.stdout


SCALE = PROJECT_ROOT / "bench" / "search_scale.py"


def test_search_scale_runs_on_a_tiny_corpus():
    command = [sys.executable, str(SCALE), "--pages", "24", "--queries", "8", "--no-gunicorn"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    for line in (
        "| 24 | en | reference (bare Whoosh",
        "| 24 | ja | service |",
        "| 24 | ja | instant |",
    ):
        assert line in result.stdout, result.stdout
    assert "imported 48 pages" in result.stdout, result.stdout


@pytest.mark.skipif(not PG_URL, reason="the PostgreSQL backend: set HELPCENTER_TEST_DATABASE_URL")
def test_search_quality_runs_on_the_postgresql_backend():
    assert PG_URL
    parts = urlsplit(PG_URL)
    name = f"{parts.path.lstrip('/')}_bench"
    server = parts._replace(scheme="postgresql", path="/postgres")
    with psycopg.connect(urlunsplit(server), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    url = urlunsplit(parts._replace(path=f"/{name}"))
    command = [sys.executable, str(BENCH), str(TINY), "--backend", "postgresql"]
    command += ["--database-url", url]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "backend: postgresql" in result.stdout, result.stdout
    assert "4 queries" in result.stdout and "MRR@10 1.000" in result.stdout, result.stdout
