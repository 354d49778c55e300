"""What readers derive from one index generation, kept beside it.

Some things every process derived afresh from a generation's passages: the document
frequencies the extractive reader weighs words by (every passage cut by jieba) and the
English words that translate the records' Chinese ones (CC-CEDICT read and stemmed). On two
cores that was 1.4 s of every one-shot `ask`. The first reader writes them into the
generation's folder as JSON, keyed by what they depend on; later readers load them in
milliseconds. A generation never changes once written, and a build's sweep removes its
folder with everything in it, so nothing here goes stale. A folder a reader cannot write
(a shared, read-only index) costs only the time to derive.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from index.durable import atomic_write

T = TypeVar("T")


def kept(path: Path | None, key: str, derive: Callable[[], T]) -> T:
    """The value saved at `path` under `key`, else `derive()`, saved there for the next
    reader. Values are JSON (lists, dicts of str keys, numbers, strings). No path (what is
    derived from passages in memory): derived every time."""
    if path is None:
        return derive()
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(saved, dict) and saved.get("key") == key:
            return saved["value"]  # type: ignore[no-any-return]
    except (OSError, ValueError):
        pass  # not written yet, or cut short: derive it again
    value = derive()
    if path.parent.is_dir():
        with contextlib.suppress(OSError):  # a read-only folder: the next reader derives too
            atomic_write(path, json.dumps({"key": key, "value": value}, ensure_ascii=False))
    return value
