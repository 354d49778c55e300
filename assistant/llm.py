"""The optional LLM backend: a chat model writes the answer, the passages decide what stays.

Any LangChain chat model can answer (OpenAI, an OpenAI-compatible server such as vLLM,
llama.cpp or LM Studio, Ollama ...), chosen by `LLMSettings.model` ("provider:model").
The model is asked for a small JSON object rather than through tool calling, so that every
server and LangChain's fake chat models behave alike; `assistant.grounding` then verifies
each quote against its passage. Whatever goes wrong (no server, a timeout, prose instead
of JSON, quotes that are not in the passages, a fabricated symbol) the caller's fallback
answer is returned with a one-line note saying why: the LLM can improve an answer, never
make it less trustworthy than the extractive one.

`answer_stream` is the same answer with the model's words shown as they come: the text of
the reply's "answer" field, read from the JSON as it grows, is a preview only; the
verified answer (or the fallback) replaces it once the reply is complete.

LangChain is imported by the functions that talk to a model, not by this module: the
settings import `LLMSettings`, and the UI starts before anyone asks.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator

from assistant.answers import Answer, Citation, LLMFallback, Timings
from assistant.grounding import (
    ANSWER_SCHEMA,
    MalformedReply,
    RejectedReply,
    ground,
    parse_reply,
    partial_answer,
)
from assistant.llm_call import (
    Exchange,
    SchemaStyle,
    complete,
    failure_cause,
    is_timeout,
    refused_schema,
    stream_reply,
)
from assistant.prompts import load_prompt
from index.errors import BackendError
from index.passages import Passage
from index.secrets import read_key_file

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import BaseMessage

log = logging.getLogger(__name__)

MAX_TOKENS = 800  # an answer with its quotes, with room; see LLMSettings.max_tokens
CONDENSE_TOKENS = 160  # one rewritten question
HISTORY_TURNS = 3  # earlier exchanges shown to the model; older ones rarely matter
HISTORY_CHARS = 600  # of each earlier answer: enough to resolve "they", short enough to stay cheap
SEE_ALSO = 3
# Model families trained without a system role: their chat templates fold the system text
# into the first user turn (Gemma's own template) or drop it (llama-cpp-python's "gemma").
NO_SYSTEM_ROLE = re.compile(r"gemma", re.IGNORECASE)
NO_PASSAGES = "no passages were retrieved, so the LLM was not asked"
# Tags the prompts use to fence data. A record that contains one is defanged before it is
# shown, so that retrieved text cannot close the data section and speak as the user.
_FENCE_TAG = re.compile(r"<(\s*/?\s*(?:retrieved_passages|passage|conversation|follow_up)\b)",
                        re.IGNORECASE)
_LABEL = re.compile(r"^(?:standalone question|rewritten question|question|改写后的问题|问题)\s*[:：]\s*",
                    re.IGNORECASE)


class LLMSettings(BaseModel):
    """Which chat model answers when the LLM backend is chosen, and how it is reached."""

    model_config = ConfigDict(extra="forbid")

    model: str = Field(
        default="ollama:qwen2.5:7b", pattern=r"^[A-Za-z][\w-]*:\S+$",
        description="'provider:model' as LangChain's init_chat_model reads it, e.g. "
                    "'openai:gpt-4o-mini' or 'ollama:qwen2.5:7b'. Use 'openai:<name>' with "
                    "`base_url` for OpenAI-compatible servers (vLLM, llama.cpp, LM Studio).")
    base_url: str | None = Field(
        default=None,
        description="Endpoint of the model server, e.g. 'http://127.0.0.1:8000/v1' for vLLM "
                    "or 'http://127.0.0.1:11434' for Ollama; None: the provider's default.")
    api_key: SecretStr | None = Field(
        default=None,
        description="API key, from the environment only "
                    "(COMMITTEE_ASSISTANT_ANSWER__LLM__API_KEY); None: `api_key_file`, else "
                    "the provider's usual variable (OPENAI_API_KEY ...). Local servers need none.")
    api_key_file: Path | None = Field(
        default=None, description="File holding the API key, readable by its owner only "
                                  "(chmod 600).")
    timeout_s: float = Field(
        default=60.0, gt=0,
        description="Seconds one model reply may take, from the request to its last token; "
                    "then the request is cancelled (the server stops) and the extractive "
                    "answer is shown. Never retried.")
    max_tokens: int = Field(
        default=MAX_TOKENS, gt=0,
        description="Most tokens the model may generate for one answer (sent as max_tokens, "
                    "Ollama's num_predict ...). An answer with three quoted citations takes "
                    "about 300-500; a model that runs on stops here instead of at the timeout.")
    output: Literal["auto", "json_schema", "json_object", "prompt"] = Field(
        default="auto",
        description="How the reply is kept to the answer's JSON: json_schema, the server "
                    "constrains it (OpenAI-compatible response_format of type json_schema, "
                    "Ollama's format); json_object, response_format {type: json_object, "
                    "schema} as llama-cpp-python's server reads it; prompt, the prompt alone "
                    "asks for it; auto, json_schema then json_object for OpenAI-compatible "
                    "servers (whichever the server accepts) and Ollama, prompt elsewhere.")
    system_prompt: Literal["auto", "system", "user_turn"] = Field(
        default="auto",
        description="How the instructions reach the model: system, as a system message; "
                    "user_turn, at the head of the first user message, for models whose chat "
                    "format has no system role (Gemma: llama.cpp's 'gemma' format drops a "
                    "system message, so the model would never see the instructions); auto, "
                    "user_turn when the model's name says Gemma, else system.")
    temperature: float = Field(default=0.0, ge=0, le=2,
                               description="Sampling temperature; 0 keeps answers repeatable.")
    max_retries: int = Field(
        default=1, ge=0,
        description="Retries after a refused connection or an overloaded server (HTTP 429/5xx) "
                    "before any of the reply arrived; a timeout is never retried.")

    @model_validator(mode="after")
    def _key_from_file(self) -> LLMSettings:
        if self.api_key is None and self.api_key_file is not None:
            self.api_key = SecretStr(read_key_file(self.api_key_file))
        return self

    @property
    def provider(self) -> str:
        return self.model.split(":", 1)[0]

    @property
    def system_in_user_turn(self) -> bool:
        """Whether the instructions go in the first user turn (see `system_prompt`)."""
        if self.system_prompt == "auto":
            return NO_SYSTEM_ROLE.search(self.model.split(":", 1)[1]) is not None
        return self.system_prompt == "user_turn"


def make_chat_model(settings: LLMSettings) -> BaseChatModel:
    """The chat model `settings` names; `BackendError` saying what to install or fix."""
    try:
        from langchain.chat_models import init_chat_model
    except ImportError as exc:
        raise BackendError("The LLM backend needs the `langchain` package and the provider's "
                           "package: pip install langchain langchain-openai langchain-ollama") from exc
    provider, name = settings.model.split(":", 1)
    kwargs: dict[str, Any] = {"temperature": settings.temperature}
    key = settings.api_key.get_secret_value() if settings.api_key else None
    # Every request is bounded here too, for callers that use the model directly;
    # `llm_call.request_kwargs` sets the bound of each request.
    if provider == "ollama":
        client: dict[str, object] = {"timeout": settings.timeout_s}
        if key:
            client["headers"] = {"Authorization": f"Bearer {key}"}
        kwargs.update(client_kwargs=client, num_predict=settings.max_tokens)
    else:
        # The SDK never retries (it would retry a timeout); `llm_call` retries what is
        # worth retrying.
        kwargs.update(timeout=settings.timeout_s, max_retries=0)
        if provider == "openai" and settings.base_url:
            kwargs["extra_body"] = {"max_tokens": settings.max_tokens}
        else:
            kwargs["max_tokens"] = settings.max_tokens
        if key:
            kwargs["api_key"] = key
        elif settings.base_url and provider == "openai" and not os.environ.get("OPENAI_API_KEY"):
            kwargs["api_key"] = "not-needed"  # local servers ignore it; the client insists on one
    if settings.base_url:
        kwargs["base_url"] = settings.base_url
    try:
        return init_chat_model(name, model_provider=provider, **kwargs)
    except ImportError as exc:
        raise BackendError(f"LLM model {settings.model!r}: {exc}") from exc
    except Exception as exc:
        raise BackendError(
            f"LLM model {settings.model!r} could not be set up ({type(exc).__name__}: "
            f"{one_line(str(exc), settings)}). Set answer.llm.model to 'provider:model', e.g. "
            f"'openai:gpt-4o-mini' or 'ollama:qwen2.5:7b'.") from exc


class PromptPassage(BaseModel):
    """A passage as the answer prompt shows it: numbered, located, fenced as data."""

    model_config = ConfigDict(extra="forbid")

    n: int
    source: str
    date: str | None = None
    text: str


class LLMAnswerer:
    """Answers with a chat model, keeping only citations that quote their passage exactly."""

    def __init__(self, settings: LLMSettings, chat_model: BaseChatModel | None = None, *,
                 titles: Mapping[str, str] | None = None, prompts_dir: Path | None = None) -> None:
        self.settings = settings
        self.chat_model = chat_model if chat_model is not None else make_chat_model(settings)
        self.backend = f"llm:{settings.model}"
        self._titles = dict(titles or {})
        self._system = load_prompt("answer_system", prompts_dir)
        self._user = load_prompt("answer_user", prompts_dir)
        self._condense = load_prompt("condense", prompts_dir)
        # How the server is given the schema, best first; `output = "auto"` moves on when a
        # server refuses one (llama-cpp-python reads only {"type": "json_object", "schema"}).
        self._styles: list[SchemaStyle] = (
            ["json_schema", "json_object"] if settings.output == "auto"
            else [settings.output] if settings.output != "prompt" else [])

    def messages(self, question: str, passages: Sequence[Passage], *, language: str,
                 history: Sequence[tuple[str, str]] = ()) -> list[BaseMessage]:
        """The system and user messages of one answer request (public for tests and debugging)."""
        from langchain_core.messages import HumanMessage, SystemMessage

        shown = [PromptPassage(n=i, source=_as_data(p.locator), date=p.date, text=_as_data(p.text))
                 for i, p in enumerate(passages, start=1)]
        return [
            SystemMessage(self._system.render(language=language)),
            HumanMessage(self._user.render(question=_as_data(question), passages=shown,
                                           history=_recent(history))),
        ]

    def answer(self, question: str, passages: list[Passage], *, language: str,
               history: Sequence[tuple[str, str]] = (), fallback: Callable[[], Answer]) -> Answer:
        """The model's answer when the passages bear it out, else `fallback()` with a note."""
        for item in self.answer_stream(question, passages, language=language, history=history,
                                       fallback=fallback):
            if isinstance(item, Answer):
                return item
        raise AssertionError("answer_stream always ends with an Answer")

    def answer_stream(self, question: str, passages: list[Passage], *, language: str,
                      history: Sequence[tuple[str, str]] = (),
                      fallback: Callable[[], Answer]) -> Iterator[str | Answer]:
        """`answer`, streamed: the answer text in pieces as the model writes it (unchecked,
        a preview), then the checked `Answer` or the fallback, always last."""
        if not passages:
            yield _fall_back(fallback, NO_PASSAGES, "no_passages")
            return
        ex = Exchange()
        shown = ""
        try:
            for _ in self.reply(self.messages(question, passages, language=language,
                                              history=history), ex):
                preview = partial_answer(ex.text)
                if len(preview) > len(shown) and preview.startswith(shown):
                    yield preview[len(shown):]
                    shown = preview
        except Exception as exc:  # any failure of the model server is a fallback, not a crash
            log.warning("%s", self._failure(exc))
            yield _fall_back(fallback, self._failure(exc), failure_cause(exc))
            return
        yield self._checked(ex, question, passages, language, fallback)

    def reply(self, messages: list[BaseMessage], exchange: Exchange) -> Iterator[str]:
        """The model's raw reply to an answer request, in pieces (bounded, within the
        deadline, constrained to the answer's JSON where the server can be)."""
        while True:
            style = self._styles[0] if self._styles else None
            schema = self._schema() if style else None
            try:
                yield from stream_reply(self.chat_model, messages, self.settings, schema=schema,
                                        style=style or "json_schema", exchange=exchange)
                return
            except Exception as exc:
                refused = refused_schema(exc) and not exchange.chunks
                if schema is None or self.settings.output != "auto" or not refused:
                    raise
                log.info("the server refused the JSON schema as %s (%s); trying %s from now on",
                         style, self._failure(exc), self._styles[1] if len(self._styles) > 1
                         else "the prompt alone")
                self._styles.pop(0)

    def _schema(self) -> dict[str, Any] | None:
        """The answer's JSON schema when the server is to be held to it."""
        if self.settings.output == "prompt":
            return None
        if self.settings.output in ("json_schema", "json_object"):
            return ANSWER_SCHEMA
        model = self.chat_model
        served = hasattr(model, "openai_api_base") or type(model).__name__ == "ChatOllama"
        return ANSWER_SCHEMA if served else None

    def _checked(self, ex: Exchange, question: str, passages: list[Passage], language: str,
                 fallback: Callable[[], Answer]) -> Answer:
        """The reply as an `Answer` if its citations check out, else the fallback."""
        try:
            parsed = parse_reply(ex.text)
            grounded = ground(parsed, passages, question=question, title_of=self._title)
        except MalformedReply as exc:
            cut = (f"; the reply stopped at answer.llm.max_tokens = {self.settings.max_tokens}"
                   if ex.finish == "length" else "")
            return _fall_back(fallback, f"LLM output was malformed ({exc}){cut}", "malformed")
        except RejectedReply as exc:
            return _fall_back(fallback, f"LLM answer rejected: {exc}", "rejected")
        notes = []
        if grounded.dropped:
            notes.append(f"Dropped {len(grounded.dropped)} of {len(parsed.citations)} LLM "
                         f"citations that did not check out: {'; '.join(grounded.dropped)}.")
        elapsed = (time.perf_counter() - ex.started) * 1000
        return Answer(
            question=question, text=grounded.text, supported=parsed.supported,
            citations=grounded.citations,
            see_also=[] if parsed.supported else self._see_also(passages),
            backend=self.backend, language=language, notes=notes,
            timings=Timings(answer_ms=elapsed),
        )

    def condense(self, history: Sequence[tuple[str, str]], question: str) -> str:
        """The follow-up rewritten to stand alone; the question itself on any failure."""
        if not history:
            return question
        from langchain_core.messages import HumanMessage

        prompt = self._condense.render(history=_recent(history), question=_as_data(question))
        try:
            ex = complete(self.chat_model, [HumanMessage(prompt)], self.settings,
                          max_tokens=CONDENSE_TOKENS)
        except Exception as exc:
            log.info("condensing failed (%s); keeping the question", self._failure(exc))
            return question
        if ex.finish == "length":
            return question  # it ran on: whatever it wrote is not one question
        raw = ex.text
        lines = [line for line in re.sub(r"<think>.*?</think>|```\w*", "", raw, flags=re.DOTALL)
                 .splitlines() if line.strip()]
        rewritten = _LABEL.sub("", lines[0].strip()).strip(" \"'“”「」") if lines else ""
        if not rewritten or len(rewritten) > max(200, 4 * len(question)):
            return question
        return rewritten

    def _title(self, passage: Passage) -> str:
        return self._titles.get(passage.doc_id, passage.doc_label)

    def _see_also(self, passages: Sequence[Passage]) -> list[Citation]:
        """The nearest passages, each quoted by its opening sentence."""
        out = []
        for n, p in enumerate(passages[:SEE_ALSO], start=1):
            head = re.split(r"(?<=[。；！？!?])", p.text.strip(), maxsplit=1)[0][:120]
            if head:
                out.append(Citation.from_passage(n, p, head, title=self._title(p)))
        return out

    def _failure(self, exc: Exception) -> str:
        return describe_failure(exc, self.settings)


def describe_failure(exc: Exception, settings: LLMSettings) -> str:
    """What went wrong with the model, in one line a delegate can act on, key masked."""
    name = type(exc).__name__
    where = settings.base_url or settings.model
    detail = one_line(str(exc), settings)
    if is_timeout(exc):
        return (f"LLM backend timed out after {settings.timeout_s:g} s ({name}; the request was "
                f"cancelled, not retried) at {where}")
    if failure_cause(exc) == "unreachable":
        return f"LLM backend unreachable ({name}: {detail}) at {where}"
    return f"LLM backend failed ({name}: {detail})"


def one_line(text: str, settings: LLMSettings, limit: int = 160) -> str:
    """`text` flattened to one line and cut to `limit`, the API key masked."""
    flat = " ".join(text.split())
    key = settings.api_key.get_secret_value() if settings.api_key else None
    if key:
        flat = flat.replace(key, "***")
    return flat if len(flat) <= limit else flat[:limit] + "…"


def _fall_back(fallback: Callable[[], Answer], reason: str, cause: LLMFallback) -> Answer:
    answer = fallback()
    return answer.model_copy(update={
        "notes": [*answer.notes, f"{reason}; showing the {answer.backend} answer"],
        "fallback": cause})


def _recent(history: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(_as_data(q), _as_data(a if len(a) <= HISTORY_CHARS else a[:HISTORY_CHARS] + "…"))
            for q, a in list(history)[-HISTORY_TURNS:]]


def _as_data(text: str) -> str:
    return _FENCE_TAG.sub(r"‹\1", text)


