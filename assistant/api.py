"""The assistant's public API: what the CLI, the TUI and a Python user all call."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from assistant.settings import Settings
from index.errors import IndexStoreError
from index.glossary import Glossary
from index.ingest import Ingestor, IngestReport, Progress
from index.models import Block, Document, DocumentMeta
from index.passages import Chunker, Passage
from index.record_passages import record_passages
from index.records import Record
from index.retriever import HybridRetriever, SearchFilter
from index.search_index import BuildProgress, BuildStats, Manifest, SearchIndex


class CommitteeAssistant:
    """One index directory and everything that can be asked of it."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self._ingestor = Ingestor(self.settings.index.dir, self.settings.index.metadata_file)
        self._search_index = SearchIndex(self.settings.index.dir / "search", self.settings.search,
                                         cache_dir=self.settings.index.dir / "cache")
        self._retriever: HybridRetriever | None = None
        self._glossary: Glossary | None = None

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

    def build_index(self, paths: Iterable[Path] = (), *, progress: Progress | None = None,
                    build_progress: BuildProgress | None = None
                    ) -> tuple[IngestReport | None, BuildStats]:
        """Ingest `paths` (or the shipped records, if nothing is ingested yet), then bring
        the search index in line with the documents."""
        paths = list(paths)
        report = self.ingest(paths, progress=progress) if paths else \
            self.ensure_corpus(progress=progress)
        store = self._ingestor.documents
        metas = {m.id: m for m in store.documents()}
        documents = {doc_id: meta.sha256 for doc_id, meta in metas.items()}
        chunker = Chunker(self.settings.search.chunk_tokens, self.settings.search.rows_per_group)

        def records() -> list[Passage]:
            return record_passages(self._ingestor.records.query(None), metas)

        stats = self._search_index.build(
            documents, lambda doc_id: chunker.passages(store.load(doc_id)), records,
            progress=build_progress)
        self._retriever = None
        return report, stats

    def index_manifest(self) -> Manifest | None:
        return self._search_index.manifest()

    def index_size(self) -> int:
        return self._search_index.size_bytes()

    def clear_index(self) -> None:
        """Remove the search index and the ingested documents and records."""
        self.close()
        self._search_index.clear()
        for name in ("documents.sqlite", "records.sqlite"):
            for path in self.settings.index.dir.glob(name + "*"):
                path.unlink()
        self._ingestor = Ingestor(self.settings.index.dir, self.settings.index.metadata_file)
        self._retriever = None

    @property
    def glossary(self) -> Glossary:
        if self._glossary is None:
            self._glossary = Glossary.load(self.settings.index.glossary)
        return self._glossary

    def retriever(self) -> HybridRetriever:
        if self._retriever is None:
            self._retriever = HybridRetriever.open(self._search_index, self.glossary)
        return self._retriever

    def search(self, query: str, *, k: int = 10, filter: SearchFilter | None = None,
               mode: str = "hybrid") -> list[Passage]:
        """Ranked passages for a question, with locators and the score from each side."""
        return self.retriever().search(query, k=k, filter=filter, mode=mode)

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

    def record_counts(self) -> dict[str, int]:
        return dict(self._ingestor.records.counts())

    def record_types(self) -> list[str]:
        return list(self._ingestor.records.record_types())
