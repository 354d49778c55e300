"""The dense side: passages in Chroma, through langchain-chroma.

Default is an embedded `PersistentClient` in the index folder (no server to run). For
shared, multi-user or large deployments, point `mode = "server"` at a `chroma run` server:
the embedded client is not safe for several writer processes (builds take a file lock, but
only a server makes concurrent writers safe). Several index folders may share one server:
each names its collections with its own id (see `SearchIndex.collection_prefix`).
Telemetry is off in both modes; the client talks to nothing but the server it is given.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings
from pydantic import BaseModel, ConfigDict, Field

from index.errors import BackendError

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import chromadb
from chromadb.config import Settings as ChromaSettings


class VectorSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mode: Literal["embedded", "server"] = Field(
        "embedded", description="embedded: a Chroma folder inside the index; server: `chroma run`.")
    host: str = Field("127.0.0.1", description="Chroma server host (server mode).")
    port: int = Field(8000, description="Chroma server port (server mode).")


def make_client(settings: VectorSettings, folder: Path) -> Any:
    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.mode == "server":
        try:
            return chromadb.HttpClient(host=settings.host, port=settings.port,
                                       settings=chroma_settings)
        except Exception as exc:  # chromadb raises plain exceptions on connect
            raise BackendError(
                f"cannot reach the Chroma server at {settings.host}:{settings.port} ({exc}); "
                "start it with `chroma run --path DIR --port PORT` or use mode = \"embedded\""
            ) from exc
    folder.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(folder), settings=chroma_settings)


class VectorStore:
    """One Chroma collection of passages (a build generation)."""

    def __init__(self, client: Any, collection: str, embeddings: Embeddings) -> None:
        self.client = client
        self.name = collection
        self.chroma = Chroma(
            client=client, collection_name=collection, embedding_function=embeddings,
            collection_metadata={"hnsw:space": "cosine"},
        )

    def add(self, ids: list[str], texts: list[str], metadatas: list[dict[str, Any]],
            batch: int = 512) -> None:
        for start in range(0, len(ids), batch):
            end = start + batch
            self.chroma.add_texts(texts[start:end], metadatas=metadatas[start:end],
                                  ids=ids[start:end])

    def search(self, vector: list[float], k: int,
               where: dict[str, Any] | None = None) -> list[tuple[str, float]]:
        """Ids with cosine similarity, best first."""
        found = self.chroma.similarity_search_by_vector_with_relevance_scores(
            vector, k=k, filter=where or None)
        return [(str(doc.id), 1.0 - float(distance)) for doc, distance in found]

    def count(self) -> int:
        return int(self.chroma._collection.count())

    def drop(self) -> None:
        self.client.delete_collection(self.name)


def collection_names(client: Any) -> list[str]:
    return [c if isinstance(c, str) else c.name for c in client.list_collections()]


def collection_count(client: Any, name: str) -> int | None:
    """Vectors in collection `name`, or None when the store has no such collection."""
    if name not in collection_names(client):
        return None
    return int(client.get_collection(name).count())


def drop_collections(client: Any, keep: set[str], prefix: str) -> None:
    """Remove collections of earlier or abandoned builds."""
    for name in collection_names(client):
        if name.startswith(prefix) and name not in keep:
            client.delete_collection(name)
