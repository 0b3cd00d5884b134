"""Search latency at scale, as ratios to bare Whoosh on the same index in the same run.

    python bench/search_scale.py --pages 1000 --pages 10000 [--queries 200] [--no-gunicorn]

For each N, writes a synthetic help center of N pages per language (bench/synthetic.py),
imports it and rebuilds the index (timed apart), then runs distinct 1-3 word queries per
language, each once, after a warm-up with other queries:

- `service`: the search service as a page uses it (reader's language first, exact total,
  snippets), without logging;
- `bare`: Whoosh alone on the same index with the same analyzer: OR of the query's words over
  title and body, BM25F, top 10, the stored titles read;
- `instant`: what instant results run as the reader types (the last word a prefix, 5 hits);
- under `gunicorn -w 2` (production settings, logging searches as visitors do):
  `/api/v1/search` and the search page, each on a freshly started server so no page cache
  helps, against an empty query on the same server (the HTTP floor).

With `--backend postgresql` (tables in `--database-url`, emptied first) the reference is a plain
SELECT of one page by id on the same connection, and the gunicorn rounds are left out.

Prints Markdown tables: p50/p95/p99 in milliseconds and each line's p50 and p95 over bare.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.client import HTTPConnection
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import synthetic  # noqa: E402
from scratch import BENCH_DATABASE_URL, scratch_app  # noqa: E402
from sqlalchemy import select  # noqa: E402
from sqlalchemy import text as sql  # noqa: E402
from whoosh import index as whoosh_index  # noqa: E402
from whoosh import scoring  # noqa: E402
from whoosh.query import Or, Term  # noqa: E402

from helpcenter import create_app  # noqa: E402
from helpcenter.config import Config, TestingConfig  # noqa: E402
from helpcenter.extensions import db  # noqa: E402
from helpcenter.models import Article  # noqa: E402
from helpcenter.search_index import BACKENDS, SearchRequest  # noqa: E402
from helpcenter.search_index.query import query_words  # noqa: E402
from helpcenter.services.content import imports
from helpcenter.services.insights.events import Actor
from helpcenter.services.search import indexing
from helpcenter.services.search.queries import run_search

LANGS = ("en", "ja")
WARM_UP = 30
# What each backend's figures are divided by: the engine alone, measured in the same run.
REFERENCE = "reference (bare Whoosh; PostgreSQL: SELECT one page by id)"


@dataclass
class Row:
    pages: int
    lang: str
    what: str
    samples: list[float]

    def pct(self, q: float) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def timed(run: Callable[[str], object], texts: list[str]) -> list[float]:
    out = []
    for text in texts:
        started = time.perf_counter()
        run(text)
        out.append((time.perf_counter() - started) * 1000)
    return out


def typed_prefixes(texts: list[str]) -> list[str]:
    """What the box holds mid-word: each query cut inside its last word."""
    out = []
    for text in texts:
        head, _, last = text.rpartition(" ")
        cut = last[: max(1, (len(last) + 1) // 2)] if len(last) > 1 else last
        out.append(f"{head} {cut}".strip())
    return out


class BareWhoosh:
    """Whoosh without the product: the engine's own cost for the same query words."""

    def __init__(self, index_dir: Path):
        generation = (index_dir / "CURRENT").read_text().strip()
        self.ix = whoosh_index.open_dir(str(index_dir / generation))
        self.analyzer = self.ix.schema["body"].analyzer
        self.searcher = self.ix.searcher(weighting=scoring.BM25F())

    def search(self, text: str) -> list[str]:
        words = query_words(self.analyzer, text)
        query = Or([Term(field, word) for word in words for field in ("title", "body")])
        return [hit["heading"] for hit in self.searcher.search(query, limit=10)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def served(arguments: list[str], *, cwd: Path, env: dict[str, str]) -> Iterator[None]:
    """`gunicorn ARGUMENTS` in the background until the block ends; waits for it to answer."""
    port = int(arguments[arguments.index("-b") + 1].rpartition(":")[2])
    command = [sys.executable, "-m", "gunicorn", "--log-level", "warning", *arguments]
    server = subprocess.Popen(command, env={**os.environ, **env}, cwd=cwd)
    try:
        for _ in range(300):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError as exc:
                if server.poll() is not None:
                    raise RuntimeError("gunicorn exited; pip install gunicorn?") from exc
                time.sleep(0.2)
        yield
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


@contextmanager
def gunicorn(folder: Path, workers: int) -> Iterator[int]:
    """The product on the scratch instance, with production settings; yields its port."""
    port = free_port()
    env = {
        "HELPCENTER_ENV": "production",
        "HELPCENTER_SECRET_KEY": "bench-" + "x" * 40,
        "HELPCENTER_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "HELPCENTER_SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite3'}",
        "HELPCENTER_SEARCH_INDEX_DIR": str(folder / "index"),
        "HELPCENTER_RATELIMIT_ENABLED": "false",
    }
    arguments = ["-w", str(workers), "-b", f"127.0.0.1:{port}", "helpcenter:create_app()"]
    with served(arguments, cwd=Path(__file__).resolve().parent.parent, env=env):
        fetch_body(port, "/api/v1/search?q=", "en")
        yield port


def fetch_body(port: int, target: str, lang: str) -> bytes:
    """One GET on a new connection, as a browser's first request would be."""
    connection = HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", target, headers={"Accept-Language": lang})
        response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"{target} answered {response.status}")
        return body
    finally:
        connection.close()


def site(folder: Path, args: argparse.Namespace, **overrides):
    """The scratch app on the chosen backend (PostgreSQL: in --database-url)."""
    if args.backend == "postgresql":
        return scratch_app(folder, args.database_url, SEARCH_BACKEND="postgresql", **overrides)
    return scratch_app(folder, **overrides)


def index_size(folder: Path, args: argparse.Namespace) -> int:
    if args.backend == "postgresql":
        return int(
            db.session.scalar(
                sql(
                    "SELECT sum(pg_total_relation_size(t)) FROM unnest(ARRAY['search_document',"
                    " 'search_posting', 'search_term']) AS t"
                )
            )
        )
    return sum(f.stat().st_size for f in (folder / "index").rglob("*") if f.is_file())


def build(
    folder: Path, count: int, args: argparse.Namespace
) -> tuple[list[str], dict[str, list[synthetic.Page]]]:
    corpus = {lang: synthetic.pages(count, lang) for lang in LANGS}
    synthetic.write_content(folder / "content", corpus["en"] + corpus["ja"])
    app = site(folder, args, SEARCH_INDEX_PROCS=Config.SEARCH_INDEX_PROCS)
    with app.app_context():
        started = time.perf_counter()
        summary = imports.import_content(folder / "content")
        imported = time.perf_counter()
        docs = indexing.rebuild_index()
        built = time.perf_counter()
        size = index_size(folder, args)
    lines = [
        f"{args.backend}, N = {count:,} per language: imported {summary.added:,} pages in "
        f"{imported - started:.1f} s ({summary.added / (imported - started):.0f}/s); "
        f"rebuilt {docs:,} documents in {built - imported:.1f} s "
        f"({docs / (built - imported):.0f}/s, {Config.SEARCH_INDEX_PROCS} processes); "
        f"index {size / 2**20:.0f} MiB"
    ]
    return lines, corpus


def measure(folder: Path, count: int, args: argparse.Namespace) -> tuple[list[str], list[Row]]:
    if (folder / "index" / "CURRENT").exists() and args.backend == "whoosh":  # kept (--keep)
        lines = [f"N = {count:,} per language: reusing the site built in {folder}"]
        corpus = {lang: synthetic.pages(count, lang) for lang in LANGS}
    else:
        lines, corpus = build(folder, count, args)
    rows: list[Row] = []
    app = (
        create_app(
            TestingConfig,
            {
                "SQLALCHEMY_DATABASE_URI": args.database_url,
                "SEARCH_BACKEND": "postgresql",
                "SEARCH_INDEX_DIR": str(folder / "index"),
            },
        )
        if args.backend == "postgresql"
        else scratch_app(folder)
    )
    actor = Actor(visitor_id="0" * 32)
    bare = BareWhoosh(folder / "index") if args.backend == "whoosh" else None
    plan = {}
    for lang in LANGS:
        texts = synthetic.queries(corpus[lang], WARM_UP + args.queries)
        plan[lang] = (texts[:WARM_UP], texts[WARM_UP:])
    with app.app_context():
        for lang, (warm, texts) in plan.items():

            def service(text: str, *, instant: bool = False, lang: str = lang) -> None:
                request = SearchRequest(
                    query=text, prefer_lang=lang, per_page=5 if instant else 10, as_you_type=instant
                )
                outcome = run_search(request, "api", actor, record=False)
                assert not outcome.unavailable

            timed(service, warm)
            if bare is not None:
                timed(bare.search, warm)
                rows.append(Row(count, lang, REFERENCE, timed(bare.search, texts)))
            else:
                ids = [
                    n % count + 1 for n in range(len(texts))
                ]  # a plain SELECT of one page by id: PostgreSQL's floor

                def by_id(text: str, ids: list[int] = ids) -> None:
                    db.session.execute(
                        select(Article.title).where(Article.id == ids[len(text) % len(ids)])
                    ).all()

                timed(by_id, warm)
                rows.append(Row(count, lang, REFERENCE, timed(by_id, texts)))
            rows.append(Row(count, lang, "service", timed(service, texts)))
            instant = typed_prefixes(texts)
            rows.append(
                Row(count, lang, "instant", timed(lambda t: service(t, instant=True), instant))
            )
    if args.no_gunicorn or args.backend == "postgresql":
        return lines, rows
    for what, path in (("/api/v1/search", "/api/v1/search"), ("search page", "/search")):
        with gunicorn(folder, args.workers) as port:
            for lang, (warm, texts) in plan.items():

                def over_http(text: str, *, lang: str = lang, path: str = path) -> None:
                    fetch_body(port, f"{path}?" + urllib.parse.urlencode({"q": text}), lang)

                timed(over_http, warm)
                floor = [
                    s for _ in range(max(1, len(texts) // 10)) for s in timed(over_http, [""] * 10)
                ]
                rows.append(Row(count, lang, f"{what}, empty query", floor))
                label = f"{what} (gunicorn -w {args.workers})"
                rows.append(Row(count, lang, label, timed(over_http, texts)))
    return lines, rows


def table(rows: list[Row]) -> str:
    out = [
        "| N per language | lang | what | p50 ms | p95 ms | p99 ms | p50 / bare | p95 / bare |",
        "|---:|---|---|---:|---:|---:|---:|---:|",
    ]
    bare = {(r.pages, r.lang): r for r in rows if r.what == REFERENCE}
    for r in rows:
        ref = bare[(r.pages, r.lang)]
        out.append(
            f"| {r.pages:,} | {r.lang} | {r.what} | {r.pct(0.5):.1f} | {r.pct(0.95):.1f} | "
            f"{r.pct(0.99):.1f} | {r.pct(0.5) / ref.pct(0.5):.1f}x | "
            f"{r.pct(0.95) / ref.pct(0.95):.1f}x |"
        )
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, action="append", help="N per language (repeatable)")
    parser.add_argument("--queries", type=int, default=200, help="timed queries per language")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--no-gunicorn", action="store_true", help="in-process figures only")
    parser.add_argument("--backend", default="whoosh", choices=BACKENDS)
    parser.add_argument(
        "--database-url",
        default=BENCH_DATABASE_URL,
        help="the PostgreSQL database --backend postgresql uses (emptied first)",
    )
    parser.add_argument(
        "--keep", type=Path, help="build each N in a folder here, keep it and reuse it next time"
    )
    args = parser.parse_args()
    summary: list[str] = []
    rows: list[Row] = []
    for count in args.pages or [1000]:
        if args.keep:
            folder = args.keep / f"scale-{count}"
            folder.mkdir(parents=True, exist_ok=True)
        else:
            folder = Path(tempfile.mkdtemp(prefix=f"scale-{count}-"))
        try:
            lines, measured = measure(folder, count, args)
        finally:
            if not args.keep:
                shutil.rmtree(folder, ignore_errors=True)
        print("\n".join(lines), file=sys.stderr, flush=True)
        summary += lines
        rows += measured
    print()
    print("\n".join(summary))
    print()
    print(table(rows))


if __name__ == "__main__":
    main()
