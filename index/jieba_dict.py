"""jieba's prefix dictionary in SQLite, read a word at a time.

jieba keeps its dictionary as one Python dict of about 500,000 words and word prefixes.
Loading it, even from jieba's own marshal cache, took 0.7 s on two shared cores, in every
process, before the first word of a question was cut; cutting a question then looks up a
few hundred of those entries. This table holds the same entries in SQLite (made once per
jieba version, in the cache folder) and fetches each one when jieba first asks for it, so a
one-shot `ask` pays milliseconds. A bulk job (tokenizing every passage) asks so often that
the table reads itself whole after `LOAD_ALL_AFTER` look-ups, as jieba would have.

Entries jieba adds (the user dictionary) live in memory on top. The words, frequencies and
total are jieba's own, so every text is cut exactly as jieba cuts it (a test checks).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
import uuid
from pathlib import Path
from typing import Any

SCHEMA = 1
# Look-ups after which the whole table is read into memory (about 0.4 s): a question makes a
# few hundred, tokenizing the shipped records about a million.
LOAD_ALL_AFTER = 20_000
_ABSENT = -1  # memo of a word the table lacks (jieba's frequencies are never negative)


class FrequencyTable:
    """The mapping jieba's `Tokenizer.FREQ` is used as (`in`, `[]`, `get`, assignment)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True,
                                   check_same_thread=False)
        self._lock = threading.Lock()
        self._known: dict[str, int] = {}
        self._lookups = 0
        self._complete = False
        row = self._db.execute("SELECT value FROM meta WHERE key = 'total'").fetchone()
        self.total = int(row[0])

    def _freq(self, word: str) -> int:
        known = self._known.get(word)
        if known is not None:
            return known
        if self._complete:
            return _ABSENT
        with self._lock:
            self._lookups += 1
            if self._lookups > LOAD_ALL_AFTER:
                self._load_all()
                return self._known.get(word, _ABSENT)
            row = self._db.execute("SELECT freq FROM freq WHERE word = ?", (word,)).fetchone()
        found = _ABSENT if row is None else int(row[0])
        self._known.setdefault(word, found)
        return self._known[word]

    def _load_all(self) -> None:
        """Every entry into memory; words set since (the user dictionary) keep their value."""
        if self._complete:
            return
        added = {w: f for w, f in self._known.items() if f != _ABSENT}
        self._known = dict(self._db.execute("SELECT word, freq FROM freq"))
        self._known.update(added)
        self._complete = True

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self._freq(word) != _ABSENT

    def __getitem__(self, word: str) -> int:
        freq = self._freq(word)
        if freq == _ABSENT:
            raise KeyError(word)
        return freq

    def get(self, word: str, default: Any = None) -> Any:
        freq = self._freq(word)
        return default if freq == _ABSENT else freq

    def __setitem__(self, word: str, freq: int) -> None:
        self._known[word] = int(freq)


def table_path(cache_dir: Path, jieba_version: str, dictionary: Path) -> Path:
    """One table per jieba version and main dictionary file."""
    stat = dictionary.stat()
    key = f"{SCHEMA}/{jieba_version}/{dictionary}/{stat.st_size}/{stat.st_mtime_ns}"
    return cache_dir / f"jieba-{hashlib.sha256(key.encode()).hexdigest()[:16]}.sqlite"


def open_table(tokenizer: Any, cache_dir: Path) -> FrequencyTable:
    """A jieba `Tokenizer`'s main dictionary as a `FrequencyTable`, writing the table first
    if this cache folder has none for it (once: about 3 s)."""
    import jieba

    dictionary = Path(tokenizer.dictionary) if tokenizer.dictionary else \
        Path(jieba.__file__).parent / jieba.DEFAULT_DICT_NAME
    path = table_path(cache_dir, jieba.__version__, dictionary)
    if not path.is_file():
        _write(path, *tokenizer.gen_pfdict(tokenizer.get_dict_file()))
    try:
        return FrequencyTable(path)
    except sqlite3.Error:  # a cut-off or damaged file: write it again
        path.unlink(missing_ok=True)
        _write(path, *tokenizer.gen_pfdict(tokenizer.get_dict_file()))
        return FrequencyTable(path)


def _write(path: Path, freq: dict[str, int], total: int) -> None:
    """Into a temporary file, then renamed into place: a reader never sees half a table."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}")
    try:
        with sqlite3.connect(tmp) as db:
            db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)")
            db.execute("CREATE TABLE freq (word TEXT PRIMARY KEY, freq INTEGER NOT NULL) "
                       "WITHOUT ROWID")
            db.execute("INSERT INTO meta VALUES ('total', ?)", (total,))
            db.executemany("INSERT INTO freq VALUES (?, ?)", freq.items())
        db.close()
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
