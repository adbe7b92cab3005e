"""The naive build: what a developer gets from the Whoosh 2.7.4 + jieba tutorials. Runs in .bench-venv only.

    .bench-venv/bin/python bench/naive.py build --articles articles.jsonl --index DIR --procs 2 --out build.json
    .bench-venv/bin/python bench/naive.py query --index DIR --rounds 3 --out query.json

Schema: title and body TEXT(analyzer=jieba.analyse.ChineseAnalyzer(), stored=True); KEYWORD facet fields
(year, district, event, language, source; district and event comma-separated, values are the gazetteer's slugs
as in /api/search). Queries: MultifieldParser(["title", "body"]); filters as Term queries; facets with
`groupedby` (FieldFacet, counts only) on one long-lived searcher; snippets from `hit.highlights("body")`.
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
import time
import warnings
from pathlib import Path

warnings.simplefilter("ignore")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, peak_rss_mb, summarize, write_json  # noqa: E402
from queries import CLASSES, queries  # noqa: E402

FACETS = ("year", "district", "event", "language", "source")
MULTI = ("district", "event")


def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()  # before the writer forks, so both workers share the loaded dictionary
    return jieba


def schema():
    from jieba.analyse import ChineseAnalyzer
    from whoosh.fields import ID, KEYWORD, TEXT, Schema

    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=ChineseAnalyzer(), stored=True),
        body=TEXT(analyzer=ChineseAnalyzer(), stored=True),
        year=KEYWORD(stored=True),
        district=KEYWORD(stored=True, commas=True),
        event=KEYWORD(stored=True, commas=True),
        language=KEYWORD(stored=True),
        source=KEYWORD(stored=True),
    )


def slug_maps() -> dict:
    gaz = json.loads((ROOT / "articles" / "data" / "gazetteer.json").read_text(encoding="utf-8"))
    return {kind: {e["name_en"]: e["slug"] for e in gaz[kind]} for kind in ("districts", "events", "sources")}


def _slugs(names, table) -> str:
    return ",".join(table.get(n, n.lower().replace(" ", "-")) for n in names or [])


def build(args):
    from whoosh import index

    t_start = time.perf_counter()
    _jieba()
    maps = slug_maps()
    path = Path(args.index)
    if path.exists():
        import shutil

        shutil.rmtree(path)
    path.mkdir(parents=True)
    ix = index.create_in(str(path), schema())
    t0 = time.perf_counter()
    kwargs = {"procs": args.procs, "multisegment": True} if args.procs > 1 else {}
    writer = ix.writer(**kwargs)
    n = 0
    with open(args.articles, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            a = json.loads(line)
            writer.add_document(
                id=str(a["id"]), title=a.get("title") or "", body=a.get("body") or "",
                year=str(a.get("year") or ""),
                district=_slugs(a.get("districts"), maps["districts"]),
                event=_slugs(a.get("events"), maps["events"]),
                language=a.get("language") or "",
                source=_slugs([a["source"]] if a.get("source") else [], maps["sources"]),
            )
            n += 1
    writer.commit()
    t1 = time.perf_counter()
    size = sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    write_json(Path(args.out), {
        "documents": n, "build_seconds": round(t1 - t0, 2), "setup_seconds": round(t0 - t_start, 2),
        "index_bytes": size, "segments": len(list(path.glob("*.seg"))) or len(list(path.glob("*_*.toc"))),
        "peak_rss_mb_parent": round(peak_rss_mb(), 1),
    })


def _filter(item):
    from whoosh.query import And, Or, Term

    field = {"districts": "district", "years": "year", "events": "event"}
    parts = []
    for kind, values in item["filters"].items():
        terms = [Term(field[kind], v) for v in values]
        parts.append(terms[0] if len(terms) == 1 else Or(terms))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else And(parts)


def query(args):
    from whoosh import index, sorting
    from whoosh.qparser import MultifieldParser

    t_start = time.perf_counter()
    _jieba()
    ix = index.open_dir(str(args.index))
    searcher = ix.searcher()
    parser = MultifieldParser(["title", "body"], ix.schema)
    facets = {name: sorting.FieldFacet(name, allow_overlap=name in MULTI, maptype=sorting.Count) for name in FACETS}
    mix = queries()
    parsed = {q["id"]: (parser.parse(q["q"]), _filter(q)) for q in mix}
    startup = time.perf_counter() - t_start

    def top10_total(item):
        q, f = parsed[item["id"]]
        r = searcher.search(q, limit=10, filter=f)
        total = len(r)
        _ = [hit["title"] for hit in r[:10]]
        return total, r

    def with_facets(item):
        q, f = parsed[item["id"]]
        r = searcher.search(q, limit=10, filter=f, groupedby=facets)
        total = len(r)
        # r[:10]: with groupedby, iterating the Results walks every match, not only the top 10
        _ = [hit["title"] for hit in r[:10]]
        counts = {name: r.groups(name) for name in FACETS}
        return total, r, counts

    def with_snippets(item):
        total, r, counts = with_facets(item)
        snippets = [hit.highlights("body") for hit in r[:10]]
        return total, snippets

    variants = {"a": top10_total, "b": with_facets, "c": with_snippets}
    # A cold first query per variant (facet caches are built by the first groupedby).
    cold = {}
    for key, fn in variants.items():
        s = time.perf_counter()
        fn(mix[0])
        cold[key] = round((time.perf_counter() - s) * 1000, 1)

    times = {key: {q["id"]: [] for q in mix} for key in variants}
    totals = {}
    for rnd in range(args.rounds):
        for item in mix:
            for key, fn in variants.items():
                s = time.perf_counter()
                res = fn(item)
                ms = (time.perf_counter() - s) * 1000
                if rnd > 0 or args.rounds == 1:
                    times[key][item["id"]].append(ms)
                if key == "a":
                    totals[item["id"]] = res[0]

    def summaries(key):
        t = times[key]
        return {
            "all": summarize([x for q in mix for x in t[q["id"]]]),
            "non_phrase": summarize([x for q in mix if q["cls"] != "phrase" for x in t[q["id"]]]),
            "by_class": {c: summarize([x for q in mix if q["cls"] == c for x in t[q["id"]]]) for c in CLASSES},
        }

    write_json(Path(args.out), {
        "startup_seconds": round(startup, 2),
        "cold_first_query_ms": cold,
        "rounds": args.rounds,
        "variants": {key: summaries(key) for key in variants},
        "queries": [{"id": q["id"], "cls": q["cls"], "total": totals[q["id"]],
                     "ms": {k: times[k][q["id"]] for k in variants}} for q in mix],
        "peak_rss_mb": round(peak_rss_mb(), 1),
    })


def main(argv=None):
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build")
    b.add_argument("--articles", required=True)
    b.add_argument("--index", required=True)
    b.add_argument("--procs", type=int, default=2)
    b.add_argument("--out", required=True)
    q = sub.add_parser("query")
    q.add_argument("--index", required=True)
    q.add_argument("--rounds", type=int, default=3)
    q.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    build(args) if args.cmd == "build" else query(args)


if __name__ == "__main__":
    main()
