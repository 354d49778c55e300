"""Building and opening the search index: passages, their vectors and their BM25 index.

Every build that changes anything writes a new *generation* (a Chroma collection plus a
folder with the passages, the BM25 index and a manifest) and only then flips the
``CURRENT`` pointer with an atomic rename. A build killed at any point therefore leaves
the previous generation untouched and in use; leftovers are swept by the next build.
Unchanged text is never embedded twice (the embedding cache), so a new generation costs
little more than the changed documents.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from pydantic import BaseModel, ConfigDict, Field

from index.durable import atomic_write
from index.embeddings import CachedEmbeddings, EmbeddingSettings, make_embeddings
from index.errors import AssistantError, IndexDamagedError, IndexStoreError
from index.lexical import LexicalIndex, LexicalSettings
from index.passages import Passage
from index.unit_vectors import UnitVectors, unit_texts
from index.vectors import (
    VectorSettings,
    VectorStore,
    collection_count,
    drop_collections,
    forget_client,
    make_client,
    vectors_failure,
)

SCHEMA_VERSION = 2  # 2: the units' vectors (index.unit_vectors)
COLLECTION_PREFIX = "passages-g"
INDEX_ID_FILE = "INDEX_ID"


class SearchSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    embeddings: EmbeddingSettings = Field(default_factory=EmbeddingSettings,
                                          description="Which embedding model and where.")
    vectors: VectorSettings = Field(default_factory=VectorSettings,
                                    description="Embedded Chroma or a Chroma server.")
    lexical: LexicalSettings = Field(default_factory=LexicalSettings,
                                     description="BM25 parameters.")
    chunk_tokens: int = Field(400, description="Token budget of one passage (cl100k).")
    rows_per_group: int = Field(12, description="Table rows per passage.")
    bm25_weight: float = Field(1.0, description="Weight of the BM25 ranking in the fusion.")
    dense_weight: float = Field(1.0, description="Weight of the dense ranking in the fusion.")
    rrf_k: int = Field(30, description="Reciprocal rank fusion constant.")
    scope_weight: float = Field(1.0, description="Weight of the ranking restricted to the "
                                                 "documents, annexes and paragraphs a question names.")
    candidates: int = Field(40, description="Results taken from each side before fusion.")


class Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    schema_version: int = SCHEMA_VERSION
    generation: int
    collection: str
    embedding_model: str
    tokenizer: str
    documents: dict[str, str] = Field(description="Document id → fingerprint (source hash, parser version).")
    passages: int
    built_at: str
    seconds: float


class BuildStats(BaseModel):
    documents: int
    changed: list[str]
    removed: list[str]
    passages: int
    embedded: int
    seconds: float
    unchanged: bool

    @property
    def embeddings_per_second(self) -> float:
        return self.embedded / self.seconds if self.seconds else 0.0


BuildProgress = Callable[[str, int, int], None]


class SearchIndex:
    """The index folder's search side: `<dir>/search/`."""

    def __init__(self, folder: Path, settings: SearchSettings | None = None,
                 cache_dir: Path | None = None) -> None:
        self.folder = folder
        self.settings = settings or SearchSettings()
        self.cache_dir = cache_dir or folder.parent / "cache"
        if self.settings.lexical.cache_dir is None:  # jieba's dictionary beside the vectors
            lexical = self.settings.lexical.model_copy(update={"cache_dir": self.cache_dir})
            self.settings = self.settings.model_copy(update={"lexical": lexical})
        self._embeddings: CachedEmbeddings | None = None
        self._client: Any = None

    # -- shared pieces -------------------------------------------------------------
    @property
    def embeddings(self) -> CachedEmbeddings:
        if self._embeddings is None:
            self._embeddings = make_embeddings(self.settings.embeddings, self.cache_dir)
        return self._embeddings

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = make_client(self.settings.vectors, self.folder / "chroma")
        return self._client

    def drop_client(self) -> None:
        """Forget the vector store client (found damaged): the next use opens a fresh one,
        on the folder `index rebuild` put in place."""
        self._client = None
        if self.settings.vectors.mode == "embedded":
            forget_client(self.folder / "chroma")

    def vectors_failure(self, exc: Exception) -> AssistantError:
        """An error of the vector store as a delegate is told it: the server is down
        (`BackendError`), or the embedded store is damaged (its client is dropped)."""
        failure = vectors_failure(exc, self.settings.vectors, self.folder / "chroma")
        if isinstance(failure, IndexDamagedError):
            self.drop_client()
        return failure

    def vector_store(self, collection: str) -> VectorStore:
        return VectorStore(self.client, collection, self.embeddings, self.vectors_failure)

    @property
    def collection_prefix(self) -> str:
        """`passages-g` in the folder's own Chroma; `passages-<index id>-g` on a server.

        A server may hold the collections of several index folders: the id (made once,
        kept in the folder) keeps one folder's build from sweeping another's collections.
        """
        if self.settings.vectors.mode != "server":
            return COLLECTION_PREFIX
        id_file = self.folder / INDEX_ID_FILE
        if not id_file.exists():
            self.folder.mkdir(parents=True, exist_ok=True)
            atomic_write(id_file, uuid.uuid4().hex[:12])
        return f"passages-{id_file.read_text().strip()}-g"

    def _vectors_readable(self, manifest: Manifest) -> bool:
        """`vectors_intact`, with the embedded store's own errors reported as damage (a
        server's are `BackendError`s: it may only be down)."""
        try:
            return self.vectors_intact(manifest)
        except AssistantError:
            raise
        except Exception as exc:  # chromadb raises its own, unexported error types
            raise self.vectors_failure(exc) from exc

    def vectors_intact(self, manifest: Manifest) -> bool:
        """Whether the vector store holds the manifest's collection, complete.

        False after a switch between embedded and server mode, a different or wiped server.
        """
        return collection_count(self.client, manifest.collection) == manifest.passages

    def current(self) -> str | None:
        """The name of the generation in use (`g7`), None before the first build: cheap
        enough to read before every question, so readers follow a rebuild."""
        try:
            return (self.folder / "CURRENT").read_text().strip() or None
        except FileNotFoundError:
            return None

    def manifest(self) -> Manifest | None:
        current = self.current()
        if current is None:
            return None
        generation = self.folder / current
        try:
            return Manifest.model_validate_json((generation / "manifest.json").read_text())
        except (OSError, ValueError) as exc:
            raise IndexDamagedError(generation / "manifest.json", str(exc)) from exc

    def generation_dir(self, manifest: Manifest) -> Path:
        return self.folder / f"g{manifest.generation}"

    def check_compatible(self, manifest: Manifest, vectors: bool = True) -> None:
        """`vectors=False`: a reader that searches without the vector store (the cached
        vectors of `index.exact_vectors`) does not open it."""
        if manifest.schema_version != SCHEMA_VERSION:
            raise IndexStoreError(
                f"the search index was built by schema {manifest.schema_version}, this "
                f"version needs {SCHEMA_VERSION}: run `committee-assistant index build`")
        if manifest.embedding_model != self.embeddings.model_id:
            raise IndexStoreError(
                f"the search index was built with {manifest.embedding_model} but the settings "
                f"name {self.embeddings.model_id}: run `committee-assistant index build`")
        if vectors and not self._vectors_readable(manifest):
            store = self.settings.vectors
            where = f"the Chroma server at {store.host}:{store.port}" \
                if store.mode == "server" else str(self.folder / "chroma")
            raise IndexStoreError(
                f"{where} does not hold the {manifest.passages} vectors of collection "
                f"{manifest.collection} (another server, a wiped store or a changed "
                "search.vectors.mode): run `committee-assistant index build`")

    def unchanged(self, documents: dict[str, str]) -> BuildStats | None:
        """What `build` would report for `documents` if the index holds them as they are,
        read from the manifest alone, without the vector store: for a reader that searches
        the cached vectors (`index.exact_vectors`), which `build` puts in place whatever
        the store holds. None: only `build` can tell."""
        started = time.perf_counter()
        manifest = self.manifest()
        if manifest is None or self.settings.vectors.mode != "embedded" or \
                manifest.passages > self.settings.vectors.exact_max or \
                manifest.documents != documents or \
                manifest.schema_version != SCHEMA_VERSION or \
                manifest.embedding_model != self.embeddings.model_id or \
                manifest.tokenizer != LexicalIndex(self.settings.lexical).tokenizer_id:
            return None
        return BuildStats(documents=len(documents), changed=[], removed=[],
                          passages=manifest.passages, embedded=0,
                          seconds=time.perf_counter() - started, unchanged=True)

    # -- building ------------------------------------------------------------------
    def build(self, documents: dict[str, str], passages_for: Callable[[str], list[Passage]],
              extra: Callable[[], list[Passage]] | None = None,
              progress: BuildProgress | None = None) -> BuildStats:
        """Bring the index in line with `documents` (id → fingerprint).

        `passages_for(doc_id)` yields a document's passages; `extra()` the record passages.
        """
        started = time.perf_counter()
        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            lock = FileLock(str(self.folder / ".build.lock"), timeout=600)
            lock.acquire()
        except Timeout as exc:
            raise IndexStoreError(f"another build holds {self.folder}/.build.lock") from exc
        try:
            return self._build_locked(documents, passages_for, extra, progress, started)
        finally:
            lock.release()

    def _build_locked(self, documents: dict[str, str],
                      passages_for: Callable[[str], list[Passage]],
                      extra: Callable[[], list[Passage]] | None,
                      progress: BuildProgress | None, started: float) -> BuildStats:
        previous = self.manifest()
        reusable = previous is not None and previous.schema_version == SCHEMA_VERSION and \
            previous.embedding_model == self.embeddings.model_id and \
            previous.tokenizer == LexicalIndex(self.settings.lexical).tokenizer_id and \
            self._vectors_readable(previous)
        old_docs = previous.documents if previous and reusable else {}
        changed = sorted(d for d, sha in documents.items() if old_docs.get(d) != sha)
        removed = sorted(set(old_docs) - set(documents))
        if previous is not None and reusable and not changed and not removed:
            return BuildStats(documents=len(documents), changed=[], removed=[],
                              passages=previous.passages, embedded=0,
                              seconds=time.perf_counter() - started, unchanged=True)
        self._sweep(keep=[previous] if previous else [])
        generation = (previous.generation + 1) if previous else 1
        passages: list[Passage] = []
        for i, doc_id in enumerate(sorted(documents), start=1):
            if progress:
                progress("chunking", i, len(documents))
            passages.extend(passages_for(doc_id))
        if extra:
            passages.extend(extra())
        passages = _dedupe_ids(passages)
        misses_before = self.embeddings.stats.misses
        gen_dir = self.folder / f"g{generation}"
        gen_dir.mkdir(parents=True)
        vectors = self.vector_store(f"{self.collection_prefix}{generation}")
        batch = 64
        for start in range(0, len(passages), batch):
            chunk = passages[start:start + batch]
            vectors.add([p.id for p in chunk], [p.search_text for p in chunk],
                        [_metadata(p) for p in chunk])
            if progress:
                progress("embedding", min(start + batch, len(passages)), len(passages))
        texts = unit_texts(passages)
        UnitVectors.embed(texts, self.embeddings, progress=(
            lambda done, total: progress("sentences", done, total))
            if progress else None).save(gen_dir)
        lexical = LexicalIndex(self.settings.lexical)
        lexical.build([p.id for p in passages], [p.search_text for p in passages])
        lexical.save(gen_dir / "bm25")
        with open(gen_dir / "passages.jsonl", "w", encoding="utf-8") as out:
            for passage in passages:
                out.write(passage.model_dump_json() + "\n")
        seconds = time.perf_counter() - started
        manifest = Manifest(
            generation=generation, collection=vectors.name,
            embedding_model=self.embeddings.model_id, tokenizer=lexical.tokenizer_id,
            documents=documents, passages=len(passages),
            built_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), seconds=seconds,
        )
        atomic_write(gen_dir / "manifest.json", manifest.model_dump_json(indent=2))
        atomic_write(self.folder / "CURRENT", gen_dir.name)
        # The previous generation stays until the next build: readers that opened it
        # (other processes, a question in flight) finish on it and move on at their next
        # question (`current()` changed).
        self._sweep(keep=[manifest, previous] if previous else [manifest])
        return BuildStats(documents=len(documents), changed=changed, removed=removed,
                          passages=len(passages),
                          embedded=self.embeddings.stats.misses - misses_before,
                          seconds=seconds, unchanged=False)

    def _sweep(self, keep: list[Manifest]) -> None:
        """Delete generations other than `keep` (older ones, or a killed build's)."""
        keep_dirs = {f"g{m.generation}" for m in keep}
        for child in self.folder.glob("g*"):
            if child.is_dir() and child.name not in keep_dirs:
                shutil.rmtree(child, ignore_errors=True)
        drop_collections(self.client, {m.collection for m in keep}, self.collection_prefix)

    def clear(self) -> None:
        """Remove the folder and, on a server, this folder's collections there."""
        if self.settings.vectors.mode == "server" and (self.folder / INDEX_ID_FILE).exists():
            drop_collections(self.client, set(), self.collection_prefix)
        self._client = None
        shutil.rmtree(self.folder, ignore_errors=True)

    def size_bytes(self) -> int:
        return sum(f.stat().st_size for f in self.folder.rglob("*") if f.is_file())


def _metadata(p: Passage) -> dict[str, Any]:
    """Chroma metadata: scalars only; filters use these keys."""
    meta: dict[str, Any] = {
        "doc_id": p.doc_id, "doc_type": p.doc_type, "part": p.part, "kind": p.kind,
        "locator": p.locator, "language": p.language,
    }
    if p.symbol:
        meta["symbol"] = p.symbol
    if p.year is not None:
        meta["year"] = p.year
    if p.numbers:
        meta["number"] = p.numbers[0]
    return meta


def _dedupe_ids(passages: Sequence[Passage]) -> list[Passage]:
    seen: set[str] = set()
    out: list[Passage] = []
    for passage in passages:
        pid, k = passage.id, 2
        while pid in seen:
            pid, k = f"{passage.id}~{k}", k + 1
        seen.add(pid)
        out.append(passage if pid == passage.id else passage.model_copy(update={"id": pid}))
    return out


def load_passages(folder: Path) -> list[Passage]:
    with open(folder / "passages.jsonl", encoding="utf-8") as lines:
        return [Passage.model_validate(json.loads(line)) for line in lines if line.strip()]
