"""The query mix against our engine, in process: `run_search` (project venv, BIOPHARMA_NEWS_DATA set).

run_search always computes the exact total, every facet's counts and the snippets of the page, so the figure
for "top 10 + total", "+ facets" and "+ snippets" is one and the same call.

    python bench/ours.py --rounds 3 --out ours.json [--profile CLASS]
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, peak_rss_mb, summarize, write_json  # noqa: E402
from queries import CLASSES, queries  # noqa: E402


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "biopharma_news.settings")
    import logging
    import warnings

    warnings.simplefilter("ignore")
    import django

    django.setup()
    logging.getLogger("jieba").setLevel(logging.WARNING)


def search_query(item):
    from search.query import SearchQuery

    return SearchQuery(q=item["q"], **{k: list(v) for k, v in item["filters"].items()})


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--out", required=True)
    ap.add_argument("--profile", default=None, help="also cProfile this query class (one extra round)")
    args = ap.parse_args(argv)

    rss_start = peak_rss_mb()
    t0 = time.perf_counter()
    setup_django()
    from search.query import run_search

    mix = queries()
    # The first search opens the searcher, loads the analyzer's user words and builds the per-searcher
    # facet sets and columns: timed on its own (a server pays it once per index change).
    c0 = time.perf_counter()
    first = run_search(search_query(mix[0]))
    cold_ms = (time.perf_counter() - c0) * 1000
    startup_s = time.perf_counter() - t0

    times: dict[int, list[float]] = {q["id"]: [] for q in mix}
    totals: dict[int, int] = {}
    messages: dict[int, list[str]] = {}
    for rnd in range(args.rounds):
        for item in mix:
            sq = search_query(item)
            s = time.perf_counter()
            result = run_search(sq)
            ms = (time.perf_counter() - s) * 1000
            if rnd > 0 or args.rounds == 1:
                times[item["id"]].append(ms)
            totals[item["id"]] = result.total
            if result.messages:
                messages[item["id"]] = list(result.messages)
    out = {
        "startup_seconds": round(startup_s, 2),
        "cold_first_query_ms": round(cold_ms, 1),
        "first_total": first.total,
        "rounds": args.rounds,
        "queries": [{**q, "total": totals[q["id"]], "ms": times[q["id"]], "messages": messages.get(q["id"], [])}
                    for q in mix],
        "all": summarize([t for ts in times.values() for t in ts]),
        "by_class": {c: summarize([t for q in mix if q["cls"] == c for t in times[q["id"]]]) for c in CLASSES},
        "non_phrase": summarize([t for q in mix if q["cls"] != "phrase" for t in times[q["id"]]]),
        "rss_start_mb": round(rss_start, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }
    if args.profile:
        out["profile"] = profile_class(args.profile, mix)
    write_json(Path(args.out), out)


def profile_class(cls: str, mix) -> str:
    import cProfile
    import io
    import pstats

    from search.query import run_search

    items = [q for q in mix if q["cls"] == cls]
    prof = cProfile.Profile()
    prof.enable()
    for item in items:
        run_search(search_query(item))
    prof.disable()
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(35)
    return buf.getvalue()


if __name__ == "__main__":
    main()
