"""Document frequency of candidate query words on a built bench index (how bench/queries.py was chosen).

    BIOPHARMA_NEWS_DATA=bench-data/10000/data .venv/bin/python bench/vocab_df.py [--mix] > df.txt

Candidates come from the demo generator's vocabulary (articles/demo.py) and the gazetteer, in English,
simplified and traditional script, plus single characters; each is counted with run_search (our engine's exact
total, expansions across languages included). With --mix it prints the current mix's totals instead.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ours import search_query, setup_django  # noqa: E402


def candidates() -> list[tuple[str, str]]:
    import json

    import opencc

    from articles import demo
    from common import ROOT

    s2t = opencc.OpenCC("s2t")
    out = []
    for t in demo.TARGETS:
        out.append(("en", t))
    pairs = []
    for name in ("MODALITIES", "DISEASES", "PHASES", "REGULATORS", "MILESTONES", "DEALS", "ROUNDS", "TOPICS",
                 "THEMES"):
        pairs.extend(getattr(demo, name, ()))
    for en, zh in pairs:
        out.append(("en", en))
        out.append(("phrase", f'"{en}"'))
        out.append(("zh", zh))
        out.append(("phrase", f'"{zh}"'))
        if s2t.convert(zh) != zh:
            out.append(("hant", s2t.convert(zh)))
    gaz = json.loads((ROOT / "articles" / "data" / "gazetteer.json").read_text(encoding="utf-8"))
    for kind in ("districts", "places", "events", "sources", "cities"):
        for e in gaz[kind]:
            out.append(("en", e["name_en"]))
            out.append(("zh", e["name_zh_hans"]))
            if e["name_zh_hant"] != e["name_zh_hans"]:
                out.append(("hant", e["name_zh_hant"]))
    chars = set()
    for _, zh in pairs:
        chars.update(c for c in zh if "\u4e00" <= c <= "\u9fff")
    for c in sorted(chars):
        out.append(("char", c))
        if s2t.convert(c) != c:
            out.append(("char", s2t.convert(c)))
    seen, unique = set(), []
    for cls, q in out:
        if (cls, q) not in seen and q.strip('"').strip():
            seen.add((cls, q))
            unique.append((cls, q))
    return unique


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--mix", action="store_true", help="the current mix's totals")
    args = ap.parse_args(argv)
    setup_django()
    from search.query import SearchQuery, run_search

    if args.mix:
        from queries import queries

        for item in queries():
            print(f"{item['cls']}\t{run_search(search_query(item)).total}\t{item['q']}\t{item['filters'] or ''}")
        return
    for cls, q in candidates():
        print(f"{cls}\t{run_search(SearchQuery(q=q)).total}\t{q}", flush=True)


if __name__ == "__main__":
    main()
