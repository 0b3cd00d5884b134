"""Measure search quality on an FAQ retrieval collection, through the real import and search code.

    python bench/search_quality.py ../shared/eval/localgovfaq [--ja-method sudachi+bigram]

The folder holds corpus.jsonl ({id, title, body, lang}) and queries-dev.jsonl ({id, text, lang,
relevant, grades}). Each corpus entry is written as a Markdown article into a temporary content
folder, imported and indexed into a temporary instance, then every query goes through the search
service. Prints MRR@10, Recall@5, Success@1, Success@5, nDCG@10, index build time and query latency.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scratch import BENCH_DATABASE_URL, scratch_app  # noqa: E402

from helpcenter.search_index import BACKENDS, SearchRequest  # noqa: E402
from helpcenter.search_index.analysis import DEFAULT_JA_METHOD, JA_METHODS  # noqa: E402
from helpcenter.services.content import imports
from helpcenter.services.insights.events import Actor
from helpcenter.services.search import indexing
from helpcenter.services.search.queries import run_search

K = 10


def slug_for(doc_id: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", doc_id.lower()).strip("-")


def write_corpus(corpus: Path, content: Path) -> dict[str, str]:
    """One Markdown article per FAQ entry; returns slug -> corpus id."""
    slugs = {}
    for line in corpus.read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        slug = slug_for(entry["id"])
        slugs[slug] = entry["id"]
        folder = content / "articles" / entry["lang"]
        folder.mkdir(parents=True, exist_ok=True)
        meta = {"title": " ".join(entry["title"].split()), "slug": slug, "lang": entry["lang"]}
        front = "\n".join(
            f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in meta.items()
        )
        (folder / f"{slug}.md").write_text(
            f"---\n{front}\n---\n\n{entry['body']}\n", encoding="utf-8"
        )
    return slugs


def dcg(gains: list[float]) -> float:
    return sum(g / math.log2(i + 2) for i, g in enumerate(gains))


def evaluate(ranked: list[str], query: dict) -> dict[str, float]:
    relevant = set(query["relevant"])
    grades = {doc: float(query.get("grades", {}).get(doc, 1)) for doc in relevant}
    first = next((i for i, doc in enumerate(ranked[:K]) if doc in relevant), None)
    gains = [2 ** grades[doc] - 1 if doc in relevant else 0.0 for doc in ranked[:K]]
    ideal = sorted((2**g - 1 for g in grades.values()), reverse=True)[:K]
    return {
        "MRR@10": 0.0 if first is None else 1.0 / (first + 1),
        "Recall@5": len(relevant & set(ranked[:5])) / len(relevant),
        "Success@1": float(bool(ranked[:1]) and ranked[0] in relevant),
        "Success@5": float(bool(relevant & set(ranked[:5]))),
        "nDCG@10": dcg(gains) / dcg(ideal) if ideal else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("path", type=Path, help="a folder with corpus.jsonl and queries-dev.jsonl")
    parser.add_argument("--ja-method", default=DEFAULT_JA_METHOD, choices=JA_METHODS)
    parser.add_argument("--queries", default="queries-dev.jsonl")
    parser.add_argument("--backend", default="whoosh", choices=BACKENDS)
    parser.add_argument(
        "--database-url",
        default=BENCH_DATABASE_URL,
        help="the PostgreSQL database the postgresql backend uses (emptied first)",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        app = scratch_app(
            tmp_path,
            args.database_url if args.backend == "postgresql" else None,
            SEARCH_JA_METHOD=args.ja_method,
            SEARCH_BACKEND=args.backend,
        )
        with app.app_context():
            slugs = write_corpus(args.path / "corpus.jsonl", tmp_path / "content")
            started = time.perf_counter()
            summary = imports.import_content(tmp_path / "content")
            imported = time.perf_counter()
            indexing.rebuild_index()
            built = time.perf_counter()
            print(
                f"{args.path.name}: {summary.added} documents imported in {imported - started:.1f} s, "
                f"indexed in {built - imported:.1f} s (backend: {args.backend}, Japanese analysis: "
                f"{args.ja_method})"
            )
            queries = [
                json.loads(line) for line in (args.path / args.queries).read_text().splitlines()
            ]
            actor = Actor(visitor_id="0" * 32)
            totals: dict[str, float] = {}
            latencies = []
            for query in queries:
                request = SearchRequest(query=query["text"], prefer_lang=query["lang"], per_page=K)
                t0 = time.perf_counter()
                outcome = run_search(request, "api", actor, record=False)
                latencies.append((time.perf_counter() - t0) * 1000)
                ranked = [slugs.get(hit.slug, hit.slug) for hit in outcome.page.hits]
                for name, value in evaluate(ranked, query).items():
                    totals[name] = totals.get(name, 0.0) + value
            n = len(queries)
            print(
                f"{n} queries  "
                + "  ".join(f"{name} {value / n:.3f}" for name, value in totals.items())
            )
            latencies.sort()
            p95 = latencies[int(0.95 * (n - 1))]
            print(f"query latency: p50 {statistics.median(latencies):.1f} ms, p95 {p95:.1f} ms")


if __name__ == "__main__":
    main()
