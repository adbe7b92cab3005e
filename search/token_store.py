"""Analysed tokens kept from one rebuild to the next.

Segmenting and folding the text is a good part of a rebuild's work, and most
articles' text does not change between rebuilds. Each rebuild worker keeps
what the analyzer made of every title and body (its word terms with their
positions, and its character terms) in a SQLite file of its own inside the new generation; the
next rebuild looks texts up there before analysing them. An entry is keyed by
a hash of the stored format, the analyzer's code version, the user words'
version (a gazetteer or glossary edit changes how text is segmented) and the
text itself, so an edited article, a changed analyzer or new user words
simply miss. The files go with their generation: a rebuild copies forward
only the entries it used.
"""
from __future__ import annotations

import hashlib
import marshal
import sqlite3
from array import array
from pathlib import Path

FILE_PATTERN = "tokens-*.sqlite3"
FORMAT = 4  # of the stored values: search.bulk_writer._analyse (word terms, their positions as uint32, character terms)
_BATCH = 2000


def tokens_key(version: str, text: str) -> bytes:
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{FORMAT}\0{version}\0".encode())
    h.update(text.encode("utf-8", "surrogatepass"))
    return h.digest()


# Terms are stored joined by NUL (no term holds one: the analyzer's tokens
# are letters, digits and CJK characters): one string loads and splits
# several times faster than a list of thousands of small ones.
_SEP = "\0"


def _encode(value) -> bytes | None:
    texts, positions, chars = value
    words = _SEP.join(texts)
    joined_chars = _SEP.join(chars)
    if words.count(_SEP) != max(len(texts) - 1, 0) or joined_chars.count(_SEP) != max(len(chars) - 1, 0):
        return None  # not storable this way: analysed again next time
    return marshal.dumps((words, len(texts), positions.tobytes(), joined_chars, len(chars)))


def _decode(blob: bytes):
    words, nwords, packed, joined_chars, nchars = marshal.loads(blob)
    texts = words.split(_SEP) if nwords else []
    chars = joined_chars.split(_SEP) if nchars else []
    positions = array("I")
    positions.frombytes(packed)
    if len(texts) != nwords or len(chars) != nchars or len(positions) != nwords:
        return None
    return texts, positions, chars


class TokenStore:
    """One worker's view: read from the served generation's files, write this
    rebuild's own file. Lookups and stores are (word terms, positions, character
    terms) values as search.bulk_writer makes them."""

    def __init__(self, previous: list[Path], out: Path, version: str):
        self.version = version
        self._readers = []
        for path in previous:
            try:
                con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
                con.execute("SELECT 1 FROM tokens LIMIT 1")
            except sqlite3.Error:
                continue  # a file from a killed rebuild, or not ours: analyse instead
            self._readers.append(con)
        self._out = sqlite3.connect(out, check_same_thread=False)
        self._out.execute("PRAGMA journal_mode=OFF")
        self._out.execute("PRAGMA synchronous=OFF")
        self._out.execute("CREATE TABLE IF NOT EXISTS tokens (key BLOB PRIMARY KEY, value BLOB NOT NULL)")
        self._pending: list[tuple[bytes, bytes]] = []
        self.hits = self.misses = 0

    def get(self, text: str):
        """(key, value or None)."""
        key = tokens_key(self.version, text)
        for con in self._readers:
            row = con.execute("SELECT value FROM tokens WHERE key = ?", (key,)).fetchone()
            if row is not None:
                try:
                    value = _decode(row[0])
                except (ValueError, EOFError, TypeError):
                    value = None
                if value is None:
                    break
                self.hits += 1
                self._keep(key, row[0])
                return key, value
        self.misses += 1
        return key, None

    def put(self, key: bytes, value) -> None:
        encoded = _encode(value)
        if encoded is not None:
            self._keep(key, encoded)

    def _keep(self, key: bytes, blob: bytes) -> None:
        self._pending.append((key, blob))
        if len(self._pending) >= _BATCH:
            self.flush()

    def flush(self) -> None:
        if self._pending:
            with self._out:
                self._out.executemany("INSERT OR IGNORE INTO tokens (key, value) VALUES (?, ?)", self._pending)
            self._pending.clear()

    def close(self) -> None:
        self.flush()
        self._out.close()
        for con in self._readers:
            con.close()
        self._readers = []


def previous_files(generation: Path | None) -> list[Path]:
    return sorted(generation.glob(FILE_PATTERN)) if generation is not None else []
