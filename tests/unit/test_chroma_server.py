"""Server mode: the shipped records in a real `chroma run`, found as in embedded mode.

A shared or multi-user deployment points `search.vectors.mode = "server"` at one Chroma
server. These tests start that server on a free loopback port and check that retrieval,
builds (generations, sweeping, the build lock) and clearing behave as in embedded mode,
that index folders sharing the server leave each other's collections alone, and that
nothing but the server is contacted (Chroma's telemetry stays off).
"""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock, Timeout

from assistant.api import Assistant
from assistant.settings import IndexSettings, Settings
from evals.chroma_server import HOST, ChromaServer, ChromaServerError, running_chroma
from index.errors import BackendError, IndexStoreError
from index.search_index import SearchSettings
from index.text import fold
from index.vectors import VectorSettings, make_client


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaServer]:
    """`chroma run` from this virtualenv, with its data in a temporary folder."""
    try:
        with running_chroma(tmp_path_factory.mktemp("chroma-server")) as server:
            yield server
    except ChromaServerError as exc:
        pytest.fail(str(exc), pytrace=False)


@contextmanager
def only_the_server(port: int) -> Iterator[list[object]]:
    """Refuse (and record) every connection, and every name lookup, that is not for the
    Chroma server. Lookups count too: offline, a telemetry client fails at DNS and would
    never reach `connect`."""
    real_connect, real_getaddrinfo = socket.socket.connect, socket.getaddrinfo
    refused: list[object] = []

    def guarded(self: socket.socket, address: object) -> None:
        if self.family == socket.AF_UNIX or (
                isinstance(address, tuple) and address[:2] in ((HOST, port), ("::1", port))):
            return real_connect(self, address)  # type: ignore[arg-type]
        refused.append(address)
        raise OSError(f"network access attempted: {address!r}")

    def lookup(host: object, *args: object, **kwargs: object) -> object:
        if host not in (HOST, "localhost", "::1", None):
            refused.append(host)
            raise socket.gaierror(f"name lookup attempted: {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]

    socket.socket.connect = guarded  # type: ignore[method-assign]
    socket.getaddrinfo = lookup  # type: ignore[assignment]
    try:
        yield refused
    finally:
        socket.socket.connect = real_connect  # type: ignore[method-assign]
        socket.getaddrinfo = real_getaddrinfo


def server_settings(index_dir: Path, server: ChromaServer, cache: Path) -> Settings:
    return Settings(index=IndexSettings(dir=index_dir, embedding_cache=cache),
                    search=SearchSettings(vectors=server.vectors()))


@dataclass
class ServerIndex:
    assistant: Assistant
    refused: list[object]


@pytest.fixture(scope="module")
def server_index(tmp_path_factory: pytest.TempPathFactory, chroma_server: ChromaServer,
                 shared_index: Assistant) -> Iterator[ServerIndex]:
    """The shipped records indexed into the server; the shared index's embedding cache means
    nothing is embedded again."""
    index_dir = tmp_path_factory.mktemp("server-mode") / "index"
    cache = shared_index.settings.index.embedding_cache_dir
    assistant = Assistant(server_settings(index_dir, chroma_server, cache))
    with only_the_server(chroma_server.port) as refused:
        _, stats = assistant.build_index()
        assistant.search("warm-up 联络人")
    assert stats.passages > 0 and stats.embedded == 0
    yield ServerIndex(assistant, refused)
    assistant.close()


def test_server_mode_contacts_nothing_but_the_server(server_index: ServerIndex) -> None:
    assert server_index.refused == []


def test_symbol_resolution_and_country_queries_put_their_passage_first(
        server_index: ServerIndex) -> None:
    assistant = server_index.assistant
    assert "S/2020/347" in assistant.search("S/2020/347")[0].text
    first = assistant.search("第2325(2016)号决议第5段")[0]
    assert fold("第2325(2016)号决议执行部分第5段") in fold(first.text)
    assert "博茨瓦纳" in assistant.search("博茨瓦纳", k=5)[0].text


def test_chinese_question_finds_its_paragraph_with_both_scores(
        server_index: ServerIndex) -> None:
    found = server_index.assistant.search("委员会 2019 年收到的新援助请求有多少份", k=5)
    assert found[0].locator == "S/2020/347 附件 第6段"
    assert "12份新的援助请求" in found[0].text
    assert found[0].dense_score is not None and found[0].bm25_score is not None


def test_server_holds_the_vectors_and_metadata_embedded_mode_holds(
        server_index: ServerIndex, chroma_server: ChromaServer,
        shared_index: Assistant) -> None:
    def stored(client: Any, assistant: Assistant) -> dict[str, tuple[list[float], Any]]:
        manifest = assistant.index_manifest()
        assert manifest is not None
        got = client.get_collection(manifest.collection).get(
            include=["embeddings", "metadatas"])
        return {pid: (list(vector), meta) for pid, vector, meta
                in zip(got["ids"], got["embeddings"], got["metadatas"], strict=True)}

    embedded_folder = shared_index.settings.index.dir / "search" / "chroma"
    on_server = stored(make_client(chroma_server.vectors(), Path()), server_index.assistant)
    embedded = stored(make_client(VectorSettings(), embedded_folder), shared_index)
    manifest = shared_index.index_manifest()
    assert manifest is not None
    # Every passage of the shipped records, on the server as in the embedded store.
    assert on_server.keys() == embedded.keys() and len(on_server) == manifest.passages
    for pid, (vector, meta) in embedded.items():
        assert on_server[pid][1] == meta
        assert on_server[pid][0] == pytest.approx(vector, abs=1e-6)


@pytest.mark.parametrize("query", [
    "委员会 2019 年收到的新援助请求有多少份",
    "On what date did Botswana hand in its national implementation action plan?",
    "联络人",
])
def test_server_and_embedded_mode_rank_alike(server_index: ServerIndex,
                                             shared_index: Assistant,
                                             query: str) -> None:
    # HNSW search is approximate: two builds of the same vectors, embedded or served, may
    # each miss a different passage near the cut (measured: 2 of 150 gold questions between
    # two embedded builds). So the same passages score the same, and nearly all are found.
    server = server_index.assistant.search(query, k=10, mode="dense")
    embedded = {p.id: p.dense_score for p in shared_index.search(query, k=10, mode="dense")}
    common = [p for p in server if p.id in embedded]
    assert len(common) >= 8
    for passage in common:
        assert passage.dense_score == pytest.approx(embedded[passage.id], abs=1e-5)
    assert server_index.assistant.search(query, k=1)[0].id == \
        shared_index.search(query, k=1)[0].id


def test_generations_replace_each_other_on_the_server_and_spare_other_indexes(
        tmp_path: Path, chroma_server: ChromaServer, server_index: ServerIndex,
        shared_index: Assistant) -> None:
    other = server_index.assistant.index_manifest()
    assert other is not None
    corpus = tmp_path / "records"
    shutil.copytree(shared_index.settings.index.corpus, corpus)
    cache = shared_index.settings.index.embedding_cache_dir
    with Assistant(server_settings(tmp_path / "index", chroma_server, cache)) as mine:
        mine.build_index([corpus])
        first = mine.index_manifest()
        assert first is not None and first.collection != other.collection
        statement = next(corpus.glob("003_*.txt"))
        statement.write_text(statement.read_text(encoding="utf-8").replace(
            "谢谢主席先生。", "中方坚定支持多边主义与全面审查。谢谢主席先生。"), encoding="utf-8")
        _, stats = mine.build_index([corpus])
        second = mine.index_manifest()
        assert second is not None and second.generation == first.generation + 1
        assert stats.changed == [statement.name.removesuffix(".txt")]
        assert stats.embedded <= 3  # at most the changed paragraph's (the cache may hold it)
        on_server = chroma_server.collections()
        # the previous generation stays for readers that still have it open, until the next
        assert second.collection in on_server and first.collection in on_server
        assert other.collection in on_server  # another index folder's collection survives
        assert any("坚定支持多边主义" in p.text for p in mine.search("坚定支持多边主义", k=3))
        statement.write_text(statement.read_text(encoding="utf-8").replace(
            "坚定支持多边主义", "坚定支持多边主义和国际合作"), encoding="utf-8")
        mine.build_index([corpus])
        third = mine.index_manifest()
        assert third is not None and third.generation == second.generation + 1
        on_server = chroma_server.collections()
        assert first.collection not in on_server
        assert {second.collection, third.collection, other.collection} <= set(on_server)
        mine.clear_index()
        assert not {second.collection, third.collection} & set(chroma_server.collections())
    assert other.collection in chroma_server.collections()
    assert server_index.assistant.search("S/2020/347")[0].text


def test_builds_in_server_mode_hold_the_folder_lock(
        tmp_path: Path, chroma_server: ChromaServer, shared_index: Assistant) -> None:
    lock_file = tmp_path / "index" / "search" / ".build.lock"
    held: list[bool] = []

    def probe(stage: str, done: int, total: int) -> None:
        if not held:
            other_writer = FileLock(str(lock_file))
            try:
                other_writer.acquire(timeout=0)
            except Timeout:
                held.append(True)
            else:
                other_writer.release()
                held.append(False)

    cache = shared_index.settings.index.embedding_cache_dir
    with Assistant(server_settings(tmp_path / "index", chroma_server, cache)) as mine:
        mine.build_index(build_progress=probe)
        assert held == [True]
        mine.clear_index()


def test_an_index_whose_server_lost_its_vectors_asks_for_a_build(
        tmp_path: Path, chroma_server: ChromaServer, shared_index: Assistant) -> None:
    cache = shared_index.settings.index.embedding_cache_dir
    with Assistant(server_settings(tmp_path / "index", chroma_server, cache)) as mine:
        mine.build_index()
        manifest = mine.index_manifest()
        assert manifest is not None
        make_client(chroma_server.vectors(), Path()).delete_collection(manifest.collection)
    with Assistant(server_settings(tmp_path / "index", chroma_server, cache)) as mine:
        with pytest.raises(IndexStoreError, match="run `committee-assistant index build`"):
            mine.search("联络人")
        _, stats = mine.build_index()
        assert not stats.unchanged and stats.embedded == 0
        assert "S/2020/347" in mine.search("S/2020/347")[0].text
        mine.clear_index()


def test_a_server_that_stops_gives_a_clear_error_and_questions_work_again_once_it_is_back(
        server_index: ServerIndex, chroma_server: ChromaServer) -> None:
    assistant = server_index.assistant
    question = "委员会 2019 年收到的新援助请求有多少份？"
    expected = assistant.ask(question).text
    conversation = assistant.conversation()
    conversation.ask(question)
    chroma_server.stop()
    try:
        with pytest.raises(BackendError, match=rf"Chroma server at {HOST}:{chroma_server.port} "
                                               r"did not answer .*start it again"):
            assistant.ask(question)
        with pytest.raises(BackendError):
            conversation.ask("那 2018 年呢？")
    finally:
        chroma_server.start()
    assert assistant.ask(question).text == expected  # the same objects, no restart needed
    assert [t.question for t in conversation.turns] == [question]  # nothing half-saved
    assert conversation.ask("那 2018 年呢？").supported
