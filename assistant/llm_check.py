"""`committee-assistant llm check`: one question, end to end, through the configured model.

A delegate pointing the assistant at a model server wants to know, before asking anything
that matters, whether the server answers, how fast, and whether its replies survive the
checks. This sends one question with its retrieved passages exactly as `ask` would, and
reports latency, tokens, whether the reply parsed and whether its quotes were found, with
one line saying what to do about each failure.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.grounding import MalformedReply, RejectedReply, ground, parse_reply
from assistant.llm import LLMAnswerer, LLMSettings, describe_failure
from assistant.llm_call import Exchange, is_timeout, status_of
from index.errors import BackendError
from index.passages import Passage

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

# Answered by the shipped records (S/2020/347, annex, paragraph 6), in Chinese as they are.
CHECK_QUESTION = "委员会 2019 年收到的新援助请求有多少份？"

Problem = Literal["setup", "unreachable", "unauthorised", "unknown_model", "timeout",
                  "server_error", "no_json", "quotes_not_found"]


class LLMCheck(BaseModel):
    """What one question through the configured model came to."""

    model_config = ConfigDict(extra="forbid")

    model: str
    endpoint: str
    question: str
    output: str = Field(description="json_schema or json_object: how the server was held to "
                                    "the schema; prompt: the prompt alone asked for JSON.")
    latency_s: float | None = None
    first_token_s: float | None = None
    tokens: int | None = None
    prompt_tokens: int | None = None
    finish: str | None = None
    parsed: bool = False
    citations: int = 0
    verified: int = 0
    answer: str | None = None
    problems: list[tuple[Problem, str]] = Field(
        default_factory=list, description="Each failure and the line that says what to do.")

    @property
    def ok(self) -> bool:
        return self.parsed and self.verified > 0 and not self.problems


def check_llm(settings: LLMSettings, passages: Sequence[Passage], *,
              question: str = CHECK_QUESTION, language: str = "zh",
              chat_model: BaseChatModel | None = None,
              titles: Mapping[str, str] | None = None) -> LLMCheck:
    """Ask `question` of the model `settings` name, with `passages`, and say how it went."""
    report = LLMCheck(model=settings.model, endpoint=settings.base_url or "(provider default)",
                      question=question, output=settings.output)
    try:
        answerer = LLMAnswerer(settings, chat_model, titles=titles)
    except BackendError as exc:
        report.problems.append(("setup", str(exc)))
        return report
    ex = Exchange()
    try:
        for _ in answerer.reply(answerer.messages(question, passages, language=language), ex):
            pass
    except Exception as exc:
        report.problems.append(_failure(exc, settings))
        return _timed(report, ex)
    finally:
        report.output = ex.style or "prompt"
    _timed(report, ex)
    try:
        reply = parse_reply(ex.text)
    except MalformedReply as exc:
        report.problems.append(("no_json", _no_json(str(exc), ex, settings)))
        return report
    report.parsed = True
    report.answer = reply.answer
    report.citations = len(reply.citations)
    try:
        grounded = ground(reply, list(passages), question=question,
                          title_of=lambda p: (titles or {}).get(p.doc_id, p.doc_label))
    except RejectedReply as exc:
        report.problems.append(("quotes_not_found", _unverified(str(exc))))
        return report
    report.verified = len(grounded.citations)
    if reply.supported and grounded.dropped:
        report.problems.append(("quotes_not_found", _unverified("; ".join(grounded.dropped))))
    elif not reply.supported:
        report.problems.append(("quotes_not_found", "The model said the passages do not answer "
                                "a question they answer (S/2020/347, annex, paragraph 6): a "
                                "larger model reads them better."))
    return report


def _timed(report: LLMCheck, ex: Exchange) -> LLMCheck:
    report.latency_s = round(ex.elapsed_s, 2)
    report.first_token_s = round(ex.first_chunk_s, 2) if ex.first_chunk_s is not None else None
    report.tokens = ex.tokens if ex.attempts else None
    report.prompt_tokens = ex.input_tokens
    report.finish = ex.finish
    return report


def _failure(exc: Exception, settings: LLMSettings) -> tuple[Problem, str]:
    said = describe_failure(exc, settings)
    where = settings.base_url or f"the {settings.provider} default endpoint"
    name = settings.model.split(":", 1)[1]
    status = status_of(exc)
    text = str(exc).lower()
    if is_timeout(exc):
        return "timeout", (f"{said}. Raise answer.llm.timeout_s, lower answer.llm.max_tokens, "
                           "or use a smaller or faster model.")
    if status in (401, 403):
        return "unauthorised", (f"{said}. The server refused the API key: set "
                                "COMMITTEE_ASSISTANT_ANSWER__LLM__API_KEY or answer.llm."
                                "api_key_file (chmod 600).")
    if status == 404 or re.search(r"model\b.*\b(not found|does not exist|unknown)", text):
        return "unknown_model", (f"{said}. The server does not serve {name!r}: set answer.llm."
                                 f"model to one it does (GET {where}/models lists them; for "
                                 f"Ollama: ollama pull {name}).")
    if said.startswith("LLM backend unreachable"):
        return "unreachable", (f"{said}. Is the server running and listening there? Start it, "
                               "or fix answer.llm.base_url (OpenAI-compatible servers end in "
                               "/v1; Ollama's is http://127.0.0.1:11434).")
    return "server_error", f"{said}. See the server's log."


def _no_json(why: str, ex: Exchange, settings: LLMSettings) -> str:
    if ex.finish == "length":
        return (f"The reply stopped at answer.llm.max_tokens = {settings.max_tokens} before its "
                f"JSON was complete ({why}): raise it, or set answer.llm.output = "
                "\"json_schema\" so that the model cannot ramble.")
    hint = ("the server was held to the schema and still wrote something else: check that "
            "it supports response_format with a json_schema" if ex.constrained else
            "set answer.llm.output = \"json_schema\" if the server supports it, or use a model "
            "that follows the prompt")
    return f"The reply is not the answer's JSON object ({why}): {hint}."


def _unverified(why: str) -> str:
    return (f"The model's quotes are not in the passages it cites ({why}): such answers fall "
            "back to the extractive reader. A larger model quotes more faithfully.")
