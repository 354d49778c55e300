"""Start-up benchmark: how long a one-shot `ask`, a `chat` and the terminal UI take from a
fresh process to the first answer, and what each part of that costs. Printed (and written
to evals/reports/latest-start.md), never a test: the figures depend on the machine and on
what else runs on it.

    python -m evals.bench_start           # the index in COMMITTEE_ASSISTANT_HOME
    python -m evals.bench_start --runs 5 --fresh 3 --question "…"   # --fresh 0: none

Every figure is the median of `--runs` fresh processes over a copy of the index, each asking a
question whose vector the embedding cache does not hold (as a new question would: the
embedding model is loaded and run), with the CPU seconds it took (the wall time grows with
what else runs on a shared machine, the CPU time much less). Last, the UI on an empty
home, as a fresh clone opens after pip: from its start to its first answer, while the
vectors are still being embedded. Python writes no bytecode where PYTHONDONTWRITEBYTECODE
is set; `make setup` compiles the project once so that a start does not compile it.
"""

from __future__ import annotations

import json
import os
import resource
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
FRESH_RUNS = 3  # the UI on an empty home: ingest and a keyword index first (about 10 s)
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


CPU: dict[str, list[float]] = {}  # CPU seconds (user + system) of each timed command


def _timed(command: list[str], env: dict[str, str], stdin: str | None = None,
           name: str = "") -> float:
    """Wall seconds of `command`; its CPU seconds go to CPU[name]: on a shared machine
    the wall time grows with the others' load, the CPU time much less."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, env=env, input=stdin, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.setdefault(name, []).append(after.ru_utime + after.ru_stime
                                    - before.ru_utime - before.ru_stime)
    return wall


def run(home: Path, question: str = QUESTION, runs: int = RUNS,
        fresh_runs: int = FRESH_RUNS) -> dict[str, object]:
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
                figures[name].append(_timed(command, env, stdin, name))
            _forget_queries(work / "index")
            figures["tui"].append(_tui_first_answer(env, question))
            _forget_queries(work / "index")
            done = subprocess.run([sys.executable, "-m", "evals.bench_start", "--phases",
                                   question], env=env, capture_output=True, text=True,
                                  check=True)
            for name, seconds in json.loads(done.stdout.splitlines()[-1]).items():
                parts[name].append(seconds)
        fresh = [fresh_clone_first_answer(question) for _ in range(fresh_runs)]
        return {"question": question, "runs": runs, "first_after_build_s": first,
                "fresh_runs": fresh_runs,
                "fresh_clone_s": statistics.median(s for s, _ in fresh) if fresh else None,
                "fresh_clone_modes": sorted({mode for _, mode in fresh}),
                "median_s": {k: statistics.median(v) for k, v in figures.items()},
                "median_cpu_s": {k: statistics.median(v) for k, v in CPU.items() if k},
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
    return float(done.stdout.split()[-2]) - started


def fresh_clone_first_answer(question: str = QUESTION) -> tuple[float, str]:
    """The UI on an empty home, as after `make run`'s pip step on a fresh clone: seconds
    from its start to the first answer (the shipped records read, answered from keyword
    search while the vectors are embedded), and the search mode that answered."""
    work = Path(tempfile.mkdtemp(prefix="committee-fresh-"))
    try:
        env = {**os.environ, "COMMITTEE_ASSISTANT_HOME": str(work),
               "ANONYMIZED_TELEMETRY": "False"}
        started = time.time()
        done = subprocess.run([sys.executable, "-m", "evals.bench_start", "--tui", question],
                              env=env, capture_output=True, text=True, check=True)
        moment, mode = done.stdout.split()[-2:]
        return float(moment) - started, mode
    finally:
        shutil.rmtree(work, ignore_errors=True)


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
        mode = getattr(app.assistant, "search_mode", "hybrid")  # (older code: hybrid only)
        print(time.time(), mode, flush=True)
        if mode == "bm25":  # a fresh home: the vectors are still being embedded in a
            os._exit(0)  # thread, for minutes; the figure is taken


def markdown(result: dict[str, object]) -> str:
    median, cpu, parts = result["median_s"], result["median_cpu_s"], result["parts_s"]
    assert isinstance(median, dict) and isinstance(cpu, dict) and isinstance(parts, dict)
    lines = [
        f"Start-up, median of {result['runs']} fresh processes, each question new to the "
        f"embedding cache (load average at the end {result['load_average'][0]:.2f}: "  # type: ignore[index]
        "the machine may be shared)",
        "",
        "| from a fresh process to … | seconds | CPU seconds |",
        "|---|---:|---:|",
        f"| `committee-assistant ask` printed its answer (target {TARGET_S:.1f} s) | "
        f"{median['ask']:.2f} | {cpu['ask']:.2f} |",
        f"| `ask --json` | {median['ask --json']:.2f} | {cpu['ask --json']:.2f} |",
        f"| `chat`, one question, answered | {median['chat']:.2f} | {cpu['chat']:.2f} |",
        f"| the terminal UI showing the answer | {median['tui']:.2f} | |",
        f"| Python itself (`python -c pass`) | {median['python']:.2f} | |",
        f"| first `ask` after a build (derives what later ones read) | "
        f"{result['first_after_build_s']:.2f} | |",
        *([f"| the UI on a fresh clone (empty home, after pip) showing its first answer, "
           f"median of {result['fresh_runs']}; answered by "
           f"{', '.join(result['fresh_clone_modes'])} while the vectors are embedded | "  # type: ignore[arg-type]
           f"{result['fresh_clone_s']:.2f} | |"] if result["fresh_clone_s"] else []),
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
    fresh = int(args[args.index("--fresh") + 1]) if "--fresh" in args else FRESH_RUNS
    from evals.report import write_report

    result = run(paths.home(), question, runs, fresh)
    text = markdown(result)
    path = write_report("start", text + "\n", result)
    print(text)
    print(f"wrote {path}, {path.with_suffix('.json')}")


if __name__ == "__main__":
    main()
