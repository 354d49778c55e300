"""`committee-assistant llm check` against a local stand-in for a model server: what a
delegate sees when the configured model works, and the one line that says what to do when
it does not. The OpenAI client is real; nothing leaves the machine."""

from __future__ import annotations

import contextlib
import json
import socket
from collections.abc import Iterator
from typing import Any

import pytest
import typer
from stubs import ChatBehaviour, StubState, openai_stub
from test_backend_faults import FACT, grounded_reply
from typer.testing import CliRunner

from assistant import Assistant, cli_llm
from assistant.llm import LLMSettings
from assistant.llm_check import CHECK_QUESTION, LLMCheck
from assistant.settings import AnswerSettings


@pytest.fixture
def stub(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, StubState]]:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with openai_stub() as served:
        yield served


def checked(shared_index: Assistant, base_url: str, **llm: Any) -> LLMCheck:
    settings = shared_index.settings.model_copy(update={"answer": AnswerSettings(
        llm=LLMSettings(model="openai:stub-model", base_url=base_url, **llm))})
    with Assistant(settings) as assistant:  # the extractive backend: check asks all the same
        return assistant.check_llm()


def test_a_working_model_is_reported_with_its_latency_tokens_and_verified_quotes(
        shared_index: Assistant, stub: tuple[str, StubState]) -> None:
    url, state = stub
    state.chat = ChatBehaviour(content=grounded_reply)
    report = checked(shared_index, url)

    assert report.ok and report.problems == []
    assert report.parsed and (report.verified, report.citations) == (1, 1)
    assert report.output == "json_schema" and report.finish == "stop"
    assert report.latency_s is not None and report.latency_s < 5
    assert report.tokens and report.tokens > 3
    assert FACT in (report.answer or "")
    [request] = state.requests
    assert CHECK_QUESTION in request["messages"][-1]["content"]


def unreachable_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}/v1"


@pytest.mark.parametrize(("behaviour", "problem", "says"), [
    (None, "unreachable", "Is the server running and listening there?"),
    (ChatBehaviour(status=401), "unauthorised", "COMMITTEE_ASSISTANT_ANSWER__LLM__API_KEY"),
    (ChatBehaviour(status=404), "unknown_model", "The server does not serve 'stub-model'"),
    (ChatBehaviour(delay_s=3), "timeout", "Raise answer.llm.timeout_s"),
    (ChatBehaviour(status=500), "server_error", "See the server's log."),
    (ChatBehaviour(content="Sure! The Committee received 12 requests."), "no_json",
     "The reply is not the answer's JSON object (no JSON object in the reply"),
    (ChatBehaviour(content=json.dumps({"answer": "委员会收到了15份请求 [1]。", "supported": True,
                                       "citations": [{"n": 1, "passage": 1,
                                                      "quote": "委员会收到了15份新的援助请求"}]},
                                      ensure_ascii=False)),
     "quotes_not_found", "The model's quotes are not in the passages it cites"),
], ids=["unreachable", "unauthorised", "unknown-model", "timeout", "server-error", "no-json",
        "quotes-not-found"])
def test_each_failure_gets_one_line_that_says_what_to_do(
        shared_index: Assistant, stub: tuple[str, StubState], behaviour: ChatBehaviour | None,
        problem: str, says: str) -> None:
    url, state = stub
    if behaviour is None:
        url = unreachable_url()
    else:
        state.chat = behaviour
    report = checked(shared_index, url, timeout_s=1, max_retries=0)

    assert not report.ok
    [(kind, line)] = report.problems
    assert kind == problem and says in line and "\n" not in line


def test_a_reply_cut_at_the_bound_says_to_raise_it(
        shared_index: Assistant, stub: tuple[str, StubState]) -> None:
    url, state = stub
    state.chat = ChatBehaviour(content='{"answer": "' + "委员会收到了援助请求，" * 100)
    report = checked(shared_index, url, max_tokens=20)
    [(kind, line)] = report.problems
    assert kind == "no_json" and report.finish == "length" and report.tokens == 20
    assert line.startswith("The reply stopped at answer.llm.max_tokens = 20")


def test_the_command_prints_the_report_and_exits_by_whether_the_model_can_be_used(
        shared_index: Assistant, stub: tuple[str, StubState],
        monkeypatch: pytest.MonkeyPatch) -> None:
    url, state = stub
    settings = shared_index.settings.model_copy(update={"answer": AnswerSettings(
        llm=LLMSettings(model="openai:stub-model", base_url=url, timeout_s=2))})
    app = typer.Typer()
    app.add_typer(cli_llm.llm_app, name="llm")
    with Assistant(settings) as assistant:
        monkeypatch.setattr(cli_llm, "_assistant", lambda: contextlib.nullcontext(assistant))
        state.chat = ChatBehaviour(content=grounded_reply)
        result = CliRunner().invoke(app, ["llm", "check"])
        assert result.exit_code == 0, result.output
        assert f"model      openai:stub-model at {url}" in result.output
        assert "verified   1 of 1 citations" in result.output and "latency " in result.output
        assert "✓ the model's answers can be used" in result.output

        state.chat = ChatBehaviour(content="no JSON here")
        result = CliRunner().invoke(app, ["llm", "check"])
        assert result.exit_code == 1
        assert "parsed     no" in result.output and "✗ no_json: " in result.output
