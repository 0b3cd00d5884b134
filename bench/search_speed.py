"""Search latency through the real HTTP API, as ratios to a trivial request in the same run.

    python bench/search_speed.py [--copies 20]

Imports the sample content `--copies` times (each copy under new slugs) into a temporary
instance, then times GET /api/v1/search for short queries (1-3 words, as typed into the box)
and for long sentence queries, against GET /static/favicon.svg as the framework's floor.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scratch import scratch_app  # noqa: E402

from helpcenter.config import PROJECT_ROOT  # noqa: E402
from helpcenter.services.content import imports
from helpcenter.services.search import indexing

SHORT = [
    "password",
    "invoice",
    "slack",
    "webhook",
    "two-step",
    "パスワード",
    "請求書",
    "通知",
    "ログイン",
    "プラン 変更",
    "csv import",
    "api token",
    "税",
    "calendar sync",
    "削除",
]
LONG = [
    "I forgot my password and the reset email never arrives, what should I do",
    "パスワードを忘れてしまい再設定のメールも届かないのですがどうすればいいですか",
    "how can I download last year's invoices for our accounting team as PDF",
    "Slackに通知が届かなくなったので連携を設定し直す方法を教えてください",
]


def copy_content(copies: int, target: Path) -> None:
    """Copy the sample content `copies` times; every copy of a page gets its own file and slug."""
    source = PROJECT_ROOT / "content"
    for src in source.rglob("*"):
        if src.is_dir():
            continue
        rel = src.relative_to(source)
        if src.suffix != ".md":
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, target / rel)
            continue
        for n in range(copies):
            dest = (target / rel).with_name(f"c{n}-{src.name}")
            dest.parent.mkdir(parents=True, exist_ok=True)
            text = src.read_text(encoding="utf-8").replace("\nslug: ", f"\nslug: c{n}-", 1)
            dest.write_text(text, encoding="utf-8")


def timed(client, url: str, rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        response = client.get(url)
        out.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--copies", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        app = scratch_app(tmp_path)
        copy_content(args.copies, tmp_path / "content")
        with app.app_context():
            t0 = time.perf_counter()
            summary = imports.import_content(tmp_path / "content")
            t1 = time.perf_counter()
            docs = indexing.rebuild_index()
            t2 = time.perf_counter()
        pages = summary.added
        print(
            f"{pages} pages imported in {t1 - t0:.1f} s ({pages / (t1 - t0):.0f}/s); "
            f"{docs} index documents built in {t2 - t1:.1f} s ({docs / (t2 - t1):.0f}/s)"
        )
        client = app.test_client()
        random.seed(7)
        timed(client, "/static/favicon.svg", 50)  # warm up
        floor = statistics.median(timed(client, "/static/favicon.svg", 300))
        for label, queries in (("short", SHORT), ("long", LONG)):
            samples = []
            for _ in range(max(1, 150 // len(queries))):
                for q in queries:
                    samples += timed(client, f"/api/v1/search?q={q}&per_page=5&source=instant", 1)
            samples.sort()
            p50, p95 = statistics.median(samples), samples[int(0.95 * (len(samples) - 1))]
            print(
                f"{label:5} queries: p50 {p50:.1f} ms ({p50 / floor:.0f}x a static file), p95 {p95:.1f} ms"
            )
        print(f"floor (static file through Flask): p50 {floor:.2f} ms")


if __name__ == "__main__":
    main()
