"""`make bench [N=10000]`: the "Search at speed" benchmark.

    .venv/bin/python bench/run.py --count N [--steps STEPS] [--fresh] [--rounds 3]

Steps (default: all, in this order; a finished step's figures are kept in bench-data/N/state.json and reused
unless --fresh, so `make bench` after `make bench-import` does not import again):

    generate   demo corpus (seed 1) -> bench-data/N/corpus (manifest moved to bench-data/N/manifest.json)
    import     import_articles --no-index into bench-data/N/data; duplicates vs the planted reposts
    index      rebuild_index --procs 2; index size
    export     export_articles --format jsonl > bench-data/N/articles.jsonl
    naive      the naive whoosh 2.7.4 + jieba build in .bench-venv (created here if missing)
    pretok     Whoosh alone on our analyzer's tokens (analysis done first, untimed in the build)
    ours       the query mix in process against run_search
    http       the query mix over /api/search (runserver, DEBUG off)
    naivequery the query mix against the naive build in its own process
    fresh      ORM save of one published article -> searchable via run_search
    report     the results table -> stdout and bench-data/N/results.md

`prepare` stands for generate,import,index,export (what `make bench-import` runs).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (BENCH_DIR, BENCH_VENV, BENCH_VENV_PY, NAIVE_REQUIREMENTS, ROOT, VENV_PY, LoadSampler,  # noqa: E402
                    data_root, dir_size, loadavg, proc_peak_rss_mb, read_json, summarize, write_json)

ALL_STEPS = ("generate", "import", "index", "export", "naive", "pretok", "ours", "http", "naivequery", "fresh",
             "report")
PREPARE = ("generate", "import", "index", "export")
# Inputs kept across runs (unless --fresh): the corpus, its import and export, the naive build. The index and
# the Whoosh-alone yardstick are rebuilt whenever the search/ code changed since they were built.
KEPT = ("generate", "import", "export", "naive")


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


class Bench:
    def __init__(self, n: int, rounds: int, fresh: bool, sampler: LoadSampler):
        self.n = n
        self.rounds = rounds
        self.fresh = fresh
        self.sampler = sampler
        self.root = data_root(n)
        self.corpus = self.root / "corpus"
        self.data = self.root / "data"
        self.manifest_path = self.root / "manifest.json"
        self.articles = self.root / "articles.jsonl"
        self.naive_index = self.root / "naive-index"
        self.pretok_index = self.root / "pretok-index"
        self.state_path = self.root / "state.json"
        self.root.mkdir(parents=True, exist_ok=True)
        self.state = read_json(self.state_path, {}) or {}
        if self.state.get("count") not in (None, n):
            self.state = {}
        self.state["count"] = n

    # ------------------------------------------------------------ plumbing
    def env(self) -> dict:
        env = dict(os.environ)
        env["BIOPHARMA_NEWS_DATA"] = str(self.data)
        env["DJANGO_DEBUG"] = "0"
        env["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1,localhost"
        env.setdefault("PYTHONHASHSEED", "0")
        env["PYTHONWARNINGS"] = "ignore"
        env["TQDM_DISABLE"] = "1"
        return env

    def save(self) -> None:
        write_json(self.state_path, self.state)

    def timed(self, cmd, *, stdout=None, env=None, name="") -> dict:
        """Runs cmd; wall time, the children's CPU seconds and load average meanwhile."""
        log(f"{name}: {' '.join(str(c) for c in cmd)}")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.time()
        proc = subprocess.run([str(c) for c in cmd], cwd=ROOT, env=env or self.env(), stdout=stdout,
                              stderr=subprocess.PIPE, text=True)
        t1 = time.time()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        out = {
            "seconds": round(t1 - t0, 2),
            "cpu_seconds": round((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), 2),
            "load": self.sampler.between(t0, t1),
            "returncode": proc.returncode,
        }
        if proc.stderr and proc.returncode not in (0,):
            out["stderr_tail"] = proc.stderr[-2000:]
        log(f"{name}: {out['seconds']} s wall, {out['cpu_seconds']} CPU-s, rc={proc.returncode}")
        return out

    def manage(self, *args):
        return [VENV_PY, ROOT / "manage.py", *args]

    def done(self, step: str) -> bool:
        return not self.fresh and step in self.state

    # ------------------------------------------------------------ steps
    def step_generate(self):
        if self.corpus.exists():
            shutil.rmtree(self.corpus)
        res = self.timed(self.manage("generate_demo", "--count", self.n, "--seed", 1, "--out", self.corpus),
                         stdout=subprocess.PIPE, name="generate")
        if res["returncode"] != 0:
            raise SystemExit(f"generate_demo failed: {res.get('stderr_tail')}")
        shutil.move(str(self.corpus / "manifest.json"), self.manifest_path)
        manifest = read_json(self.manifest_path, {})
        res.update(files=manifest.get("files"), languages=manifest.get("languages"), formats=manifest.get("formats"),
                   reposts=len(manifest.get("reposts", [])), corpus_bytes=dir_size(self.corpus))
        self.state["generate"] = res
        for later in ("import", "index", "export", "naive", "pretok"):
            self.state.pop(later, None)

    def step_import(self):
        from dupes import analyse

        if self.data.exists():
            shutil.rmtree(self.data)
        self.data.mkdir(parents=True)
        mig = self.timed(self.manage("migrate", "-v", "0"), name="migrate")
        if mig["returncode"] != 0:
            raise SystemExit(f"migrate failed: {mig.get('stderr_tail')}")
        log_path = self.root / "import.log"
        with open(log_path, "w") as fh:
            res = self.timed(self.manage("import_articles", self.corpus, "--no-index"), stdout=fh, name="import")
        if res["returncode"] not in (0, 1):  # 1: something was rejected (junk pages are, by design)
            raise SystemExit(f"import failed: {res.get('stderr_tail')}")
        res["migrate_seconds"] = mig["seconds"]
        res["duplicates"] = analyse(log_path.read_text(), read_json(self.manifest_path, {}), self.corpus)
        from accuracy import analyse as accuracy

        res["accuracy"] = accuracy(log_path.read_text(), read_json(self.manifest_path, {}), self.corpus,
                                   self.data / "db.sqlite3")
        res["db_bytes"] = sum(p.stat().st_size for p in self.data.glob("db.sqlite3*"))
        self.state["import"] = res
        for later in ("index", "export", "naive", "pretok"):
            self.state.pop(later, None)

    def _served_index(self) -> Path:
        idx = self.data / "index"
        name = (idx / "CURRENT").read_text().strip()
        return idx / name

    def _rebuild(self, *extra, name: str) -> dict:
        proc_out = self.root / "rebuild.out"
        with open(proc_out, "w") as fh:
            res = self.timed(self.manage("rebuild_index", "--procs", 2, *extra), stdout=fh, name=name)
        if res["returncode"] != 0:
            raise SystemExit(f"rebuild_index failed: {res.get('stderr_tail')}")
        found = re.search(r"texts analysed (\d+), reused from the last rebuild (\d+)", proc_out.read_text())
        if found:
            res["texts_analysed"], res["texts_reused"] = int(found.group(1)), int(found.group(2))
        served = self._served_index()
        res["index_bytes"] = dir_size(served)
        res["token_store_bytes"] = sum(p.stat().st_size for p in served.glob("tokens-*.sqlite3"))
        res["index_files"] = sum(1 for _ in served.iterdir())
        return res

    def step_index(self):
        # The first build analyses every text (as after an analyzer change);
        # the second is the usual one, reusing what the first stored.
        self.state["index"] = self._rebuild("--reanalyse", name="rebuild_index --reanalyse")
        self.state["index_warm"] = self._rebuild(name="rebuild_index (reusing the stored analysis)")

    def step_export(self):
        with open(self.articles, "w") as fh:
            res = self.timed(self.manage("export_articles", "--format", "jsonl"), stdout=fh, name="export")
        if res["returncode"] != 0:
            raise SystemExit(f"export failed: {res.get('stderr_tail')}")
        with open(self.articles) as fh:
            res["articles"] = sum(1 for line in fh if line.strip())
        self.state["export"] = res

    def ensure_bench_venv(self):
        if BENCH_VENV_PY.exists():
            probe = subprocess.run([str(BENCH_VENV_PY), "-c", "import whoosh, jieba; print(whoosh.versionstring())"],
                                   capture_output=True, text=True)
            if probe.returncode == 0 and probe.stdout.strip() == "2.7.4":
                return
        log(f"creating {BENCH_VENV} with {' '.join(NAIVE_REQUIREMENTS)}")
        subprocess.run([sys.executable, "-m", "venv", str(BENCH_VENV)], check=True)
        subprocess.run([str(BENCH_VENV_PY), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        *NAIVE_REQUIREMENTS], check=True)

    def step_naive(self):
        self.ensure_bench_venv()
        out = self.root / "naive-build.json"
        res = self.timed([BENCH_VENV_PY, BENCH_DIR / "naive.py", "build", "--articles", self.articles,
                          "--index", self.naive_index, "--procs", 2, "--out", out], name="naive build")
        if res["returncode"] != 0:
            raise SystemExit(f"naive build failed: {res.get('stderr_tail')}")
        res.update(read_json(out, {}))
        self.state["naive"] = res

    def step_pretok(self):
        out = self.root / "pretok.json"
        res = self.timed([VENV_PY, BENCH_DIR / "pretok.py", "--articles", self.articles, "--index", self.pretok_index,
                          "--work", self.root / "pretok-tokens.jsonl", "--procs", 2, "--out", out],
                         name="pretokenized build")
        if res["returncode"] != 0:
            raise SystemExit(f"pretok build failed: {res.get('stderr_tail')}")
        res.update(read_json(out, {}))
        self.state["pretok"] = res

    def step_ours(self):
        out = self.root / "ours.json"
        res = self.timed([VENV_PY, BENCH_DIR / "ours.py", "--rounds", self.rounds, "--out", out], name="ours")
        if res["returncode"] != 0:
            raise SystemExit(f"ours failed: {res.get('stderr_tail')}")
        res.update(read_json(out, {}))
        self.state["ours"] = res

    def step_http(self):
        from http_bench import run_http

        port = _free_port()
        env = self.env()
        cmd = self.manage("runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks")
        log(f"http: starting {' '.join(map(str, cmd))}")
        server = subprocess.Popen([str(c) for c in cmd], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                  stderr=open(self.root / "runserver.log", "w"))
        try:
            t0 = time.time()
            res = run_http(port, self.rounds, server_pid=server.pid)
            res["seconds"] = round(time.time() - t0, 2)
            res["load"] = self.sampler.between(t0, time.time())
            res["server_peak_rss_mb"] = proc_peak_rss_mb(server.pid)
        finally:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        self.state["http"] = res

    def step_naivequery(self):
        self.ensure_bench_venv()
        out = self.root / "naive-query.json"
        res = self.timed([BENCH_VENV_PY, BENCH_DIR / "naive.py", "query", "--index", self.naive_index,
                          "--rounds", self.rounds, "--out", out], name="naive queries")
        if res["returncode"] != 0:
            raise SystemExit(f"naive queries failed: {res.get('stderr_tail')}")
        res.update(read_json(out, {}))
        self.state["naivequery"] = res

    def step_fresh(self):
        out = self.root / "fresh.json"
        res = self.timed([VENV_PY, BENCH_DIR / "fresh.py", "--out", out], name="freshness")
        if res["returncode"] != 0:
            raise SystemExit(f"freshness failed: {res.get('stderr_tail')}")
        res.update(read_json(out, {}))
        self.state["fresh"] = res

    def step_report(self):
        from report import render

        self.state["machine"] = machine()
        self.state["finished"] = dt.datetime.now().isoformat(timespec="seconds")
        self.state["command"] = self.state.get("command") or f"make bench N={self.n}"
        text = render(self.state)
        (self.root / "results.md").write_text(text)
        print(text)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_kb = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "ram_gb": round(mem_kb / 1024 / 1024, 1), "cpu": cpu,
            "python": platform.python_version(), "kernel": platform.release()}


def code_state() -> dict:
    """Which code was measured: HEAD, the files changed in the work tree, a hash of search/*.py."""
    import hashlib

    def git(*args):
        try:
            return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=30).stdout.rstrip("\n")
        except (OSError, subprocess.SubprocessError):
            return ""

    h = hashlib.sha256()
    for path in sorted((ROOT / "search").rglob("*.py")):
        h.update(str(path.relative_to(ROOT)).encode())
        h.update(path.read_bytes())
    return {"head": git("rev-parse", "--short", "HEAD").strip(),
            "dirty": [line[3:] for line in git("status", "--porcelain", "--untracked-files=no").splitlines()],
            "search_code": h.hexdigest()[:12]}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", "-n", type=int, default=10_000)
    ap.add_argument("--steps", default="all", help="comma-separated steps, 'prepare' or 'all'")
    ap.add_argument("--fresh", action="store_true", help="redo steps whose figures are already kept")
    ap.add_argument("--rounds", type=int, default=3, help="rounds of the query mix (the first is a warm-up)")
    ap.add_argument("--command", default=None, help="the command line to record in the results")
    args = ap.parse_args(argv)

    steps = []
    for part in args.steps.split(","):
        part = part.strip()
        if part == "all":
            steps.extend(ALL_STEPS)
        elif part == "prepare":
            steps.extend(PREPARE)
        elif part in ALL_STEPS:
            steps.append(part)
        elif part:
            ap.error(f"unknown step {part!r}")
    steps = [s for s in ALL_STEPS if s in steps]

    sampler = LoadSampler().start()
    bench = Bench(args.count, args.rounds, args.fresh, sampler)
    if args.command:
        bench.state["command"] = args.command
    started = time.time()
    bench.state.setdefault("load_start", loadavg())
    code = code_state()
    bench.state["code"] = code
    try:
        for step in steps:
            if step in KEPT and bench.done(step):
                log(f"{step}: kept from an earlier run (--fresh to redo)")
                continue
            if step in ("index", "pretok") and bench.done(step) \
                    and bench.state[step].get("search_code") == code["search_code"]:
                log(f"{step}: kept from an earlier run with the same search/ code (--fresh to redo)")
                continue
            getattr(bench, f"step_{step}")()
            if step in bench.state and isinstance(bench.state[step], dict):
                bench.state[step]["search_code"] = code["search_code"]
                bench.state[step]["code"] = code
            bench.save()
    finally:
        sampler.stop()
        bench.state.setdefault("runs", []).append({
            "started": dt.datetime.fromtimestamp(started).isoformat(timespec="seconds"),
            "seconds": round(time.time() - started, 1), "steps": steps,
            "load": sampler.between(started, time.time())})
        bench.save()


if __name__ == "__main__":
    main()
