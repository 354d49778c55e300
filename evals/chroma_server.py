"""A real `chroma run` on a free loopback port, for the server-mode tests and benchmarks:
started from this virtualenv with its data in a given folder, and stopped and started again
on the same port and data (the outage tests)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from index.vectors import VectorSettings, collection_names, make_client

HOST = "127.0.0.1"


class ChromaServerError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@dataclass
class ChromaServer:
    folder: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def log(self) -> Path:
        return self.folder / "server.log"

    def vectors(self) -> VectorSettings:
        return VectorSettings(mode="server", host=HOST, port=self.port)

    def collections(self) -> list[str]:
        return collection_names(make_client(self.vectors(), Path()))

    def start(self, timeout_s: float = 60) -> None:
        chroma = Path(sys.executable).parent / "chroma"
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [str(chroma), "run", "--path", str(self.folder / "data"), "--host", HOST,
                 "--port", str(self.port)],
                stdout=log, stderr=subprocess.STDOUT,
                env={**os.environ, "ANONYMIZED_TELEMETRY": "False"})
        deadline = time.monotonic() + timeout_s
        while True:
            if self.process.poll() is not None:
                raise ChromaServerError(f"chroma run exited with {self.process.returncode}: "
                                        f"{self.log.read_text(errors='replace')[-2000:]}")
            try:
                if httpx.get(f"http://{HOST}:{self.port}/api/v2/heartbeat",
                             trust_env=False, timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise ChromaServerError(f"chroma run gave no heartbeat in {timeout_s:g} s: "
                                        f"{self.log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def rss_bytes(self) -> int:
        import psutil

        return psutil.Process(self.process.pid).memory_info().rss if self.process else 0


@contextmanager
def running_chroma(folder: Path) -> Iterator[ChromaServer]:
    server = ChromaServer(folder)
    server.start()
    try:
        yield server
    finally:
        server.stop()
