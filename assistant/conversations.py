"""Conversations: the multi-turn `Conversation`, and the SQLite store that keeps them
(listed, resumed, renamed, deleted).

Each turn is written in its own transaction, so a crash loses at most the turn being
written and never damages the turns before it (SQLite's journal sees to that).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from assistant.answers import Answer
from index.durable import ThreadConnections
from index.errors import AssistantError, IndexDamagedError
from index.search_filter import SearchFilter

if TYPE_CHECKING:
    from assistant.api import Assistant

_SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS turns (
    conversation TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL, question TEXT NOT NULL, resolved TEXT NOT NULL,
    answer TEXT NOT NULL, created TEXT NOT NULL, PRIMARY KEY (conversation, seq));
"""


class ConversationError(AssistantError):
    """A conversation that does not exist, or a store that cannot be opened."""


class ConversationInfo(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    title: str
    created: str
    updated: str
    turns: int


class Turn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str
    resolved: str
    answer: Answer


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class ConversationStore:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._connections = ThreadConnections(path, autocommit=True)
            self._db.execute("PRAGMA foreign_keys = ON")
            self._db.executescript(_SCHEMA)
        except (sqlite3.DatabaseError, IndexDamagedError) as exc:
            detail = exc.__cause__ if isinstance(exc, IndexDamagedError) else exc
            raise ConversationError(
                f"cannot open the conversation store {path}: {detail}; move the file aside "
                "and the assistant starts a new one") from exc


    @property
    def _db(self) -> sqlite3.Connection:
        return self._connections.get()

    def close(self) -> None:
        self._connections.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """A write transaction, taken at once (BEGIN IMMEDIATE) so that two writers,
        threads or processes, queue up instead of failing halfway."""
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def create(self, title: str = "") -> str:
        conv_id = uuid.uuid4().hex[:12]
        now = _now()
        with self._tx() as db:
            db.execute("INSERT INTO conversations VALUES (?, ?, ?, ?)",
                       (conv_id, title, now, now))
        return conv_id

    def add_turn(self, conv_id: str, question: str, resolved: str, answer: Answer) -> None:
        self._require(conv_id)
        with self._tx() as db:
            (seq,) = db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM turns "
                                "WHERE conversation = ?", (conv_id,)).fetchone()
            db.execute("INSERT INTO turns VALUES (?, ?, ?, ?, ?, ?)",
                       (conv_id, seq, question, resolved, answer.model_dump_json(), _now()))
            db.execute("UPDATE conversations SET updated = ?, title = CASE WHEN title = '' "
                       "THEN ? ELSE title END WHERE id = ?", (_now(), question[:60], conv_id))

    def turns(self, conv_id: str) -> list[Turn]:
        self._require(conv_id)
        rows = self._db.execute("SELECT question, resolved, answer FROM turns "
                                "WHERE conversation = ? ORDER BY seq", (conv_id,)).fetchall()
        return [Turn(question=q, resolved=r, answer=Answer.model_validate_json(a))
                for q, r, a in rows]

    def list(self) -> list[ConversationInfo]:
        rows = self._db.execute(
            "SELECT c.id, c.title, c.created, c.updated, COUNT(t.seq) FROM conversations c "
            "LEFT JOIN turns t ON t.conversation = c.id GROUP BY c.id ORDER BY c.updated DESC"
        ).fetchall()
        return [ConversationInfo(id=i, title=t, created=c, updated=u, turns=n)
                for i, t, c, u, n in rows]

    def rename(self, conv_id: str, title: str) -> None:
        self._require(conv_id)
        with self._tx() as db:
            db.execute("UPDATE conversations SET title = ? WHERE id = ?", (title, conv_id))

    def delete(self, conv_id: str) -> None:
        self._require(conv_id)
        with self._tx() as db:
            db.execute("DELETE FROM conversations WHERE id = ?", (conv_id,))

    def exists(self, conv_id: str) -> bool:
        return self._db.execute("SELECT 1 FROM conversations WHERE id = ?",
                                (conv_id,)).fetchone() is not None

    def _require(self, conv_id: str) -> None:
        if not self.exists(conv_id):
            raise ConversationError(
                f"no conversation {conv_id!r}: `committee-assistant conversations` lists them")


class Conversation:
    """A multi-turn conversation: each question is read against the earlier ones, and
    every turn is saved as soon as it is answered."""

    def __init__(self, assistant: Assistant, conversation_id: str) -> None:
        self.assistant = assistant
        self.id = conversation_id

    @property
    def turns(self) -> list[Turn]:
        return self.assistant.conversation_store.turns(self.id)

    def ask(self, question: str, filters: SearchFilter | dict[str, object] | None = None
            ) -> Answer:
        return final_answer(self._turn(question, filters, stream=False))

    def ask_stream(self, question: str,
                   filters: SearchFilter | dict[str, object] | None = None
                   ) -> Iterator[str | Answer]:
        """`Assistant.ask_stream` in this conversation; the turn is saved once its
        `Answer` (the last item) is complete."""
        return self._turn(question, filters, stream=True)

    def _turn(self, question: str, filters: SearchFilter | dict[str, object] | None, *,
              stream: bool) -> Iterator[str | Answer]:
        turns = self.turns
        for item in self.assistant._answer(question, filters, [t.resolved for t in turns],
                                           [t.answer.text for t in turns], "hybrid",
                                           stream=stream):
            if isinstance(item, str):
                yield item
                continue
            answer = item.model_copy(update={"conversation_id": self.id})
            # Saved as cleaned (`answer.question`): no escapes or lone surrogates on disk.
            self.assistant.conversation_store.add_turn(
                self.id, answer.question, answer.resolved_question or answer.question, answer)
            yield answer


def final_answer(items: Iterable[str | Answer]) -> Answer:
    """The `Answer` that ends what `ask_stream` yields (the text pieces before it dropped)."""
    *_, last = items
    if not isinstance(last, Answer):
        raise TypeError(f"an answer stream ended with {type(last).__name__}, not an Answer")
    return last

