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
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from index.errors import AssistantError, BackendError, IndexDamagedError

if TYPE_CHECKING:
    from index.embeddings import EmbeddingModel

# chromadb reads this when it is first imported (in `make_client`, `VectorStore`: chromadb
# takes about half a second to import, so only the code that searches or builds pays it).
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


# The HNSW graph of a collection under Chroma's sync threshold (1,000 vectors) is rebuilt
# from its log whenever a process opens it; built on several threads, it came out a little
# different each time, and so did the 25th–40th neighbours a search returned. One thread
# builds the same graph every time, and a beam of 800 keeps the search close to exhaustive:
# on the shipped records (800 vectors) the 40 nearest differ from an exhaustive search's
# for 1 question of 296, at about 0.1 ms more a search.
HNSW = {"space": "cosine", "ef_search": 800, "num_threads": 1}


class VectorSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mode: Literal["embedded", "server"] = Field(
        "embedded", description="embedded: a Chroma folder inside the index; server: `chroma run`.")
    host: str = Field("127.0.0.1", description="Chroma server host (server mode).")
    port: int = Field(8000, description="Chroma server port (server mode).")
    exact_max: int = Field(
        20_000, ge=0, description="Passages up to which an embedded index is searched from "
        "the embedding cache, exactly and without opening Chroma (20,000 vectors: 30 MB, a "
        "few ms a search); a larger one, or a server, is searched by Chroma. 0: always Chroma.")


def make_client(settings: VectorSettings, folder: Path) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

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
    # chromadb keeps one client per path for the life of the process: if `index rebuild`
    # has put a new folder at this path since, that client reads the old one.
    identity = folder.stat().st_ino
    if _opened.setdefault(str(folder), identity) != identity:
        forget_client(folder)
        _opened[str(folder)] = identity
    return chromadb.PersistentClient(path=str(folder), settings=chroma_settings)


# Embedded store folders this process has opened, with the inode each had then.
_opened: dict[str, int] = {}


def forget_client(folder: Path) -> None:
    """Drop chromadb's cached client for an embedded store found damaged.

    chromadb keeps one client per folder for the life of the process and would hand the
    broken one back after `index rebuild` has replaced the folder. It offers no public way
    to drop one path's client (`clear_system_cache` drops every folder's), hence the
    private map.
    """
    from chromadb.api.shared_system_client import SharedSystemClient

    SharedSystemClient._identifier_to_system.pop(str(folder), None)


class VectorStore:
    """One Chroma collection of passages (a build generation)."""

    def __init__(self, client: Any, collection: str, embeddings: EmbeddingModel,
                 failure: Callable[[Exception], AssistantError]) -> None:
        """`failure` turns an error of the store (chromadb's or httpx's own kinds) into
        what a delegate is told (`SearchIndex.vectors_failure`)."""
        from langchain_chroma import Chroma

        self.client = client
        self.name = collection
        self._failure = failure
        try:
            self.chroma = Chroma(
                client=client, collection_name=collection,
                embedding_function=embeddings,  # type: ignore[arg-type]  # duck-typed
                collection_configuration={"hnsw": HNSW},
            )
        except Exception as exc:  # chromadb and httpx raise their own kinds
            raise failure(exc) from exc

    def add(self, ids: list[str], texts: list[str], metadatas: list[dict[str, Any]],
            batch: int = 512) -> None:
        for start in range(0, len(ids), batch):
            end = start + batch
            self.chroma.add_texts(texts[start:end], metadatas=metadatas[start:end],
                                  ids=ids[start:end])

    def search(self, vector: list[float], k: int,
               where: dict[str, Any] | None = None) -> list[tuple[str, float]]:
        """Ids with cosine similarity, best first.

        Asks the collection for ids and distances only: langchain-chroma's search also
        fetches every hit's text and metadata, which costs about 2 ms a query here, and the
        retriever has the passages already.
        """
        try:
            found = self.collection.query(query_embeddings=[vector], n_results=k,
                                          where=where or None, include=["distances"])
        except Exception as exc:  # chromadb and httpx raise their own kinds
            raise self._failure(exc) from exc
        ids, distances = found["ids"][0], (found["distances"] or [[]])[0]
        return [(str(pid), 1.0 - float(distance))
                for pid, distance in zip(ids, distances, strict=True)]

    @property
    def collection(self) -> Any:
        """The chromadb collection under the LangChain store."""
        return self.chroma._collection

    def count(self) -> int:
        return int(self.collection.count())

    def drop(self) -> None:
        self.client.delete_collection(self.name)


def vectors_failure(exc: Exception, settings: VectorSettings, folder: Path) -> AssistantError:
    """What to tell a delegate when the vector store fails: a server that went away (start
    it again; answers resume by themselves) or a damaged embedded store in `folder`."""
    detail = f"{type(exc).__name__}: {exc}"
    if settings.mode == "server":
        return BackendError(
            f"the Chroma server at {settings.host}:{settings.port} did not answer ({detail}); "
            "start it again (`chroma run --path DIR --port PORT`): questions work again as "
            "soon as it is back")
    return IndexDamagedError(folder, detail)


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
