"""A damaged index file is reported with what to do, and `index rebuild` repairs it.

Each test damages one file of a copy of the full index the way disks and killed copies
do (a truncated SQLite file, a vector segment cut short, a half-written passages file),
then checks what a delegate sees and that one command brings everything back, saved
conversations included.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from stubs import openai_stub

from assistant import Assistant
from assistant.settings import IndexSettings, Settings
from index.embeddings import EmbeddingSettings
from index.errors import IndexDamagedError
from index.search_index import SearchSettings

ROOT = Path(__file__).resolve().parents[2]
QUESTION = "委员会 2019 年收到的新援助请求有多少份？"


def truncate(relative: str) -> Callable[[Path], None]:
    def damage(index: Path) -> None:
        path = next(index.glob(relative))
        with open(path, "r+b") as handle:
            handle.truncate(path.stat().st_size // 2)
    return damage


def overwrite(relative: str) -> Callable[[Path], None]:
    def damage(index: Path) -> None:
        for path in index.glob(relative):
            if path.is_file():
                path.write_bytes(os.urandom(max(64, path.stat().st_size)))
    return damage


DAMAGE = {
    "documents.sqlite truncated": truncate("documents.sqlite"),
    "records.sqlite truncated": truncate("records.sqlite"),
    "passages.jsonl truncated": truncate("search/g*/passages.jsonl"),
    "bm25 overwritten": overwrite("search/g*/bm25/**/*"),
    "manifest truncated": truncate("search/g*/manifest.json"),
    "CURRENT points nowhere": lambda index: (index / "search" / "CURRENT").write_text("g999"),
}


def cli(*args: str, home: Path, cache: Path | None = None,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **(env or {}), "COMMITTEE_ASSISTANT_HOME": str(home), "COLUMNS": "400"}
    if cache is not None:
        env["COMMITTEE_ASSISTANT_INDEX__EMBEDDING_CACHE"] = str(cache)
    return subprocess.run([sys.executable, "-m", "assistant.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_a_damaged_index_file_is_reported_and_index_rebuild_repairs_it(
        damage: Callable[[Path], None], copied_home: Path, shared_index: Assistant) -> None:
    home = copied_home
    cache = shared_index.settings.index.embedding_cache_dir
    settings = Settings(index=IndexSettings(dir=home / "index", embedding_cache=cache))
    with Assistant(settings) as before:
        expected = before.ask(QUESTION).text
        conversation = before.conversation()
        conversation.ask(QUESTION)
    damage(home / "index")

    with pytest.raises(IndexDamagedError, match="run `committee-assistant index rebuild`"):
        Assistant(settings).ask(QUESTION)
    asked = cli("ask", QUESTION, home=home, cache=cache)
    assert asked.returncode == 2 and "is damaged" in asked.stderr
    assert "committee-assistant index rebuild" in asked.stderr and "Traceback" not in asked.stderr

    rebuilt = cli("index", "rebuild", home=home, cache=cache)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "Index rebuilt: 5 documents" in rebuilt.stdout
    with Assistant(settings) as after:
        assert after.ask(QUESTION).text == expected
        assert [t.question for t in after.conversation(conversation.id).turns] == [QUESTION]
    assert not (home / "index.rebuild").exists() and not (home / "index.old").exists()


def test_a_damaged_vector_store_leaves_answers_alone_until_a_build_reports_it(
        copied_home: Path, shared_index: Assistant) -> None:
    """The shipped records are searched from the embedding cache, not Chroma
    (`index.exact_vectors`): a truncated Chroma store changes no answer. The next build
    opens the store, says it is damaged and how to repair it, and the repair works."""
    home = copied_home
    cache = shared_index.settings.index.embedding_cache_dir
    settings = Settings(index=IndexSettings(dir=home / "index", embedding_cache=cache))
    with Assistant(settings) as before:
        expected = before.ask(QUESTION).text
    truncate("search/chroma/chroma.sqlite3")(home / "index")

    asked = cli("ask", QUESTION, home=home, cache=cache)
    assert asked.returncode == 0 and "12份" in asked.stdout, asked.stderr
    built = cli("index", "build", home=home, cache=cache)
    assert built.returncode == 2 and "is damaged" in built.stderr
    assert "committee-assistant index rebuild" in built.stderr and "Traceback" not in built.stderr
    rebuilt = cli("index", "rebuild", home=home, cache=cache)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert cli("index", "build", home=home, cache=cache).returncode == 0
    with Assistant(settings) as after:
        assert after.ask(QUESTION).text == expected


def test_a_vector_segment_cut_short_is_caught_by_the_self_check_and_rebuilt(
        tmp_path: Path) -> None:
    """Chroma answers from a truncated HNSW segment without complaint, wrongly; opening the
    index looks up passages' own vectors and notices. The collection must be large enough
    for Chroma to keep its vectors in the segment file (thousands of passages): six letters
    of 900 distinct paragraphs, embedded by a local OpenAI-compatible stub in no time, and
    searched by Chroma (`vectors.exact_max = 0`: an index this small is otherwise searched
    from the embedding cache). The damage is seen by a new process, as a delegate would
    see it (this one keeps the vectors it built in memory)."""
    records = tmp_path / "records"
    records.mkdir()
    for d in range(6):
        paragraphs = [f"{n}. 委员会第{d}{n:03d}次会议审议了编号为{(d * 1000 + n) * 7919 % 100003}"
                      "的国家报告。" for n in range(1, 901)]
        (records / f"meetings{d}.txt").write_text("\n\n".join(paragraphs) + "\n",
                                                  encoding="utf-8")
    home = tmp_path / "home"
    question = "委员会第5899次会议审议了哪份国家报告？"
    with openai_stub() as (url, _):
        embeddings = EmbeddingSettings(backend="openai", base_url=url, model="stub-embedder")
        settings = Settings(index=IndexSettings(dir=home / "index", corpus=records),
                            search=SearchSettings(embeddings=embeddings))
        env = {"COMMITTEE_ASSISTANT_SEARCH__EMBEDDINGS__BACKEND": "openai",
               "COMMITTEE_ASSISTANT_SEARCH__EMBEDDINGS__BASE_URL": url,
               "COMMITTEE_ASSISTANT_SEARCH__EMBEDDINGS__MODEL": "stub-embedder",
               "COMMITTEE_ASSISTANT_INDEX__CORPUS": str(records),
               "COMMITTEE_ASSISTANT_SEARCH__VECTORS__EXACT_MAX": "0"}
        with Assistant(settings) as assistant:
            assistant.build_index([records])
        assert "5899" in cli("search", question, home=home, env=env).stdout
        [segment] = [p for p in (home / "index" / "search" / "chroma").iterdir() if p.is_dir()]
        truncate("data_level0.bin")(segment)

        searched = cli("search", question, home=home, env=env)
        assert searched.returncode == 2
        assert "passages find their own vector" in searched.stderr
        assert "committee-assistant index rebuild" in searched.stderr
        rebuilt = cli("index", "rebuild", home=home, env=env)
        assert rebuilt.returncode == 0 and "5400 passages" in rebuilt.stdout
        assert "5899" in cli("search", question, home=home, env=env).stdout
