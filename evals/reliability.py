"""The reliability table: load held, faults injected, bad inputs tried, data lost.

    python -m evals reliability [--seconds 60] [--threads 8] [--processes 4]

Two load runs on a fresh index of the shipped records (`evals.load`): threads and processes
asking while the index is rebuilt again and again, then the same against a Chroma server
that is stopped and started again half way. Then the fault and bad-input tests are run
(kill -9, damaged files, LLM server faults, hostile questions and records, planted keys,
fuzzed documents) and their cases counted. The report goes to evals/reports/.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assistant import Assistant, paths
from assistant.settings import IndexSettings, Settings
from evals.chroma_server import ChromaServer, running_chroma
from evals.load import LoadReport, run_load
from evals.report import write_report
from index.search_index import SearchSettings

ROOT = Path(__file__).resolve().parent.parent
# Test files whose cases are faults injected or bad inputs tried, and what they cover.
SUITES = {
    "tests/e2e/test_crash_safety.py": "kill -9 during ingest, index build, conversation write",
    "tests/e2e/test_index_repair.py": "damaged index files detected, `index rebuild` repairs",
    "tests/unit/test_backend_faults.py": "LLM server refusing, timing out, broken replies",
    "tests/unit/test_chroma_server.py": "Chroma server mode, incl. the server stopped and back",
    "tests/e2e/test_load.py": "concurrent users during rebuilds; server outage mid-run",
    "tests/unit/test_hostile_input.py": "hostile questions; instructions injected in records",
    "tests/e2e/test_secrets.py": "planted API key searched for in every file and output",
    "tests/unit/test_fuzz_documents.py": "random bytes and Unicode, huge lines, furniture",
}


def run_reliability(seconds: float, threads: int, processes: int,
                    embedding_cache: Path | None, log: Callable[[str], None]) -> Path:
    work = Path(tempfile.mkdtemp(prefix="committee-reliability-"))
    os.environ[paths.HOME_ENV] = str(work / "home")  # conversations, for every process
    cache = embedding_cache or work / "cache"
    settings = Settings(index=IndexSettings(dir=work / "home" / "index", embedding_cache=cache))
    log("building the index of the shipped records")
    with Assistant(settings) as assistant:
        assistant.build_index()
    log(f"load, embedded store: {threads} threads + {processes} processes, {seconds:g} s, "
        "rebuilding all along")
    embedded = run_load(settings, threads=threads, processes=processes, seconds=seconds,
                        work=work / "load-embedded", log=log)
    log(f"load, Chroma server: {threads // 2} threads + {processes // 2} processes, "
        f"{seconds:g} s, server down for a quarter of it")
    with running_chroma(work / "chroma") as server:
        served = settings.model_copy(update={
            "index": IndexSettings(dir=work / "home" / "server-index", embedding_cache=cache),
            "search": SearchSettings(vectors=server.vectors())})
        with Assistant(served) as assistant:
            assistant.build_index()
        outage = run_load(served, threads=threads // 2, processes=processes // 2,
                          seconds=seconds, reindex=False, work=work / "load-server",
                          during=_outage(server, seconds), log=log)
    log("fault and bad-input tests")
    suites = _run_suites(work / "junit.xml")
    date = dt.date.today().isoformat()
    markdown = reliability_markdown(embedded, outage, suites, date)
    payload: dict[str, Any] = {"date": date, "embedded": embedded.model_dump(),
                               "server_outage": outage.model_dump(), "suites": suites}
    return write_report("reliability", markdown, payload)


def _outage(server: ChromaServer, seconds: float) -> Callable[[], None]:
    def stop_and_start() -> None:
        time.sleep(seconds / 4)
        server.stop()
        time.sleep(seconds / 4)
        server.start()
    return stop_and_start


def _run_suites(junit: Path) -> dict[str, dict[str, int]]:
    """Run the fault and bad-input test files; cases passed, failed and skipped per file."""
    subprocess.run([sys.executable, "-m", "pytest", "-q", f"--junitxml={junit}", *SUITES],
                   cwd=ROOT, capture_output=True, text=True, check=False)
    counts = {name: {"passed": 0, "failed": 0, "skipped": 0} for name in SUITES}
    for case in ET.parse(junit).getroot().iter("testcase"):
        module = case.get("classname", "").replace(".", "/") + ".py"
        if module not in counts:
            continue
        outcome = "failed" if case.find("failure") is not None or \
            case.find("error") is not None else \
            "skipped" if case.find("skipped") is not None else "passed"
        counts[module][outcome] += 1
    return counts


def reliability_markdown(embedded: LoadReport, outage: LoadReport,
                         suites: dict[str, dict[str, int]], date: str) -> str:
    def load_row(name: str, r: LoadReport) -> str:
        return (f"| {name} | {r.threads} threads + {r.processes} processes, {r.seconds:g} s | "
                f"{r.questions} | {len(r.errors)} | {len(r.torn)} | {r.rebuilds} | "
                f"{r.turns_found} / {r.turns_reported} | {r.lost_turns} | "
                f"{r.p50_ms:.0f} / {r.p95_ms:.0f} |")

    outage_kinds = sorted({e.split(" (")[0] for e in outage.errors})
    lines = [
        f"# Reliability ({date})", "",
        "## Load held", "",
        "| run | load | questions | errors | torn reads | rebuilds | turns found / saved | "
        "turns lost | p50 / p95 ms |",
        "|---|---|---|---|---|---|---|---|---|",
        load_row("embedded store, rebuilding all along", embedded),
        load_row("Chroma server, stopped for a quarter of the run", outage), "",
        "Torn read: an answer citing a quote its document does not hold, or a document that "
        "does not exist. Every error of the server run came while the server was down: "
        + ("; ".join(f"`{k}`" for k in outage_kinds) or "none") + ".", "",
        "## Faults injected and bad inputs tried", "",
        "| tests | what | cases | passed | failed | data lost |",
        "|---|---|---|---|---|---|",
    ]
    for name, what in SUITES.items():
        c = suites[name]
        total = c["passed"] + c["failed"] + c["skipped"]
        lines.append(f"| `{name}` | {what} | {total} | {c['passed']} | {c['failed']} | "
                     f"{'0' if c['failed'] == 0 else 'see failures'} |")
    lines += ["", "Data lost counts saved turns, documents, records and index generations "
              "missing after a fault; every case above asserts it is zero.", ""]
    return "\n".join(lines)
