"""Files that must survive a crash: the index's SQLite stores and small files replaced
whole (pointers, manifests, listings).

A small file is written beside its target, flushed to disk, and renamed over it: a reader
sees the old content or the new, never half of either.

Every store runs in WAL mode (readers never wait for the one writer, and a process killed
mid-write leaves the last committed state) with a busy timeout long enough for another
process's write to finish. A file that is not a database, or whose pages are damaged, is
reported as `IndexDamagedError` naming the file, before anything reads from it.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

from index.errors import IndexDamagedError

BUSY_TIMEOUT_S = 30.0


def connect(path: Path, *, autocommit: bool = False, check: bool = True) -> sqlite3.Connection:
    """A connection to `path` (created if missing), usable from any thread.

    `check` runs SQLite's `quick_check` so that a truncated or overwritten file is caught
    when it is opened, not halfway through an answer. It reads the whole file: milliseconds
    for the shipped records' stores, growing with the corpus.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    # Python's sqlite3 is built serialized (threadsafety 3): one connection may be used
    # from any thread, e.g. the TUI's workers.
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, check_same_thread=False,
                           isolation_level=None if autocommit else "DEFERRED")
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        if check:
            problems = [row[0] for row in conn.execute("PRAGMA quick_check")]
            if problems != ["ok"]:
                raise IndexDamagedError(path, "; ".join(problems[:3]))
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise IndexDamagedError(path, str(exc)) from exc
    except IndexDamagedError:
        conn.close()
        raise
    return conn


class ThreadConnections:
    """One connection per thread to one SQLite file.

    SQLite connections are cheap; sharing one between threads is not (a thread's open read
    can block another's write, and cursors interleave). The first connection checks the
    file (`connect`); each thread then gets its own on first use.
    """

    def __init__(self, path: Path, *, autocommit: bool = False) -> None:
        self.path = path
        self.autocommit = autocommit
        self._local = threading.local()
        self._all: list[tuple[threading.Thread, sqlite3.Connection]] = []
        self._lock = threading.Lock()
        self._adopt(connect(path, autocommit=autocommit))

    def get(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = connect(self.path, autocommit=self.autocommit, check=False)
            conn.execute("PRAGMA foreign_keys = ON")
            self._adopt(conn)
        return conn

    def _adopt(self, conn: sqlite3.Connection) -> None:
        """Keep `conn` for this thread, and close those of threads that have ended (a UI
        runs each question in a new worker thread)."""
        self._local.conn = conn
        with self._lock:
            for thread, old in [(t, c) for t, c in self._all if not t.is_alive()]:
                old.close()
                self._all.remove((thread, old))
            self._all.append((threading.current_thread(), conn))

    def close(self) -> None:
        with self._lock:
            for _, conn in self._all:
                conn.close()
            self._all.clear()
        self._local = threading.local()


def atomic_write(path: Path, text: str) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    with open(tmp, "w", encoding="utf-8") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, path)
