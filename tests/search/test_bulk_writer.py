"""The rebuild's segment writer (search.bulk_writer) against Whoosh's own.

A rebuild must write exactly the index Whoosh would write for the same
documents (the engine reads Whoosh's posting blocks and term infos), only
faster: the term and posting files are compared byte for byte."""
from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

from search.bulk_writer import WorkerFailed, write_documents
from search.schema import build_schema

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_env")]

WORDS_EN = ("biopharma industry week Zhangjiang science hall Pudong Shanghai park forum innovation "
            "antibody vaccine clinical trial licensing deal investment cell gene therapy").split()
WORDS_ZH = ["上海", "国际", "生物医药", "产业周", "张江", "科学会堂", "浦东", "园区", "论坛", "创新", "疫苗", "抗体",
            "臨床", "試驗", "產業", "美兰湖", "宝山", "临平", "杭州", "签约", "投资", "的", "了", "和"]


def _documents(count: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    docs = []
    for i in range(count):
        if i % 3 == 0:
            title = " ".join(rng.choice(WORDS_EN) for _ in range(rng.randint(2, 9))).capitalize()
            body = ". ".join(" ".join(rng.choice(WORDS_EN) for _ in range(rng.randint(3, 14)))
                             for _ in range(rng.randint(0, 12)))
            language = "en"
        else:
            title = "".join(rng.choice(WORDS_ZH) for _ in range(rng.randint(2, 12)))
            body = "。".join("".join(rng.choice(WORDS_ZH) for _ in range(rng.randint(3, 30)))
                            for _ in range(rng.randint(0, 15)))
            language = "zh-hans"
        if i == 5:  # one long article: terms with hundreds of positions in one document
            body = "张江科学会堂 biopharma " * 900
        year = rng.choice(["", "2021", "2023", "2024"])
        day = rng.randint(1, 28)
        docs.append({
            "id": str(i + 1),
            "title": title, "body": body,
            "title_chars": title, "chars": body,
            "title_pos": title, "body_pos": body,
            "title_pairs": title, "pairs": body,
            "language": language, "year": year,
            "city": rng.choice(["", "shanghai", "shanghai,hangzhou"]),
            "district": rng.choice(["", "pudong", "baoshan,pudong"]),
            "place": "", "event": rng.choice(["", "biopharma-week"]), "source": rng.choice(["", "yicai"]),
            "date": f"{year}-03-{day:02d}" if year else "",
            "date_num": int(f"{year}03{day:02d}") if year else 0,
            "sort_key": i * 7, "published_ts": 1_700_000_000 + i,
            "display": json.dumps({"year": year}), "stamp": f"stamp-{i}",
        })
    return docs


def _whoosh_index(path: Path, docs: list[dict]) -> None:
    path.mkdir()
    ix = whoosh_index.create_in(path, build_schema())
    writer = ix.writer(compound=False)
    for doc in docs:
        writer.add_document(**doc)
    writer.commit()


def _files_by_kind(path: Path) -> dict[str, bytes]:
    out = {}
    for file in sorted(path.iterdir()):
        if file.suffix in (".trm", ".pst"):
            assert file.suffix not in out, "one segment expected"
            out[file.suffix] = file.read_bytes()
    return out


def test_segment_files_are_byte_for_byte_whooshs(tmp_path):
    docs = _documents(398)
    # Positions more than 65,534 apart (the wide form of CompactPositions),
    # and text whose folding moves offsets (NFKC clusters, traditional script).
    far = "zx1 " + "张江 " * 66000 + "zx1 张江"
    folded = "①ﬁnancing ＰＤ－１ ㈱公司 Ⅲ期临床 恆瑞醫藥與百濟神州 ｶﾞ 𝐇𝐄𝐑𝟐"
    for i, text in enumerate((far, folded), start=398):
        docs.append(dict(docs[i % 7], id=str(i + 1), title=text[:40], title_chars=text[:40], title_pos=text[:40],
                         title_pairs=text[:40], body=text, chars=text, body_pos=text, pairs=text))
    _whoosh_index(tmp_path / "whoosh", docs)
    (tmp_path / "bulk").mkdir()
    ix = whoosh_index.create_in(tmp_path / "bulk", build_schema())
    assert write_documents(ix, [docs[:150], docs[150:]], procs=1, compound=False, whoosh_bytes=True) == 400

    ours, theirs = _files_by_kind(tmp_path / "bulk"), _files_by_kind(tmp_path / "whoosh")
    assert set(ours) == {".trm", ".pst"}
    assert ours[".pst"] == theirs[".pst"]
    assert ours[".trm"] == theirs[".trm"]
    with ix.searcher() as s, whoosh_index.open_dir(tmp_path / "whoosh").searcher() as w:
        assert list(s.all_stored_fields()) == list(w.all_stored_fields())
        for field in ("title", "body", "chars"):
            assert s.field_length(field) == w.field_length(field)
            assert [s.doc_field_length(d, field) for d in range(400)] == [
                w.doc_field_length(d, field) for d in range(400)]


def _term_infos(path: Path) -> dict:
    """(field, term) -> what the term row says, but where its postings are."""
    with whoosh_index.open_dir(path).searcher() as s:
        reader = s.reader()
        return {
            key: (info.weight(), info.doc_frequency(), info.min_length(), info.max_length(), info.max_weight(),
                  info.min_id(), info.max_id())
            for key, info in ((key, reader.term_info(*key)) for key in reader.all_terms())
        }


def test_the_faster_block_encoding_reads_back_as_the_same_postings(tmp_path):
    # By default a block is pickled with protocol 4 and compressed with a
    # small window (search.text_columns.encode_block): other bytes, which
    # Whoosh's own reader must decode to exactly the same postings.
    docs = _documents(250)
    _whoosh_index(tmp_path / "whoosh", docs)
    (tmp_path / "bulk").mkdir()
    ix = whoosh_index.create_in(tmp_path / "bulk", build_schema())
    write_documents(ix, [docs], compound=False)
    assert _files_by_kind(tmp_path / "bulk")[".pst"] != _files_by_kind(tmp_path / "whoosh")[".pst"]
    assert _postings(tmp_path / "bulk") == _postings(tmp_path / "whoosh")
    assert _term_infos(tmp_path / "bulk") == _term_infos(tmp_path / "whoosh")
    # Whoosh's own writer adds to such an index and merges its segments.
    writer = whoosh_index.open_dir(tmp_path / "bulk").writer()
    writer.add_document(**dict(docs[0], id="9999", body="biopharma", chars="biopharma", body_pos="biopharma",
                               pairs="biopharma"))
    writer.commit(optimize=True)
    with whoosh_index.open_dir(tmp_path / "bulk").searcher() as s:
        assert len(s.reader().leaf_readers()) == 1
        assert s.doc_count() == 251
        assert sorted(s.stored_fields(d)["id"] for d in s.document_numbers(id="9999")) == ["9999"]
        assert s.doc_frequency("body", "biopharma") == 1 + sum("biopharma" in d["body"] for d in docs)


def _postings(path: Path) -> dict:
    """(field, term) -> sorted [(article id, weight, value bytes)] over every segment."""
    out = {}
    with whoosh_index.open_dir(path).searcher() as s:
        reader = s.reader()
        ids = {d: int(f["id"]) for d, f in reader.iter_docs()}
        for field, term in reader.all_terms():
            m = reader.postings(field, term)
            found = []
            while m.is_active():
                found.append((ids[m.id()], m.weight(), m.value()))
                m.next()
            out[field, term] = sorted(found)
    return out


def test_two_processes_write_two_segments_with_every_posting(tmp_path):
    docs = _documents(300)
    batches = [docs[i:i + 40] for i in range(0, 300, 40)]
    (tmp_path / "one").mkdir()
    write_documents(whoosh_index.create_in(tmp_path / "one", build_schema()), batches, compound=False)
    (tmp_path / "two").mkdir()
    ix = whoosh_index.create_in(tmp_path / "two", build_schema())
    seen = []
    assert write_documents(ix, batches, procs=2, progress=seen.append, compound=False) == 300
    assert sum(seen) == 300
    assert len(whoosh_index.open_dir(tmp_path / "two")._segments()) == 2
    assert _postings(tmp_path / "two") == _postings(tmp_path / "one")
    with whoosh_index.open_dir(tmp_path / "two").searcher() as s:
        assert sorted(int(f["id"]) for f in s.all_stored_fields()) == list(range(1, 301))
    assert not (tmp_path / "two" / "MAIN.tmp").exists()  # no temporary files left behind


def test_a_failing_worker_commits_nothing(tmp_path):
    ix = whoosh_index.create_in(tmp_path, build_schema())
    docs = _documents(50)
    bad = dict(docs[10], no_such_field="x")
    with pytest.raises(WorkerFailed, match="no_such_field"):
        write_documents(ix, [docs[:10], [bad], docs[11:]], procs=2, compound=False)
    ix = whoosh_index.open_dir(tmp_path)
    assert ix.doc_count() == 0
    # The index is usable (not locked) afterwards.
    assert write_documents(ix, [docs], procs=2, compound=False) == 50
    assert whoosh_index.open_dir(tmp_path).doc_count() == 50


def _token_files(path: Path) -> list[Path]:
    from search.token_store import previous_files

    return previous_files(path)


@pytest.mark.parametrize("procs", [1, 2])
def test_a_second_build_reuses_the_analysed_text_and_writes_the_same_segments(tmp_path, procs, monkeypatch):
    docs = _documents(120)
    batches = [docs[i:i + 30] for i in range(0, 120, 30)]
    first, second, third = tmp_path / "first", tmp_path / "second", tmp_path / "third"
    for path in (first, second, third):
        path.mkdir()
    stats = {}
    write_documents(whoosh_index.create_in(first, build_schema()), batches, procs=procs, compound=False,
                    tokens={"previous": [], "version": "v1"}, stats=stats)
    assert stats["reused"] == 0 and stats["analysed"] > 0
    texts = stats["analysed"]
    assert len(_token_files(first)) == procs

    # Nothing is analysed again: the tokenizers are not even called.
    import search.bulk_writer as bulk

    def no_analysis(*args):
        raise AssertionError("analysed again")

    monkeypatch.setattr(bulk, "index_streams", no_analysis)
    stats = {}
    write_documents(whoosh_index.create_in(second, build_schema()), batches, procs=procs, compound=False,
                    tokens={"previous": _token_files(first), "version": "v1"}, stats=stats)
    assert stats == {"reused": texts, "analysed": 0}
    assert _postings(second) == _postings(first)
    monkeypatch.undo()

    # Other user words (or another analyzer): everything is analysed afresh.
    stats = {}
    write_documents(whoosh_index.create_in(third, build_schema()), batches, procs=procs, compound=False,
                    tokens={"previous": _token_files(second), "version": "v2"}, stats=stats)
    assert stats == {"reused": 0, "analysed": texts}


def test_only_changed_text_is_analysed_again(tmp_path):
    docs = _documents(40)
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    stats = {}
    write_documents(whoosh_index.create_in(first, build_schema()), [docs], compound=False,
                    tokens={"previous": [], "version": "v1"}, stats=stats)
    edited = [dict(d) for d in docs]
    new_body = "张江科学会堂 hosts the zx9000 forum"
    edited[3].update(body=new_body, chars=new_body, body_pos=new_body, pairs=new_body)
    stats = {}
    write_documents(whoosh_index.create_in(second, build_schema()), [edited], compound=False,
                    tokens={"previous": _token_files(first), "version": "v1"}, stats=stats)
    assert stats["analysed"] == 1  # the new body (its words, characters and pairs come from one analysis)
    with whoosh_index.open_dir(second).searcher() as s:
        assert [s.stored_fields(d)["id"] for d in s.document_numbers(body="zx9000")] == ["4"]


def test_an_unreadable_token_file_is_ignored(tmp_path):
    docs = _documents(10)
    junk = tmp_path / "tokens-0.sqlite3"
    junk.write_bytes(b"not a database")
    (tmp_path / "ix").mkdir()
    stats = {}
    write_documents(whoosh_index.create_in(tmp_path / "ix", build_schema()), [docs], compound=False,
                    tokens={"previous": [junk], "version": "v1"}, stats=stats)
    assert stats["reused"] == 0 and stats["analysed"] > 0
