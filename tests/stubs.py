"""A local stand-in for an OpenAI-compatible server: embeddings and chat completions, with
the faults a real one shows (refusals, slowness, broken bodies, slow streams).

Tests start it on 127.0.0.1 on a free port; nothing leaves the machine.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import numpy as np


def hash_vector(text: str, dim: int = 32) -> list[float]:
    """A deterministic unit vector per text (equal texts, equal vectors)."""
    seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
    v = np.random.default_rng(seed).standard_normal(dim)
    return (v / np.linalg.norm(v)).tolist()


@dataclass
class ChatBehaviour:
    """What the next chat completion does."""

    content: str | Callable[[dict[str, Any]], str] = ""  # or made from the request
    status: int = 200
    delay_s: float = 0.0  # before the reply starts
    chunk_delay_s: float = 0.0  # between streamed chunks
    raw_body: bytes | None = None  # sent as is instead of a well-formed reply
    # HTTP 422 for a request whose response_format is of these types (llama-cpp-python's
    # server reads only "json_object"; older servers none)
    refuse_formats: tuple[str, ...] = ()


@dataclass
class StubState:
    chat: ChatBehaviour = field(default_factory=ChatBehaviour)
    requests: list[dict[str, Any]] = field(default_factory=list)
    authorizations: list[str | None] = field(default_factory=list)
    disconnects: int = 0  # streams the client closed before their end


def _handler(state: StubState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
            state.requests.append({"path": self.path, **body})
            state.authorizations.append(self.headers.get("Authorization"))
            if self.path.endswith("/embeddings"):
                texts = body["input"] if isinstance(body["input"], list) else [body["input"]]
                self._json(200, {"object": "list", "model": body.get("model"), "data": [
                    {"object": "embedding", "index": i, "embedding": hash_vector(t)}
                    for i, t in enumerate(texts)]})
            elif self.path.endswith("/chat/completions"):
                self._chat(body)
            else:
                self._json(404, {"error": {"message": f"no route {self.path}"}})

        def _chat(self, body: dict[str, Any]) -> None:
            behaviour = state.chat
            time.sleep(behaviour.delay_s)
            content = behaviour.content(body) if callable(behaviour.content) \
                else behaviour.content
            if body.get("response_format", {}).get("type") in behaviour.refuse_formats:
                self._json(422, {"error": {"message": "invalid response_format"}})
            elif behaviour.raw_body is not None:
                self._send(behaviour.status, "application/json", behaviour.raw_body)
            elif behaviour.status != 200:
                self._json(behaviour.status, {"error": {"message": "stub failure"}})
            elif body.get("stream"):
                self._stream(body, content, behaviour.chunk_delay_s)
            else:
                self._json(200, {
                    "id": "stub", "object": "chat.completion", "created": 0,
                    "model": body.get("model", "stub"),
                    "choices": [{"index": 0, "finish_reason": "stop", "message": {
                        "role": "assistant", "content": content}}],
                    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}})

        def _stream(self, body: dict[str, Any], text: str, chunk_delay_s: float) -> None:
            try:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Connection", "close")
                self.end_headers()
                for start in range(0, len(text), 8):
                    self._event(body, {"content": text[start:start + 8]}, None)
                    time.sleep(chunk_delay_s)
                self._event(body, {}, "stop")
                self.wfile.write(b"data: [DONE]\n\n")
            except (BrokenPipeError, ConnectionResetError):
                state.disconnects += 1  # the client gave up: a real server stops generating
            self.close_connection = True

        def _event(self, body: dict[str, Any], delta: dict[str, str], finish: str | None) -> None:
            chunk = {"id": "stub", "object": "chat.completion.chunk", "created": 0,
                     "model": body.get("model", "stub"),
                     "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            self.wfile.flush()

        def _json(self, status: int, payload: dict[str, Any]) -> None:
            self._send(status, "application/json", json.dumps(payload).encode())

        def _send(self, status: int, kind: str, raw: bytes) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)
            except (BrokenPipeError, ConnectionResetError):
                pass

    return Handler


@contextmanager
def openai_stub() -> Iterator[tuple[str, StubState]]:
    """(base URL ending in /v1, the state tests steer and read)."""
    state = StubState()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/v1", state
    finally:
        httpd.shutdown()
        httpd.server_close()
