"""A process for the crash tests to kill: it ingests, builds or converses through the public
API with the settings from the environment, and prints a line at each step so the test
knows where it is when it sends SIGKILL.

    python crash_worker.py ingest FILE...   -> "ingest i/n NAME" before each file
    python crash_worker.py build            -> "chunking|embedding done/total" as it goes
    python crash_worker.py converse ID...   -> "committed ID n" after each saved turn
"""

from __future__ import annotations

import sys
from pathlib import Path

from assistant import Assistant
from assistant.settings import load_settings

QUESTIONS = ["委员会 2019 年收到的新援助请求有多少份？", "那 2018 年呢？",
             "博茨瓦纳何时提交了国家执行行动计划？", "联络人"]


def say(line: str) -> None:
    print(line, flush=True)


def main(mode: str, args: list[str]) -> None:
    with Assistant(load_settings()) as assistant:
        if mode == "ingest":
            assistant.ingest([Path(a) for a in args], force=True,
                             progress=lambda path, i, n: say(f"ingest {i}/{n} {path.name}"))
            say("done")
        elif mode == "build":
            assistant.build_index(build_progress=lambda stage, done, total:
                                  say(f"{stage} {done}/{total}"))
            say("done")
        elif mode == "converse":
            conversations = [assistant.conversation(conv_id) for conv_id in args]
            for n in range(1, 1000):
                for conversation in conversations:
                    conversation.ask(QUESTIONS[n % len(QUESTIONS)])
                    say(f"committed {conversation.id} {len(conversation.turns)}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
