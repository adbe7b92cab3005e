"""Shared helpers for the benchmark (no Django, no third-party imports: this module is imported by the
orchestrator in the project's venv and by the naive runner in the separate bench venv)."""
from __future__ import annotations

import json
import math
import os
import resource
import statistics
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
VENV_PY = ROOT / ".venv" / "bin" / "python"
BENCH_VENV = ROOT / ".bench-venv"
BENCH_VENV_PY = BENCH_VENV / "bin" / "python"
NAIVE_REQUIREMENTS = ("whoosh==2.7.4", "jieba==0.42.1")


def data_root(n: int) -> Path:
    return ROOT / "bench-data" / str(n)


def percentile(values, p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a list of numbers; NaN when empty."""
    vals = sorted(values)
    if not vals:
        return float("nan")
    k = max(1, math.ceil(p / 100.0 * len(vals)))
    return vals[min(k, len(vals)) - 1]


def summarize(values) -> dict:
    vals = list(values)
    if not vals:
        return {"n": 0, "p50": float("nan"), "p95": float("nan"), "max": float("nan"), "mean": float("nan")}
    return {"n": len(vals), "p50": percentile(vals, 50), "p95": percentile(vals, 95), "max": max(vals),
            "mean": statistics.fmean(vals)}


def peak_rss_mb() -> float:
    """This process's peak resident set (Linux: ru_maxrss is in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def proc_peak_rss_mb(pid: int) -> float | None:
    """Another process's peak resident set (VmHWM) from /proc."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        return None
    return None


def dir_size(path: Path) -> int:
    total = 0
    for dirpath, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(dirpath, name)).st_size
            except OSError:
                pass
    return total


def loadavg() -> tuple[float, float, float]:
    with open("/proc/loadavg") as fh:
        a, b, c = fh.read().split()[:3]
    return float(a), float(b), float(c)


class LoadSampler:
    """Samples the 1-minute load average every `every` seconds in a daemon thread."""

    def __init__(self, every: float = 5.0):
        self.every = every
        self.samples: list[tuple[float, float]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self):
        while not self._stop.is_set():
            self.samples.append((time.time(), loadavg()[0]))
            self._stop.wait(self.every)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._stop.set()
        self._thread.join(timeout=2)

    def between(self, t0: float, t1: float) -> dict:
        vals = [v for t, v in self.samples if t0 <= t <= t1] or [loadavg()[0]]
        return {"mean": round(statistics.fmean(vals), 2), "max": round(max(vals), 2)}


def write_json(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1))
    os.replace(tmp, path)


def read_json(path: Path, default=None):
    try:
        return json.loads(Path(path).read_text())
    except (FileNotFoundError, ValueError):
        return default
