"""The chat: the conversation on the left, the sources of the selected answer on the right,
the question line at the bottom, and the saved conversations in a sidebar (F3)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Header, Input, Markdown, TextArea
from textual.worker import get_current_worker

from assistant import Answer, Citation, Conversation, ConversationInfo, SearchFilter, Turn
from assistant.tui.bindings import translate_tree
from assistant.tui.screens.prompt import PromptScreen
from assistant.tui.screens.viewer import DocumentScreen
from assistant.tui.strings import Strings
from assistant.tui.widgets.build_status import BuildStatus
from assistant.tui.widgets.history import HistorySidebar
from assistant.tui.widgets.question_input import QuestionInput
from assistant.tui.widgets.sources import CitationCard, SourcesPanel
from assistant.tui.widgets.transcript import AnswerView, QuestionView, Transcript

if TYPE_CHECKING:
    from assistant.tui.app import CommitteeApp


SOURCE_KEYS = frozenset({*(str(n) for n in range(1, 10)), "y"})
"""Keys that open (1–9) or copy (y) a source while an answer or a source has the focus:
a digit that names none of the answer's sources is typed, as the start of a question."""


class ChatScreen(Screen[None]):
    CSS_PATH = "../styles/chat.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "toggle_focus", "key_sources", key_display="Esc"),
        Binding("ctrl+n", "new", "key_new"),
        Binding("f3", "history", "key_history"),
        Binding("ctrl+y", "copy_answer", "key_copy_answer"),
        Binding("y", "copy_quote", "key_copy_quote", show=False),
        Binding("slash", "focus_input", "key_ask", show=False),
        *[Binding(str(n), f"open_citation({n})", "key_open_citation" if n == 1 else "",
                  show=False, key_display="1–9") for n in range(1, 10)],
    ]

    class AskStarted(Message):
        pass

    class AskStreamed(Message):
        """More of the answer's text as the LLM writes it (a preview)."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class AskDone(Message):
        def __init__(self, conversation: Conversation, answer: Answer) -> None:
            super().__init__()
            self.conversation, self.answer = conversation, answer

    class AskFailed(Message):
        def __init__(self, error: BaseException) -> None:
            super().__init__()
            self.error = error

    class HistoryLoaded(Message):
        def __init__(self, infos: list[ConversationInfo]) -> None:
            super().__init__()
            self.infos = infos

    class Resumed(Message):
        def __init__(self, conversation: Conversation, turns: list[Turn]) -> None:
            super().__init__()
            self.conversation, self.turns = conversation, turns

    class StoreFailed(Message):
        def __init__(self, error: BaseException) -> None:
            super().__init__()
            self.error = error

    def __init__(self) -> None:
        super().__init__()
        self.conversation: Conversation | None = None
        self.selected: Answer | None = None
        self._queue: list[tuple[str, SearchFilter | None]] = []
        self._asking = False

    @property
    def committee(self) -> CommitteeApp:
        return self.app  # type: ignore[return-value]

    @property
    def strings(self) -> Strings:
        return self.committee.strings

    def compose(self) -> ComposeResult:
        s = self.strings
        yield Header()
        with Horizontal(id="chat-body"):
            yield HistorySidebar(s["history_title"], id="history", classes="-hidden")
            with Vertical(id="conversation-pane"):
                yield Transcript(id="transcript")
                yield BuildStatus(id="build-status")
                yield QuestionInput(placeholder=s["input_placeholder"], id="question")
            yield SourcesPanel(id="sources")
        yield Footer()

    def on_mount(self) -> None:
        translate_tree(self, self.strings)
        self._welcome()
        self._show_sources(None)
        self.query_one(QuestionInput).focus()

    def _welcome(self) -> None:
        self.query_one(Transcript).mount(Markdown(self.strings["welcome"], id="welcome"))

    def relabel(self) -> None:
        """The UI language changed: retranslate what this screen wrote."""
        translate_tree(self, self.strings)
        self.query_one(QuestionInput).placeholder = self.strings["input_placeholder"]
        self.query_one(HistorySidebar).retitle(self.strings["history_title"])
        self.query_one(BuildStatus).relabel()
        self._refresh_history()  # "3 轮" or "3 turns"
        self._show_sources(self.selected)
        for view in self.query(AnswerView):
            view.relabel(not_supported=self.strings["not_supported"],
                         understood_as=self._understood_as(view.answer))
        self.refresh_bindings()

    # -- asking ------------------------------------------------------------------------
    @on(QuestionInput.Submitted, "#question")
    def _submitted(self, event: QuestionInput.Submitted) -> None:
        event.stop()
        question = event.value.strip()
        box = self.query_one(QuestionInput)
        box.value = ""
        if question:
            box.remember(question)
        transcript = self.query_one(Transcript)
        for welcome in transcript.query("#welcome"):
            welcome.remove()
        transcript.add_question(question, self.strings["thinking"])
        self._queue.append((question, self.committee.search_filter))
        self.send_queued()

    def send_queued(self) -> None:
        if self._asking or not self._queue or not self.committee.ready:
            return
        question, flt = self._queue.pop(0)
        self._asking = True
        self.ask(question, flt)

    def on_screen_resume(self) -> None:
        """Back from the viewer, the library or any other screen: typing goes on in the
        question box (what was typed before is still there), unless the history list
        had the focus (as after renaming a conversation)."""
        if not self._in(self.focused, HistorySidebar):
            self.query_one(QuestionInput).focus()
        self.send_queued()

    # -- typing anywhere -------------------------------------------------------------------
    def claim_typing(self, event: events.Key) -> None:
        """Called by the app before a key is delivered: a printable key typed outside a
        text field moves the focus to the question box, at once, so that this key and
        every key after it are typed there in order. Keys the focused panel answers
        itself stay with it: 1–9 (of a source the answer has) and y on an answer or a
        source, r and d in the history."""
        if not event.is_printable:
            return
        focused = self.focused
        if isinstance(focused, (TextArea, Input)) or self._panel_key(focused, event.key):
            return
        self.set_focus(self.query_one(QuestionInput), scroll_visible=False)

    def _panel_key(self, focused: Widget | None, key: str) -> bool:
        if focused is None:
            return False
        if key in SOURCE_KEYS:
            return self._in(focused, AnswerView, SourcesPanel) and \
                (key == "y" or self._citation(int(key)) is not None)
        if key == "slash":
            return True
        return any(key in node._bindings.key_to_bindings for node in focused.ancestors_with_self
                   if isinstance(node, Widget) and node is not self)

    @staticmethod
    def _in(widget: Widget | None, *kinds: type[Widget]) -> bool:
        return widget is not None and any(isinstance(node, kinds)
                                          for node in widget.ancestors_with_self)

    @work(exclusive=True, group="ask", thread=True)
    def ask(self, question: str, flt: SearchFilter | None) -> None:
        """Ask through the public API; the answer's text as it is written, then the
        answer (or the error) come back as messages."""
        self.post_message(self.AskStarted())
        worker = get_current_worker()
        try:
            conversation = self.conversation or self.committee.assistant.conversation()
            for item in conversation.ask_stream(question, flt):
                if worker.is_cancelled:  # the app is closing
                    return
                if isinstance(item, Answer):
                    self.post_message(self.AskDone(conversation, item))
                else:
                    self.post_message(self.AskStreamed(item))
        except Exception as exc:  # shown as a notification, never a traceback
            self.post_message(self.AskFailed(exc))

    @on(AskStreamed)
    async def _streamed(self, event: AskStreamed) -> None:
        await self.query_one(Transcript).stream(event.text)

    @on(AskDone)
    def _answered(self, event: AskDone) -> None:
        self._asking = False
        self.conversation = event.conversation
        self._add_answer(event.answer)
        self._show_sources(event.answer)
        for note in event.answer.notes:  # e.g. the LLM was unreachable: say so, loudly
            self.notify(note, severity="warning", timeout=12)
        self._refresh_history()
        self.send_queued()

    @on(AskFailed)
    def _failed(self, event: AskFailed) -> None:
        self._asking = False
        self.query_one(Transcript).drop_pending()
        self.committee.report_error(event.error)
        self.send_queued()

    def _add_answer(self, answer: Answer) -> None:
        s = self.strings
        view = AnswerView(answer, not_supported=s["not_supported"],
                          understood_as=self._understood_as(answer))
        self.query_one(Transcript).add_answer(view)

    def _understood_as(self, answer: Answer) -> str:
        return self.strings.f("understood_as", question=answer.resolved_question or "")

    # -- sources -----------------------------------------------------------------------
    def _show_sources(self, answer: Answer | None) -> None:
        self.selected = answer
        s = self.strings
        self.query_one(SourcesPanel).show(answer, title=s["sources"], empty=s["no_sources"],
                                          see_also=s["see_also"])

    @on(AnswerView.Selected)
    def _answer_selected(self, event: AnswerView.Selected) -> None:
        if event.view.answer is not self.selected:
            self._show_sources(event.view.answer)

    def _citations(self) -> list[Citation]:
        if self.selected is None:
            return []
        return self.selected.citations or self.selected.see_also

    def _citation(self, n: int) -> Citation | None:
        citations = self._citations()
        chosen = next((c for c in citations if c.n == n), None)
        if chosen is None and self.selected is not None and not self.selected.citations \
                and 0 < n <= len(citations):
            chosen = citations[n - 1]  # see-also passages, numbered in order
        return chosen

    def action_open_citation(self, n: int) -> None:
        chosen = self._citation(n)
        if chosen is None:
            self.notify(self.strings.f("no_citation", n=n), severity="warning")
            return
        self.app.push_screen(DocumentScreen(chosen))

    @on(CitationCard.Chosen)
    def _card_chosen(self, event: CitationCard.Chosen) -> None:
        event.stop()
        self.app.push_screen(DocumentScreen(event.citation))

    def action_copy_answer(self) -> None:
        if self.selected is None:
            self.notify(self.strings["nothing_to_copy"], severity="warning")
            return
        self.app.copy_to_clipboard(self.selected.text)
        self.notify(self.strings["copied_answer"])

    def action_copy_quote(self) -> None:
        focused = self.focused
        citation = focused.citation if isinstance(focused, CitationCard) else \
            next(iter(self._citations()), None)
        if citation is None:
            self.notify(self.strings["nothing_to_copy"], severity="warning")
            return
        self.app.copy_to_clipboard(citation.quote)
        self.notify(self.strings["copied_quote"])

    def action_toggle_focus(self) -> None:
        """Esc: from the question line to the latest answer (digits then open its
        sources), and back."""
        box = self.query_one(QuestionInput)
        answers = self.query_one(Transcript).answers
        if self.focused is box and answers:
            target = next((a for a in answers if a.answer is self.selected), answers[-1])
            target.focus()
        else:
            box.focus()

    def action_focus_input(self) -> None:
        self.query_one(QuestionInput).focus()

    # -- conversations -----------------------------------------------------------------
    def action_new(self) -> None:
        self.conversation = None
        self._queue.clear()
        transcript = self.query_one(Transcript)
        transcript.remove_children()
        self._welcome()
        self._show_sources(None)
        self.query_one(QuestionInput).focus()
        self.notify(self.strings["new_conversation"])

    def action_history(self) -> None:
        sidebar = self.query_one(HistorySidebar)
        if sidebar.has_class("-hidden"):
            sidebar.remove_class("-hidden")
            self._refresh_history()
            sidebar.focus_list()
        else:
            sidebar.add_class("-hidden")
            self.query_one(QuestionInput).focus()

    def _refresh_history(self) -> None:
        if not self.query_one(HistorySidebar).has_class("-hidden"):
            self.load_history()

    @work(exclusive=True, group="history", thread=True)
    def load_history(self) -> None:
        try:
            self.post_message(self.HistoryLoaded(self.committee.assistant.conversations()))
        except Exception as exc:
            self.post_message(self.StoreFailed(exc))

    @on(HistoryLoaded)
    def _history_loaded(self, event: HistoryLoaded) -> None:
        s = self.strings
        self.query_one(HistorySidebar).show(
            event.infos, empty=s["history_empty"], untitled=s["history_untitled"],
            turns=lambda n: s.count("history_turns", n),
            current=self.conversation.id if self.conversation else None)

    @on(HistorySidebar.Resume)
    def _resume(self, event: HistorySidebar.Resume) -> None:
        self.resume(event.conversation_id)

    @work(exclusive=True, group="history", thread=True)
    def resume(self, conversation_id: str) -> None:
        try:
            conversation = self.committee.assistant.conversation(conversation_id)
            self.post_message(self.Resumed(conversation, conversation.turns))
        except Exception as exc:
            self.post_message(self.StoreFailed(exc))

    @on(Resumed)
    def _resumed(self, event: Resumed) -> None:
        self.conversation = event.conversation
        self._queue.clear()
        transcript = self.query_one(Transcript)
        transcript.remove_children()
        box = self.query_one(QuestionInput)
        for turn in event.turns:
            transcript.mount(QuestionView(turn.question))
            self._add_answer(turn.answer)
            box.remember(turn.question)
        last = event.turns[-1].answer if event.turns else None
        self._show_sources(last)
        title = next((t.question for t in event.turns), event.conversation.id)
        self.notify(self.strings.f("resumed", title=title))
        box.focus()

    @on(HistorySidebar.Rename)
    def _rename(self, event: HistorySidebar.Rename) -> None:
        def renamed(title: str | None) -> None:
            if title:
                self.store_change(event.info.id, title)

        self.app.push_screen(PromptScreen(self.strings["rename_title"], event.info.title),
                             renamed)

    @on(HistorySidebar.Delete)
    def _delete(self, event: HistorySidebar.Delete) -> None:
        if self.conversation is not None and self.conversation.id == event.info.id:
            self.action_new()
        self.store_change(event.info.id, None)
        self.notify(self.strings["conversation_deleted"])

    @work(exclusive=True, group="history", thread=True)
    def store_change(self, conversation_id: str, title: str | None) -> None:
        """Rename (a title) or delete (None) a saved conversation, then list them again."""
        try:
            store = self.committee.assistant.conversation_store
            if title is None:
                store.delete(conversation_id)
            else:
                store.rename(conversation_id, title)
            self.post_message(self.HistoryLoaded(self.committee.assistant.conversations()))
        except Exception as exc:
            self.post_message(self.StoreFailed(exc))

    @on(StoreFailed)
    def _store_failed(self, event: StoreFailed) -> None:
        self.committee.report_error(event.error)
