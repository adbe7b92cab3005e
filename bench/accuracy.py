"""What the importer extracted, against what the demo generator wrote (manifest.json).

For every original article (reposts left out) that was imported: is the stored title, date, year, language,
district set, event set and source the one the generator put on the page? The source is checked only where the
generator named an outlet the gazetteer knows. Read straight from the SQLite database the import wrote.
"""
from __future__ import annotations

import json
import sqlite3
from collections import Counter
from pathlib import Path

from dupes import LINE

FIELDS = ("title", "date", "year", "language", "districts", "events", "source")


def _ids(log_text: str, corpus: Path) -> dict[str, int]:
    prefix = str(Path(corpus).resolve()).rstrip("/") + "/"
    out = {}
    for line in log_text.splitlines():
        m = LINE.match(line)
        if m and m.group(3):
            out[m.group(2).removeprefix(prefix)] = int(m.group(3))
    return out


def analyse(log_text: str, manifest: dict, corpus: Path, db_path: Path, examples: int = 5) -> dict:
    ids = _ids(log_text, corpus)
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    names = {table: dict(db.execute(f"SELECT id, name_en FROM articles_{table}")) for table in
             ("district", "event", "source")}

    def tags(table: str, article_id: int) -> list[str]:
        rows = db.execute(f"SELECT {table}_id FROM articles_article_{table}s WHERE article_id = ?", (article_id,))
        return sorted(names[table][r[0]] for r in rows)

    right, checked, wrong = Counter(), Counter(), {f: [] for f in FIELDS}
    for item in manifest.get("articles", []):
        article_id = ids.get(item["path"])
        if article_id is None or item.get("repost_of"):
            continue
        row = db.execute("SELECT title, date, year, language, source_id FROM articles_article WHERE id = ?",
                         (article_id,)).fetchone()
        if row is None:  # a later repost took its place (same source URL: the contract's identity)
            continue
        title, date, year, language, source_id = row
        got = {"title": title, "date": date or None, "year": year, "language": language,
               "districts": tags("district", article_id), "events": tags("event", article_id),
               "source": names["source"].get(source_id)}
        want = {"title": item["title"], "date": item["date"], "year": item["year"], "language": item["language"],
                "districts": sorted(item["districts"]), "events": sorted(item["events"]), "source": item["source"]}
        for field in FIELDS:
            if field == "source" and not item.get("source_in_gazetteer"):
                continue
            checked[field] += 1
            if got[field] == want[field]:
                right[field] += 1
            elif len(wrong[field]) < examples:
                wrong[field].append({"path": item["path"], "expected": want[field], "got": got[field]})
    return {
        "articles": checked["title"],
        "right": {f: right[f] for f in FIELDS},
        "checked": {f: checked[f] for f in FIELDS},
        "share_right": {f: round(right[f] / checked[f], 4) if checked[f] else None for f in FIELDS},
        "examples_wrong": wrong,
    }


if __name__ == "__main__":
    import sys

    root = Path(sys.argv[1])
    result = analyse((root / "import.log").read_text(), json.loads((root / "manifest.json").read_text()),
                     root / "corpus", root / "data" / "db.sqlite3")
    print(json.dumps(result, indent=1, ensure_ascii=False))
