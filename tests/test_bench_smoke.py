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
