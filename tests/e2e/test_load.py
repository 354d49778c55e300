"""Several users at once while the index is rebuilt (evals/load.py does the work): threads
sharing one Assistant, processes with their own, a rebuild loop making new generations,
and, in server mode, the Chroma server stopped and started again in the middle."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.settings import IndexSettings, Settings
from evals.chroma_server import ChromaServer, running_chroma
from evals.load import run_load
from index.search_index import SearchSettings

SECONDS = 20  # `python -m evals reliability` holds the load for 60


@pytest.fixture
def home(copied_home: Path) -> Path:
    """The shared index copied; the worker processes inherit this home (conversations)."""
    return copied_home


def test_eight_threads_and_four_processes_during_rebuilds_see_no_error_and_lose_nothing(
        home: Path, shared_index: Assistant) -> None:
    settings = Settings(index=IndexSettings(
        dir=home / "index", embedding_cache=shared_index.settings.index.embedding_cache_dir))
    report = run_load(settings, threads=8, processes=4, seconds=SECONDS, work=home / "work")
    assert report.errors == [] and report.rebuild_errors == []
    assert report.torn == []
    assert report.rebuilds >= 1  # the readers did live through a generation change
    assert report.questions >= 12 and report.turns_found == report.turns_reported


def test_a_chroma_server_stopped_mid_run_gives_clear_errors_then_serves_again(
        home: Path, shared_index: Assistant, tmp_path: Path) -> None:
    with running_chroma(tmp_path / "chroma") as server:
        settings = Settings(
            index=IndexSettings(dir=home / "server-index",
                                embedding_cache=shared_index.settings.index.embedding_cache_dir),
            search=SearchSettings(vectors=server.vectors()))
        with Assistant(settings) as builder:
            builder.build_index()

        def outage(server: ChromaServer = server) -> None:
            time.sleep(SECONDS / 4)
            server.stop()
            time.sleep(SECONDS / 4)
            server.start()

        report = run_load(settings, threads=4, processes=2, seconds=SECONDS, reindex=False,
                          work=home / "work", during=outage)
        assert report.errors, "the outage was not noticed"
        for error in report.errors:  # every one says which server and what to do
            assert error.startswith("BackendError: ") and \
                f"Chroma server at 127.0.0.1:{server.port}" in error and "chroma run" in error, \
                error
        assert report.torn == [] and report.turns_found == report.turns_reported
        with Assistant(settings) as after:
            assert after.ask("委员会 2019 年收到的新援助请求有多少份？").supported
