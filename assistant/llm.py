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
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

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
from assistant.llm_settings import LLMSettings
from assistant.prompts import load_prompt
from index.errors import BackendError
from index.passages import Passage

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import BaseMessage

log = logging.getLogger(__name__)

CONDENSE_TOKENS = 160  # one rewritten question
HISTORY_TURNS = 3  # earlier exchanges shown to the model; older ones rarely matter
HISTORY_CHARS = 600  # of each earlier answer: enough to resolve "they", short enough to stay cheap
SEE_ALSO = 3
NO_PASSAGES = "no passages were retrieved, so the LLM was not asked"
# Tags the prompts use to fence data. A record that contains one is defanged before it is
# shown, so that retrieved text cannot close the data section and speak as the user.
_FENCE_TAG = re.compile(r"<(\s*/?\s*(?:retrieved_passages|passage|conversation|follow_up)\b)",
                        re.IGNORECASE)
_LABEL = re.compile(r"^(?:standalone question|rewritten question|question|改写后的问题|问题)\s*[:：]\s*",
                    re.IGNORECASE)


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


