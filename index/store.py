"""The document store: parsed documents and their blocks in an embedded SQLite file.

Each document is replaced in one transaction, so a crash mid-write leaves the previous
version intact, and readers never see half a document.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from index.durable import ThreadConnections
from index.errors import IndexDamagedError, IndexStoreError
from index.models import Block, BlockKind, Document, DocumentMeta

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    symbol TEXT,
    sha256 TEXT NOT NULL,
    meta TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS blocks (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    id TEXT NOT NULL,
    kind TEXT NOT NULL,
    number INTEGER,
    body TEXT NOT NULL,
    PRIMARY KEY (doc_id, seq)
);
CREATE INDEX IF NOT EXISTS blocks_number ON blocks(doc_id, number);
CREATE TABLE IF NOT EXISTS info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class DocumentStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._connections = ThreadConnections(path)
        try:
            self._db.execute("PRAGMA foreign_keys = ON")
            self._db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise IndexDamagedError(path, str(exc)) from exc
        self._check_schema()

    def _check_schema(self) -> None:
        row = self._db.execute("SELECT value FROM info WHERE key = 'schema'").fetchone()
        if row is None:
            with self._db:
                self._db.execute("INSERT INTO info VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
        elif int(row[0]) != SCHEMA_VERSION:
            raise IndexStoreError(
                f"{self.path} was written by schema version {row[0]}, this version reads "
                f"{SCHEMA_VERSION}: run `committee-assistant index clear` and ingest again."
            )

    @property
    def _db(self) -> sqlite3.Connection:
        return self._connections.get()

    def close(self) -> None:
        self._connections.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._db:
            yield self._db

    # -- writing -------------------------------------------------------------------
    def replace_document(self, document: Document) -> None:
        with self._transaction() as db:
            db.execute("DELETE FROM documents WHERE id = ?", (document.id,))
            db.execute(
                "INSERT INTO documents VALUES (?, ?, ?, ?)",
                (document.id, document.meta.symbol, document.meta.sha256,
                 document.meta.model_dump_json()),
            )
            db.executemany(
                "INSERT INTO blocks VALUES (?, ?, ?, ?, ?, ?)",
                ((document.id, b.seq, b.id, b.kind.value, b.number, b.model_dump_json())
                 for b in document.blocks),
            )

    def remove_document(self, doc_id: str) -> None:
        with self._transaction() as db:
            db.execute("DELETE FROM documents WHERE id = ?", (doc_id,))

    # -- reading -------------------------------------------------------------------
    def documents(self) -> list[DocumentMeta]:
        rows = self._db.execute("SELECT meta FROM documents ORDER BY id").fetchall()
        return [DocumentMeta.model_validate_json(meta) for (meta,) in rows]

    def meta(self, doc_id: str) -> DocumentMeta | None:
        row = self._db.execute("SELECT meta FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return DocumentMeta.model_validate_json(row[0]) if row else None

    def resolve(self, name: str) -> DocumentMeta:
        """Find a document by id, symbol, or original file name."""
        for meta in self.documents():
            if name in (meta.id, meta.symbol, meta.original_file):
                return meta
        known = ", ".join(m.symbol or m.id for m in self.documents()) or "none yet"
        raise IndexStoreError(f"no document {name!r}; known documents: {known}")

    def load(self, doc_id: str) -> Document:
        meta = self.resolve(doc_id)
        rows = self._db.execute(
            "SELECT body FROM blocks WHERE doc_id = ? ORDER BY seq", (meta.id,)
        ).fetchall()
        return Document(meta=meta, blocks=[Block.model_validate_json(body) for (body,) in rows])

    def block_counts(self) -> dict[str, dict[str, int]]:
        """Per document, how many blocks of each kind."""
        counts: dict[str, dict[str, int]] = {}
        for doc_id, kind, n in self._db.execute(
            "SELECT doc_id, kind, COUNT(*) FROM blocks GROUP BY doc_id, kind"
        ):
            counts.setdefault(doc_id, {k.value: 0 for k in BlockKind})[kind] = n
        return counts
