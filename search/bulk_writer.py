"""Writing a whole index generation: segments built in memory, no sorting pool.

Whoosh's SegmentWriter sends every posting through its PostingPool: a tuple
per posting, pickled to sorted run files whenever the pool is full and merged
back with heapq at commit. At 100,000 articles (~250 million postings) that
was ~40 GB of run files and most of an hour. A rebuild adds documents in
docnum order, so each term's postings already arrive sorted. Text fields
analysed by our own tokenizers skip Whoosh's Token stream: each text is
analysed once (search.analysis.index_streams, or read back from the last
rebuild's token store, search.token_store) and its term ids go to columns
that search.text_columns sorts and writes as W3 blocks. The few postings of
the other fields (ids, tags, numbers) are kept per term in compact arrays.
Whoosh's reader decodes the segments to exactly the postings its own writer
makes, and with `whoosh_bytes=True` they are byte for byte Whoosh's files
(tests/search/test_bulk_writer.py checks both).

`write_documents` runs the writers in worker processes (one segment each)
fed with batches of documents by the caller's process, which alone reads the
database.
"""
from __future__ import annotations

import multiprocessing
import os
import queue
import traceback
from array import array
from collections.abc import Callable, Iterable
from operator import sub
from pathlib import Path
from pickle import dumps

from whoosh.analysis.analyzers import CompositeAnalyzer
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

from search.analysis import BilingualTokenizer, CharTokenizer, PairTokenizer, index_streams
from search.text_columns import (
    TERMINFO,
    TextColumn,
    Vocabulary,
    add_rows,
    block_settings,
    encode_block,
    supported_format,
    write_column,
    write_hashes,
)




class _TermPostings:
    """One term's postings in docnum order. `values` holds the encoded values
    end to end; `ends` where each ends (only for variable-size formats)."""

    __slots__ = ("docs", "weights", "values", "ends")

    def __init__(self, variable: bool):
        self.docs = array("I")
        self.weights = array("d")
        self.values = bytearray()
        self.ends = array("Q") if variable else None


class _FieldPostings:
    def __init__(self, fieldobj):
        size = fieldobj.format.fixed_value_size()
        self.value_size = size
        self.variable = size is None or size < 0
        self.terms: dict[bytes, _TermPostings] = {}

    def term(self, btext: bytes) -> _TermPostings:
        postings = self.terms.get(btext)
        if postings is None:
            postings = self.terms[btext] = _TermPostings(self.variable)
        return postings


class MemoryPostings:
    """Stands in for Whoosh's PostingPool (as `writer.pool`) without the
    sorting: a document's terms are added whole, in docnum order."""

    def __init__(self, schema):
        self.schema = schema
        self.fields: dict[str, _FieldPostings] = {}

    def field(self, fieldname: str) -> _FieldPostings:
        postings = self.fields.get(fieldname)
        if postings is None:
            postings = self.fields[fieldname] = _FieldPostings(self.schema[fieldname])
        return postings

    def add_terms(self, fieldname: str, docnum: int, items) -> None:
        """A document's (btext, weight, value) items for one field."""
        if not items:  # Whoosh numbers only the fields that have terms
            return
        field = self.field(fieldname)
        term = field.term
        variable = field.variable
        for btext, weight, value in items:
            postings = term(btext)
            postings.docs.append(docnum)
            postings.weights.append(weight)
            postings.values += value
            if variable:
                postings.ends.append(len(postings.values))

    def cleanup(self) -> None:
        self.fields.clear()


def _write_field(fieldwriter, fieldname, fieldobj, field: _FieldPostings, lengths: bytearray | None,
                 whoosh_bytes: bool = False) -> None:
    """What W3FieldWriter.start_term/add/finish_term write for each term
    (W3PostingsWriter's blocks, W3TermInfo's row), done per block instead of
    per posting."""
    fieldwriter.start_field(fieldname, fieldobj)
    fieldid = pack_ushort(fieldwriter._fieldid)
    postfile = fieldwriter._postfile
    add_term = fieldwriter._tindex.add
    limit, compression = block_settings(fieldwriter)
    size = field.value_size
    variable = field.variable
    terms = field.terms
    offset = postfile.tell()
    for btext in sorted(terms):
        postings = terms.pop(btext)
        docs = postings.docs
        weights = postings.weights
        n = len(docs)
        parts = [WHOOSH3_HEADER_MAGIC]
        total_weight = 0
        term_maxweight = 0
        term_minlength = None
        term_maxlength = 0
        for start in range(0, n, limit):
            end = start + limit
            if end > n:
                end = n
            if n > limit:
                ids = docs[start:end]
                block_weights = weights[start:end]
            else:
                ids, block_weights = docs, weights
            count = end - start
            floats = array("f", block_weights)
            total_weight += sum(floats)
            maxweight = max(0, max(block_weights))
            if maxweight > term_maxweight:
                term_maxweight = maxweight
            # W3PostingsWriter._mini_ids / _mini_weights / _mini_values
            if count == 1:
                mini_ids = (ids[0],)
            else:
                mini_ids = (ids[0], *map(sub, ids[1:], ids[:-1]))
            if floats.count(1.0) == count:
                mini_weights = None
            elif floats.count(floats[0]) == count:
                mini_weights = floats[0]
            else:
                mini_weights = tuple(floats)
            if variable:
                ends = postings.ends
                values = postings.values
                first = ends[start - 1] if start else 0
                mini_values = []
                for stop in ends[start:end]:
                    if stop > first:  # Whoosh keeps only non-empty values
                        mini_values.append(bytes(values[first:stop]))
                    first = stop
                mini_values = tuple(mini_values)
            elif size:
                mini_values = bytes(postings.values[start * size:end * size])
            else:
                mini_values = None
            if lengths is not None:
                got = [lengths[d] for d in ids] if count > 1 else [lengths[ids[0]]]
                minlength = byte_to_length(min(got))
                maxlength = byte_to_length(max(got))
                if term_minlength is None or minlength < term_minlength:
                    term_minlength = minlength
                if maxlength > term_maxlength:
                    term_maxlength = maxlength
            else:
                minlength, maxlength = None, 0
            data, comp = encode_block((mini_ids, mini_weights, mini_values), compression, whoosh_bytes)
            info = dumps((count, ids[-1], maxweight, comp, length_to_byte(minlength), length_to_byte(maxlength)), 2)
            blocklength = len(info) + len(data)
            parts.append(pack_int(-blocklength if end == n else blocklength))
            parts.append(info)
            parts.append(data)
        blob = b"".join(parts)
        postfile.write(blob)
        row = TERMINFO.pack(
            False, total_weight, n,
            0 if term_minlength is None else length_to_byte(term_minlength), length_to_byte(term_maxlength),
            term_maxweight, docs[0], docs[-1],
        ) + pack_long(offset) + pack_int(len(blob))
        offset += len(blob)
        add_term(fieldid + btext, row)
    fieldwriter.finish_field()


def _column_kind(field) -> tuple[str, bool] | None:
    """("words" or "chars", pairs?) for a text field analysed by one of our
    tokenizers into a format the columns write; None for any other field."""
    analyzer = getattr(field, "analyzer", None)
    if not (isinstance(analyzer, CompositeAnalyzer) and len(analyzer.items) == 1):
        return None
    if not supported_format(getattr(field, "format", None)):
        return None
    tokenizer = analyzer.items[0]
    if isinstance(tokenizer, PairTokenizer):
        return "chars", True
    if isinstance(tokenizer, CharTokenizer):
        return "chars", False
    if isinstance(tokenizer, BilingualTokenizer):
        return "words", False
    return None


def _analyse(value: str) -> tuple[list[str], array, list[str]]:
    """What the index keeps of a text (search.analysis.index_streams): word
    terms, their positions, character terms."""
    texts, positions, chars = index_streams(value)
    return texts, array("I", positions), chars


class BulkSegmentWriter(SegmentWriter):
    """A SegmentWriter for a new segment of many documents (a rebuild).
    Documents only: no deletions, merges or readers added."""

    def __init__(self, ix, *, tokens=None, whoosh_bytes: bool = False, **kwargs):
        super().__init__(ix, **kwargs)
        self.tokens = tokens  # a search.token_store.TokenStore, or None
        self.whoosh_bytes = whoosh_bytes  # blocks exactly as Whoosh writes them (text_columns.encode_block)
        schema = self.schema
        self.pool = MemoryPostings(schema)
        self._lengths: dict[str, bytearray] = {}
        self._columns: dict[str, TextColumn] = {}
        self._vocabularies = {"words": Vocabulary(), "chars": Vocabulary()}
        self._kinds: dict[str, tuple[str, bool]] = {}
        for name, field in schema.items():
            if field.separate_spelling():
                raise ValueError(f"field {name!r}: spelling fields are not supported by the bulk writer")
            kind = _column_kind(field)
            if kind is not None:
                self._kinds[name] = kind

    def add_reader(self, reader):
        raise NotImplementedError("BulkSegmentWriter writes new documents only")

    def delete_document(self, docnum, delete=True):
        raise NotImplementedError("BulkSegmentWriter writes new documents only")

    def _length_byte(self, fieldname: str, docnum: int, length: int) -> None:
        column = self._lengths.get(fieldname)
        if column is None:
            column = self._lengths[fieldname] = bytearray()
        if len(column) <= docnum:
            column.extend(bytes(docnum + 1 - len(column)))
        column[docnum] = length_to_byte(length)

    def _column(self, fieldname: str, kind: str, pairs: bool) -> TextColumn:
        column = self._columns.get(fieldname)
        if column is None:
            column = self._columns[fieldname] = TextColumn(
                self.schema[fieldname].format, self._vocabularies[kind], pairs=pairs)
        return column

    def add_document(self, **fields):
        # SegmentWriter.add_document, with our text fields going to columns
        # and the other fields' postings to MemoryPostings.
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        pool = self.pool
        kinds = self._kinds
        streams = {}  # title, title_pos, title_chars and title_pairs share analyses, and so do the body's

        docboost = self._doc_boost(fields)
        fieldnames = sorted([name for name in fields if not name.startswith("_")])
        self._check_fields(schema, fieldnames)

        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    fieldboost = self._field_boost(fields, fieldname, docboost)
                    kind = kinds.get(fieldname)
                    if kind is not None:
                        if fieldboost != 1.0 or not isinstance(value, str):
                            raise ValueError(f"field {fieldname!r}: the bulk writer takes text without boosts")
                        key = (kind[0], value)
                        found = streams.get(key)
                        if found is None:
                            stream = streams.get(value)
                            if stream is None:
                                stream = streams[value] = self._stream(value)
                            if kind[0] == "words":
                                found = (self._vocabularies["words"].ids(stream[0]), stream[1])
                            else:
                                found = (self._vocabularies["chars"].ids(stream[2]), None)
                            streams[key] = found
                        tids = found[0]
                        if tids:
                            self._column(fieldname, *kind).add(docnum, tids, found[1])
                        length = len(tids) if field.scorable else 0
                    else:
                        items = []
                        for tbytes, freq, weight, vbytes in field.index(value):
                            if field.scorable:
                                length += freq
                            items.append((tbytes, weight * fieldboost, vbytes or b""))
                        pool.add_terms(fieldname, docnum, items)
                    if length:
                        self._length_byte(fieldname, docnum, length)

                vformat = field.vector
                if vformat:
                    vitems = vformat.word_values(value, field.analyzer, mode="index")
                    vitems = sorted((text, weight, vbytes) for text, _, weight, vbytes in vitems)
                    perdocwriter.add_vector_items(fieldname, field, vitems)

                customval = fields.get(f"_stored_{fieldname}", value)
                sv = customval if field.stored else None
                perdocwriter.add_field(fieldname, field, sv, length)

                column = field.column_type
                if column and customval is not None:
                    cv = field.to_column_value(customval)
                    perdocwriter.add_column_value(fieldname, column, cv)
        except ValueError:
            perdocwriter.cancel_doc()
            raise

        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _stream(self, value: str):
        store = self.tokens
        if store is None:
            return _analyse(value)
        key, found = store.get(value)
        if found is None:
            found = _analyse(value)
            store.put(key, found)
        return found

    def _flush_segment(self):
        self.perdocwriter.close()
        fieldwriter = self.fieldwriter
        columns = self._columns
        dicts = self.pool.fields
        # Whoosh's order: by field name, then term bytes.
        for fieldname in sorted(set(columns) | set(dicts)):
            fieldobj = self.schema[fieldname]
            lengths = self._lengths.get(fieldname)
            if fieldname in columns:
                write_column(fieldwriter, fieldname, fieldobj, columns.pop(fieldname), lengths, self.whoosh_bytes)
            else:
                _write_field(fieldwriter, fieldname, fieldobj, dicts.pop(fieldname), lengths, self.whoosh_bytes)
        tindex = fieldwriter._tindex
        tindex._write_hashes = lambda: write_hashes(tindex)
        fieldwriter.close()


# ---------------------------------------------------------------------------
# Several processes, one segment each


def _die_with_parent() -> None:
    """Ask Linux to kill this worker when the rebuild that started it dies
    (a killed rebuild must not leave processes writing behind it)."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: the worker notices at its next wait for work


def _token_store(ix, number: int, tokens: dict | None):
    if not tokens:
        return None
    from search.token_store import TokenStore

    return TokenStore(tokens["previous"], Path(ix.storage.folder) / f"tokens-{number}.sqlite3", tokens["version"])


def _worker(ix, jobs, results, parent_pid: int, number: int, tokens: dict | None, writer_kwargs: dict) -> None:
    _die_with_parent()
    if os.getppid() != parent_pid:
        os._exit(1)
    try:
        store = _token_store(ix, number, tokens)
        writer = BulkSegmentWriter(ix, _lk=False, tokens=store, **writer_kwargs)
        while True:
            try:
                batch = jobs.get(timeout=1.0)
            except queue.Empty:
                if os.getppid() != parent_pid:  # the rebuild was killed
                    os._exit(1)
                continue
            if batch is None:
                break
            for doc in batch:
                writer.add_document(**doc)
            results.put(("added", len(batch)))
        segment = writer._finalize_segment() if writer._added else None
        if segment is None:
            writer._close_segment()
        reused = analysed = 0
        if store is not None:
            store.close()
            reused, analysed = store.hits, store.misses
        results.put(("segment", (segment, reused, analysed)))
    except BaseException:
        results.put(("error", traceback.format_exc()))
        raise


class WorkerFailed(RuntimeError):
    pass


def write_documents(
    ix,
    batches: Iterable[list[dict]],
    *,
    procs: int = 1,
    progress: Callable[[int], None] | None = None,
    tokens: dict | None = None,
    stats: dict | None = None,
    **writer_kwargs,
) -> int:
    """Add every document of `batches` to `ix` as new segments (one per
    process) and commit them, leaving any existing segments as they are.
    Returns the number of documents added. On any failure nothing is
    committed and the workers are stopped.

    `tokens`: {"previous": [token files], "version": analysis version} to
    reuse and keep analysed text (search.token_store); `stats`, if given,
    receives how many texts were reused and analysed."""
    stats = stats if stats is not None else {}
    stats.update(reused=0, analysed=0)
    if procs <= 1:
        store = _token_store(ix, 0, tokens)
        writer = BulkSegmentWriter(ix, tokens=store, **writer_kwargs)
        count = 0
        try:
            for batch in batches:
                for doc in batch:
                    writer.add_document(**doc)
                count += len(batch)
                if progress:
                    progress(len(batch))
            writer.commit(merge=False)
        except BaseException:
            writer.cancel()
            raise
        finally:
            if store is not None:
                store.close()
                stats.update(reused=store.hits, analysed=store.misses)
        return count

    # The parent holds the index lock and writes the table of contents.
    parent = SegmentWriter(ix, **writer_kwargs)
    context = multiprocessing.get_context("fork")
    jobs = context.Queue(procs * 2)
    results = context.Queue()
    workers = [
        context.Process(target=_worker, args=(ix, jobs, results, os.getpid(), number, tokens, writer_kwargs),
                        daemon=True)
        for number in range(procs)
    ]
    segments = []
    count = 0
    finished = 0

    def collect(block: bool) -> None:
        nonlocal finished
        while True:
            try:
                kind, payload = results.get(timeout=0.2 if block else 0)
            except queue.Empty:
                if block and not all(w.is_alive() for w in workers) and finished < procs:
                    dead = [w.exitcode for w in workers if not w.is_alive() and w.exitcode]
                    if dead:
                        raise WorkerFailed(f"an indexing process stopped (exit code {dead[0]})")
                return
            if kind == "added":
                if progress:
                    progress(payload)
            elif kind == "segment":
                finished += 1
                segment, reused, analysed = payload
                stats["reused"] += reused
                stats["analysed"] += analysed
                if segment is not None:
                    segments.append(segment)
            else:
                raise WorkerFailed(f"an indexing process failed:\n{payload}")

    try:
        for worker in workers:
            worker.start()
        for batch in batches:
            if not batch:
                continue
            while True:
                try:
                    jobs.put(batch, timeout=0.2)
                    break
                except queue.Full:
                    collect(block=False)
                    if not all(w.is_alive() for w in workers):
                        collect(block=True)
                        raise WorkerFailed("an indexing process stopped")
            count += len(batch)
            collect(block=False)
        for _ in workers:
            jobs.put(None)
        while finished < procs:
            collect(block=True)
        for worker in workers:
            worker.join()
        parent._close_segment()
        parent._commit_toc(parent.segments + segments)
        parent._finish()
    except BaseException:
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
        for worker in workers:
            if worker.pid is not None:
                worker.join()
        if not parent.is_closed:
            parent.cancel()
        raise
    return count
