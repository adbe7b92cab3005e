"""Whoosh alone on the same analyzed tokens: the yardstick for `rebuild_index` ("full rebuild <= 1.25x what
Whoosh alone needs for the same analyzed tokens").

1. analysis (timed on its own, one process): every published article becomes its index document exactly as
   rebuild_index makes it (search.schema.article_document), and each text field's value is replaced by our
   analyzer's index-time tokens, serialized with their positions, into a work file;
2. build (the yardstick): a fresh index with the same schema whose text fields use a tokenizer that only
   reads the serialized tokens back, written like rebuild does (two processes, multisegment); stored titles
   and bodies are the original text (`_stored_<field>`), so the stored data is the same too.

    python bench/pretok.py --articles ignored --index DIR --work tokens.pickle --procs 2 --out pretok.json
"""
from __future__ import annotations

import argparse
import pickle
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import dir_size, peak_rss_mb, write_json  # noqa: E402
from ours import setup_django  # noqa: E402



def text_fields(schema) -> tuple[list[str], list[str]]:
    """Every analyzed text field of the schema (whatever search.schema holds today), and the stored ones."""
    from whoosh.fields import TEXT

    names = [name for name, field in schema.items() if isinstance(field, TEXT)]
    return names, [name for name in names if schema[name].stored]


def analyse(work: Path) -> dict:
    from articles.models import Article
    from search.indexing import BATCH, _articles_for
    from search.schema import article_document, build_schema
    from search.vocabulary import ensure_user_words
    from pretok_analysis import serialize

    ensure_user_words()
    schema = build_schema()
    TEXT_FIELDS, STORED_TEXT = text_fields(schema)
    analyzers = {f: schema[f].analyzer for f in TEXT_FIELDS}
    t_db = t_an = 0.0
    n = tokens = 0
    pks = list(Article.objects.published().order_by("id").values_list("pk", flat=True))
    with open(work, "wb") as fh:
        for start in range(0, len(pks), BATCH):
            s = time.perf_counter()
            docs = [article_document(a) for a in _articles_for(pks[start:start + BATCH]).order_by("id")]
            t_db += time.perf_counter() - s
            s = time.perf_counter()
            for doc in docs:
                for f in STORED_TEXT:
                    doc[f"_stored_{f}"] = doc[f]
                for f in TEXT_FIELDS:
                    if f not in doc:
                        continue
                    doc[f] = serialize(analyzers[f], doc[f])
                    tokens += doc[f].count("\x1f") + (1 if doc[f] else 0)
                pickle.dump(doc, fh, protocol=pickle.HIGHEST_PROTOCOL)
                n += 1
            t_an += time.perf_counter() - s
    return {"documents": n, "tokens": tokens, "text_fields": TEXT_FIELDS, "db_and_documents_seconds": round(t_db, 2),
            "analysis_seconds": round(t_an, 2), "work_bytes": work.stat().st_size}


def build(work: Path, index: Path, procs: int) -> dict:
    from whoosh import index as whoosh_index

    from pretok_analysis import pre_analyzer
    from search.schema import build_schema

    schema = build_schema()
    for f in text_fields(schema)[0]:
        schema[f].analyzer = pre_analyzer()
    if index.exists():
        shutil.rmtree(index)
    index.mkdir(parents=True)
    ix = whoosh_index.create_in(str(index), schema)
    t0 = time.perf_counter()
    kwargs = {"procs": procs, "multisegment": True} if procs > 1 else {}
    writer = ix.writer(compound=False, **kwargs)  # as rebuild_index writes
    n = 0
    with open(work, "rb") as fh:
        while True:
            try:
                doc = pickle.load(fh)
            except EOFError:
                break
            writer.add_document(**doc)
            n += 1
    writer.commit()
    seconds = time.perf_counter() - t0
    return {"build_documents": n, "build_seconds": round(seconds, 2), "index_bytes": dir_size(index)}


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", help="unused: documents are read from the database, as rebuild_index does")
    ap.add_argument("--index", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--procs", type=int, default=2)
    ap.add_argument("--out", required=True)
    ap.add_argument("--keep-work", action="store_true")
    args = ap.parse_args(argv)
    setup_django()
    work = Path(args.work)
    out = analyse(work)
    out.update(build(work, Path(args.index), args.procs))
    if not args.keep_work:
        work.unlink()
    out["peak_rss_mb_parent"] = round(peak_rss_mb(), 1)
    write_json(Path(args.out), out)


if __name__ == "__main__":
    main()
