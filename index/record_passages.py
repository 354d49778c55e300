"""Structured records → one passage per state: every annex row that names it.

"博茨瓦纳 行动计划" or "When did Botswana report?" then finds one short passage that names
the state and quotes, verbatim, each row the annexes print for it (national reports, action
plan, point of contact, assistance requests), each under its annex's title and locator.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from index.models import Block, Document, TableRow
from index.passages import Passage, count_tokens
from index.records import Record

# What each record type is called in the committee's words.
RECORD_LABELS_ZH: dict[str, str] = {
    "national_reports": "国家报告",
    "states_not_reported": "尚未提交国家报告",
    "action_plans": "自愿国家执行行动计划",
    "assistance_requests": "援助请求",
    "points_of_contact": "联络人",
}


def record_passages(records: Iterable[Record], documents: Mapping[str, Document]
                    ) -> list[Passage]:
    """One passage per (document, state), rows in the order the records come."""
    rows = {row_id: found for document in documents.values()
            for row_id, found in document.rows_by_id().items()}
    by_state: dict[tuple[str, str], list[Record]] = defaultdict(list)
    for record in records:
        if record.record_type not in RECORD_LABELS_ZH or record.row_id not in rows:
            continue
        name = getattr(record, "state", None) or getattr(record, "name", None)
        if name:
            by_state[(record.doc_id, str(name))].append(record)
    return [
        _passage(documents[doc_id], state, group, rows)
        for (doc_id, state), group in sorted(by_state.items()) if doc_id in documents
    ]


def _passage(document: Document, state: str, group: Sequence[Record],
             rows: Mapping[str, tuple[Block, TableRow]]) -> Passage:
    lines = [state]
    for record in group:
        table, row = rows[record.row_id]
        what = table.title or RECORD_LABELS_ZH[record.record_type]
        lines.append(f"{what}（{row.locator}）：{table.row_line(row)}")
    text = "\n".join(lines)
    meta = document.meta
    return Passage(
        id=f"{meta.id}/records/{state}", doc_id=meta.id, symbol=meta.symbol,
        doc_label=meta.label, date=meta.date.isoformat() if meta.date else None,
        year=meta.date.year if meta.date else None, doc_type=meta.doc_type.value,
        part="附件", section="记录", kind="record",
        locator="；".join(record.locator for record in group),
        language=meta.language, text=text, context=f"{meta.label} 记录",
        block_ids=[record.row_id for record in group], tokens=count_tokens(text),
    )
