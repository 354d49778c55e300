"""Files in, documents and records out: the ingestion pipeline.

One broken file never stops the others: each failure is collected with the file's name
and what to do about it, and the run goes on. Unchanged files (same bytes) cost nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from index.durable import atomic_write
from index.errors import AssistantError, IngestError
from index.loaders import discover, open_source
from index.metadata import (
    METADATA_FILE,
    MetadataOverride,
    load_overrides,
    load_sidecar,
    sidecar_path,
)
from index.models import BlockKind, Document, DocumentMeta
from index.record_store import RecordStore
from index.records import CommitteeDocument, extract_records
from index.store import DocumentStore

# Bump when parsing or record extraction changes what a stored document holds: documents read
# by an older parser are then read again on the next ingest, even if their bytes are unchanged.
PARSER_VERSION = 8
# The source files of the ingested documents, one path per line.
SOURCES_FILE = "sources.txt"
# A Security Council document's symbol, with the year it was issued: S/2018/1178.
_YEAR_SYMBOL = re.compile(r"S/(\d{4})/\d+(?:/Add\.\d+)?")
# Documents being removed, one id per line: written before anything is deleted and cleared
# once the search index no longer holds them, so an interrupted removal is finished by the
# next removal or build rather than left half done.
REMOVING_FILE = "removing.txt"


class IngestedDocument(BaseModel):
    model_config = ConfigDict(extra="forbid")

    meta: DocumentMeta
    paragraphs: int
    numbered_paragraphs: int
    tables: int
    table_rows: int
    footnotes: int
    records: int
    unchanged: bool = False


class IngestFailure(BaseModel):
    model_config = ConfigDict(extra="forbid")

    path: str
    problem: str


class IngestReport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    documents: list[IngestedDocument] = []
    failures: list[IngestFailure] = []

    @property
    def ok(self) -> bool:
        return not self.failures


Progress = Callable[[Path, int, int], None]


class Ingestor:
    """Owns the document and record stores of one index directory."""

    def __init__(self, index_dir: Path, metadata_file: Path | None = None) -> None:
        self.index_dir = index_dir
        self.documents = DocumentStore(index_dir / "documents.sqlite")
        self.records = RecordStore(index_dir / "records.sqlite")
        self.metadata_file = metadata_file

    def close(self) -> None:
        self.documents.close()
        self.records.close()

    def ingest(self, paths: Iterable[Path], *, force: bool = False,
               progress: Progress | None = None,
               metadata: MetadataOverride | None = None) -> IngestReport:
        """`metadata` (the user's options) fills or overrides what each file's text shows;
        it names one document, so it needs exactly one file."""
        files, errors = discover(paths)
        report = IngestReport(failures=[_failure(e) for e in errors])
        if metadata is not None and len(files) > 1:
            report.failures.append(IngestFailure(
                path=", ".join(str(f) for f in files[:3]) + (" ..." if len(files) > 3 else ""),
                problem="metadata options (--symbol, --type, --date ...) describe one document: "
                        "give one file, or a sidecar FILE.meta.toml beside each"))
            return report
        for i, path in enumerate(files, start=1):
            if progress:
                progress(path, i, len(files))
            try:
                report.documents.append(self.ingest_file(path, force=force,
                                                         metadata=metadata))
            except IngestError as exc:
                report.failures.append(_failure(exc))
            except AssistantError as exc:
                report.failures.append(IngestFailure(path=str(path), problem=str(exc)))
            except Exception as exc:  # a parser bug must not stop the other files
                report.failures.append(IngestFailure(
                    path=str(path),
                    problem=f"could not be parsed ({type(exc).__name__}: {exc}); "
                            "please report this file",
                ))
        if report.documents:
            self.symbols_from_records()
        return report

    def symbols_from_records(self) -> list[str]:
        """Give a document whose text prints no symbol the one another record lists for it:
        a `documents` record (a row of annex XXII of S/2022/899) dated as the document is,
        whose symbol is of that year, when exactly one row says so. The document is read
        again with that symbol, so its locators use it. The ids of those given one."""
        missing = [m for m in self.documents.documents() if not m.symbol and m.date]
        if not missing:
            return []
        rows = [r for r in self.records.query("documents") if isinstance(r, CommitteeDocument)]
        given: list[str] = []
        for meta in missing:
            listed = {r.symbol for r in rows if r.doc_id != meta.id and r.date == meta.date
                      and (m := _YEAR_SYMBOL.fullmatch(r.symbol)) and
                      meta.date and int(m.group(1)) == meta.date.year}
            path = next((p for p in self.sources() if p.name == meta.original_file), None)
            if len(listed) != 1 or path is None or not path.is_file():
                continue
            self.ingest_file(path, force=True, listed_symbol=listed.pop())
            given.append(meta.id)
        return given

    def ingest_file(self, path: Path, *, force: bool = False,
                    metadata: MetadataOverride | None = None,
                    listed_symbol: str | None = None) -> IngestedDocument:
        """`listed_symbol`: the symbol another record lists for this document (see
        `symbols_from_records`), used where neither its text nor the user gives one."""
        source = open_source(path)
        overrides = self._overrides(path)
        if metadata is not None:
            given = metadata.model_dump(exclude_none=True)
            overrides = (overrides or MetadataOverride()).model_copy(update=given)
            force = True  # options may differ from what was stored for the same bytes
        if listed_symbol is not None and not (overrides and overrides.symbol):
            overrides = (overrides or MetadataOverride()).model_copy(
                update={"symbol": listed_symbol})
        else:
            listed_symbol = None
        doc_id = overrides.id if overrides and overrides.id else path.stem
        stored = self.documents.meta(doc_id)
        if not force and stored and (stored.sha256, stored.parser_version) == (
                source.sha256, PARSER_VERSION):
            return summarize(self.documents.load(doc_id), self.records_for(doc_id),
                             unchanged=True)
        from index.parser import parse_lines  # only what reads a new file parses (0.05 s)

        document = parse_lines(
            source.lines(), original_file=path.name, source_format=source.format,
            sha256=source.sha256,
            overrides=overrides.model_dump(exclude_none=True) if overrides else None,
        )
        document.meta.parser_version = PARSER_VERSION
        if listed_symbol is not None and document.meta.provenance.get("symbol") == "given":
            document.meta.provenance["symbol"] = "record"
        if not any(b.text or b.rows for b in document.blocks):
            raise IngestError(path, "no text found after removing page furniture")
        records = extract_records(document)
        self.documents.replace_document(document)
        self.records.replace_document(document.id, records)
        self._remember_source(path)
        return summarize(document, len(records))

    # -- removing ----------------------------------------------------------------------
    def begin_removal(self, name: str) -> DocumentMeta:
        """Mark a document (id, symbol or file name) for removal and take it out of the
        document and record stores and the sources list. The caller then rebuilds the
        search index and calls `end_removals`."""
        meta = self.documents.resolve(name)
        pending = self.pending_removals()
        if meta.id not in pending:
            atomic_write(self.index_dir / REMOVING_FILE,
                         "".join(f"{doc_id}\n" for doc_id in [*pending, meta.id]))
        self._forget(meta.id, meta.original_file)
        return meta

    def pending_removals(self) -> list[str]:
        try:
            text = (self.index_dir / REMOVING_FILE).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return []
        return [line.strip() for line in text.splitlines() if line.strip()]

    def resume_removals(self) -> list[str]:
        """Finish the store side of removals a crash interrupted (idempotent)."""
        pending = self.pending_removals()
        for doc_id in pending:
            meta = self.documents.meta(doc_id)
            self._forget(doc_id, meta.original_file if meta else None)
        return pending

    def end_removals(self) -> None:
        (self.index_dir / REMOVING_FILE).unlink(missing_ok=True)

    def _forget(self, doc_id: str, original_file: str | None) -> None:
        # Records first: a document whose records are gone is still listed, and removed
        # again; never the other way round (records of a document no one can name).
        self.records.delete_document(doc_id)
        self.documents.remove_document(doc_id)
        if original_file:
            known = self.sources()
            kept = [p for p in known if p.name != original_file]
            if kept != known:
                atomic_write(self.index_dir / SOURCES_FILE, "".join(f"{p}\n" for p in kept))

    def sources(self) -> list[Path]:
        """Every file ingested into this index (what `index rebuild` reads again)."""
        listing = self.index_dir / SOURCES_FILE
        try:
            return [Path(line) for line in listing.read_text(encoding="utf-8").splitlines()
                    if line.strip()]
        except (OSError, UnicodeDecodeError):
            return []

    def _remember_source(self, path: Path) -> None:
        known = self.sources()
        resolved = path.resolve()
        if resolved not in known:
            atomic_write(self.index_dir / SOURCES_FILE,
                         "".join(f"{p}\n" for p in [*known, resolved]))

    def records_for(self, doc_id: str) -> int:
        return len(self.records.query(None, doc_id=doc_id))

    def _overrides(self, path: Path) -> MetadataOverride | None:
        """Metadata for a file: its sidecar (report.docx.meta.toml, fields at top level),
        else a documents.toml beside it or one folder up, then the configured metadata
        file."""
        sidecar = sidecar_path(path)
        if sidecar.exists():
            return load_sidecar(sidecar)
        candidates = [path.parent / METADATA_FILE, path.parent.parent / METADATA_FILE]
        if self.metadata_file:
            candidates.append(self.metadata_file)
        for candidate in candidates:
            entry = load_overrides(candidate).get(path.name)
            if entry is not None:
                return entry
        return None


def summarize(document: Document, records: int, *, unchanged: bool = False) -> IngestedDocument:
    paragraphs = document.paragraphs()
    tables = document.tables()
    return IngestedDocument(
        meta=document.meta,
        paragraphs=len(paragraphs),
        numbered_paragraphs=len({(b.part, b.number) for b in paragraphs if b.number}),
        tables=len(tables),
        table_rows=sum(len(t.rows) for t in tables),
        footnotes=sum(1 for b in document.blocks if b.kind is BlockKind.FOOTNOTE),
        records=records,
        unchanged=unchanged,
    )


def _failure(exc: IngestError) -> IngestFailure:
    return IngestFailure(path=str(exc.path), problem=exc.problem)
