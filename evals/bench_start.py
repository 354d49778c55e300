"""Start-up benchmark: how long a one-shot `ask`, a `chat` and the terminal UI take from a
fresh process to the first answer, and what each part of that costs. Printed (and written
to evals/reports/latest-start.md), never a test: the figures depend on the machine and on
what else runs on it.

    python -m evals.bench_start           # the index in COMMITTEE_ASSISTANT_HOME
    python -m evals.bench_start --runs 5 --question "…"

Every figure is the median of `--runs` fresh processes over a copy of the index, each asking a
question whose vector the embedding cache does not hold (as a new question would: the
embedding model is loaded and run). Python writes no bytecode where PYTHONDONTWRITEBYTECODE is
set; `make setup` compiles the project once so that a start does not compile it.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

QUESTION = "2019 年委员会收到了多少份新的援助请求？"
RUNS = 5
TARGET_S = 1.0

# The parts of a one-shot `ask`, in the order it pays them (`phases()` times each in a fresh
# process; the answer is the same as `ask` prints).
PHASES = {
    "imports": "import the CLI and the API (Python itself excluded)",
    "settings": "read the settings",
    "open": "open the stores, check the index is up to date",
    "retriever": "passages, BM25 arrays, cached passage vectors",
    "answerer": "word weights and English lexicon (kept per generation), ranker",
    "question": "cut the question (jieba table), embed it (e5 load + run), search",
    "answer": "read, rank and compose the answer (the question's search again)",
}


def phases(question: str) -> dict[str, float]:
    """Seconds per part of a one-shot `ask`, measured in this (fresh) process."""
    marks = [("start", time.perf_counter())]

    def mark(name: str) -> None:
        marks.append((name, time.perf_counter()))

    import assistant.cli  # what `committee-assistant` imports before anything
    from assistant.api import Assistant
    from assistant.settings import load_settings

    mark("imports")
    settings = load_settings()
    mark("settings")
    with Assistant.open(settings) as assistant:
        mark("open")
        assistant.retriever()
        mark("retriever")
        assistant._answerer()
        mark("answerer")
        assistant.search(question, k=1)
        mark("question")
        assistant.ask(question)
        mark("answer")
    return {name: at - marks[i][1] for i, (name, at) in enumerate(marks[1:])}


def _forget_queries(index: Path) -> None:
    """Drop the cached query vectors, so that the next question is embedded anew."""
    cache = index / "cache" / "embeddings.sqlite"
    if cache.exists():
        with sqlite3.connect(cache) as db:
            db.execute("DELETE FROM vectors WHERE mode = 'query'")
        db.close()


def _timed(command: list[str], env: dict[str, str], stdin: str | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, input=stdin, capture_output=True, text=True, check=True)
    return time.perf_counter() - started


def run(home: Path, question: str = QUESTION, runs: int = RUNS) -> dict[str, object]:
    """Every figure, on a copy of `home`'s index (which is left as it is)."""
    work = Path(tempfile.mkdtemp(prefix="committee-start-"))
    try:
        shutil.copytree(home / "index", work / "index")
        env = {**os.environ, "COMMITTEE_ASSISTANT_HOME": str(work),
               "ANONYMIZED_TELEMETRY": "False"}
        cli = [sys.executable, "-m", "assistant.cli"]
        figures: dict[str, list[float]] = {"python": [], "ask": [], "ask --json": [],
                                           "chat": [], "tui": []}
        parts: dict[str, list[float]] = {name: [] for name in PHASES}
        # What the first process after a build pays once: deriving what later ones read.
        for derived in (work / "index" / "search").glob("g*/*.json"):
            if derived.name != "manifest.json":
                derived.unlink()
        _forget_queries(work / "index")
        first = _timed([*cli, "ask", question], env)
        for _ in range(runs):
            figures["python"].append(_timed([sys.executable, "-c", "pass"], env))
            for name, command, stdin in (
                    ("ask", [*cli, "ask", question], None),
                    ("ask --json", [*cli, "ask", "--json", question], None),
                    ("chat", [*cli, "chat"], f"{question}\n")):
                _forget_queries(work / "index")
                figures[name].append(_timed(command, env, stdin))
            _forget_queries(work / "index")
            figures["tui"].append(_tui_first_answer(env, question))
            _forget_queries(work / "index")
            done = subprocess.run([sys.executable, "-m", "evals.bench_start", "--phases",
                                   question], env=env, capture_output=True, text=True,
                                  check=True)
            for name, seconds in json.loads(done.stdout.splitlines()[-1]).items():
                parts[name].append(seconds)
        return {"question": question, "runs": runs, "first_after_build_s": first,
                "median_s": {k: statistics.median(v) for k, v in figures.items()},
                "parts_s": {k: statistics.median(v) for k, v in parts.items()},
                "bytecode_written": not os.environ.get("PYTHONDONTWRITEBYTECODE"),
                "load_average": os.getloadavg()}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _tui_first_answer(env: dict[str, str], question: str) -> float:
    """A fresh process from its start to the UI showing the answer to `question`."""
    started = time.time()  # wall clock: the child reports the moment on the same clock
    done = subprocess.run([sys.executable, "-m", "evals.bench_start", "--tui", question],
                          env=env, capture_output=True, text=True, check=True)
    return float(done.stdout.split()[-1]) - started


async def _tui_until_answer(question: str) -> None:
    from assistant import Settings
    from assistant.tui import make_app
    from assistant.tui.widgets.question_input import QuestionInput
    from assistant.tui.widgets.transcript import AnswerView

    app = make_app(Settings())
    async with app.run_test(size=(120, 40)) as pilot:
        while not isinstance(app.focused, QuestionInput):
            await pilot.pause(0.005)
        app.focused.value = question
        await pilot.press("enter")
        while not app.screen.query(AnswerView):
            await pilot.pause(0.005)
        await pilot.pause()
        print(time.time(), flush=True)


def markdown(result: dict[str, object]) -> str:
    median = result["median_s"]
    parts = result["parts_s"]
    assert isinstance(median, dict) and isinstance(parts, dict)
    lines = [
        f"Start-up, median of {result['runs']} fresh processes, each question new to the "
        f"embedding cache (load average at the end {result['load_average'][0]:.2f}: "  # type: ignore[index]
        "the machine may be shared)",
        "",
        "| from a fresh process to … | seconds |",
        "|---|---:|",
        f"| `committee-assistant ask` printed its answer (target {TARGET_S:.1f} s) | "
        f"{median['ask']:.2f} |",
        f"| `ask --json` | {median['ask --json']:.2f} |",
        f"| `chat`, one question, answered | {median['chat']:.2f} |",
        f"| the terminal UI showing the answer | {median['tui']:.2f} |",
        f"| Python itself (`python -c pass`) | {median['python']:.2f} |",
        f"| first `ask` after a build (derives what later ones read) | "
        f"{result['first_after_build_s']:.2f} |",
        "",
        "| part of a one-shot `ask` | seconds | what |",
        "|---|---:|---|",
        *[f"| {name} | {parts[name]:.3f} | {what} |" for name, what in PHASES.items()],
    ]
    if not result["bytecode_written"]:
        lines += ["", "PYTHONDONTWRITEBYTECODE is set: modules compiled by `make setup` "
                  "load from bytecode, any other is compiled at every start."]
    return "\n".join(lines)


def main() -> None:
    args = sys.argv[1:]
    if args[:1] == ["--phases"]:
        print(json.dumps(phases(args[1])))
        return
    if args[:1] == ["--tui"]:
        import asyncio

        asyncio.run(_tui_until_answer(args[1]))
        return
    from assistant import paths

    question = args[args.index("--question") + 1] if "--question" in args else QUESTION
    runs = int(args[args.index("--runs") + 1]) if "--runs" in args else RUNS
    from evals.report import write_report

    result = run(paths.home(), question, runs)
    text = markdown(result)
    path = write_report("start", text + "\n", result)
    print(text)
    print(f"wrote {path}, {path.with_suffix('.json')}")


if __name__ == "__main__":
    main()
