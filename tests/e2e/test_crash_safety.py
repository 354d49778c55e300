"""kill -9 at the worst moments: while ingesting, while building the search index, while
saving conversation turns. Afterwards the previous index answers as before, every turn
reported saved is there, and the next run finishes the job with no manual step.

The victim is `crash_worker.py`, which drives the public API and prints where it is; the
test kills it when a given line appears (plus a delay, to land inside the step).
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.settings import IndexSettings, Settings

WORKER = Path(__file__).with_name("crash_worker.py")
ROOT = Path(__file__).resolve().parents[2]
QUESTION = "委员会 2019 年收到的新援助请求有多少份？"


def settings_for(home: Path, cache: Path) -> Settings:
    return Settings(index=IndexSettings(dir=home / "index", embedding_cache=cache))


def env_for(home: Path, cache: Path) -> dict[str, str]:
    return {**os.environ, "COMMITTEE_ASSISTANT_HOME": str(home),
            "COMMITTEE_ASSISTANT_INDEX__EMBEDDING_CACHE": str(cache),
            "PYTHONPATH": str(ROOT)}


def kill_at(args: list[str], marker: str, delay_s: float, env: dict[str, str]) -> list[str]:
    """Run the worker, SIGKILL it `delay_s` after it prints a line `marker` (a regular
    expression) matches, or let it finish if none does; the lines it printed."""
    proc = subprocess.Popen([sys.executable, str(WORKER), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, env=env, cwd=ROOT)
    assert proc.stdout is not None
    seen: list[str] = []
    for line in proc.stdout:
        seen.append(line.strip())
        if re.search(marker, line):
            time.sleep(delay_s)
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(timeout=300)
    return seen


def finish(args: list[str], env: dict[str, str]) -> list[str]:
    done = subprocess.run([sys.executable, str(WORKER), *args], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.splitlines()


@pytest.fixture
def home(copied_home: Path) -> Path:
    """The shared index copied: the "previous index" every kill must spare."""
    return copied_home


@pytest.fixture
def cache(shared_index: Assistant) -> Path:
    return shared_index.settings.index.embedding_cache_dir


def snapshot(assistant: Assistant) -> dict[str, object]:
    """What a delegate would notice changing: documents, their blocks, records, an answer."""
    answer = assistant.ask(QUESTION)
    return {
        "blocks": {m.id: len(assistant.document(m.id).blocks) for m in assistant.documents()},
        "records": assistant.record_counts(),
        "answer": (answer.text, [c.locator for c in answer.citations]),
    }


def test_killed_ingest_leaves_every_document_whole(home: Path, cache: Path,
                                                   corpus_files: dict[str, Path]) -> None:
    env = env_for(home, cache)
    with Assistant(settings_for(home, cache)) as before:
        expected = snapshot(before)
    files = [str(corpus_files[k]) for k in sorted(corpus_files)]
    kills = 0
    for marker, delay in [("ingest 2/5", 0.0), ("ingest 2/5", 0.4), ("ingest 3/5", 0.05),
                          ("ingest 5/5", 0.2)]:
        seen = kill_at(["ingest", *files], marker, delay, env)
        kills += "done" not in seen
        with Assistant(settings_for(home, cache)) as after:
            assert snapshot(after) == expected, f"after a kill at {marker} + {delay} s"
    assert kills >= 3  # the kills landed mid-ingest, not after it
    assert finish(["ingest", *files], env)[-1] == "done"


def test_killed_build_leaves_the_previous_index_in_use_and_the_next_build_recovers(
        home: Path, cache: Path, corpus_files: dict[str, Path], tmp_path: Path) -> None:
    env = env_for(home, cache)
    changed = tmp_path / corpus_files["000"].name  # S/2020/347 with one more paragraph
    changed.write_text(corpus_files["000"].read_text(encoding="utf-8")
                       + "\n28. 委员会在本报告所述期间举行了一次非正式会议。\n", encoding="utf-8")
    with Assistant(settings_for(home, cache)) as before:
        previous = before.index_manifest()
        expected = snapshot(before)
        assert not before.ingest([changed]).failures
    assert previous is not None
    kills = 0
    last_batch = r"embedding (\d+)/\1$"  # then the BM25 index, passages, manifest, flip
    for marker, delay in [("chunking 1/", 0.0), ("embedding 64/", 0.0), ("embedding 448/", 0.1),
                          (last_batch, 0.0), (last_batch, 0.3)]:
        seen = kill_at(["build"], marker, delay, env)
        kills += "done" not in seen
        with Assistant(settings_for(home, cache)) as after:
            manifest = after.index_manifest()
            assert manifest is not None
            if manifest.generation == previous.generation:
                assert snapshot(after)["answer"] == expected["answer"]
            else:  # the kill came after the new generation was complete and in use
                assert manifest.passages >= previous.passages
                assert after.ask(QUESTION).supported
    assert kills >= 4
    assert finish(["build"], env)[-1] == "done"
    with Assistant(settings_for(home, cache)) as rebuilt:
        manifest = rebuilt.index_manifest()
        assert manifest is not None and manifest.generation > previous.generation
        hits = rebuilt.search("委员会在本报告所述期间举行了一次非正式会议", k=3)
        assert any("非正式会议" in p.text for p in hits)
        leftovers = sorted(p.name for p in (home / "index" / "search").glob("g*"))
        assert len(leftovers) <= 2  # the one in use and the one before it, nothing killed


def test_killed_conversation_write_loses_no_saved_turn(home: Path, cache: Path) -> None:
    env = env_for(home, cache)
    with Assistant(settings_for(home, cache)) as assistant:
        earlier = assistant.conversation()
        earlier.ask(QUESTION)
        kept = earlier.turns
        ids = []
        for _ in range(2):
            conversation = assistant.conversation()
            conversation.ask("联络人")  # saved once it has a turn
            ids.append(conversation.id)
    for delay in (0.0, 0.02, 0.2):
        at = len(Assistant(settings_for(home, cache)).conversation(ids[1]).turns) + 2
        seen = kill_at(["converse", *ids], f"committed {ids[1]} {at}", delay, env)
        saved: dict[str, int] = {}
        for line in seen:
            if line.startswith("committed "):
                _, conv_id, count = line.split()
                saved[conv_id] = int(count)
        assert saved.get(ids[1]) == at and "done" not in seen  # killed mid-conversation
        db = sqlite3.connect(home / "conversations.sqlite")
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        db.close()
        with Assistant(settings_for(home, cache)) as after:
            assert after.conversation(earlier.id).turns == kept
            for conv_id, count in saved.items():
                turns = after.conversation(conv_id).turns
                assert len(turns) >= count and all(t.answer.question for t in turns)
    before = len(Assistant(settings_for(home, cache)).conversation(ids[0]).turns)
    assert kill_at(["converse", ids[0]], f"committed {ids[0]} {before + 1}", 0.0, env)
    with Assistant(settings_for(home, cache)) as later:  # and saving goes on after the kills
        assert len(later.conversation(ids[0]).turns) == before + 1
