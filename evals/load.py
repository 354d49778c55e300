"""Many users at once while the index is rebuilt: threads and processes asking questions
against one index, each in its own saved conversation, while another thread re-ingests a
record and rebuilds the search index over and over.

What is counted is what a delegate would notice: errors, torn reads (an answer citing a
quote that its document does not hold, or a document that does not exist), and turns
reported saved but missing afterwards. The tests run it briefly; `python -m evals
reliability` runs it for a minute and reports the figures.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path

import tomli_w
from pydantic import BaseModel, Field

from assistant import Answer, Assistant, Settings
from index.models import Document

QUESTIONS = [
    "2019 年委员会收到了多少份新的援助请求？", "那 2018 年呢？",
    "博茨瓦纳何时提交了国家执行行动计划？", "How many states have not yet submitted a report?",
    "联络人", "What did the 2018 comprehensive review recommend on assistance?",
    "吉尔吉斯斯坦提交了哪些国家执行行动计划？", "委员会已解散了吗？",
]
# The record the rebuild loop changes back and forth (S/2020/347, short to re-parse).
REINDEXED = "000"
_ROOT = str(Path(__file__).resolve().parent.parent)
EXTRA_PARAGRAPH = "\n28. 委员会在本报告所述期间举行了一次非正式会议。\n"


class WorkerReport(BaseModel):
    """One asking thread's or process's tally."""

    asked: int = 0
    errors: list[str] = Field(default_factory=list)
    torn: list[str] = Field(default_factory=list)
    latencies_ms: list[float] = Field(default_factory=list)
    conversation: str | None = None
    saved_turns: int = 0  # turns the conversation reported saved


class LoadReport(BaseModel):
    seconds: float
    threads: int
    processes: int
    questions: int
    errors: list[str]
    torn: list[str]
    rebuilds: int
    rebuild_errors: list[str]
    turns_reported: int
    turns_found: int
    p50_ms: float
    p95_ms: float

    @property
    def lost_turns(self) -> int:
        return max(0, self.turns_reported - self.turns_found)


def document_text(document: Document) -> str:
    """Everything a citation of `document` may quote: block text and table rows as printed."""
    parts: list[str] = []
    for block in document.blocks:
        parts.append(f"{block.sub} {block.text}" if block.sub else block.text)
        parts.extend(block.row_line(row) for row in block.rows)
    return "\n".join(parts)


class CitationCheck:
    """Finds torn reads: citations whose quote is not in the document they name as it is
    stored now (or was at the start: a rebuild may be one step behind the store)."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self._lock = threading.Lock()
        self._texts = {m.id: document_text(assistant.document(m.id))
                       for m in assistant.documents()}

    def problems(self, answer: Answer) -> list[str]:
        found = []
        for citation in answer.citations:
            if citation.quote not in citation.passage:
                found.append(f"{citation.locator}: quote not in its passage")
            elif not self._holds(citation.doc_id, citation.quote):
                found.append(f"{citation.locator}: {citation.quote[:40]!r} not in {citation.doc_id}")
        return found

    def _holds(self, doc_id: str, quote: str) -> bool:
        quote = " ".join(quote.split())
        with self._lock:
            if doc_id in self._texts and quote in " ".join(self._texts[doc_id].split()):
                return True
            try:
                self._texts[doc_id] = document_text(self.assistant.document(doc_id))
            except Exception:
                return False
            return quote in " ".join(self._texts[doc_id].split())


def ask_for(seconds: float, assistant: Assistant, check: CitationCheck) -> WorkerReport:
    """Ask the questions in turn, in one new conversation, for `seconds`."""
    report = WorkerReport()
    conversation = assistant.conversation()
    report.conversation = conversation.id
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        question = QUESTIONS[report.asked % len(QUESTIONS)]
        report.asked += 1
        started = time.perf_counter()
        try:
            answer = conversation.ask(question)
        except Exception as exc:  # counted, never fatal: the point is to see them
            report.errors.append(_describe(exc))
            continue
        report.latencies_ms.append((time.perf_counter() - started) * 1000)
        report.saved_turns += 1
        report.torn.extend(check.problems(answer))
    return report


def _describe(exc: BaseException) -> str:
    """The error and the line of this project's code it came through last."""
    ours = [f for f in traceback.extract_tb(exc.__traceback__) if _ROOT in f.filename]
    where = f" at {Path(ours[-1].filename).relative_to(_ROOT)}:{ours[-1].lineno}" if ours else ""
    return f"{type(exc).__name__}: {exc}"[:300] + where


def reindex_for(seconds: float, settings: Settings, corpus: Path, work: Path
                ) -> tuple[int, list[str]]:
    """Re-ingest one record, alternately with and without an extra paragraph, and rebuild
    the search index each time (a new generation per build), for `seconds`."""
    source = next(corpus.glob(f"{REINDEXED}_*"))
    work.mkdir(parents=True, exist_ok=True)
    variant = work / source.name
    original = source.read_text(encoding="utf-8")
    builds, errors = 0, []
    deadline = time.monotonic() + seconds
    with Assistant(settings) as builder:
        while time.monotonic() < deadline:
            variant.write_text(original + (EXTRA_PARAGRAPH if builds % 2 == 0 else ""),
                               encoding="utf-8")
            try:
                builder.build_index([variant])
                builds += 1
            except Exception as exc:
                errors.append(_describe(exc))
                time.sleep(0.5)
        builder.build_index([source])  # leave the shipped record as it was
    return builds, errors


def run_load(settings: Settings, *, threads: int = 8, processes: int = 4,
             seconds: float = 60.0, reindex: bool = True, work: Path,
             during: Callable[[], None] | None = None,
             log: Callable[[str], None] = lambda line: None) -> LoadReport:
    """Threads share one Assistant (as the TUI's workers do); each process opens its own.
    `during` runs in a thread of its own meanwhile (a fault to inject: a server stopped)."""
    work.mkdir(parents=True, exist_ok=True)
    config = work / "config.toml"
    config.write_text(tomli_w.dumps(settings.model_dump(mode="json", exclude_none=True)),
                      encoding="utf-8")
    env = {**os.environ, "COMMITTEE_ASSISTANT_CONFIG": str(config)}
    workers = [subprocess.Popen(
        [sys.executable, "-m", "evals.load", str(seconds), str(work / f"process-{i}.json")],
        env=env, cwd=Path(__file__).resolve().parent.parent,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for i in range(processes)]
    reports: list[WorkerReport] = []
    builds, build_errors = 0, []
    with Assistant(settings) as shared:
        shared.warm_up()
        check = CitationCheck(shared)
        outcome: dict[str, tuple[int, list[str]]] = {}
        rebuilder = threading.Thread(target=lambda: outcome.update(
            r=reindex_for(seconds, settings, settings.index.corpus, work / "reindexed")))
        askers = [threading.Thread(target=lambda: reports.append(
            ask_for(seconds, shared, check))) for _ in range(threads)]
        fault = threading.Thread(target=during) if during else None
        if reindex:
            rebuilder.start()
        for thread in askers:
            thread.start()
        if fault:
            fault.start()
        for thread in askers:
            thread.join()
        if fault:
            fault.join()
        if reindex:
            rebuilder.join()
            builds, build_errors = outcome.get("r", (0, ["the rebuild thread died"]))
        for i, process in enumerate(workers):
            _, stderr = process.communicate(timeout=seconds + 300)
            path = work / f"process-{i}.json"
            if process.returncode == 0 and path.exists():
                reports.append(WorkerReport.model_validate_json(path.read_text()))
            else:
                reports.append(WorkerReport(errors=[
                    f"process {i} exited {process.returncode}: {stderr[-300:]}"]))
        found = sum(len(shared.conversation(r.conversation).turns)
                    for r in reports if r.conversation)
    latencies = sorted(ms for r in reports for ms in r.latencies_ms) or [0.0]
    report = LoadReport(
        seconds=seconds, threads=threads, processes=processes,
        questions=sum(r.asked for r in reports),
        errors=[e for r in reports for e in r.errors], torn=[t for r in reports for t in r.torn],
        rebuilds=builds, rebuild_errors=build_errors,
        turns_reported=sum(r.saved_turns for r in reports), turns_found=found,
        p50_ms=statistics.median(latencies),
        p95_ms=latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))])
    log(f"{report.questions} questions, {len(report.errors)} errors, {len(report.torn)} torn, "
        f"{report.rebuilds} rebuilds, turns {report.turns_found}/{report.turns_reported}")
    shutil.rmtree(work / "reindexed", ignore_errors=True)
    return report


def _process_main(seconds: float, out: Path) -> None:
    from assistant.settings import load_settings

    with Assistant(load_settings()) as assistant:
        report = ask_for(seconds, assistant, CitationCheck(assistant))
    out.write_text(json.dumps(report.model_dump()), encoding="utf-8")


if __name__ == "__main__":
    _process_main(float(sys.argv[1]), Path(sys.argv[2]))
