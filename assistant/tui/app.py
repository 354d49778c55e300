"""The application: settings, the shared `Assistant`, the index check, global keys."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen

from assistant import Assistant, DocumentMeta, SearchFilter, Settings, cjk_wrap
from assistant.tui.bindings import translate_bindings
from assistant.tui.errors import describe_error
from assistant.tui.screens.chat import ChatScreen
from assistant.tui.screens.drafting import DraftingScreen
from assistant.tui.screens.help import HelpScreen
from assistant.tui.screens.library import LibraryScreen, describe_filter
from assistant.tui.screens.settings import SettingsScreen
from assistant.tui.strings import Strings
from assistant.tui.widgets.build_status import BuildStatus


class CommitteeApp(App[None]):
    CSS_PATH = "styles/app.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "key_help"),
        Binding("f2", "settings", "key_settings"),
        Binding("ctrl+l", "library", "key_library"),
        Binding("f4", "drafting", "key_drafting"),
        Binding("ctrl+q", "quit", "key_quit", priority=True),
    ]

    ready: reactive[bool] = reactive(False)
    """The index is checked (built if it had to be) and warmed: questions go straight out."""
    search_filter: reactive[SearchFilter | None] = reactive(None)
    """The library's filter, applied to every question while set."""

    class IndexStarted(Message):
        pass

    class IndexProgress(Message):
        def __init__(self, stage: str, done: int, total: int, name: str = "") -> None:
            super().__init__()
            self.stage, self.done, self.total, self.name = stage, done, total, name

    class KeywordsReady(Message):
        """Questions are answered from keyword search while the build goes on."""

    class IndexDone(Message):
        def __init__(self, built: bool, documents: int, passages: int,
                     problems: list[str], switched: bool = False) -> None:
            super().__init__()
            self.built, self.documents, self.passages = built, documents, passages
            self.problems = problems
            self.switched = switched  # answers were keyword-only and are now hybrid

    class IndexFailed(Message):
        def __init__(self, error: BaseException) -> None:
            super().__init__()
            self.error = error

    def __init__(self, settings: Settings, assistant: Assistant | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.owns_assistant = assistant is None
        self._assistant = assistant
        self.strings = Strings(settings.ui.language)
        translate_bindings(self, self.strings)

    @property
    def assistant(self) -> Assistant:
        """Opened on first use, so that an unusable index folder is a notification in the
        UI (raised here, caught by whoever asked) rather than a traceback before it."""
        if self._assistant is None:
            self._assistant = Assistant(self.settings)
        return self._assistant

    # -- start-up ----------------------------------------------------------------------
    def on_mount(self) -> None:
        if self.settings.ui.theme in self.available_themes:
            self.theme = self.settings.ui.theme
        self.title = self.strings["app_title"]
        self.sub_title = self.strings["no_filter"]
        self.push_screen(ChatScreen())
        try:
            self.assistant.index_manifest()
        except Exception as exc:  # an unusable index folder: say so, keep the UI up
            self.report_error(exc)
            self.ready = True
            return
        self.call_after_refresh(self.prepare_index)

    @work(exclusive=True, group="index", thread=True)
    def prepare_index(self) -> None:
        """Ingest and build the index if it is missing or stale, answering from keyword
        search meanwhile when the build has to change it; then warm it for questions.
        The chat is usable throughout: the build's progress shows above the question box."""
        self.post_message(self.IndexStarted())

        def ingesting(path: Path, done: int, total: int) -> None:
            self.post_message(self.IndexProgress("ingest", done, total, Path(path).name))

        def building(stage: str, done: int, total: int) -> None:
            self.post_message(self.IndexProgress(stage, done, total))

        assistant = self.assistant
        try:
            report = assistant.ensure_corpus(progress=ingesting)
            keywords = assistant.answer_while_building()
            if keywords:
                assistant.warm_up()
                self.post_message(self.KeywordsReady())
            _, stats = assistant.build_index(build_progress=building, check_vectors=False)
            assistant.warm_up()
        except Exception as exc:  # reported as a notification, never a traceback
            self.post_message(self.IndexFailed(exc))
            return
        problems = [f"{f.path}: {f.problem}" for f in report.failures] if report else []
        self.post_message(self.IndexDone(not stats.unchanged, stats.documents, stats.passages,
                                         problems, switched=keywords))

    def build_status(self) -> BuildStatus | None:
        chat = self.chat_screen()
        statuses = list(chat.query(BuildStatus)) if chat is not None else []
        return statuses[0] if statuses else None  # none before the chat is composed

    @on(IndexProgress)
    def _index_progress(self, event: IndexProgress) -> None:
        status = self.build_status()
        if status is not None:
            status.show_progress(event.stage, event.done, event.total, event.name)

    @on(KeywordsReady)
    def _keywords_ready(self, event: KeywordsReady) -> None:
        status = self.build_status()
        if status is not None:
            status.show_keywords_only()
        self.ready = True

    @on(IndexDone)
    def _index_done(self, event: IndexDone) -> None:
        self._finish_build_status()
        s = self.strings
        for problem in event.problems[:3]:
            self.notify(s.f("error_ingest", problem=problem), title=s["error_title"],
                        severity="error", timeout=12)
        if event.documents == 0:
            self.notify(s["error_no_documents"], title=s["error_title"], severity="error",
                        timeout=12)
        elif event.switched:
            self.notify(s["build_hybrid"], title=s.f("build_done", documents=event.documents,
                                                     passages=event.passages), timeout=12)
        elif event.built:
            self.notify(self.strings.f("build_done", documents=event.documents,
                                       passages=event.passages))
        self.ready = True

    @on(IndexFailed)
    def _index_failed(self, event: IndexFailed) -> None:
        self._finish_build_status()
        self.report_error(event.error)
        self.ready = True  # questions go out and report their own errors

    def _finish_build_status(self) -> None:
        status = self.build_status()
        if status is not None:
            status.finish()

    # -- keys ----------------------------------------------------------------------------
    async def on_event(self, event: events.Event) -> None:
        # Before Textual delivers a key to the focused widget: in the chat, typing outside a
        # text field goes to the question box (ChatScreen.claim_typing moves the focus).
        if isinstance(event, events.Key) and not event.is_forwarded \
                and isinstance(self.screen, ChatScreen):
            self.screen.claim_typing(event)
        await super().on_event(event)

    # -- shared behaviour ----------------------------------------------------------------
    def report_error(self, error: BaseException) -> None:
        self.notify(describe_error(error, self.strings), title=self.strings["error_title"],
                    severity="error", timeout=12)

    def watch_ready(self, ready: bool) -> None:
        chat = self.chat_screen()
        if ready and chat is not None:
            chat.send_queued()  # questions typed while the index was being prepared

    def watch_search_filter(self, value: SearchFilter | None) -> None:
        self.sub_title = describe_filter(value, self.assistant_documents(), self.strings)

    def assistant_documents(self) -> list[DocumentMeta]:
        """Document metadata for labels (a small SQLite query)."""
        try:
            return self.assistant.documents()
        except Exception:  # no index yet: labels fall back to ids
            return []

    def apply_language(self, language: str) -> None:
        """Switch the UI text: the screens are rebuilt in the new language."""
        self.settings.ui.language = language  # type: ignore[assignment]
        self.strings = Strings(language)
        translate_bindings(self, self.strings)
        self.title = self.strings["app_title"]
        self.watch_search_filter(self.search_filter)
        chat = self.chat_screen()
        if chat is not None:
            chat.relabel()
        self.refresh_bindings()

    def chat_screen(self) -> ChatScreen | None:
        return next((s for s in self.screen_stack if isinstance(s, ChatScreen)), None)

    # -- actions (keys and the command palette) ------------------------------------------
    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_settings(self) -> None:
        if not isinstance(self.screen, SettingsScreen):
            self.push_screen(SettingsScreen())

    def action_drafting(self) -> None:
        if not isinstance(self.screen, DraftingScreen):
            self.push_screen(DraftingScreen())

    def action_library(self) -> None:
        if isinstance(self.screen, LibraryScreen):
            return

        def chosen(value: SearchFilter | bool | None) -> None:
            if value is not False:
                self.search_filter = value if isinstance(value, SearchFilter) else None

        self.push_screen(LibraryScreen(self.search_filter), chosen)

    def _chat_action(self, name: str) -> None:
        chat = self.chat_screen()
        if chat is not None:
            while self.screen is not chat:
                self.pop_screen()
            chat.run_action(name)  # type: ignore[unused-coroutine]

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        s = self.strings
        yield SystemCommand(s["key_help"], "F1", self.action_help)
        yield SystemCommand(s["key_settings"], "F2", self.action_settings)
        yield SystemCommand(s["key_library"], "Ctrl+L", self.action_library)
        yield SystemCommand(s["key_drafting"], "F4", self.action_drafting)
        yield SystemCommand(s["key_clear_filter"], "", lambda: setattr(self, "search_filter",
                                                                       None))
        yield SystemCommand(s["key_new"], "Ctrl+N", lambda: self._chat_action("new"))
        yield SystemCommand(s["key_history"], "F3", lambda: self._chat_action("history"))
        yield SystemCommand(s["key_copy_answer"], "Ctrl+Y",
                            lambda: self._chat_action("copy_answer"))
        yield SystemCommand(s["key_copy_quote"], "y", lambda: self._chat_action("copy_quote"))
        for n in range(1, 10):
            yield SystemCommand(f"{s['key_open_citation']} [{n}]", str(n),
                                lambda n=n: self._chat_action(f"open_citation({n})"),
                                discover=False)

    def on_unmount(self) -> None:
        if self.owns_assistant and self._assistant is not None:
            self._assistant.close()


def make_app(settings: Settings | None = None, assistant: Assistant | None = None
             ) -> CommitteeApp:
    """The app as the entry point, the Pilot tests and the snapshot tests all build it.

    `assistant` is an already-open one (tests share one index); without it the app opens
    its own from `settings` and closes it on exit. Chinese text wraps between characters,
    never inside a figure (`assistant.cjk_wrap`)."""
    cjk_wrap.install()
    if settings is None:
        settings = assistant.settings if assistant is not None else Settings()
    return CommitteeApp(settings, assistant)
