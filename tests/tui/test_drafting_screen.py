"""F4 drafts a briefing note from the records, previews it with its sources, exports it."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document as DocxDocument
from pilot_helpers import notifications, ready, screen_text, until
from textual.widgets import Input, Select

from assistant.tui.screens.drafting import DraftingScreen

pytestmark = pytest.mark.anyio


async def test_briefing_note_is_previewed_and_exported(chinese_app, tmp_path: Path):
    app = chinese_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("f4")
        assert isinstance(app.screen, DraftingScreen)
        screen = app.screen
        await pilot.press(*"博茨瓦纳", "enter")
        await until(pilot, lambda: screen.draft is not None, what="the draft")
        assert "博茨瓦纳" in screen.draft.title and screen.draft.citations
        await until(pilot, lambda: "简报说明：博茨瓦纳" in screen_text(app), what="the preview")
        assert "[1]" in screen_text(app)
        for name in ("note.md", "note.docx"):
            path = tmp_path / name
            screen.query_one("#draft-path", Input).value = str(path)
            await pilot.press("ctrl+e")
            await until(pilot, path.exists, what=f"{name} written")
        assert "博茨瓦纳" in (tmp_path / "note.md").read_text(encoding="utf-8")
        docx_text = "\n".join(p.text for p in DocxDocument(tmp_path / "note.docx").paragraphs)
        assert "博茨瓦纳" in docx_text
        await pilot.press("escape")
        assert not isinstance(app.screen, DraftingScreen)


async def test_drafting_errors_are_notifications(chinese_app, tmp_path: Path):
    app = chinese_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("f4")
        screen = app.screen
        await pilot.press("ctrl+e")  # nothing drafted yet
        assert any(s == "warning" for s, _ in notifications(app))
        screen.query_one("#draft-period", Input).value = "2030-2018"
        await pilot.press("ctrl+r")
        await until(pilot, lambda: any(s == "error" for s, _ in notifications(app)),
                    what="the error")
        screen.query_one("#draft-state", Input).value = "博茨瓦纳"
        screen.query_one("#draft-period", Input).value = ""
        await pilot.press("ctrl+r")
        await until(pilot, lambda: screen.draft is not None, what="the draft")
        screen.query_one("#draft-path", Input).value = str(tmp_path / "note.pdf")
        await pilot.press("ctrl+e")
        await until(pilot, lambda: sum(s == "error" for s, _ in notifications(app)) >= 2,
                    what="the export error")
        assert not (tmp_path / "note.pdf").exists()


async def test_the_boxes_show_their_choices_whole(chinese_app):
    """The language box read "Englis ▼", its "h" on the next line."""
    app = chinese_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app.apply_language("en")
        await pilot.press("f4")
        await until(pilot, lambda: isinstance(app.screen, DraftingScreen), what="drafting")
        app.screen.query_one("#draft-language", Select).value = "en"
        app.screen.query_one("#draft-kind", Select).value = "outreach"
        await until(pilot, lambda: "Outreach summary" in screen_text(app), what="the choice")
        [line] = [x for x in screen_text(app).splitlines() if "Outreach summary" in x]
        assert "English" in line and line.count("▼") == 2, line
