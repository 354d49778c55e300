"""Terminal UI timings, driven with Textual's Pilot: launch to ready input, and Enter to a
rendered extractive answer. Printed, never a test (figures depend on the machine).

    python -m evals.tui_bench            # the index in COMMITTEE_ASSISTANT_HOME (built if missing)

Targets from the issue: launch to ready input <= 1.5 s with an existing index, measured
from the start of a fresh process (interpreter, imports and app: what a delegate waits
for); Enter to rendered extractive answer <= 0.5 s.
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field

QUESTIONS = [
    "2019 年委员会收到了多少份新的援助请求？",
    "那 2018 年呢？",
    "博茨瓦纳何时提交了国家执行行动计划？",
    "自2016年以来有多少会员国提交了国家报告？",
    "How many Member States have designated national points of contact?",
]


@dataclass
class TuiTimings:
    import_s: float = 0.0
    process_ready_s: float = 0.0
    input_ready_s: float = 0.0
    index_ready_s: float = 0.0
    answer_ms: list[float] = field(default_factory=list)
    viewer_ms: float = 0.0


def import_seconds() -> float:
    """A fresh interpreter importing the UI and the API (what `committee-assistant` pays)."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import assistant.tui"], check=True)
    return time.perf_counter() - started


def process_ready_seconds() -> float:
    """A fresh process from its start until the question box has the focus."""
    started = time.time()  # wall clock: the child reports the moment on the same clock
    done = subprocess.run([sys.executable, "-m", "evals.tui_bench", "--until-ready"],
                          check=True, capture_output=True, text=True)
    return float(done.stdout.split()[-1]) - started


async def _until_ready(size: tuple[int, int] = (120, 40)) -> None:
    from assistant import Settings
    from assistant.tui import make_app
    from assistant.tui.screens.chat import ChatScreen
    from assistant.tui.widgets.question_input import QuestionInput

    app = make_app(Settings())
    async with app.run_test(size=size) as pilot:
        while not (isinstance(app.screen, ChatScreen) and isinstance(app.focused, QuestionInput)):
            await pilot.pause(0.005)
        print(time.time(), flush=True)


async def measure(size: tuple[int, int] = (120, 40)) -> TuiTimings:
    from assistant import Settings
    from assistant.tui import make_app
    from assistant.tui.screens.chat import ChatScreen
    from assistant.tui.screens.viewer import DocumentScreen
    from assistant.tui.widgets.document_view import DocumentBody
    from assistant.tui.widgets.question_input import QuestionInput
    from assistant.tui.widgets.transcript import AnswerView

    timings = TuiTimings()
    started = time.perf_counter()
    app = make_app(Settings())  # opens its own Assistant on the existing index
    async with app.run_test(size=size) as pilot:
        while not (isinstance(app.screen, ChatScreen) and isinstance(app.focused, QuestionInput)):
            await pilot.pause(0.005)
        timings.input_ready_s = time.perf_counter() - started
        while not app.ready:
            await pilot.pause(0.005)
        timings.index_ready_s = time.perf_counter() - started
        for question in QUESTIONS:
            box = app.screen.query_one(QuestionInput)
            box.value = question
            count = len(app.screen.query(AnswerView))
            sent = time.perf_counter()
            await pilot.press("enter")
            while len(app.screen.query(AnswerView)) == count:
                await pilot.pause(0.002)
            await pilot.pause()  # the Markdown is laid out and painted
            timings.answer_ms.append((time.perf_counter() - sent) * 1000)
        pressed = time.perf_counter()
        await pilot.press("escape", "1")
        while not (isinstance(app.screen, DocumentScreen)
                   and app.screen.query_one(DocumentBody).views):
            await pilot.pause(0.005)
        await pilot.pause()
        timings.viewer_ms = (time.perf_counter() - pressed) * 1000
    return timings


def main() -> None:
    if sys.argv[1:] == ["--until-ready"]:
        asyncio.run(_until_ready())
        return
    timings = asyncio.run(measure())
    timings.import_s = import_seconds()
    timings.process_ready_s = process_ready_seconds()
    answers = timings.answer_ms
    print("Terminal UI benchmark (Pilot, 120×40)")
    print(f"  import assistant.tui (fresh interpreter) {timings.import_s:6.2f} s")
    print(f"  process start → ready input              {timings.process_ready_s:6.2f} s   "
          "(target ≤ 1.5 s)")
    print(f"  app launch → ready input (imports done)  {timings.input_ready_s:6.2f} s")
    print(f"  launch → index checked and warmed        {timings.index_ready_s:6.2f} s")
    print(f"  Enter → rendered answer, median          {statistics.median(answers):6.0f} ms  "
          f"(target ≤ 500 ms; max {max(answers):.0f} ms over {len(answers)} questions)")
    print(f"  1 → viewer at the cited paragraph        {timings.viewer_ms:6.0f} ms")


if __name__ == "__main__":
    main()
