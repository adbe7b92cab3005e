"""The query mix over HTTP: GET /api/search against `manage.py runserver --noreload` (DEBUG off).

Times a whole request: connect, send, the server's work, and reading the complete JSON body (parsing it is
left out). The server's peak RSS is read from /proc by the caller.
"""
from __future__ import annotations

import http.client
import json
import socket
import time
from urllib.parse import urlencode

from common import proc_peak_rss_mb, summarize
from queries import CLASSES, PARAM, queries


def url_for(item) -> str:
    params = [("q", item["q"])]
    for kind, values in item["filters"].items():
        for v in values:
            params.append((PARAM[kind], v))
    return "/api/search?" + urlencode(params)


def _get(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("GET", path, headers={"Host": "127.0.0.1"})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def wait_up(port: int, timeout: float = 120.0) -> float:
    t0 = time.time()
    while time.time() - t0 < timeout:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return time.time() - t0
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"runserver did not listen on {port} within {timeout} s")


def run_http(port: int, rounds: int, server_pid: int | None = None) -> dict:
    up = wait_up(port)
    mix = queries()
    s = time.perf_counter()
    status, body = _get(port, url_for(mix[0]))
    cold = (time.perf_counter() - s) * 1000
    if status != 200:
        raise RuntimeError(f"/api/search answered {status}: {body[:300]!r}")
    times = {q["id"]: [] for q in mix}
    totals, sizes = {}, {}
    for rnd in range(rounds):
        for item in mix:
            path = url_for(item)
            s = time.perf_counter()
            status, body = _get(port, path)
            ms = (time.perf_counter() - s) * 1000
            if status != 200:
                raise RuntimeError(f"{path} answered {status}")
            if rnd > 0 or rounds == 1:
                times[item["id"]].append(ms)
            if rnd == 0:
                totals[item["id"]] = json.loads(body)["total"]
                sizes[item["id"]] = len(body)
    return {
        "listen_seconds": round(up, 2),
        "cold_first_query_ms": round(cold, 1),
        "rounds": rounds,
        "queries": [{"id": q["id"], "cls": q["cls"], "total": totals[q["id"]], "bytes": sizes[q["id"]],
                     "ms": times[q["id"]]} for q in mix],
        "all": summarize([t for ts in times.values() for t in ts]),
        "non_phrase": summarize([t for q in mix if q["cls"] != "phrase" for t in times[q["id"]]]),
        "by_class": {c: summarize([t for q in mix if q["cls"] == c for t in times[q["id"]]]) for c in CLASSES},
        "mean_response_bytes": round(sum(sizes.values()) / max(len(sizes), 1)),
        "server_peak_rss_mb_during": proc_peak_rss_mb(server_pid) if server_pid else None,
    }
