"""Duplicates the importer found, against the reposts the demo generator planted (manifest.json).

The importer's outcome lines read ``STATUS PATH[:LINE] [id=N] [reason]``; a duplicate's reason is
``duplicate of id=M``. Which of a planted pair is imported first depends on the worker processes, so a pair
counts as found when its two items end up linked by detected duplicate edges (in either direction, through
other copies too), and a detected edge is a false positive when its two items are not copies of each other
according to the manifest.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

LINE = re.compile(r"^(imported|updated|unchanged|duplicate|rejected) (\S+)(?: id=(\d+))?(?: (.*))?$")
DUP_OF = re.compile(r"duplicate of id=(\d+)")


class _Union:
    def __init__(self):
        self.parent = {}

    def find(self, x):
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[ra] = rb


def _relative(origin: str, corpus: Path) -> str:
    prefix = str(corpus).rstrip("/") + "/"
    return origin[len(prefix):] if origin.startswith(prefix) else origin


def analyse(import_log: str, manifest: dict, corpus: Path) -> dict:
    statuses = Counter()
    path_of_id: dict[int, str] = {}
    status_of: dict[str, str] = {}
    edges: list[tuple[str, int]] = []  # (duplicate's path, id of the article it duplicates)
    for raw in import_log.splitlines():
        m = LINE.match(raw.strip())
        if not m:
            continue
        status, origin, ident, reason = m.groups()
        statuses[status] += 1
        rel = _relative(origin, corpus)
        status_of[rel] = status
        if ident:
            path_of_id[int(ident)] = rel
        if status == "duplicate":
            d = DUP_OF.search(reason or "")
            if d:
                edges.append((rel, int(d.group(1))))

    planted = [(r["original"], r["repost"], bool(r.get("converted"))) for r in manifest.get("reposts", [])]
    truth = _Union()
    for a, b, _ in planted:
        truth.union(a, b)
    found = _Union()
    detected = []
    for rel, other_id in edges:
        other = path_of_id.get(other_id, f"id={other_id}")
        detected.append((rel, other))
        found.union(rel, other)

    hits = [p for p in planted if found.find(p[0]) == found.find(p[1])]
    missed = [p for p in planted if found.find(p[0]) != found.find(p[1])]
    missed_rejected = [p for p in missed if "rejected" in (status_of.get(p[0]), status_of.get(p[1]))]
    false_pos = [e for e in detected if truth.find(e[0]) != truth.find(e[1])]
    converted = [p for p in planted if p[2]]
    return {
        "outcomes": dict(statuses),
        "planted": len(planted),
        "planted_converted": len(converted),
        "detected_edges": len(detected),
        "found": len(hits),
        "found_converted": sum(1 for p in hits if p[2]),
        "recall": (len(hits) / len(planted)) if planted else None,
        "missed": [list(p[:2]) + [status_of.get(p[0]), status_of.get(p[1])] for p in missed][:50],
        "missed_with_rejected_item": len(missed_rejected),
        "false_positives": len(false_pos),
        "false_positive_examples": [list(e) for e in false_pos][:20],
        "precision": (1 - len(false_pos) / len(detected)) if detected else None,
    }
