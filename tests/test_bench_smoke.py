"""The search-quality benchmark keeps running: a tiny collection through the real script."""

import subprocess
import sys

from helpcenter.config import PROJECT_ROOT

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
    for line in ("| 24 | en | bare Whoosh |", "| 24 | ja | service |", "| 24 | ja | instant |"):
        assert line in result.stdout, result.stdout
    assert "imported 48 pages" in result.stdout, result.stdout
