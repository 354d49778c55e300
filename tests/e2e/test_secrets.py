"""API keys: taken from the environment or a key file only its owner can read, refused in
the config file, shown redacted, and never written anywhere: a planted key is looked for
in every file a session leaves behind and in everything it prints."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from stubs import ChatBehaviour, StubState, openai_stub

from assistant import Assistant

ROOT = Path(__file__).resolve().parents[2]
KEY = "sk-planted-7f3a9c51e2d4b8"
QUESTION = "委员会 2019 年收到的新援助请求有多少份？"
FACT = "委员会收到了12份新的援助请求"


def reply(body: dict[str, object]) -> str:
    """A grounded answer when asked a question, an unusable one when asked to reword."""
    prompt = str(body["messages"][-1]["content"])  # type: ignore[index]
    for part in prompt.split("<passage n=\"")[1:]:
        n, text = part.split('"', 1)
        if FACT in text:
            return json.dumps({"answer": f"{FACT} [1]。", "supported": True,
                               "citations": [{"n": 1, "passage": int(n), "quote": FACT}]},
                              ensure_ascii=False)
    return "not json"


def run(*args: str, env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "assistant.cli", *args], cwd=ROOT,
                          env={**os.environ, "COLUMNS": "300", **env}, capture_output=True,
                          text=True, timeout=600, input=stdin)


@pytest.fixture
def session(tmp_path: Path, shared_index: Assistant, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with openai_stub() as (url, state):
        env = {"COMMITTEE_ASSISTANT_HOME": str(tmp_path / "home"),
               "COMMITTEE_ASSISTANT_INDEX__DIR": str(shared_index.settings.index.dir),
               "COMMITTEE_ASSISTANT_INDEX__EMBEDDING_CACHE":
                   str(shared_index.settings.index.embedding_cache_dir),
               "COMMITTEE_ASSISTANT_ANSWER__BACKEND": "llm",
               "COMMITTEE_ASSISTANT_ANSWER__LLM__MODEL": "openai:stub-model",
               "COMMITTEE_ASSISTANT_ANSWER__LLM__BASE_URL": url,
               "COMMITTEE_ASSISTANT_ANSWER__LLM__MAX_RETRIES": "0"}
        yield env, state


def test_a_planted_key_is_used_but_never_written_or_printed(
        session: tuple[dict[str, str], StubState], tmp_path: Path) -> None:
    env, state = session
    env = {**env, "COMMITTEE_ASSISTANT_ANSWER__LLM__API_KEY": KEY}
    out = tmp_path / "out"
    printed: list[str] = []

    state.chat = ChatBehaviour(content=reply)
    for args in (["ask", QUESTION], ["ask", QUESTION, "--json"], ["config", "show"],
                 ["draft", "briefing", "--topic", "援助", "--out", str(out / "note.docx")],
                 ["draft", "outreach", "--year", "2019", "--out", str(out / "summary.md")],
                 ["draft", "briefing", "--state", "博茨瓦纳", "--out", str(out / "note.json")]):
        done = run(*args, env=env)
        assert done.returncode == 0, (args, done.stderr[-1500:])
        printed += [done.stdout, done.stderr]
    assert "backend: llm" in printed[0] or "llm:openai:stub-model" in printed[2] + printed[3]
    state.chat = ChatBehaviour(status=401, raw_body=json.dumps(
        {"error": {"message": f"Incorrect API key provided: {KEY}"}}).encode())
    failed = run("ask", QUESTION, env=env)
    printed += [failed.stdout, failed.stderr]
    assert failed.returncode == 0 and "showing the extractive answer" in failed.stdout
    chatted = run("chat", env=env, stdin=f"{QUESTION}\n那 2018 年呢？\n")  # saves its turns
    printed += [chatted.stdout, chatted.stderr]
    assert chatted.returncode == 0 and (tmp_path / "home" / "conversations.sqlite").exists()

    assert f"Bearer {KEY}" in state.authorizations  # the key did reach the model server
    assert "**********" in printed[4]  # `config show` redacts it
    index = Path(env["COMMITTEE_ASSISTANT_INDEX__DIR"])
    cache = Path(env["COMMITTEE_ASSISTANT_INDEX__EMBEDDING_CACHE"])
    written = [p for folder in (tmp_path, index, cache) for p in folder.rglob("*") if p.is_file()]
    assert {p.suffix for p in written} >= {".sqlite", ".docx", ".md", ".json"}
    # grep in a process of its own: closing a file this process has open as a live SQLite
    # database would drop SQLite's locks on it (POSIX advisory locks are per process).
    found = subprocess.run(["grep", "-rlF", KEY, str(tmp_path), str(index), str(cache)],
                           capture_output=True, text=True, check=False)
    assert found.returncode == 1 and found.stdout == "", found.stdout  # 1: no file holds it
    for docx in (p for p in written if p.suffix == ".docx"):  # compressed: look inside
        with zipfile.ZipFile(docx) as archive:
            assert not any(KEY.encode() in archive.read(name) for name in archive.namelist())
    for text in printed:
        assert KEY not in text


def test_a_key_file_must_be_readable_by_its_owner_only(
        session: tuple[dict[str, str], StubState], tmp_path: Path) -> None:
    env, state = session
    key_file = tmp_path / "llm.key"
    key_file.write_text(KEY + "\n")
    env = {**env, "COMMITTEE_ASSISTANT_ANSWER__LLM__API_KEY_FILE": str(key_file)}
    key_file.chmod(0o644)
    refused = run("config", "show", env=env)
    assert refused.returncode == 2 and f"chmod 600 {key_file}" in refused.stderr
    assert "Traceback" not in refused.stderr

    key_file.chmod(0o600)
    state.chat = ChatBehaviour(content=reply)
    shown = run("config", "show", env=env)
    assert shown.returncode == 0 and 'api_key = "**********"' in shown.stdout
    assert KEY not in shown.stdout
    assert run("ask", QUESTION, env=env).returncode == 0
    assert state.authorizations[-1] == f"Bearer {KEY}"


def test_a_key_in_the_config_file_is_refused_with_where_to_put_it(
        session: tuple[dict[str, str], StubState], tmp_path: Path) -> None:
    env, _ = session
    config = tmp_path / "config.toml"
    config.write_text(f'[answer.llm]\napi_key = "{KEY}"\n')
    done = run("config", "show", env={**env, "COMMITTEE_ASSISTANT_CONFIG": str(config)})
    assert done.returncode == 2
    assert "answer.llm.api_key" in done.stderr and "COMMITTEE_ASSISTANT_ANSWER__LLM__API_KEY" \
        in done.stderr
    assert KEY not in done.stderr + done.stdout
