"""Bytes -> text for imported files.

Order (see shared/STACK.md): BOM, binary sniffing, strict UTF-8, a declared
charset (``<meta charset>``, ``http-equiv``, XML declaration, or the caller's
``declared_charset``), then charset-normalizer limited to UTF-8, GB18030 and
Big5.  The result never holds a BOM or a NUL and uses ``\\n`` newlines.
"""
from __future__ import annotations

import codecs
import re

__all__ = ["UndecodableInput", "decode_bytes", "sniff_binary"]


class UndecodableInput(ValueError):
    """Raised for input that is not text we can read.  ``reason`` is a short
    human-readable explanation suitable for the importer's ``rejected`` line."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# (magic bytes, offset, label) -- checked on the first bytes only.
_MAGIC: tuple[tuple[bytes, int, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", 0, "PNG image"),
    (b"\xff\xd8\xff", 0, "JPEG image"),
    (b"GIF87a", 0, "GIF image"),
    (b"GIF89a", 0, "GIF image"),
    (b"%PDF-", 0, "PDF document"),
    (b"PK\x03\x04", 0, "ZIP archive"),
    (b"PK\x05\x06", 0, "ZIP archive"),
    (b"PK\x07\x08", 0, "ZIP archive"),
    (b"\x1f\x8b", 0, "gzip archive"),
    (b"BZh", 0, "bzip2 archive"),
    (b"\xfd7zXZ\x00", 0, "xz archive"),
    (b"(\xb5/\xfd", 0, "zstd archive"),
    (b"7z\xbc\xaf\x27\x1c", 0, "7-Zip archive"),
    (b"Rar!\x1a\x07", 0, "RAR archive"),
    (b"\x7fELF", 0, "ELF executable"),
    (b"MZ", 0, None),  # checked further below (DOS/Windows executable)
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 0, "MS Office (OLE2) document"),
    (b"SQLite format 3\x00", 0, "SQLite database"),
    (b"\xca\xfe\xba\xbe", 0, "Java class / Mach-O binary"),
    (b"\x00asm", 0, "WebAssembly binary"),
    (b"OggS", 0, "Ogg media"),
    (b"fLaC", 0, "FLAC audio"),
    (b"ID3", 0, "MP3 audio"),
    (b"wOFF", 0, "WOFF font"),
    (b"wOF2", 0, "WOFF2 font"),
    (b"II*\x00", 0, "TIFF image"),
    (b"MM\x00*", 0, "TIFF image"),
    (b"\x00\x00\x01\x00", 0, "ICO image"),
    (b"ftyp", 4, "MP4/QuickTime media"),
)

# BOMs, longest first (UTF-32 LE starts with the UTF-16 LE BOM).
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Bytes that never appear in text files (keep \t \n \v \f \r and ESC/SUB out of it).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 26, 27)) + b"\x7f"

_DECL_RE = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:\-]+)"""
    rb"""|<\?xml[^>]+encoding\s*=\s*["']\s*([A-Za-z0-9._:\-]+)""",
    re.IGNORECASE,
)

# Declared names -> the codec we actually use (supersets, so that the common
# mislabelling "gb2312" for a GBK page still decodes).
_CHARSET_ALIASES = {
    "gb2312": "gb18030",
    "gb_2312": "gb18030",
    "gb_2312-80": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "ms936": "gb18030",
    "euc-cn": "gb18030",
    "hz-gb-2312": "hz",
    "gb18030": "gb18030",
    "big5": "cp950",
    "big-5": "cp950",
    "x-big5": "cp950",
    "cn-big5": "cp950",
    "cp950": "cp950",
    "big5-hkscs": "big5hkscs",
    "big5hkscs": "big5hkscs",
    "unicode": "utf-16",
    "utf8": "utf-8",
}

_SINGLE_BYTE_WESTERN = {"latin_1", "iso8859-1", "cp1252", "ascii", "iso8859-15"}

_NEWLINE_RE = re.compile(r"\r\n?|[\u2028\u2029\x85]")
_STRIP_RE = re.compile("[\ufeff\x00]")


def sniff_binary(data: bytes) -> str | None:
    """Return a label ('PNG image', 'mostly NUL/control bytes', ...) when ``data``
    is not text, else None.  Call on data without a BOM."""
    head = data[:32]
    for magic, offset, label in _MAGIC:
        if head[offset:offset + len(magic)] == magic:
            if magic == b"MZ":
                # 'MZ' alone could start a text; an executable has a PE offset
                # and NULs in its header.
                if len(data) >= 64 and data[:64].count(0) > 8:
                    return "Windows executable"
                continue
            if magic == b"\x00\x00\x01\x00" and len(data) < 22:
                continue
            return label
    if head[:4] == b"RIFF" and head[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return {b"WEBP": "WebP image", b"WAVE": "WAV audio", b"AVI ": "AVI video"}[head[8:12]]
    sample = data[:65536]
    n = len(sample)
    if not n:
        return None
    controls = n - len(sample.translate(None, _CONTROL_BYTES))
    if controls == 0:
        return None
    # UTF-16 without a BOM: NULs on every other byte; the caller tries it.
    if controls / n > 0.30:
        return "mostly NUL/control bytes"
    if controls >= 8 and controls / n > 0.02:
        return "binary data (control bytes)"
    return None


def _bomless_utf16(data: bytes) -> str | None:
    """Decode UTF-16 text that lacks a BOM (ASCII-heavy text: NUL on alternating bytes)."""
    sample = data[:4096]
    if len(sample) < 8 or len(data) % 2:
        return None
    even_nul = sample[0::2].count(0) / (len(sample) / 2)
    odd_nul = sample[1::2].count(0) / (len(sample) / 2)
    if odd_nul > 0.6 and even_nul < 0.05:
        enc = "utf-16-le"
    elif even_nul > 0.6 and odd_nul < 0.05:
        enc = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(enc)
    except UnicodeDecodeError:
        return None
    if not text or sum(1 for c in text if c.isprintable() or c in "\n\r\t") / len(text) < 0.95:
        return None
    return text


def _normalise_codec(name: str | bytes | None) -> str | None:
    if not name:
        return None
    if isinstance(name, bytes):
        name = name.decode("ascii", "ignore")
    name = name.strip().strip("\"'").lower()
    name = _CHARSET_ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _declared_in_bytes(data: bytes) -> str | None:
    m = _DECL_RE.search(data[:4096])
    if not m:
        return None
    return _normalise_codec(m.group(1) or m.group(2))


def _finish(text: str) -> str:
    # substring tests (C speed) first: most files hold none of these characters
    if "\r" in text or "\u2028" in text or "\u2029" in text or "\x85" in text:
        text = _NEWLINE_RE.sub("\n", text)
    if "\ufeff" in text or "\x00" in text:
        text = _STRIP_RE.sub("", text)
    if text.isspace() or not text:
        raise UndecodableInput("empty file")
    return text


# A CJK character with an ASCII letter right before or right after it (each counted once).
_LONELY_CJK_RE = re.compile(
    r"(?<=[A-Za-z])[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff](?=[A-Za-z])"
)


def _mojibake_score(text: str) -> float:
    """Share of CJK characters that stand alone between Latin letters: the
    signature of Latin-1 text decoded as GB18030/Big5."""
    from .textutil import cjk_count

    total = cjk_count(text)
    if not total:
        return 0.0
    return len(_LONELY_CJK_RE.findall(text)) / total


def _detect(data: bytes) -> tuple[str, str] | None:
    """charset-normalizer restricted to the encodings Chinese news comes in."""
    from charset_normalizer import from_bytes

    results = from_bytes(data, cp_isolation=["utf_8", "gb18030", "big5", "cp950"])
    best = results.best()
    if best is None:
        return None
    return str(best), best.encoding


_MAX_BAD = 0.005  # at most this share of broken characters in a tolerant decoding


def _tolerant_utf8(data: bytes) -> str | None:
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    if bad > max(2, len(text) * _MAX_BAD):
        return None
    good = len(text) - len(text.encode("ascii", "ignore")) - bad  # non-ASCII characters, U+FFFD aside
    if good >= 10 * bad:
        return text
    return None


def _tolerant_cjk(data: bytes) -> str | None:
    from charset_normalizer.md import mess_ratio

    best: tuple[float, str] | None = None
    for enc in ("gb18030", "cp950"):
        text = data.decode(enc, errors="replace")
        bad = text.count("\ufffd")
        if bad > max(2, len(text) * _MAX_BAD):
            continue
        score = mess_ratio(text.replace("\ufffd", ""), 1.0) + 20 * bad / max(len(text), 1)
        if best is None or score < best[0]:
            best = (score, text)
    if best is not None and best[0] < 3 and _mojibake_score(best[1]) < 0.5:
        return best[1]
    return None


def decode_bytes(data: bytes, *, declared_charset: str | None = None) -> str:
    """Decode an imported file's bytes to text; raise UndecodableInput when the
    bytes are empty, binary, or in no encoding we read."""
    if not data or not data.strip():
        raise UndecodableInput("empty file")

    # 1. BOM: trust it, decode with it, drop it.
    for bom, enc in _BOMS:
        if data.startswith(bom):
            if enc == "utf-16-le" and data.startswith(codecs.BOM_UTF32_LE) and len(data) % 4 == 0:
                continue  # handled by the utf-32 entry above
            try:
                return _finish(data[len(bom):].decode(enc))
            except UnicodeDecodeError:
                if enc == "utf-8":
                    return _finish(data[len(bom):].decode("utf-8", "replace"))
                raise UndecodableInput(f"invalid {enc.upper()} after a byte-order mark") from None

    # 2. Binary sniffing.
    label = sniff_binary(data)
    if label is not None:
        text = _bomless_utf16(data) if label.startswith("mostly") else None
        if text is not None:
            return _finish(text)
        if label.startswith("mostly") or label.startswith("binary"):
            raise UndecodableInput(label if label.startswith("mostly") else "binary data (control bytes)")
        raise UndecodableInput(f"binary data ({label})")

    # 3. Strict UTF-8 (plain ASCII included); then UTF-8 with a few broken bytes (a file
    #    cut in the middle of a character, a damaged line): U+FFFD marks the damage.
    try:
        return _finish(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    text = _tolerant_utf8(data)
    if text is not None:
        return _finish(text)

    # 4. A declared charset: in the bytes first (the document knows best), then the caller's.
    detected: tuple[str, str] | None = None
    for declared in (_declared_in_bytes(data), _normalise_codec(declared_charset)):
        if not declared or declared == "utf-8":
            continue
        if declared in _SINGLE_BYTE_WESTERN:
            # Chinese pages often carry a wrong Western label: prefer a clean CJK detection.
            detected = detected or _detect(data)
            if detected and detected[1] != "utf_8" and _mojibake_score(detected[0]) < 0.2:
                return _finish(detected[0])
        try:
            return _finish(data.decode(declared))
        except (UnicodeDecodeError, LookupError):
            continue

    # 5. Detection limited to UTF-8 / GB18030 / Big5.
    detected = detected or _detect(data)
    if detected is not None:
        text, _enc = detected
        if _mojibake_score(text) < 0.5:
            return _finish(text)

    # 6. GB18030 / Big5 with a few broken bytes: the reading with the fewest errors and
    #    the least "mess" (charset-normalizer's own measure) wins.
    text = _tolerant_cjk(data)
    if text is not None:
        return _finish(text)

    # 7. Mostly-ASCII text with a few stray high bytes (Latin-1/cp1252 files):
    #    readable as cp1252; anything heavier is not a language we import.
    high = sum(1 for b in data if b >= 0x80)
    if high / len(data) < 0.15:
        try:
            return _finish(data.decode("cp1252"))
        except UnicodeDecodeError:
            return _finish(data.decode("latin-1"))
    raise UndecodableInput("cannot decode as UTF-8, GB18030 or Big5")
