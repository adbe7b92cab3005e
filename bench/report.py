"""The results table (markdown) from bench-data/N/state.json."""
from __future__ import annotations

import math
import statistics

from queries import CLASSES

CLASS_NAMES = {"en": "English words", "zh": "simplified words (2-6 chars)", "hant": "traditional script",
               "phrase": "quoted phrases", "char": "single characters", "filter": "word + district/year/event"}


def _f(x, digits=1):
    if x is None or (isinstance(x, float) and (math.isnan(x) or math.isinf(x))):
        return "–"
    if isinstance(x, float) and abs(x) >= 100:
        return f"{x:,.0f}"
    return f"{x:,.{digits}f}"


def _mb(n):
    return "–" if n is None else f"{n / 1024 / 1024:,.0f} MB"


def _ratio(naive, ours):
    try:
        if not ours or math.isnan(naive) or math.isnan(ours):
            return "–"
        return f"{naive / ours:,.1f}×"
    except TypeError:
        return "–"


def _pp(s):
    return f"{_f(s['p50'])} / {_f(s['p95'])}" if s and s.get("n") else "–"


def _sub(d, *path):
    for p in path:
        if not isinstance(d, dict) or p not in d:
            return None
        d = d[p]
    return d


def _hits_table(queries, naive_queries) -> list[str]:
    naive_total = {q["id"]: q["total"] for q in (naive_queries or [])}
    buckets = ((0, 0, "0"), (1, 9, "1–9"), (10, 99, "10–99"), (100, 999, "100–999"), (1000, 10**12, "≥ 1,000"))
    lines = ["| class | queries | ours: min / median / max hits | ours: " + " · ".join(b[2] for b in buckets)
             + " | naive: median hits |", "|---|---:|---|---|---:|"]
    for cls in CLASSES + ("all",):
        qs = [q for q in queries if cls == "all" or q["cls"] == cls]
        if not qs:
            continue
        totals = [q["total"] for q in qs]
        counts = [sum(1 for t in totals if lo <= t <= hi) for lo, hi, _ in buckets]
        nt = [naive_total[q["id"]] for q in qs if q["id"] in naive_total]
        lines.append(f"| {CLASS_NAMES.get(cls, cls)} | {len(qs)} | {min(totals):,} / {statistics.median(totals):,.0f}"
                     f" / {max(totals):,} | {' · '.join(map(str, counts))} | "
                     f"{(f'{statistics.median(nt):,.0f}' if nt else '–')} |")
    return lines


def render(state: dict) -> str:
    n = state.get("count")
    m = state.get("machine", {})
    gen, imp, idx = state.get("generate", {}), state.get("import", {}), state.get("index", {})
    exp, naive, pre = state.get("export", {}), state.get("naive", {}), state.get("pretok", {})
    ours, http, nq, fresh = state.get("ours", {}), state.get("http", {}), state.get("naivequery", {}), state.get("fresh", {})
    runs = state.get("runs", [])
    out = [f"# Benchmark: {n:,} demo articles (seed 1)", ""]
    out.append(f"- finished {state.get('finished', '?')}; command: `{state.get('command', '')}`")
    qcode = (ours or {}).get("code") or state.get("code") or {}
    icode = idx.get("code") or {}
    if qcode:
        out.append(f"- code measured by the queries: HEAD {qcode.get('head')} with {len(qcode.get('dirty', []))} files "
                   f"changed in the work tree (search/ hash {qcode.get('search_code')})"
                   + (f"; the index and the Whoosh-alone yardstick were built from search/ hash "
                      f"{idx.get('search_code')} (HEAD {icode.get('head', '?')}, same fields and formats)"
                      if idx.get("search_code") and idx.get("search_code") != qcode.get("search_code") else ""))
    out.append(f"- machine: {m.get('nproc')} CPUs ({m.get('cpu')}), {m.get('ram_gb')} GB RAM, Python {m.get('python')}")
    qload = ", ".join(f"{name} {_sub(d, 'load', 'mean')}" for name, d in
                      (("in process", ours), ("HTTP", http), ("naive", nq), ("freshness", fresh)) if d)
    out.append("- 1-minute load average (other work on this machine included) is given for each pipeline step below; "
               f"during the query steps it was: {qload or '?'}")
    out.append("")

    # ------------------------------------------------------------ pipeline
    out += ["## Pipeline", "", "| step | wall | CPU (all processes) | load (mean / max) | result |", "|---|---:|---:|---|---|"]

    def row(name, d, result):
        if d:
            out.append(f"| {name} | {_f(d.get('seconds'))} s | {_f(d.get('cpu_seconds'))} s | "
                       f"{_sub(d, 'load', 'mean')} / {_sub(d, 'load', 'max')} | {result} |")

    row("generate_demo", gen, f"{gen.get('files', '?')} files, {_mb(gen.get('corpus_bytes'))}, "
        f"{gen.get('reposts', '?')} planted reposts")
    dup = imp.get("duplicates", {})
    row("import_articles --no-index", imp,
        ", ".join(f"{k} {v:,}" for k, v in sorted(dup.get("outcomes", {}).items()))
        + f"; DB {_mb(imp.get('db_bytes'))}")
    def rebuilt(d):
        texts = (f"texts analysed {d['texts_analysed']:,}, reused {d['texts_reused']:,}; "
                 if d.get("texts_analysed") is not None else "")
        store = d.get("token_store_bytes")
        size = (f"index {_mb(d.get('index_bytes') - store)} + token store {_mb(store)}" if store is not None
                else f"index {_mb(d.get('index_bytes'))}")
        return texts + size

    row("rebuild_index --procs 2 --reanalyse (every text analysed)", idx, rebuilt(idx))
    warm = state.get("index_warm", {})
    row("rebuild_index --procs 2 again (unchanged text not analysed)", warm, rebuilt(warm))
    row("export_articles", exp, f"{exp.get('articles', '?'):,} articles" if exp else "")
    if pre:
        row("Whoosh alone on our tokens (whole step)", pre,
            f"analysis {_f(pre.get('analysis_seconds'))} s (1 process) + documents from DB "
            f"{_f(pre.get('db_and_documents_seconds'))} s, then **build {_f(pre.get('build_seconds'))} s** "
            f"(2 processes), index {_mb(pre.get('index_bytes'))}")
    if naive:
        row("naive build (whoosh 2.7.4 + jieba)", naive,
            f"**build {_f(naive.get('build_seconds'))} s** (2 processes), index {_mb(naive.get('index_bytes'))}")
    out.append("")
    if dup:
        out.append(f"Duplicates: {dup.get('found')}/{dup.get('planted')} planted reposts found "
                   f"(recall {_f((dup.get('recall') or 0) * 100)} %; script-converted {dup.get('found_converted')}/"
                   f"{dup.get('planted_converted')}), {dup.get('detected_edges')} duplicates reported, "
                   f"{dup.get('false_positives')} false positives; "
                   f"{dup.get('missed_with_rejected_item')} missed pairs had an item rejected by the importer.")
    if idx and pre.get("build_seconds"):
        out.append(f"Rebuild vs Whoosh alone on the same tokens: {_f(idx['seconds'])} s / "
                   f"{_f(pre['build_seconds'])} s = **{idx['seconds'] / pre['build_seconds']:.2f}×** "
                   f"(target ≤ 1.25×).")
        build_cpu = (pre.get("cpu_seconds") or 0) - (pre.get("analysis_seconds") or 0) \
            - (pre.get("db_and_documents_seconds") or 0)
        if build_cpu > 0 and idx.get("cpu_seconds"):
            out.append(f"By CPU time (less sensitive to the machine's load): {_f(idx['cpu_seconds'])} CPU-s / "
                       f"~{_f(build_cpu)} CPU-s = **{idx['cpu_seconds'] / build_cpu:.2f}×**.")
    out.append("")

    # ------------------------------------------------------------ queries
    ours_np, ours_ph = _sub(ours, "non_phrase"), _sub(ours, "by_class", "phrase")
    http_np, http_ph = _sub(http, "non_phrase"), _sub(http, "by_class", "phrase")
    v = _sub(nq, "variants") or {}
    rounds = ours.get("rounds") or nq.get("rounds") or "?"
    nqueries = len(ours.get("queries", []))
    out += [f"## Queries: {nqueries} queries × {rounds} rounds, first round discarded (ms, p50 / p95)", "",
            "Ours = `run_search`, which always computes the exact total, every facet's counts and the page's "
            "snippets in one call: rows (a), (b) and (c) are the same measurement. Naive = whoosh 2.7.4 + jieba "
            "(a: `search(limit=10)` + `len()`; b: + `groupedby` of 5 facets; c: + `highlights(\"body\")` × 10). "
            "Ratio = naive ÷ ours (× faster), p50 and p95.", "",
            "| measure | ours in process | ours over HTTP | naive | ratio p50 | ratio p95 |", "|---|---|---|---|---:|---:|"]

    def qrow(label, o, h, nv):
        out.append(f"| {label} | {_pp(o)} | {_pp(h)} | {_pp(nv)} | "
                   f"{_ratio(_sub(nv, 'p50'), _sub(o, 'p50'))} | {_ratio(_sub(nv, 'p95'), _sub(o, 'p95'))} |")

    qrow("(a) top 10 + exact total, non-phrase", ours_np, http_np, _sub(v, "a", "non_phrase"))
    qrow("(b) + every facet's counts, non-phrase", ours_np, http_np, _sub(v, "b", "non_phrase"))
    qrow("(c) + snippets (full answer), non-phrase", ours_np, http_np, _sub(v, "c", "non_phrase"))
    qrow("quoted phrases, full answer", ours_ph, http_ph, _sub(v, "c", "by_class", "phrase"))
    qrow("all queries, full answer", _sub(ours, "all"), _sub(http, "all"), _sub(v, "c", "all"))
    out.append("")
    out += ["Full answer by query class (ms, p50 / p95):", "",
            "| class | ours in process | ours over HTTP | naive (a) | naive (b) | naive (c) | ratio p95 (c) |",
            "|---|---|---|---|---|---|---:|"]
    for cls in CLASSES:
        o, h = _sub(ours, "by_class", cls), _sub(http, "by_class", cls)
        na, nb, nc = (_sub(v, k, "by_class", cls) for k in "abc")
        out.append(f"| {CLASS_NAMES[cls]} | {_pp(o)} | {_pp(h)} | {_pp(na)} | {_pp(nb)} | {_pp(nc)} | "
                   f"{_ratio(_sub(nc, 'p95'), _sub(o, 'p95'))} |")
    out.append("")
    slow = sorted(ours.get("queries", []), key=lambda q: -max(q["ms"] or [0]))[:8]
    if slow:
        out.append("Slowest queries in process (max over the timed rounds): " + "; ".join(
            f"`{q['q']}`{' ' + str(q['filters']) if q['filters'] else ''} {_f(max(q['ms']))} ms ({q['total']:,} hits)"
            for q in slow) + ".")
        out.append("")
    out += ["## Hits per query (the mix's spread; ours vs naive totals differ: the naive build neither folds "
            "traditional script, nor expands across languages, nor matches fragments of words)", ""]
    out += _hits_table(ours.get("queries", []), nq.get("queries"))
    out.append("")

    # ------------------------------------------------------------ other figures
    out += ["## Other figures", "", "| figure | measured |", "|---|---|"]
    if ours:
        out.append(f"| query process peak RSS, in process (`run_search`) | {_f(ours.get('peak_rss_mb'))} MB "
                   f"(after Django setup, before the first search: {_f(ours.get('rss_start_mb'))} MB at start) |")
        out.append(f"| first search after start (opens the searcher, builds facet sets) | "
                   f"{_f(ours.get('cold_first_query_ms'))} ms |")
    if http:
        out.append(f"| runserver peak RSS after the mix | {_f(http.get('server_peak_rss_mb'))} MB |")
        out.append(f"| HTTP overhead, p50 / p95 (HTTP − in process, all queries) | "
                   f"{_f(_sub(http, 'all', 'p50') - _sub(ours, 'all', 'p50'))} / "
                   f"{_f(_sub(http, 'all', 'p95') - _sub(ours, 'all', 'p95'))} ms |" if ours else "")
    if nq:
        out.append(f"| naive query process peak RSS | {_f(nq.get('peak_rss_mb'))} MB |")
    if fresh:
        same = fresh.get("same_process", [])
        other = fresh.get("other_process", [])
        out.append("| saved article searchable (same process: save, then poll) | "
                   + ", ".join(f"{t['searchable_s']:.3f} s (save {t['save_s']:.3f} s)" for t in same) + " |")
        out.append("| saved article searchable (saved by another process, polled here) | "
                   + ", ".join(f"{t['searchable_s']:.3f} s (save {t['save_s']:.3f} s)" for t in other) + " |")
        out.append("| first search after a change (searcher reopened, facet sets rebuilt) | "
                   + ", ".join(f"{t['first_search_after_ms']:.0f} ms" for t in same) + " |")
    out.append("")
    return "\n".join(line for line in out if line is not None) + "\n"
