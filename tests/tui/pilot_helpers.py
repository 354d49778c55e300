"""Helpers for driving the UI with Textual's Pilot: wait for things, read the screen."""

from __future__ import annotations

import io
import time
from collections.abc import Callable

from rich.console import Console
from textual import events
from textual.app import App
from textual.keys import _character_to_key
from textual.pilot import Pilot

from assistant.tui.widgets.question_input import QuestionInput
from assistant.tui.widgets.transcript import AnswerView


async def until(pilot: Pilot, condition: Callable[[], object], timeout: float = 120.0,
                what: str = "condition") -> None:
    """Let the app run until `condition()` holds (workers answer in threads). The timeout
    only turns a hang into a failure; it is generous, as a busy machine is slow."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.02)
    await pilot.pause()


async def ready(pilot: Pilot) -> None:
    await until(pilot, lambda: pilot.app.ready, what="the index to be ready")  # type: ignore[attr-defined]


async def ask(pilot: Pilot, question: str) -> AnswerView:
    """Type a question the way a delegate does and wait for its answer to render."""
    app = pilot.app
    before = len(app.screen.query(AnswerView))
    box = app.screen.query_one(QuestionInput)
    box.focus()
    box.value = question
    await pilot.press("enter")
    await until(pilot, lambda: len(app.screen.query(AnswerView)) > before, what="the answer")
    view = list(app.screen.query(AnswerView))[-1]
    await pilot.pause()
    return view


def burst(pilot: Pilot, text: str, *keys: str) -> None:
    """Deliver `text` and then `keys` (e.g. "enter") in one burst, as a terminal delivers a
    paste or `tmux send-keys "text" Enter`: every key is queued before the app handles the
    first (Pilot's `press` lets the app settle after each key, which hides races)."""
    driver = pilot.app._driver
    assert driver is not None
    for event in [events.Key(_character_to_key(ch), ch) for ch in text] \
            + [events.Key(key, _KEY_CHARACTERS.get(key)) for key in keys]:
        event.set_sender(pilot.app)
        driver.send_message(event)


_KEY_CHARACTERS = {"enter": "\r", "escape": "\x1b", "tab": "\t"}


def screen_text(app: App) -> str:
    """The screen as plain text, as a terminal would show it."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      record=True, legacy_windows=False, safe_box=False)
    console.print(app.screen._compositor.render_update(
        full=True, screen_stack=app._background_screens))
    return console.export_text()


def notifications(app: App) -> list[tuple[str, str]]:
    """(severity, message) of every notification shown so far."""
    return [(n.severity, n.message) for n in app._notifications]
