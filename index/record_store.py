"""An embedded SQLite store of records, so that "which states …", "how many …" and "between
… and …" questions are answered by a query, not by reading retrieved text.

One table holds every record (its JSON payload plus the columns filters use: folded state
names and searchable text), a second its date spans. Replacing a document's records is one
transaction: an interrupted write leaves the previous records in place, never half of them.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import TracebackType

from index.durable import ThreadConnections
from index.errors import IndexDamagedError, IndexStoreError, RecordQueryError
from index.records import RECORD_ADAPTER, RECORD_MODELS, RECORD_TYPES, Record, RecordBase
from index.text import fold
from index.zh_dates import parse_date

SCHEMA_VERSION = 1
_OPEN_END = "9999-12-31"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    pk INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL,
    row_id TEXT NOT NULL,
    record_type TEXT NOT NULL,
    locator TEXT NOT NULL,
    states TEXT NOT NULL,
    search TEXT NOT NULL,
    payload TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS records_by_type ON records (record_type);
CREATE INDEX IF NOT EXISTS records_by_doc ON records (doc_id);
CREATE TABLE IF NOT EXISTS record_spans (
    pk INTEGER NOT NULL REFERENCES records (pk) ON DELETE CASCADE,
    start TEXT NOT NULL,
    end TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS record_spans_by_pk ON record_spans (pk);
"""

DateArg = dt.date | str | None


class RecordStore:
    """Records on disk at `path` (created on first use)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._connections = ThreadConnections(self.path, autocommit=True)
        try:
            self._conn.execute("PRAGMA foreign_keys = ON")
            version = self._conn.execute("PRAGMA user_version").fetchone()[0]
            if version not in (0, SCHEMA_VERSION):
                raise IndexStoreError(
                    f"{self.path} holds records in format {version}, this version reads "
                    f"format {SCHEMA_VERSION}: delete it and ingest again."
                )
            if version == 0:
                self._conn.executescript(_SCHEMA)
                self._conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except sqlite3.DatabaseError as exc:
            raise IndexDamagedError(self.path, str(exc)) from exc

    # -- lifecycle ---------------------------------------------------------------------
    @property
    def _conn(self) -> sqlite3.Connection:
        return self._connections.get()

    def close(self) -> None:
        self._connections.close()

    def __enter__(self) -> RecordStore:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    # -- writing -----------------------------------------------------------------------
    def replace_document(self, doc_id: str, records: Iterable[Record]) -> int:
        """Replace every record of one document, atomically. Returns how many were written."""
        rows = list(records)
        for record in rows:
            if record.doc_id != doc_id:
                raise RecordQueryError(
                    f"record {record.row_id} belongs to {record.doc_id}, not {doc_id}"
                )
        try:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                self._conn.execute("DELETE FROM record_spans WHERE pk IN "
                                   "(SELECT pk FROM records WHERE doc_id = ?)", (doc_id,))
                self._conn.execute("DELETE FROM records WHERE doc_id = ?", (doc_id,))
                for record in rows:
                    self._insert(record)
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise IndexStoreError(f"cannot write records to {self.path}: {exc}") from exc
        return len(rows)

    def delete_document(self, doc_id: str) -> None:
        self.replace_document(doc_id, [])

    def _insert(self, record: RecordBase) -> None:
        cursor = self._conn.execute(
            "INSERT INTO records (doc_id, row_id, record_type, locator, states, search, payload)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (record.doc_id, record.row_id, _record_type(record), record.locator,
             "\n".join(fold(name) for name in record.states()),
             fold(record.summary()), record.model_dump_json()),
        )
        spans = [(start.isoformat(), (end.isoformat() if end else _OPEN_END))
                 for start, end in record.spans()]
        self._conn.executemany("INSERT INTO record_spans (pk, start, end) VALUES (?, ?, ?)",
                               [(cursor.lastrowid, start, end) for start, end in spans])

    # -- reading -----------------------------------------------------------------------
    def record_types(self) -> list[str]:
        return list(RECORD_TYPES)

    def counts(self) -> dict[str, int]:
        """Records per type (every type listed, zero included)."""
        found = dict(self._conn.execute(
            "SELECT record_type, COUNT(*) FROM records GROUP BY record_type").fetchall())
        return {name: int(found.get(name, 0)) for name in RECORD_TYPES}

    def query(self, record_type: str | None, state: str | Sequence[str] | None = None,
              date_from: DateArg = None, date_to: DateArg = None, text: str | None = None,
              doc_id: str | None = None) -> list[Record]:
        """Records of one type (None: all types), in document order, filtered by state (the
        Chinese name or part of it, full-width forms folded; several forms of one name
        match any of them), by a date range (a record matches when one of its dates or
        spans meets the range) and by text."""
        sql = ["SELECT payload FROM records r WHERE 1 = 1"]
        params: list[object] = []
        if record_type is not None:
            check_record_type(record_type)
            sql.append("AND record_type = ?")
            params.append(record_type)
        if state:
            types = [name for name, model in RECORD_MODELS.items() if model.state_fields]
            if record_type is not None and record_type not in types:
                raise RecordQueryError(
                    f"records of type {record_type} name no state; filter by state only "
                    f"{', '.join(types)}"
                )
            forms = [state] if isinstance(state, str) else list(state)
            sql.append("AND (" + " OR ".join(["instr(states, ?) > 0"] * len(forms)) + ")")
            params += [fold(form) for form in forms]
        start, end = _date(date_from, "date_from"), _date(date_to, "date_to")
        if start and end and start > end:
            raise RecordQueryError(f"date_from {start} is after date_to {end}")
        if start or end:
            sql.append("AND EXISTS (SELECT 1 FROM record_spans s WHERE s.pk = r.pk"
                       " AND s.start <= ? AND s.end >= ?)")
            params += [(end or dt.date.max).isoformat(), (start or dt.date.min).isoformat()]
        if text:
            sql.append("AND instr(search, ?) > 0")
            params.append(fold(text))
        if doc_id:
            sql.append("AND doc_id = ?")
            params.append(doc_id)
        sql.append("ORDER BY pk")
        try:
            rows = self._conn.execute(" ".join(sql), params).fetchall()
        except sqlite3.Error as exc:
            raise IndexStoreError(f"cannot read records from {self.path}: {exc}") from exc
        return [RECORD_ADAPTER.validate_python(json.loads(payload)) for (payload,) in rows]


def check_record_type(record_type: str) -> None:
    """Raise RecordQueryError naming the valid types when `record_type` is not one."""
    if record_type not in RECORD_MODELS:
        raise RecordQueryError(
            f"unknown record type {record_type!r}; valid types: {', '.join(RECORD_TYPES)}"
        )


def _record_type(record: RecordBase) -> str:
    return str(getattr(record, "record_type"))  # noqa: B009 - every concrete record has one


def _date(value: DateArg, name: str) -> dt.date | None:
    """A filter date from a date, an ISO string or a Chinese date."""
    if value is None or isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        parsed = parse_date(text)
        if parsed is None:
            raise RecordQueryError(
                f"{name} {text!r} is not a date: write 2022-06-02 or 2022年6月2日"
            ) from None
        return parsed


def records_by_type(records: Sequence[RecordBase]) -> dict[str, int]:
    """Counts per type of records in memory (what an ingest reports)."""
    out = dict.fromkeys(RECORD_TYPES, 0)
    for record in records:
        out[_record_type(record)] = out.get(_record_type(record), 0) + 1
    return out
