"""The full index over the shipped records, built once per test session and shared.

The build runs with every outgoing connection refused, so any test using it also proves
that building and searching never touch the network.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from assistant.api import Assistant
from assistant.settings import IndexSettings, Settings

ATTEMPTS: list[object] = []


@contextmanager
def network_blocked() -> Iterator[list[object]]:
    """Refuse (and record) every socket connection that is not a local Unix socket."""
    real_connect = socket.socket.connect

    def refuse(self: socket.socket, address: object) -> None:
        if self.family == socket.AF_UNIX:
            return real_connect(self, address)  # type: ignore[arg-type]
        ATTEMPTS.append(address)
        raise OSError(f"network access attempted: {address!r}")

    socket.socket.connect = refuse  # type: ignore[method-assign]
    try:
        yield ATTEMPTS
    finally:
        socket.socket.connect = real_connect  # type: ignore[method-assign]


def settings_for(index_dir: Path, embedding_cache: Path | None = None) -> Settings:
    return Settings(index=IndexSettings(dir=index_dir, embedding_cache=embedding_cache))


def build_shared_index(index_dir: Path, embedding_cache: Path | None = None,
                       documents: Sequence[Path] = ()) -> Assistant:
    """The shipped records, and `documents` beside them, ingested and indexed."""
    assistant = Assistant(settings_for(index_dir, embedding_cache))
    with network_blocked():
        report, stats = assistant.build_index()
        if documents:
            added, stats = assistant.build_index(documents)
            assert added is not None and added.ok, added
        assistant.search("warm-up 联络人")
    assert report is not None and report.ok, report
    assert not stats.unchanged
    return assistant


def shared_with(shared: Assistant, index_dir: Path, documents: Sequence[Path]) -> Assistant:
    """A copy of the shared index with `documents` added to it (embeddings from the shared
    cache, so only the added documents are embedded)."""
    import shutil

    shutil.copytree(shared.settings.index.dir, index_dir)
    assistant = Assistant(settings_for(index_dir, shared.settings.index.embedding_cache))
    report, _ = assistant.build_index(list(documents))
    assert report is not None and report.ok, report
    return assistant
