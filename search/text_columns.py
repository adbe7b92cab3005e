"""A segment's text fields as columns: how a rebuild turns a quarter of a
billion tokens into Whoosh posting blocks without a Python object per posting.

A rebuild worker appends each document's tokens to its field's column (a
term id and, where the format keeps them, a position per token, through a C
level dict lookup). When the segment is written, numpy sorts each column by
term and document, groups the postings, encodes weights and positions for
all of them at once, and only the W3 block framing (one pickle per block of
up to 128 postings, as Whoosh writes it) is done per block. The files are
byte for byte what Whoosh's own writer makes of the same documents
(tests/search/test_bulk_writer.py).

Character pair fields (search.analysis._pair_raw) are built here from the
character column: a pair is two adjacent character ids, so pair terms are
made once per distinct pair instead of once per token.
"""
from __future__ import annotations

import zlib
from array import array
from collections import defaultdict
from pickle import dumps

import numpy as np
from whoosh.codec.whoosh3 import COMPRESSION_MIN_SIZE, WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.filedb.filetables import _lengths as _LENGTHS
from whoosh.filedb.filetables import _pointer as _POINTER
from whoosh.formats import Frequency
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte

from search.analysis import pair_term
from search.schema import CompactPositions

TERMINFO = W3TermInfo._struct
# A block's length byte goes through Whoosh's length and back.
_LENGTH_ROUND_TRIP = np.array([length_to_byte(byte_to_length(b)) for b in range(256)], dtype=np.uint8)
# Postings turned into Python objects at a time while writing blocks.
_CHUNK = 1 << 20


def encode_block(data: tuple, compression: int, whoosh_bytes: bool) -> tuple[bytes, int]:
    """A block's (ids, weights, values) tuple as stored, and its compression
    level. `whoosh_bytes`: exactly as W3PostingsWriter writes it (pickle
    protocol 2, zlib.compress). Otherwise pickle protocol 4, which stores a
    bytes value as its bytes instead of a codecs.encode call (7 us a block of
    positions instead of 54), compressed at zlib's fastest level (4 % larger
    than at the codec's level 3, 10 % less writing time) with a 4 KB window
    and a smaller hash for blocks that fit in it (setting up zlib's full
    window was most of the ~100 us a compress took). Whoosh reads both: its
    reader unpickles any protocol and zlib.decompress takes any level and
    window."""
    if whoosh_bytes:
        blob = dumps(data, 2)
        comp = compression if len(blob) >= COMPRESSION_MIN_SIZE else 0
        return (zlib.compress(blob, comp) if comp else blob), comp
    blob = dumps(data, 4)
    if not compression or len(blob) < COMPRESSION_MIN_SIZE:
        return blob, 0
    if len(blob) <= 4096:
        packer = zlib.compressobj(1, zlib.DEFLATED, 12, 4)
        return packer.compress(blob) + packer.flush(), 1
    return zlib.compress(blob, 1), 1


def add_rows(tindex, keys: list[bytes], values: list[bytes]) -> None:
    """OrderedHashWriter.add for many rows at once, writing the same bytes:
    one write instead of three per row (the keys are in order)."""
    if not keys:
        return
    if keys[0] <= tindex.lastkey:
        raise ValueError(f"Keys must increase: {tindex.lastkey!r}..{keys[0]!r}")
    dbfile = tindex.dbfile
    pos = dbfile.tell()
    pack = _LENGTHS.pack
    size = _LENGTHS.size
    parts = []
    positions = []
    for key, value in zip(keys, values):
        positions.append(pos)
        parts.append(pack(len(key), len(value)))
        parts.append(key)
        parts.append(value)
        pos += size + len(key) + len(value)
    dbfile.write(b"".join(parts))
    index = tindex.index
    try:
        index.array.extend(array(index.array.typecode, positions))
    except (OverflowError, TypeError):  # GrowableArray widens its type itself
        for position in positions:
            index.append(position)
    hashfn = tindex.hashfn
    buckets = tindex.buckets
    for key, position in zip(keys, positions):
        h = hashfn(key)
        buckets[h & 255].append((h, position))
    tindex.lastkey = keys[-1]


def write_hashes(tindex) -> None:
    """HashWriter._write_hashes (the same tables, slot for slot), with one
    write per table instead of one per slot."""
    dbfile = tindex.dbfile
    null = (0, 0)
    pack = _POINTER.pack
    for entries in tindex.buckets:
        pos = dbfile.tell()
        numslots = 2 * len(entries)
        tindex.directory.append((pos, numslots))
        hashtable = [null] * numslots
        for hashval, position in entries:
            slot = (hashval >> 8) % numslots
            while hashtable[slot] != null:
                slot = (slot + 1) % numslots
            hashtable[slot] = (hashval, position)
        if hashtable:
            dbfile.write(b"".join([pack(h, p) for h, p in hashtable]))


def block_settings(fieldwriter) -> tuple[int, int]:
    """The codec's postings per block and compression level (no inlining:
    every term's postings go to the postings file)."""
    codec = fieldwriter._codec
    if codec._inlinelimit > 1:
        raise ValueError("the bulk writer does not inline postings")
    return codec._blocklimit, codec._compression


def supported_format(fmt) -> bool:
    return type(fmt) is Frequency or type(fmt) is CompactPositions


class Vocabulary(defaultdict):
    """Term text -> id, the next id for a new term. Fields analysed the same
    way share one (title, body and their positions; characters and pairs), so
    a text's terms are looked up once for all of them."""

    def __init__(self):
        super().__init__()
        self.default_factory = self.__len__
        self._order = None

    def ids(self, texts: list[str]) -> array:
        return array("I", map(self.__getitem__, texts))

    def texts(self) -> list[str]:
        return list(self)

    def order(self) -> tuple[list[bytes], np.ndarray]:
        """Every term's bytes in Whoosh's order, and each id's rank in it."""
        if self._order is None or len(self._order[0]) != len(self):
            self._order = _order([text.encode("utf-8") for text in self])
        return self._order


def _order(terms: list[bytes]) -> tuple[list[bytes], np.ndarray]:
    order = sorted(range(len(terms)), key=terms.__getitem__)
    rank = np.empty(len(order), dtype=np.uint64)
    rank[np.array(order, dtype=np.int64)] = np.arange(len(order), dtype=np.uint64)
    return [terms[i] for i in order], rank


# 0, 1, 2 … for documents whose positions are their token indexes.
_SEQUENCE = array("I", range(1 << 16))


class TextColumn:
    """One text field's tokens of every document added so far, end to end."""

    __slots__ = ("format", "pairs", "vocabulary", "tids", "positions", "docs", "counts")

    def __init__(self, fmt, vocabulary: Vocabulary, *, pairs: bool = False):
        if not supported_format(fmt):
            raise ValueError(f"no column writer for the {type(fmt).__name__} format")
        self.format = fmt
        self.pairs = pairs
        self.vocabulary = vocabulary
        self.tids = array("I")
        keep = pairs or isinstance(fmt, CompactPositions)
        self.positions = array("I") if keep else None
        self.docs = array("I")
        self.counts = array("I")

    def add(self, docnum: int, tids: array, positions: array | None = None) -> None:
        """A document's tokens (at least one): term ids from the column's
        vocabulary, and their positions (None: 0, 1, 2 …)."""
        self.tids.extend(tids)
        if self.positions is not None:
            if positions is not None:
                self.positions.extend(positions)
            elif len(tids) <= len(_SEQUENCE):
                self.positions.extend(_SEQUENCE[:len(tids)])
            else:
                self.positions.extend(range(len(tids)))
        self.docs.append(docnum)
        self.counts.append(len(tids))

    def __len__(self) -> int:
        return len(self.tids)


class _Postings:
    """A column's postings sorted by term bytes, then document."""

    def __init__(self, terms, term_starts, docs, freqs, positions, posting_starts):
        self.terms = terms  # bytes, sorted
        self.term_starts = term_starts  # posting index of each term's first posting, then the total
        self.docs = docs  # uint32 per posting
        self.freqs = freqs  # int64 per posting
        self.positions = positions  # int64 per token in posting order, or None
        self.posting_starts = posting_starts  # token index of each posting's first position


def _sorted_postings(column: TextColumn) -> _Postings:
    tids = np.frombuffer(column.tids, dtype=np.uint32)
    docs = np.repeat(np.frombuffer(column.docs, dtype=np.uint32), np.frombuffer(column.counts, dtype=np.uint32))
    positions = None if column.positions is None else np.frombuffer(column.positions, dtype=np.uint32)
    if column.pairs:
        # Two tokens of one document at adjacent positions make a pair term,
        # at the first one's position (search.analysis._pair_raw).
        texts = column.vocabulary.texts()
        adjacent = np.flatnonzero((positions[1:] == positions[:-1] + 1) & (docs[1:] == docs[:-1]))
        keys = (tids[adjacent].astype(np.uint64) << np.uint64(32)) | tids[adjacent + 1]
        unique, tids = np.unique(keys, return_inverse=True)
        sorted_terms, rank = _order([pair_term(texts[k >> 32], texts[k & 0xFFFFFFFF]).encode("utf-8")
                                     for k in unique.tolist()])
        docs = docs[adjacent]
        positions = positions[adjacent]
        if not isinstance(column.format, CompactPositions):
            positions = None
    else:
        sorted_terms, rank = column.vocabulary.order()
    # One sort of (term rank, token index): stable by construction, so each
    # document's positions stay in stream order, as Whoosh keeps them.
    keys = (rank[tids] << np.uint64(32)) | np.arange(len(tids), dtype=np.uint64)
    keys.sort()
    ranks = (keys >> np.uint64(32)).astype(np.int64)
    order = (keys & np.uint64(0xFFFFFFFF)).astype(np.int64)
    del keys
    docs = docs[order]
    if positions is not None:
        positions = positions[order].astype(np.int64)
    del order
    count = len(ranks)
    new = np.ones(count, dtype=bool)
    if count:
        new[1:] = (ranks[1:] != ranks[:-1]) | (docs[1:] != docs[:-1])
    posting_starts = np.flatnonzero(new)
    freqs = np.diff(np.append(posting_starts, count))
    posting_ranks = ranks[posting_starts]
    heads = np.ones(len(posting_ranks), dtype=bool)
    if len(heads):
        heads[1:] = posting_ranks[1:] != posting_ranks[:-1]
    term_heads = np.flatnonzero(heads)
    terms = [sorted_terms[r] for r in posting_ranks[term_heads].tolist()]
    term_starts = np.append(term_heads, len(posting_starts))
    return _Postings(terms, term_starts, docs[posting_starts], freqs, positions, posting_starts)


def _position_values(postings: _Postings, fmt: CompactPositions, start: int, end: int) -> list[bytes]:
    """CompactPositions.encode of postings [start, end), for all at once."""
    first = int(postings.posting_starts[start])
    last = int(postings.posting_starts[end]) if end < len(postings.posting_starts) else len(postings.positions)
    positions = postings.positions[first:last]
    heads = postings.posting_starts[start:end] - first
    deltas = positions.copy()
    deltas[1:] -= positions[:-1]
    deltas[heads] = positions[heads]
    blob = deltas.astype("<u2").tobytes()
    ends = np.append(heads[1:], len(positions))
    values = list(map(blob.__getitem__, map(slice, (heads * 2).tolist(), (ends * 2).tolist())))
    wide = (deltas < 0) | (deltas >= 0xFFFF)
    if wide.any():
        for i in np.flatnonzero(np.logical_or.reduceat(wide, heads)).tolist():
            values[i] = fmt.encode(positions[heads[i]:ends[i]].tolist())
    return values


def write_column(fieldwriter, fieldname: str, fieldobj, column: TextColumn, lengths: bytearray | None,
                 whoosh_bytes: bool = False) -> None:
    """Every term of the column as W3FieldWriter.start_term/add/finish_term
    write them: W3PostingsWriter's blocks (see encode_block), then
    W3TermInfo's row."""
    postings = _sorted_postings(column)
    fmt = column.format
    limit, compression = block_settings(fieldwriter)
    terms = postings.terms
    if not terms:  # Whoosh writes only fields that have terms
        return
    fieldwriter.start_field(fieldname, fieldobj)
    fieldid = pack_ushort(fieldwriter._fieldid)
    postfile = fieldwriter._postfile
    add_term = fieldwriter._tindex.add
    positional = isinstance(fmt, CompactPositions)

    docs = postings.docs
    freqs = postings.freqs
    total = len(docs)
    term_starts = postings.term_starts
    weights = freqs * fmt.field_boost  # what Whoosh computes in double
    floats = weights.astype(np.float32)  # and keeps in the block
    # Blocks: every `limit` postings of a term.
    within = np.arange(total) - np.repeat(term_starts[:-1], np.diff(term_starts))
    block_starts = np.flatnonzero(within % limit == 0)
    block_ends = np.append(block_starts[1:], total)
    block_maxweight = np.maximum.reduceat(weights, block_starts)
    block_min = np.minimum.reduceat(floats, block_starts)
    block_max = np.maximum.reduceat(floats, block_starts)
    block_last = docs[block_ends - 1]
    if lengths is not None:
        doc_lengths = _LENGTH_ROUND_TRIP[np.frombuffer(bytes(lengths), dtype=np.uint8)[docs]]
        block_minlen = np.minimum.reduceat(doc_lengths, block_starts)
        block_maxlen = np.maximum.reduceat(doc_lengths, block_starts)
        term_minlen = np.minimum.reduceat(doc_lengths, term_starts[:-1]).tolist()
        term_maxlen = np.maximum.reduceat(doc_lengths, term_starts[:-1]).tolist()
    else:
        block_minlen = block_maxlen = np.zeros(len(block_starts), dtype=np.uint8)
        term_minlen = term_maxlen = None
    term_maxweight = np.maximum.reduceat(weights, term_starts[:-1]).tolist()
    term_first = docs[term_starts[:-1]].tolist()
    term_last = docs[term_starts[1:] - 1].tolist()
    term_blocks = np.searchsorted(block_starts, term_starts).tolist()
    ids = docs.astype(np.int64)
    ids[1:] -= docs[:-1]
    ids[block_starts] = docs[block_starts]  # each block's first id whole, then deltas

    if term_minlen is None:
        term_minlen = term_maxlen = [0] * len(terms)
    term_start_list = term_starts.tolist()
    tindex = fieldwriter._tindex
    offset = postfile.tell()
    nterms = len(terms)
    t = 0
    while t < nterms:
        p0 = term_start_list[t]
        t_end = max(t + 1, int(np.searchsorted(term_starts, p0 + _CHUNK, side="right")) - 1)
        t_end = min(t_end, nterms)
        p1 = term_start_list[t_end]
        b0, b1 = term_blocks[t], term_blocks[t_end]
        chunk_ids = ids[p0:p1].tolist()
        chunk_floats = floats[p0:p1].tolist()
        if positional:
            chunk_values = _position_values(postings, fmt, p0, p1)
        else:
            chunk_values = freqs[p0:p1].astype(">u4").tobytes()
        starts = (block_starts[b0:b1] - p0).tolist()
        ends = (block_ends[b0:b1] - p0).tolist()
        lasts = block_last[b0:b1].tolist()
        maxweights = block_maxweight[b0:b1].tolist()
        mins = block_min[b0:b1].tolist()
        maxs = block_max[b0:b1].tolist()
        minlens = block_minlen[b0:b1].tolist()
        maxlens = block_maxlen[b0:b1].tolist()
        blobs = []
        keys = []
        rows = []
        for k in range(t, t_end):
            parts = [WHOOSH3_HEADER_MAGIC]
            kb0, kb1 = term_blocks[k] - b0, term_blocks[k + 1] - b0
            for b in range(kb0, kb1):
                a, e = starts[b], ends[b]
                lo = mins[b]
                if lo == maxs[b]:
                    mini_weights = None if lo == 1.0 else lo
                else:
                    mini_weights = tuple(chunk_floats[a:e])
                if positional:
                    mini_values = tuple(chunk_values[a:e])
                else:
                    mini_values = chunk_values[a * 4:e * 4]
                data, comp = encode_block((tuple(chunk_ids[a:e]), mini_weights, mini_values), compression, whoosh_bytes)
                info = dumps((e - a, lasts[b], maxweights[b], comp, minlens[b], maxlens[b]), 2)
                blocklength = len(info) + len(data)
                parts.append(pack_int(-blocklength if b == kb1 - 1 else blocklength))
                parts.append(info)
                parts.append(data)
            blob = b"".join(parts)
            blobs.append(blob)
            a, e = term_start_list[k] - p0, term_start_list[k + 1] - p0
            rows.append(TERMINFO.pack(
                False, sum(chunk_floats[a:e]), e - a, term_minlen[k], term_maxlen[k],
                term_maxweight[k], term_first[k], term_last[k],
            ) + pack_long(offset) + pack_int(len(blob)))
            keys.append(fieldid + terms[k])
            offset += len(blob)
        postfile.write(b"".join(blobs))
        add_rows(tindex, keys, rows)
        t = t_end
    fieldwriter.finish_field()
