"""What the commands print beside rich's text: JSON, and tables that are never cut."""

from __future__ import annotations

import json
import sys

from rich.console import Console
from rich.measure import Measurement
from rich.table import Table


def print_json(data: object) -> None:
    """JSON on stdout in UTF-8 whatever the locale, Chinese as characters (never \\uXXXX)."""
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False, indent=2)
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8") + b"\n")
    sys.stdout.flush()


def print_table(table: Table, out: Console) -> None:
    """On a terminal, the table fits the window; piped or redirected, each row is as wide
    as it needs, so that nothing (a date, a title) is wrapped or cut for a width no one
    sees."""
    if out.is_terminal:
        out.print(table)
        return
    wide = Measurement.get(out, out.options.update(width=100_000), table).maximum
    narrow = out.width
    out.width = max(wide, narrow)  # `print(width=…)` would still clip to the console's
    try:
        out.print(table, crop=False)
    finally:
        out.width = narrow
