"""F1 lists every key; the command palette offers the actions; settings switch the
answer backend, the UI language and the theme; both languages have every string."""

from __future__ import annotations

import re

import pytest
from pilot_helpers import ask, ready, screen_text, until
from textual.command import CommandList, CommandPalette
from textual.widgets import DataTable, Select

from assistant.tui.screens.chat import ChatScreen
from assistant.tui.screens.help import HelpScreen
from assistant.tui.screens.library import LibraryScreen
from assistant.tui.screens.settings import SettingsScreen
from assistant.tui.strings import EN, ZH, Strings, default_language

pytestmark = pytest.mark.anyio


def test_every_string_exists_in_both_languages():
    assert set(ZH) == set(EN)
    assert all(ZH[k] and EN[k] for k in ZH)


def test_language_defaults_from_the_locale(monkeypatch):
    for var in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert default_language() == "zh" and Strings().language == "zh"
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert default_language() == "en"


async def test_f1_lists_every_key_binding(chinese_app):
    app = chinese_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        rows = [table.get_row_at(i) for i in range(table.row_count)]
        actions = {row[1] for row in rows}
        for key in ("key_send", "key_recall", "key_open_citation", "key_new", "key_history",
                    "key_library", "key_settings", "key_search", "key_next_para",
                    "key_copy_answer", "key_copy_quote", "key_back", "key_rename",
                    "key_delete", "key_apply", "key_palette"):
            assert ZH[key] in actions, key
        assert ["1–9", ZH["key_open_citation"], ZH["where_chat"]] in rows
        await pilot.press("escape")
        assert isinstance(app.screen, ChatScreen)


async def test_command_palette_offers_the_actions(chinese_app):
    app = chinese_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for key in ("key_library", "key_new", "key_history", "key_copy_answer",
                    "key_settings", "key_help"):
            assert ZH[key] in titles
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette), what="palette")
        await pilot.press(*"文件库")
        results = app.screen.query_one(CommandList)
        await until(pilot, lambda: results.option_count and results.highlighted is not None
                    and "文件库" in str(results.get_option_at_index(results.highlighted).prompt),
                    what="the library command found")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, LibraryScreen), what="library")


async def test_settings_switch_language_theme_and_backend(chinese_app, shared_index):
    app = chinese_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("f2")
        assert isinstance(app.screen, SettingsScreen)
        app.screen.query_one("#language", Select).value = "en"
        app.screen.query_one("#theme", Select).value = "textual-light"
        app.screen.query_one("#backend", Select).value = "extractive"
        await pilot.click("#save")
        await until(pilot, lambda: isinstance(app.screen, ChatScreen), what="the chat")
        assert app.theme == "textual-light" and app.strings.language == "en"
        text = screen_text(app)
        assert "1540 Committee Assistant" in text and "Ask a question" in text
        assert "New chat" in text, "the footer speaks the new language"
        assert shared_index.settings.answer.backend == "extractive"


async def test_settings_note_names_the_config_sections_and_english_fits_its_box(chinese_app):
    """The note printed "write  and  in config.toml": [ui] and [answer] were read as
    markup. The language box showed "Englis ▼" with the "h" on the next line."""
    app = chinese_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, SettingsScreen), what="settings")
        assert "config.toml 的 [ui] 和 [answer]" in screen_text(app)
        app.screen.query_one("#language", Select).value = "en"
        await until(pilot, lambda: "English" in screen_text(app), what="English chosen")
        line = next(x for x in screen_text(app).splitlines() if "English" in x)
        assert "English" in line and "▼" in line, line


async def test_history_counts_turns_in_the_ui_language(chinese_app):
    """"1 turns" and an English "Conversations" in the Chinese UI: the count agrees with
    its noun, and the sidebar follows a change of language."""
    app = chinese_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await ask(pilot, "委员会 2019 年收到的新援助请求有多少份？")
        await pilot.press("f3")
        await until(pilot, lambda: "1 轮" in screen_text(app), what="the history in Chinese")
        assert "对话记录" in screen_text(app) and "turn" not in screen_text(app)
        app.apply_language("en")
        await until(pilot, lambda: re.search(r"\b1 turn(?!s)", screen_text(app)),
                    what="the history in English")
        text = screen_text(app)
        assert "Conversations" in text and "1 turns" not in text and "对话记录" not in text
