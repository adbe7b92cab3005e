"""From saving one published article (ORM save) to finding it with run_search (polling).

Two ways, a few trials each:
  same process   save() here (the post-save drain writes the index before save returns), then poll
  other process  a warm child process (it has run a search) saves while this one, with a warm searcher,
                 polls (the usual case: a curator saves in one server worker, a reader searches in another)
The probe articles are deleted at the end (their deletion goes through the index the same way).

    python bench/fresh.py --out fresh.json [--trials 3]
"""
from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import peak_rss_mb, summarize, write_json  # noqa: E402
from ours import setup_django  # noqa: E402

POLL_SLEEP = 0.005
GIVE_UP = 30.0


def probe_word(i: int, kind: str) -> str:
    # letters only, so the English analyzer keeps it as one (stemmed) term
    letters = "abcdefghij"
    return f"quokkaprobe{kind}" + "".join(letters[int(c)] for c in f"{int(time.time() * 1000) % 10**8:08d}{i}")


def save_probe(word: str) -> int:
    from articles.models import Article

    article = Article(
        title=f"Benchmark freshness probe {word}",
        body=f"This probe article mentions {word} once, so exactly one article matches it.\n\nIt is deleted after the benchmark.",
        raw=f"probe {word}", language="en", year=2026, date=dt.date(2026, 11, 15),
        status=Article.Status.PUBLISHED,
    )
    article.save()
    return article.pk


def poll(word: str, started: float, clock=time.perf_counter) -> tuple[float, int, list[float]]:
    """Seconds from `started` until run_search finds `word`; the searches' own durations."""
    from search.query import SearchQuery, run_search

    tries = []
    while True:
        s = time.perf_counter()
        result = run_search(SearchQuery(q=word))
        tries.append((time.perf_counter() - s) * 1000)
        if result.total >= 1:
            return clock() - started, len(tries), tries
        if clock() - started > GIVE_UP:
            return float("inf"), len(tries), tries
        time.sleep(POLL_SLEEP)


def child(word: str) -> None:
    setup_django()
    # Warm, like a server worker that has served requests: analyzer user words loaded, index opened.
    from search.query import SearchQuery, run_search

    run_search(SearchQuery(q="antibody"))
    print("ready", flush=True)
    sys.stdin.readline()
    t0 = time.time()
    pk = save_probe(word)
    t1 = time.time()
    print(f"{t0} {t1} {pk}", flush=True)


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--out")
    ap.add_argument("--trials", type=int, default=3)
    ap.add_argument("--child", default=None)
    args = ap.parse_args(argv)
    if args.child:
        child(args.child)
        return

    setup_django()
    from articles.models import Article
    from search.query import SearchQuery, run_search

    run_search(SearchQuery(q="antibody"))  # a warm searcher, as a running server has
    same, other, created, words = [], [], [], []
    for i in range(args.trials):
        word = probe_word(i, "same")
        words.append(word)
        t0 = time.perf_counter()
        pk = save_probe(word)
        saved = time.perf_counter() - t0
        created.append(pk)
        seconds, polls, tries = poll(word, t0)
        same.append({"save_s": round(saved, 3), "searchable_s": round(seconds, 3), "polls": polls,
                     "first_search_after_ms": round(tries[0], 1)})
        run_search(SearchQuery(q="antibody"))

    for i in range(args.trials):
        word = probe_word(i, "other")
        words.append(word)
        proc = subprocess.Popen([sys.executable, __file__, "--child", word], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "ready"
        sent = time.time()
        proc.stdin.write("go\n")
        proc.stdin.flush()
        seconds, polls, tries = poll(word, sent, clock=time.time)
        line = proc.stdout.readline().split()
        proc.wait(timeout=60)
        t_save0, t_save1, pk = float(line[0]), float(line[1]), int(line[2])
        created.append(pk)
        found_at = sent + seconds
        other.append({"save_s": round(t_save1 - t_save0, 3), "searchable_s": round(found_at - t_save0, 3),
                      "polls": polls, "search_ms_when_found": round(tries[-1], 1)})
        run_search(SearchQuery(q="antibody"))

    for article in Article.objects.filter(pk__in=created):
        article.delete()
    left = sum(run_search(SearchQuery(q=w)).total for w in words)
    out = {
        "same_process": same,
        "other_process": other,
        "searchable_s": summarize([t["searchable_s"] for t in same + other]),
        "probes_still_found_after_delete": left,
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }
    if args.out:
        write_json(Path(args.out), out)
    print(out)


if __name__ == "__main__":
    main()
