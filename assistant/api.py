"""The assistant's public API: what the CLI, the TUI and a Python user all call."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from index.errors import IndexStoreError
from index.ingest import Ingestor, IngestReport, Progress
from index.models import Block, Document, DocumentMeta
from index.records import Record

from assistant.settings import Settings


class CommitteeAssistant:
    """One index directory and everything that can be asked of it."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self._ingestor = Ingestor(self.settings.index.dir, self.settings.index.metadata_file)

    def close(self) -> None:
        self._ingestor.close()

    def __enter__(self) -> CommitteeAssistant:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- building ------------------------------------------------------------------
    def ingest(self, paths: Iterable[Path], *, force: bool = False,
               progress: Progress | None = None) -> IngestReport:
        return self._ingestor.ingest(paths, force=force, progress=progress)

    def ensure_corpus(self, progress: Progress | None = None) -> IngestReport | None:
        """Ingest the shipped records when the index holds no document yet."""
        if self.documents():
            return None
        return self.ingest([self.settings.index.corpus], progress=progress)

    # -- reading -------------------------------------------------------------------
    def documents(self) -> list[DocumentMeta]:
        return self._ingestor.documents.documents()

    def document(self, name: str) -> Document:
        """A document by symbol (S/2022/899), id or original file name."""
        return self._ingestor.documents.load(name)

    def paragraph(self, name: str, number: int, part: str | None = None) -> list[Block]:
        """A numbered paragraph with its sub-paragraphs (body text before covering letter)."""
        document = self.document(name)
        found = document.numbered(number)
        if part is not None:
            found = [b for b in found if b.part == part]
        elif found:
            first_part = found[0].part
            found = [b for b in found if b.part == first_part]
        if not found:
            numbers = sorted({b.number for b in document.paragraphs() if b.number})
            span = f"1–{numbers[-1]}" if numbers else "none: its paragraphs are unnumbered"
            raise IndexStoreError(
                f"{document.meta.label} has no paragraph {number} (numbered paragraphs: {span})"
            )
        return found

    def records(self, record_type: str, *, state: str | None = None,
                date_from: dt.date | None = None, date_to: dt.date | None = None,
                text: str | None = None) -> list[Record]:
        return self._ingestor.records.query(record_type, state=state, date_from=date_from,
                                            date_to=date_to, text=text)

    def record_types(self) -> list[str]:
        return list(self._ingestor.records.record_types())
