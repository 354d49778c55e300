"""One request to a chat model: bounded, within a deadline, and cancelled when given up.

Against a real server on a laptop, a reply that is not bounded runs for thousands of tokens,
a retried timeout doubles the wait, and a request the client gave up on keeps the server
busy. So every request here:

- carries a bound on the tokens generated (`max_tokens` for OpenAI-compatible servers,
  `num_predict` for Ollama, the chat model's `max_tokens` elsewhere), and stops reading
  at that bound even if the server ignores it;
- is streamed, so that giving up closes the HTTP connection and the server stops
  generating (llama.cpp's and vLLM's servers abandon a stream whose client has gone; a
  non-streamed request runs to its end whoever is waiting);
- ends within `timeout_s` of its start: the read timeout covers a silent server, the
  deadline a server that trickles;
- is never retried after a timeout; other failures (connection refused, HTTP 5xx or
  429) are retried `max_retries` times while nothing has been received and time is left.

The text arrives in pieces (`stream_reply`) or whole (`complete`); either way an
`Exchange` records what the request came to (tokens, finish, latency), for the answer's
notes and for `committee-assistant llm check`.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import BaseMessage

    from assistant.answers import LLMFallback
    from assistant.llm import LLMSettings

# Ollama options a per-request `options` must repeat: it replaces the model's own.
_OLLAMA_OPTIONS = ("temperature", "num_ctx", "seed", "top_k", "top_p", "repeat_penalty",
                   "num_thread", "num_gpu", "stop")
_RETRIED_STATUS = frozenset({429, 500, 502, 503, 504})
SchemaStyle = Literal["json_schema", "json_object"]


class DeadlineExceeded(TimeoutError):
    """The reply did not end within `timeout_s`; the request was cancelled."""


@dataclass
class Exchange:
    """What one request to the model came to."""

    text: str = ""
    chunks: int = 0
    finish: str | None = None  # "stop"; "length": cut at the bound; None: broke off
    input_tokens: int | None = None
    output_tokens: int | None = None  # as the server counted them, when it says
    first_chunk_s: float | None = None
    elapsed_s: float = 0.0
    constrained: bool = False  # the server was given the reply's JSON schema
    style: str | None = None  # how: "json_schema", "json_object"; None: by prompt alone
    attempts: int = 0
    started: float = field(default_factory=time.perf_counter)

    @property
    def tokens(self) -> int:
        """Tokens generated: the server's count, else the streamed chunks (about one each)."""
        return self.output_tokens if self.output_tokens is not None else self.chunks


def request_kwargs(model: Any, *, max_tokens: int, schema: dict[str, Any] | None = None,
                   style: SchemaStyle = "json_schema") -> dict[str, Any]:
    """What to pass with one request so that `model`'s provider bounds the reply (and, with
    `schema`, constrains it to that JSON schema) in its own terms. `style`: how an
    OpenAI-compatible server is given the schema, "json_schema" (OpenAI, vLLM, llama.cpp's
    llama-server) or "json_object" with a "schema" (llama-cpp-python's server)."""
    kind = type(model).__name__
    if hasattr(model, "openai_api_base"):  # ChatOpenAI and OpenAI-compatible servers
        extra = dict(getattr(model, "extra_body", None) or {})
        kwargs: dict[str, Any] = {}
        if model.openai_api_base:
            # vLLM, llama.cpp and LM Studio read `max_tokens`; LangChain would send only
            # `max_completion_tokens`, which llama-cpp-python ignores.
            extra["max_tokens"] = max_tokens
        else:
            kwargs["max_tokens"] = max_tokens
        if schema is not None:
            # In the body, not as LangChain's `response_format`: that switches LangChain to
            # a parsing stream that raises on a reply cut at the bound.
            extra["response_format"] = {"type": "json_object", "schema": schema} \
                if style == "json_object" else {"type": "json_schema", "json_schema": {
                    "name": "reply", "strict": True, "schema": schema}}
        if extra:
            kwargs["extra_body"] = extra
        return kwargs
    if kind == "ChatOllama":
        options = {name: value for name in _OLLAMA_OPTIONS
                   if (value := getattr(model, name, None)) is not None}
        options["num_predict"] = max_tokens
        return {"options": options, **({"format": schema} if schema is not None else {})}
    fields = getattr(type(model), "model_fields", {})
    return {"max_tokens": max_tokens} if "max_tokens" in fields else {}


def stream_reply(model: BaseChatModel, messages: Sequence[BaseMessage], settings: LLMSettings,
                 *, max_tokens: int | None = None, schema: dict[str, Any] | None = None,
                 style: SchemaStyle = "json_schema", exchange: Exchange | None = None
                 ) -> Iterator[str]:
    """The reply's text in pieces as the model writes them, bounded and within the deadline
    (`DeadlineExceeded`); the model's own exception on any other failure. Stopping the
    iteration early cancels the request."""
    ex = exchange if exchange is not None else Exchange()
    ex.constrained = schema is not None
    ex.style = style if schema is not None else None
    bound = max_tokens or settings.max_tokens
    deadline = ex.started + settings.timeout_s
    sent = as_sent(messages, in_user_turn=settings.system_in_user_turn)
    while True:
        ex.attempts += 1
        stream = model.stream(sent, **request_kwargs(
            model, max_tokens=bound, schema=schema, style=style))
        try:
            for chunk in stream:
                now = time.perf_counter()
                _read_metadata(chunk, ex)
                text = chunk.text
                if text:
                    ex.first_chunk_s = ex.first_chunk_s or now - ex.started
                    ex.chunks += 1
                    ex.text += text
                    yield text
                if ex.chunks >= bound:
                    ex.finish = "length"  # the server did not stop at the bound: we do
                    return
                if now > deadline:
                    raise DeadlineExceeded(f"no complete reply within {settings.timeout_s:g} s")
            ex.finish = ex.finish or "stop"
            return
        except ValueError as exc:
            if ex.chunks or "No generation chunks" not in str(exc):
                raise
            ex.finish = None  # LangChain's word for an empty reply (or a body that was no
            return            # stream at all): the caller finds no JSON in it
        except Exception as exc:
            left = deadline - time.perf_counter()
            if ex.chunks or not retryable(exc) or ex.attempts > settings.max_retries \
                    or left < settings.timeout_s / 2:
                raise
        finally:
            close = getattr(stream, "close", None)
            if close is not None:
                close()  # closes the HTTP response: the server sees its client go
            ex.elapsed_s = time.perf_counter() - ex.started
        time.sleep(min(0.5, max(0.0, deadline - time.perf_counter())))


def as_sent(messages: Sequence[BaseMessage], *, in_user_turn: bool) -> list[BaseMessage]:
    """`messages` as the model is sent them: with `in_user_turn`, the system messages'
    text heads the first user message (as Gemma's own chat template puts it), for chat
    formats with no system role, which would drop it."""
    if not in_user_turn or not any(m.type == "system" for m in messages):
        return list(messages)
    from langchain_core.messages import HumanMessage

    system = "\n\n".join(m.text for m in messages if m.type == "system")
    rest = [m for m in messages if m.type != "system"]
    first = next((i for i, m in enumerate(rest) if m.type == "human"), None)
    if first is None:
        return [HumanMessage(system), *rest]
    rest[first] = HumanMessage(f"{system}\n\n{rest[first].text}")
    return rest


def complete(model: BaseChatModel, messages: Sequence[BaseMessage], settings: LLMSettings,
             *, max_tokens: int | None = None, schema: dict[str, Any] | None = None) -> Exchange:
    """`stream_reply`, drained: the whole reply and what the request came to."""
    ex = Exchange()
    for _ in stream_reply(model, messages, settings, max_tokens=max_tokens, schema=schema,
                          exchange=ex):
        pass
    return ex


def is_timeout(exc: BaseException) -> bool:
    return isinstance(exc, TimeoutError) or any("Timeout" in cls.__name__
                                                for cls in type(exc).__mro__)


def failure_cause(exc: BaseException) -> LLMFallback:
    """What kind of failure ended a request, as `Answer.fallback` records it."""
    if is_timeout(exc):
        return "timeout"
    connect = isinstance(exc, ConnectionError) or any("Connect" in cls.__name__
                                                      for cls in type(exc).__mro__)
    return "unreachable" if connect else "failed"


def status_of(exc: BaseException) -> int | None:
    """The HTTP status an SDK exception carries (OpenAI's `status_code`, Ollama's)."""
    status = getattr(exc, "status_code", None)
    if status is None:
        status = getattr(getattr(exc, "response", None), "status_code", None)
    return status if isinstance(status, int) else None


def refused_schema(exc: BaseException) -> bool:
    """The server refused the request's response_format: HTTP 400 or 422, or (as
    llama-cpp-python's server reports a request it cannot validate) a 500 that names it."""
    status = status_of(exc)
    return status in (400, 422) or (status == 500 and "response_format" in str(exc))


def retryable(exc: BaseException) -> bool:
    """Worth asking again: refused or dropped connections, overloaded servers. Never a
    timeout (the server may still be working on it), nor a request the server refused."""
    if is_timeout(exc) or refused_schema(exc):
        return False
    if status_of(exc) is not None:
        return status_of(exc) in _RETRIED_STATUS
    return failure_cause(exc) == "unreachable"


def _read_metadata(chunk: Any, ex: Exchange) -> None:
    meta = getattr(chunk, "response_metadata", None) or {}
    reason = meta.get("finish_reason") or meta.get("done_reason")
    if reason:
        ex.finish = "length" if reason == "length" else "stop"
    usage = getattr(chunk, "usage_metadata", None)
    if usage:
        ex.input_tokens = usage.get("input_tokens") or ex.input_tokens
        ex.output_tokens = usage.get("output_tokens") or ex.output_tokens
