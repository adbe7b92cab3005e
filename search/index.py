"""Where the index lives on disk, who may write it, and the per-process searcher.

Layout under the index folder:
    CURRENT          name of the generation being served (replaced atomically)
    gen-000001/      a complete Whoosh index (non-compound segments: they open
                     in milliseconds instead of being copied into memory)
    gen-000001/meta.json  analyzer version and commit counter of that generation
    write.lock       one writer at a time across processes (fcntl)

A rebuild writes a new generation beside the served one and swaps CURRENT, so
searches never see a half-built index and a killed rebuild leaves the old one
serving.
"""
from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from whoosh import index as whoosh_index

from search.schema import build_schema


class IndexBusy(Exception):
    """Another process holds the index writer for longer than we may wait."""


def index_root() -> Path:
    return Path(settings.SEARCH_BACKEND["PATH"])


class IndexStore:
    def __init__(self, root: Path | None = None):
        self.root = Path(root or index_root())

    # ---------------------------------------------------------- generations
    @property
    def current_file(self) -> Path:
        return self.root / "CURRENT"

    def current_dir(self) -> Path | None:
        try:
            name = self.current_file.read_text().strip()
        except FileNotFoundError:
            return None
        path = self.root / name
        return path if name and whoosh_index.exists_in(str(path)) else None

    def new_generation_dir(self) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        numbers = [int(p.name[4:]) for p in self.root.glob("gen-*") if p.name[4:].isdigit()]
        path = self.root / f"gen-{max(numbers, default=0) + 1:06d}"
        path.mkdir()
        return path

    def create_generation(self, analyzer_version: str) -> tuple[Path, whoosh_index.Index]:
        path = self.new_generation_dir()
        ix = whoosh_index.create_in(str(path), build_schema())
        write_meta(path, {"analyzer_version": analyzer_version, "commits": 0})
        return path, ix

    def swap_to(self, path: Path) -> None:
        tmp = self.root / f"CURRENT.{os.getpid()}.tmp"
        tmp.write_text(path.name)
        os.replace(tmp, self.current_file)
        self.remove_stale_generations(keep=path)

    def remove_stale_generations(self, keep: Path) -> None:
        """Old generations go once nothing new could start serving them; a
        process still holding one open keeps reading its open files (POSIX)."""
        for other in self.root.glob("gen-*"):
            if other != keep and other.name < keep.name:
                shutil.rmtree(other, ignore_errors=True)

    def open(self, analyzer_version: str | None = None, *, locked: bool = False) -> whoosh_index.Index:
        """The served index, created empty on first use. `locked`: the caller
        already holds the writer lock (flock would block on a second handle)."""
        path = self.current_dir()
        if path is None:
            if locked:
                return self._create_served(analyzer_version)
            with self.writer_lock():
                if self.current_dir() is None:
                    return self._create_served(analyzer_version)
            path = self.current_dir()
        return whoosh_index.open_dir(str(path))

    def _create_served(self, analyzer_version):
        if analyzer_version is None:
            from search.state import analyzer_version as current

            analyzer_version = current()
        path, ix = self.create_generation(analyzer_version)
        self.swap_to(path)
        return ix

    # ---------------------------------------------------------- writing
    @contextmanager
    def writer_lock(self, timeout: float = 60.0):
        """One writer across processes and threads. Whoosh's own lock raises
        LockError at once; this waits its turn."""
        self.root.mkdir(parents=True, exist_ok=True)
        with _writer_thread_lock:
            fd = os.open(self.root / "write.lock", os.O_RDWR | os.O_CREAT, 0o644)
            try:
                deadline = time.monotonic() + timeout
                while True:
                    try:
                        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                        break
                    except OSError as exc:
                        if exc.errno not in (errno.EAGAIN, errno.EACCES):
                            raise
                        if time.monotonic() > deadline:
                            raise IndexBusy("the search index is being written by another process") from None
                        time.sleep(0.02)
                try:
                    yield
                finally:
                    fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)

    def set_analyzer_version(self, version: str, path: Path | None = None) -> None:
        path = path or self.current_dir()
        if path is not None:
            meta = read_meta(path)
            if meta.get("analyzer_version") != version:
                write_meta(path, {**meta, "analyzer_version": version})

    def note_commit(self, path: Path | None = None) -> None:
        path = path or self.current_dir()
        if path is None:
            return
        meta = read_meta(path)
        meta["commits"] = int(meta.get("commits", 0)) + 1
        write_meta(path, meta)

    # ---------------------------------------------------------- reading
    def token(self) -> tuple:
        """Changes whenever what a searcher would see changes: the served
        generation, or its meta.json (rewritten, as a new file, by every
        commit). Two stats and a tiny read: this runs on every search."""
        try:
            name = self.current_file.read_text().strip()
            meta = os.stat(self.root / name / "meta.json")
        except (FileNotFoundError, NotADirectoryError):
            return (None, 0)
        return (name, meta.st_ino, meta.st_mtime_ns, meta.st_size)

    def searcher(self):
        """This process's searcher, reused across requests and reopened only
        when the served generation or its commit counter changed."""
        key = str(self.root)
        token = self.token()
        with _thread_lock:
            cached = _searchers.get(key)
            if cached and cached[0] == token:
                return cached[1]
        ix = self.open()
        searcher = ix.searcher()
        with _thread_lock:
            old = _searchers.get(key)
            _searchers[key] = (token, searcher)
        if old:
            old[1].close()
        return searcher

    def is_stale(self, analyzer_version: str) -> bool:
        """The served generation was built with other fields or other user
        words than this code and database would use (devpi's schema-drift check)."""
        path = self.current_dir()
        if path is None:
            return True
        served = whoosh_index.open_dir(str(path)).schema
        wanted = build_schema()
        if sorted(served.names()) != sorted(wanted.names()):
            return True
        if any(type(served[name].format) is not type(wanted[name].format) for name in wanted.names()
               if getattr(wanted[name], "format", None) is not None):
            return True
        return self.analyzer_version() != analyzer_version

    def analyzer_version(self) -> str | None:
        path = self.current_dir()
        return read_meta(path).get("analyzer_version") if path else None


def cached_on_searcher(searcher, attr: str, build):
    """What `build(searcher)` makes, made once per searcher (a searcher lives
    until the index changes) and kept on it."""
    value = getattr(searcher, attr, None)
    if value is None:
        with _per_searcher_lock:
            value = getattr(searcher, attr, None)
            if value is None:
                value = build(searcher)
                setattr(searcher, attr, value)
    return value


_thread_lock = threading.RLock()
_per_searcher_lock = threading.RLock()
_writer_thread_lock = threading.RLock()
_searchers: dict[str, tuple] = {}


def read_meta(path: Path) -> dict:
    try:
        return json.loads((path / "meta.json").read_text())
    except (FileNotFoundError, ValueError):
        return {}


def write_meta(path: Path, meta: dict) -> None:
    tmp = path / f"meta.json.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(meta))
    os.replace(tmp, path / "meta.json")


def forget_searchers() -> None:
    """Close cached searchers (tests, and after a swap in this process)."""
    with _thread_lock:
        for _, searcher in _searchers.values():
            searcher.close()
        _searchers.clear()
