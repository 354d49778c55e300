"""Records as a rich table: one column per field a reader cares about, locator last."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pydantic import BaseModel
from rich.table import Table

_HIDDEN = {"doc_id", "row_id", "record_type", "locator"}


def _cell(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, list):
        return "；".join(_cell(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _is_date(value: object) -> bool:
    return isinstance(value, dt.date) or (isinstance(value, list) and bool(value)
                                           and all(isinstance(v, dt.date) for v in value))


def record_table(record_type: str, records: Sequence[BaseModel]) -> Table:
    """Long text folds within its column; a date never does ("2\n020-07-27" reads as
    two things), nor does a locator."""
    fields = [name for name in type(records[0]).model_fields if name not in _HIDDEN]
    table = Table(title=record_type)
    for name in [*fields, "locator"]:
        whole = name == "locator" or any(_is_date(getattr(r, name)) for r in records)
        table.add_column(name, overflow="fold", no_wrap=whole)
    for record in records:
        table.add_row(*(_cell(getattr(record, name)) for name in [*fields, "locator"]))
    return table
