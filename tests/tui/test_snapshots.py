"""What the main screens look like at 120×40 with Chinese content (pytest-textual-snapshot;
`pytest tests/tui/test_snapshots.py --snapshot-update` after a deliberate change)."""

from __future__ import annotations

from pilot_helpers import ask, ready, until
from textual.widgets import Label

from assistant.tui.screens.library import LibraryScreen
from assistant.tui.screens.viewer import DocumentScreen
from assistant.tui.widgets.document_view import DocumentBody

SIZE = (120, 40)
QUESTION = "委员会 2019 年收到的新援助请求有多少份？"


async def settle(pilot) -> None:
    """Wait for the screen to be final, whatever the machine's speed: workers done, every
    queued message handled, layout and scrolling unchanged over three rounds of that, no
    animation left. Then drop passing notifications ("index ready") whose presence depends
    on timing, and stop cursors blinking (on or off by chance), so the picture is the same
    on every run. No fixed sleeps: a busy machine only makes each round slower."""
    app = pilot.app

    def positions() -> list[tuple[float, float, int, int]]:
        return [(w.scroll_x, w.scroll_y, w.virtual_size.width, w.virtual_size.height)
                for w in app.screen.query("*") if w.is_scrollable]

    last, steady = None, 0
    while steady < 3:
        await app.workers.wait_for_complete()
        await pilot.wait_for_scheduled_animations()
        now = positions()
        steady = steady + 1 if now == last else 0
        last = now
    app.clear_notifications()
    for widget in app.screen.query("*"):
        if hasattr(widget, "cursor_blink"):
            widget.cursor_blink = False
    await pilot.wait_for_scheduled_animations()


async def _answered(pilot) -> None:
    await ready(pilot)
    await ask(pilot, QUESTION)
    await ask(pilot, "那 2018 年呢？")
    await settle(pilot)


def test_chat_with_answer_and_sources(snap_compare, chinese_app):
    assert snap_compare(chinese_app(), terminal_size=SIZE, run_before=_answered)


def test_viewer_at_the_cited_paragraph(snap_compare, chinese_app):
    async def run_before(pilot) -> None:
        await ready(pilot)
        await ask(pilot, QUESTION)
        await pilot.press("escape", "1")
        await until(pilot, lambda: isinstance(pilot.app.screen, DocumentScreen)
                    and pilot.app.screen.query_one(DocumentBody).views, what="the viewer")
        body = pilot.app.screen.query_one(DocumentBody)
        status = pilot.app.screen.query_one("#viewer-status", Label)
        await until(pilot, lambda: str(status.content) == "S/2020/347 附件 第6段"
                    and body.views[body.current].has_class("-current") and body.centred,
                    what="the cited paragraph centred")
        await settle(pilot)
        assert body.centred

    assert snap_compare(chinese_app(), terminal_size=SIZE, run_before=run_before)


def test_library(snap_compare, chinese_app):
    async def run_before(pilot) -> None:
        await ready(pilot)
        await pilot.press("ctrl+l")
        await until(pilot, lambda: isinstance(pilot.app.screen, LibraryScreen)
                    and pilot.app.screen.metas, what="the library")
        await settle(pilot)

    assert snap_compare(chinese_app(), terminal_size=SIZE, run_before=run_before)


def test_help(snap_compare, chinese_app):
    async def run_before(pilot) -> None:
        await ready(pilot)
        await pilot.press("f1")
        await settle(pilot)

    assert snap_compare(chinese_app(), terminal_size=SIZE, run_before=run_before)
