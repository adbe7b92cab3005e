"""Content fingerprints and near-duplicate detection (plain values, no Django imports).

* ``content_fingerprint`` -- exact identity: sha1 of the normalised title and body.
* ``minhash_signature`` -- a 64-value one-permutation MinHash (with densification) of the
  body's shingles (CJK text: character 5-grams; Latin text: word 3-grams), vectorised with
  numpy; deterministic across processes, machines and Python versions (no ``hash()``, no
  numpy RNG streams).
* ``lsh_keys`` -- band keys (16 bands of 4 rows): store them in a table and look up
  the articles sharing any key; only those candidates are compared, never every pair.
* ``is_near_duplicate`` -- the decision on one candidate pair: same title (after folding,
  ignoring spacing, punctuation, a site name added after/before a separator, and the
  regional vocabulary of a script conversion), same places and districts, no two disjoint
  event sets, comparable lengths (shorter/longer >= 0.75: a short piece quoting a long one
  is not its copy), and estimated shingle Jaccard similarity >= 0.7.

Why the title is part of ``content_fingerprint``: the rule is that articles whose titles
differ are never merged, so two different titles over the same body must not share an
identity either.  A repost keeps the body and, once the cleaner has dropped the site's
suffix, the title; traditional/simplified script, case, spacing and punctuation are
folded away before hashing, so the same story converted to the other script keeps its
fingerprint.  Reposts that differ by more (junk left around the body, a site suffix the
cleaner missed) get a different exact fingerprint and are caught by the near-duplicate
path instead.
"""
from __future__ import annotations

import hashlib
import re
import struct
import zlib
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

import numpy as np

from articles.ingest.folding import nfkc, t2s

__all__ = [
    "normalise_for_fingerprint",
    "content_fingerprint",
    "minhash_signature",
    "lsh_keys",
    "signature_similarity",
    "DupInfo",
    "is_near_duplicate",
    "may_be_copy",
    "titles_match",
    "NUM_PERM",
    "BANDS",
    "SIMILARITY_THRESHOLD",
    "LENGTH_RATIO",
]

NUM_PERM = 64
BANDS = 16
SIMILARITY_THRESHOLD = 0.7  # estimated Jaccard of the shingle sets
LENGTH_RATIO = 0.75  # shorter / longer normalised body; below this it is a quote, not a copy
CJK_SHINGLE = 5
LATIN_SHINGLE = 3
TITLE_AFFIX_MAX = 24  # a site suffix/prefix on a title ("澎湃新闻", "PR Newswire") is at most this long
_EMPTY = 0xFFFFFFFF

_NON_WORD_RE = re.compile(r"[\W_]+")


def _fold(text: str) -> str:
    return t2s(nfkc(text or "")).lower()


def normalise_for_fingerprint(text: str) -> str:
    """NFKC, traditional -> simplified, lower-case; punctuation and white space dropped."""
    return _NON_WORD_RE.sub("", _fold(text))


def content_fingerprint(title: str, body: str) -> str:
    """sha1 (hex) of the normalised title and body (see the module docstring for why the title)."""
    data = normalise_for_fingerprint(title) + "\x1f" + normalise_for_fingerprint(body)
    return hashlib.sha1(data.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------------------------
# MinHash

_M64 = np.uint64(0xFFFFFFFFFFFFFFFF)


def _mix64(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser, vectorised (uint64 arithmetic wraps modulo 2**64)."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def _shingle_hashes(tokens: np.ndarray, k: int) -> np.ndarray:
    """64-bit hashes of the k-grams of a uint64 token array (polynomial combination, then mixed)."""
    n = len(tokens)
    if n == 0:
        return tokens
    if n < k:
        k = n
    count = n - k + 1
    h = np.zeros(count, dtype=np.uint64)
    mult = np.uint64(0x100000001B3)  # FNV prime: any odd constant works
    for j in range(k):
        h = h * mult + tokens[j:j + count]
    return _mix64(h + np.uint64(k))


def _is_token_char(cps: np.ndarray) -> np.ndarray:
    """Letters and digits among folded code points (after NFKC full-width forms are ASCII)."""
    ascii_alnum = ((cps >= 48) & (cps <= 57)) | ((cps >= 97) & (cps <= 122)) | ((cps >= 65) & (cps <= 90))
    other = (
        (cps >= 0xC0)
        & (cps != 0xD7)
        & (cps != 0xF7)
        & ~((cps >= 0x2000) & (cps <= 0x2BFF))  # general punctuation, symbols, arrows, boxes
        & ~((cps >= 0x3000) & (cps <= 0x303F))  # CJK punctuation
        & ~((cps >= 0xFE10) & (cps <= 0xFE6F))  # vertical / small forms
        & ~((cps >= 0xFF00) & (cps <= 0xFF65))  # full-width punctuation left after NFKC
        & ~((cps >= 0xD800) & (cps <= 0xDFFF))
    )
    return ascii_alnum | other


_WORD_MULT = 0x9E3779B97F4A7C15  # odd: invertible modulo 2**64
_WORD_MULT_INV = pow(_WORD_MULT, -1, 1 << 64)
_powers_cache: list[np.ndarray] = [np.ones(1, dtype=np.uint64), np.ones(1, dtype=np.uint64)]


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """M**i and M**-i modulo 2**64 for i < n (grown on demand, shared by calls)."""
    pw, inv = _powers_cache
    if len(pw) < n:
        size = max(n, 2 * len(pw), 4096)
        pw = np.full(size, _WORD_MULT, dtype=np.uint64)
        pw[0] = 1
        pw = np.cumprod(pw, dtype=np.uint64)
        inv = np.full(size, _WORD_MULT_INV, dtype=np.uint64)
        inv[0] = 1
        inv = np.cumprod(inv, dtype=np.uint64)
        _powers_cache[:] = [pw, inv]
    return pw, inv


def _word_hashes(cps: np.ndarray, tok: np.ndarray) -> np.ndarray:
    """One 64-bit hash per word (maximal run of token characters), vectorised: a word's hash is
    sum(c_j * M**j) over its characters, from prefix sums divided by M**start."""
    edges = np.diff(np.concatenate(([0], tok.view(np.int8), [0])))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    if len(starts) == 0:
        return np.zeros(0, dtype=np.uint64)
    pw, inv = _powers(len(cps) + 1)
    vals = cps.astype(np.uint64) + np.uint64(1)
    prefix = np.zeros(len(cps) + 1, dtype=np.uint64)
    np.cumsum(vals * pw[:len(cps)], dtype=np.uint64, out=prefix[1:])
    return (prefix[ends] - prefix[starts]) * inv[starts] + (ends - starts).astype(np.uint64)


def _tokens(body: str) -> tuple[np.ndarray, int]:
    """Token ids and the shingle size.  CJK text: its letters and digits, one token each
    (character 5-grams); Latin text: its words (word 3-grams).  CJK when the text has at least as
    many CJK characters as ASCII words."""
    folded = _fold(body)
    cps = np.frombuffer(folded.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    tok = _is_token_char(cps)
    cjk = int(np.count_nonzero(((cps >= 0x3400) & (cps <= 0x9FFF)) | ((cps >= 0xF900) & (cps <= 0xFAFF))
                               | ((cps >= 0x3040) & (cps <= 0x30FF)) | ((cps >= 0xAC00) & (cps <= 0xD7AF))))
    if cjk:
        ascii_word = ((cps >= 48) & (cps <= 57)) | ((cps >= 97) & (cps <= 122))
        words = int(np.count_nonzero(ascii_word[1:] & ~ascii_word[:-1])) + int(bool(len(cps) and ascii_word[0]))
        if cjk >= words:
            return cps[tok].astype(np.uint64), CJK_SHINGLE
    return _word_hashes(cps, tok), LATIN_SHINGLE


@lru_cache(maxsize=8)
def _bin_edges(num_perm: int) -> tuple[np.ndarray, int]:
    """Lower edges of ``num_perm`` equal slices of the 64-bit hash space, and the shift that brings
    an offset inside a slice down to 32 bits."""
    width = (1 << 64) // num_perm
    edges = np.array([i * width for i in range(num_perm)] + [(1 << 64) - 1], dtype=np.uint64)
    shift = max(0, width.bit_length() - 32)
    return edges, shift


def minhash_signature(body: str, *, num_perm: int = NUM_PERM) -> tuple[int, ...]:
    """MinHash signature (``num_perm`` 32-bit ints) of the body's shingles.

    One-permutation MinHash: each shingle gets one 64-bit hash; the hash space is cut into
    ``num_perm`` equal slices and each slice keeps its smallest hash (as a 32-bit offset in the
    slice); an empty slice borrows from the next non-empty one (rotation densification).  Two
    signatures agree in a position with probability equal to the sets' Jaccard similarity, as
    with ``num_perm`` independent permutations, at the cost of one hash and one sort per shingle.

    Deterministic across processes and runs.  An empty body gives all 0xFFFFFFFF.
    """
    if num_perm <= 0:
        raise ValueError("num_perm must be positive")
    tokens, k = _tokens(body)
    shingles = _shingle_hashes(tokens, k)
    if len(shingles) == 0:
        return (_EMPTY,) * num_perm
    hashes = np.unique(shingles)  # sorted
    edges, shift = _bin_edges(num_perm)
    first = np.searchsorted(hashes, edges[:-1], side="left")
    n = len(hashes)
    values: list[int | None] = [None] * num_perm
    for i in range(num_perm):
        j = int(first[i])
        if j < n:
            h = int(hashes[j])
            if h < int(edges[i + 1]) or i == num_perm - 1:
                values[i] = ((h - int(edges[i])) >> shift) & 0xFFFFFFFF
    filled = [v for v in values if v is not None]
    if len(filled) < num_perm:
        # Rotation densification: an empty slice takes the next non-empty slice's value, mixed with
        # the distance so that borrowed values do not collide with real ones.
        for i in range(num_perm):
            if values[i] is None:
                d = 1
                while values[(i + d) % num_perm] is None:
                    d += 1
                src = values[(i + d) % num_perm]
                values[i] = zlib.crc32(struct.pack("<II", src, d)) & 0xFFFFFFFF
    return tuple(values)  # type: ignore[arg-type]


def lsh_keys(signature, *, bands: int = BANDS) -> list[str]:
    """One key per band: ``"bb:hex"`` (band number, 16 hex digits of the band's values' digest).

    Two signatures share a key when all the rows of one band agree: with 16 bands of 4 rows a pair
    with Jaccard 0.7 becomes a candidate 98% of the time, a pair with Jaccard 0.3 12% of the time.
    """
    sig = list(signature)
    if not sig:
        return []
    if bands <= 0 or len(sig) % bands:
        raise ValueError(f"a signature of {len(sig)} values does not split into {bands} bands")
    rows = len(sig) // bands
    keys = []
    for band in range(bands):
        chunk = sig[band * rows:(band + 1) * rows]
        digest = hashlib.blake2b(struct.pack(f"<{rows}I", *chunk), digest_size=8).hexdigest()
        keys.append(f"{band:02d}:{digest}")
    return keys


def signature_similarity(a, b) -> float:
    """Estimated Jaccard similarity: the share of positions where the two signatures agree."""
    a, b = tuple(a), tuple(b)
    if not a or len(a) != len(b):
        return 0.0
    return sum(1 for x, y in zip(a, b) if x == y) / len(a)


# --------------------------------------------------------------------------------------------
# The decision


@dataclass
class DupInfo:
    title: str
    body: str
    places: frozenset[str]
    districts: frozenset[str]
    events: frozenset[str]
    signature: tuple[int, ...]


_TITLE_SEP = "\\-–—|｜_·•/"  # not ":" -- "Day two: …" is another title
_SUFFIX_RE = re.compile(f"[{_TITLE_SEP}]+([^{_TITLE_SEP}]*)$")
_PREFIX_RE = re.compile(f"^(?:【([^】]*)】|\\[([^\\]]*)\\]|([^{_TITLE_SEP}]*)[{_TITLE_SEP}]+)")


TITLE_VARIANT_RATIO = 0.85


def _is_traditional(text: str) -> bool:
    return t2s(text) != text


def _cross_script_variant(a: str, b: str, na: str, nb: str) -> bool:
    """One title traditional, the other simplified, and the same once folded but for regional
    vocabulary ("釋出" where the mainland writes "发布": OpenCC's Taiwan-phrase conversion)."""
    if min(len(na), len(nb)) < 8 or _is_traditional(a) == _is_traditional(b):
        return False
    return SequenceMatcher(None, na, nb, autojunk=False).ratio() >= TITLE_VARIANT_RATIO


def titles_match(a: str, b: str) -> bool:
    """Same title after folding and normalisation (script, case, width, spacing, punctuation).  A
    site's name added after or before a separator ("…Kicks Off – PR Newswire", "【澎湃】…") is
    tolerated, and so is the regional vocabulary of a script conversion (a traditional title that
    differs from a simplified one in a word or two, TITLE_VARIANT_RATIO); any other difference
    makes a different title."""
    na, nb = normalise_for_fingerprint(a), normalise_for_fingerprint(b)
    if na == nb:
        return True
    if not na or not nb:
        return False
    if _cross_script_variant(a, b, na, nb):
        return True
    (short, _), (long_, long_title) = sorted(((na, a), (nb, b)), key=lambda x: len(x[0]))
    rest = len(long_) - len(short)
    if len(short) < 8 or rest > TITLE_AFFIX_MAX:
        return False
    folded = _fold(long_title).strip()
    if long_.startswith(short):
        m = _SUFFIX_RE.search(folded)
        return m is not None and normalise_for_fingerprint(m.group(1)) == long_[len(short):]
    if long_.endswith(short):
        m = _PREFIX_RE.match(folded)
        return m is not None and normalise_for_fingerprint(next(g for g in m.groups() if g is not None)) == long_[:rest]
    return False


def may_be_copy(title: str, signature, old_title: str, old_signature) -> bool:
    """The cheap half of is_near_duplicate (titles, MinHash estimate), for
    screening candidates before their tags and bodies are read: False only
    where is_near_duplicate would say False (equal bodies have equal
    signatures)."""
    if not titles_match(title, old_title):
        return False
    if signature and old_signature and len(signature) == len(old_signature):
        return signature_similarity(signature, old_signature) >= SIMILARITY_THRESHOLD
    return True


def is_near_duplicate(new: DupInfo, old: DupInfo) -> bool:
    """Is ``new`` the same article as ``old`` (a repost, the other script, cleaned differently)?"""
    if not titles_match(new.title, old.title):
        return False
    if frozenset(new.places) != frozenset(old.places) or frozenset(new.districts) != frozenset(old.districts):
        return False
    if new.events and old.events and not (frozenset(new.events) & frozenset(old.events)):
        return False
    na, nb = normalise_for_fingerprint(new.body), normalise_for_fingerprint(old.body)
    if na == nb:
        return True
    if not na or not nb:
        return False
    if min(len(na), len(nb)) / max(len(na), len(nb)) < LENGTH_RATIO:
        return False  # a short piece quoting a long one, or a long one quoting a short one
    sig_a = new.signature or minhash_signature(new.body)
    sig_b = old.signature or minhash_signature(old.body)
    if len(sig_a) != len(sig_b):
        sig_a, sig_b = minhash_signature(new.body), minhash_signature(old.body)
    return signature_similarity(sig_a, sig_b) >= SIMILARITY_THRESHOLD
