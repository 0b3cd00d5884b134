"""Requests per second of the home and article pages against a bare Flask page of the same size.

    python bench/page_throughput.py --pages 10000 [--seconds 10] [--rounds 3] [--keep DIR]

Builds a synthetic help center of N pages per language (bench/synthetic.py), or reuses the one
in --keep, serves it with `gunicorn -w 2` (production settings), and serves beside it a bare
Flask app answering every request with the product's article page as a fixed string. wrk (a
Debian package) then loads each target in turn, round after round, so the three share the
machine's noise; each page's figure is reported as a share of the bare page's in its round.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask import Flask  # noqa: E402
from search_scale import build, fetch_body, free_port, gunicorn, served  # noqa: E402

BENCH = Path(__file__).resolve().parent
ARTICLE = "/articles/en/s000001-en"
PAGE_FILE = "BARE_PAGE_FILE"


def bare_app() -> Flask:
    """A Flask app that only returns the saved page: the framework's floor for that response."""
    import os

    body = Path(os.environ[PAGE_FILE]).read_bytes()
    app = Flask(__name__)

    @app.get("/")
    def page():
        return body, 200, {"Content-Type": "text/html; charset=utf-8"}

    return app


def wrk(port: int, path: str, seconds: int) -> float:
    command = ["wrk", "-t2", "-c8", f"-d{seconds}s", "-H", "Accept-Language: en"]
    output = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if "Non-2xx" in output:
        raise RuntimeError(f"{path} answered errors under load:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=10_000, help="N per language")
    parser.add_argument("--seconds", type=int, default=10, help="each wrk run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="build here once, reuse on later runs")
    args = parser.parse_args()
    folder = args.keep or Path(__import__("tempfile").mkdtemp(prefix="throughput-"))
    if not (folder / "index" / "CURRENT").exists():
        lines, _ = build(folder, args.pages)
        print("\n".join(lines))
    with gunicorn(folder, 2) as port:
        page_file = folder / "bare-page.html"
        page_file.write_bytes(fetch_body(port, ARTICLE, "en"))
        bare_port = free_port()
        bare = served(
            ["-w", "2", "-b", f"127.0.0.1:{bare_port}", "page_throughput:bare_app()"],
            cwd=BENCH,
            env={PAGE_FILE: str(page_file)},
        )
        with bare:
            fetch_body(bare_port, "/", "en")
            shares: dict[str, list[float]] = {"/": [], ARTICLE: []}
            print("| round | bare Flask req/s | home req/s | article req/s |")
            print("|---:|---:|---:|---:|")
            for round_number in range(1, args.rounds + 1):
                floor = wrk(bare_port, "/", args.seconds)
                figures = {path: wrk(port, path, args.seconds) for path in shares}
                for path, value in figures.items():
                    shares[path].append(value / floor)
                print(
                    f"| {round_number} | {floor:.0f} | {figures['/']:.0f} "
                    f"({figures['/'] / floor:.0%}) | {figures[ARTICLE]:.0f} "
                    f"({figures[ARTICLE] / floor:.0%}) |",
                    flush=True,
                )
    size = page_file.stat().st_size
    print(
        f"\nN = {args.pages:,} per language, article page {size / 1024:.0f} KiB. Median share of "
        f"the bare page: home {statistics.median(shares['/']):.0%}, "
        f"article {statistics.median(shares[ARTICLE]):.0%}"
    )


if __name__ == "__main__":
    main()
