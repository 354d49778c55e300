"""The terminal UI as a delegate meets it: the real `committee-assistant` in tmux, a
Chinese question typed at the keyboard, the answer and its locator read off the screen."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# What a delegate types: the command with no arguments opens the UI.
COMMAND = [sys.executable, "-m", "assistant.cli"]
QUESTION = "委员会 2019 年收到的新援助请求有多少份？"
TYPED = f"请问，{QUESTION}"

if shutil.which("tmux") is None:
    pytest.fail("tmux is missing: `apt-get install tmux` (scripts/system-deps.sh installs it)",
                pytrace=False)


class Tmux:
    """One detached tmux session on its own server socket (other sessions untouched)."""

    def __init__(self, command: list[str], env: dict[str, str], size: tuple[int, int]) -> None:
        self.socket = f"ca-e2e-{uuid.uuid4().hex[:8]}"
        line = " ".join(["env", *[f"{k}={shlex.quote(v)}" for k, v in env.items()],
                         *map(shlex.quote, command)])
        self.tmux("new-session", "-d", "-s", "ui", "-x", str(size[0]), "-y", str(size[1]),
                  "-c", str(ROOT), line)

    def tmux(self, *args: str) -> str:
        result = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True,
                                text=True, timeout=30,
                                env={**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"})
        assert result.returncode == 0, result.stderr
        return result.stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "ui")

    def wait_for(self, *texts: str, timeout: float = 90) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if all(text in screen for text in texts):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{texts} not on screen after {timeout} s:\n{screen}")
            time.sleep(0.2)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", "ui", "-l", text)

    def press(self, key: str) -> None:
        self.tmux("send-keys", "-t", "ui", key)

    def type_and_press(self, text: str, key: str) -> None:
        """The text and the key in one write to the terminal, as a paste or a fast typist
        delivers them (tmux sends a literal string and a key name in one burst)."""
        self.tmux("send-keys", "-t", "ui", text, key)

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


@pytest.fixture
def ui(tmp_path: Path, shared_index) -> Iterator[Tmux]:
    """The UI over a copy of the shared index (so it opens without re-embedding)."""
    home = tmp_path / "home"
    shutil.copytree(shared_index.settings.index.dir, home / "index")
    env = {
        "COMMITTEE_ASSISTANT_HOME": str(home),
        "COMMITTEE_ASSISTANT_INDEX__EMBEDDING_CACHE": str(
            shared_index.settings.index.embedding_cache_dir),
        "COMMITTEE_ASSISTANT_UI__LANGUAGE": "zh",
        "PYTHONPATH": str(ROOT),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "ANONYMIZED_TELEMETRY": "False",
    }
    session = Tmux(COMMAND, env, (120, 40))
    try:
        yield session
    finally:
        session.close()


def test_chinese_question_typed_in_tmux_is_answered_with_its_locator(ui: Tmux):
    # The chat is up once its welcome is drawn (it quotes the example question, so the
    # question is typed with words of its own, to know it reached the input).
    ui.wait_for("输入问题", "1540 委员会助手", "向 1540 委员会的记录提问")
    ui.type(TYPED)
    ui.wait_for(TYPED)
    ui.press("Enter")
    screen = ui.wait_for("12份", "S/2020/347 附件 第6段", "来源")
    assert "Traceback" not in screen
    print(screen)  # the captured exchange (pytest -s shows it)
    ui.press("Escape")
    time.sleep(0.5)  # Esc then a digit at once would read as Alt+digit
    ui.press("1")
    viewer = ui.wait_for("附件 第7段", "S/2020/347  2020年4月29日")
    assert "12份新的援助请求" in viewer
    ui.press("Escape")
    ui.press("C-q")


def test_question_sent_with_its_enter_in_one_burst_is_asked_whole(ui: Tmux):
    """`send-keys "question" Enter` to the UI just opened: the question is asked whole (it
    used to be cut to its first character, "2"), and after Esc from the viewer the next
    question, digits first, is typed into the question box rather than opening sources."""
    ui.wait_for("输入问题", "1540 委员会助手")
    ui.type_and_press(QUESTION, "Enter")
    screen = ui.wait_for("12份", "S/2020/347 附件 第6段")
    assert QUESTION in screen, screen
    ui.press("Escape")
    time.sleep(0.5)  # Esc then a digit at once would read as Alt+digit
    ui.press("1")
    ui.wait_for("S/2020/347  2020年4月29日")
    ui.press("Escape")
    ui.wait_for("输入问题")
    ui.type_and_press("2018 年委员会收到了多少份新的援助请求？", "Enter")
    screen = ui.wait_for("9项")
    assert "2018 年委员会收到了多少份新的援助请求？" in screen, screen
    assert "Traceback" not in screen
    ui.press("C-q")
