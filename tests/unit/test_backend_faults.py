"""The LLM server misbehaving, seen through the real OpenAI client and the whole Assistant:
refusals, timeouts, broken bodies, prose instead of JSON. Each gives the extractive answer
with a note saying what went wrong, within the timeout, and the next question is served."""

from __future__ import annotations

import json
import re
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest
from stubs import ChatBehaviour, StubState, openai_stub

from assistant import Answer, Assistant
from assistant.llm import LLMSettings
from assistant.settings import AnswerSettings

QUESTION = "委员会 2019 年收到的新援助请求有多少份？"
FACT = "委员会收到了12份新的援助请求"


def grounded_reply(body: dict[str, Any]) -> str:
    """What a well-behaved model replies: the fact, quoted from the passage that holds it."""
    prompt = body["messages"][-1]["content"]
    for n, text in re.findall(r'<passage n="(\d+)"[^>]*>\n(.*?)\n</passage>', prompt, re.S):
        if FACT in text:
            return json.dumps({"answer": f"2019年，{FACT} [1]。", "supported": True,
                               "citations": [{"n": 1, "passage": int(n), "quote": FACT}]},
                              ensure_ascii=False)
    return json.dumps({"answer": "记录中没有。", "supported": False, "citations": []})


@pytest.fixture
def stub(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, StubState]]:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with openai_stub() as served:
        yield served


def llm_assistant(shared_index: Assistant, base_url: str, timeout_s: float = 2) -> Assistant:
    llm = LLMSettings(model="openai:stub-model", base_url=base_url, timeout_s=timeout_s,
                      max_retries=0)
    settings = shared_index.settings.model_copy(
        update={"answer": AnswerSettings(backend="llm", llm=llm)})
    return Assistant(settings)


def local_work_s(shared_index: Assistant) -> float:
    """What answering takes here without the model (retrieval, the extractive fallback),
    measured now: a busy machine is slower, and the budgets below grow with it. The
    timeouts are what is checked, not the machine's speed."""
    started = time.perf_counter()
    with Assistant(shared_index.settings) as fresh:  # opened as each test's assistant is
        fresh.ask(QUESTION)
    return time.perf_counter() - started


def assert_extractive_fallback(answer: Answer, reason: str) -> None:
    assert answer.backend == "extractive"
    assert answer.supported and answer.text.startswith("**12份**")
    assert any(re.match(reason, note) for note in answer.notes), answer.notes


def test_a_well_behaved_server_answers_with_verified_citations(
        shared_index: Assistant, stub: tuple[str, StubState]) -> None:
    url, state = stub
    state.chat = ChatBehaviour(content=grounded_reply)
    answer = llm_assistant(shared_index, url).ask(QUESTION)
    assert answer.backend.startswith("llm") and answer.supported
    assert FACT in answer.citations[0].quote and FACT in answer.citations[0].passage


@pytest.mark.parametrize(("behaviour", "reason"), [
    (ChatBehaviour(delay_s=4, content=grounded_reply),
     r"LLM backend timed out after 1 s \(\w*Timeout\w*; the request was cancelled, not retried\)"),
    (ChatBehaviour(status=500), r"LLM backend failed \(\w*Error: Error code: 500"),
    (ChatBehaviour(status=429), r"LLM backend failed \(\w*RateLimitError: Error code: 429"),
    # streamed, a body that is no event stream gives no reply text at all
    (ChatBehaviour(raw_body=b"<html>Bad gateway</html>"),
     r"LLM output was malformed \(no JSON object in the reply: ''\)"),
    (ChatBehaviour(raw_body=b'{"choices": [{"message": {"content": '),
     r"LLM output was malformed \(no JSON object in the reply: ''\)"),
    (ChatBehaviour(content="Sure! In 2019 the committee got 12 requests."), "LLM output was malformed"),
    (ChatBehaviour(content='{"answer": "12", "supported": true, "citations": [{"n": 1}]}'),
     "LLM output was malformed"),
], ids=["timeout", "http-500", "http-429", "html-body", "truncated-json-body", "prose",
        "citation-missing-fields"])
def test_a_failing_server_gives_the_extractive_answer_within_the_timeout_and_serving_goes_on(
        shared_index: Assistant, stub: tuple[str, StubState], behaviour: ChatBehaviour,
        reason: str) -> None:
    url, state = stub
    assistant = llm_assistant(shared_index, url, timeout_s=1)
    state.chat = behaviour
    local = local_work_s(shared_index)
    started = time.perf_counter()
    answer = assistant.ask(QUESTION)
    assert time.perf_counter() - started < 1 + 2 + 3 * local  # the timeout, the local work
    assert_extractive_fallback(answer, reason)

    state.chat = ChatBehaviour(content=grounded_reply)  # the server recovers
    assert assistant.ask(QUESTION).backend.startswith("llm")


def test_a_server_refusing_connections_gives_the_extractive_answer(
        shared_index: Assistant, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    answer = llm_assistant(shared_index, f"http://127.0.0.1:{port}/v1").ask(QUESTION)
    assert_extractive_fallback(answer, r"LLM backend unreachable \(")
    assert f"127.0.0.1:{port}" in answer.notes[-1]


def test_a_stream_that_stalls_past_the_timeout_gives_the_extractive_answer_with_a_note(
        shared_index: Assistant, stub: tuple[str, StubState]) -> None:
    url, state = stub
    state.chat = ChatBehaviour(content=grounded_reply, chunk_delay_s=3)  # 1 s timeout below
    local = local_work_s(shared_index)
    started = time.perf_counter()
    items = list(llm_assistant(shared_index, url, timeout_s=1).ask_stream(QUESTION))
    answer = items[-1]
    assert isinstance(answer, Answer)
    # one chunk, the timeout, the local work
    assert time.perf_counter() - started < 3 + 1 + 2 + 3 * local
    assert_extractive_fallback(answer, r"LLM backend timed out after 1 s")


def test_a_slow_but_steady_stream_arrives_in_pieces_and_is_verified(
        shared_index: Assistant, stub: tuple[str, StubState]) -> None:
    url, state = stub
    state.chat = ChatBehaviour(content=grounded_reply, chunk_delay_s=0.05)
    *pieces, answer = llm_assistant(shared_index, url).ask_stream(QUESTION)
    assert len(pieces) >= 3 and all(isinstance(p, str) for p in pieces)
    assert isinstance(answer, Answer) and answer.backend.startswith("llm")
    assert FACT in "".join(pieces) and FACT in answer.citations[0].passage


def test_every_request_is_streamed_bounded_and_held_to_the_answer_schema(
        shared_index: Assistant, stub: tuple[str, StubState]) -> None:
    url, state = stub
    state.chat = ChatBehaviour(content=grounded_reply)
    assert llm_assistant(shared_index, url).ask(QUESTION).backend.startswith("llm")
    [request] = state.requests
    assert request["stream"] is True, "streamed, so that giving up stops the server"
    assert request["max_tokens"] == LLMSettings().max_tokens
    assert request["response_format"]["type"] == "json_schema"
    assert request["response_format"]["json_schema"]["schema"]["required"] == [
        "answer", "supported", "citations"]


@pytest.mark.parametrize(("refused", "asked"), [
    (("json_schema",), ["json_schema", "json_object", "json_object"]),  # llama-cpp-python
    (("json_schema", "json_object"), ["json_schema", "json_object", None, None]),
], ids=["json-object-only", "no-schema-at-all"])
def test_a_server_that_refuses_a_schema_style_is_asked_the_way_it_accepts_from_then_on(
        shared_index: Assistant, stub: tuple[str, StubState], refused: tuple[str, ...],
        asked: list[str | None]) -> None:
    url, state = stub
    state.chat = ChatBehaviour(content=grounded_reply, refuse_formats=refused)
    assistant = llm_assistant(shared_index, url)
    assert assistant.ask(QUESTION).backend.startswith("llm")
    assert assistant.ask(QUESTION).backend.startswith("llm")
    assert [r.get("response_format", {}).get("type") for r in state.requests] == asked


def test_a_timed_out_request_is_cancelled_not_retried(
        shared_index: Assistant, stub: tuple[str, StubState]) -> None:
    url, state = stub
    # a server that trickles: each piece in time, the whole far too slow
    state.chat = ChatBehaviour(content=grounded_reply, chunk_delay_s=0.2)
    llm = LLMSettings(model="openai:stub-model", base_url=url, timeout_s=1, max_retries=3)
    settings = shared_index.settings.model_copy(
        update={"answer": AnswerSettings(backend="llm", llm=llm)})
    assistant = Assistant(settings)
    local = local_work_s(shared_index)
    started = time.perf_counter()
    answer = assistant.ask(QUESTION)
    assert time.perf_counter() - started < 1 + 2 + 3 * local  # the deadline, the local work
    assert_extractive_fallback(answer, r"LLM backend timed out after 1 s \(DeadlineExceeded; "
                                       r"the request was cancelled, not retried\)")
    assert len(state.requests) == 1, "never retried"
    deadline = time.perf_counter() + 3
    while not state.disconnects and time.perf_counter() < deadline:
        time.sleep(0.05)
    assert state.disconnects == 1, "the connection was closed: the server stops generating"
