"""Structured records → one passage per state: everything the annexes say about it.

"博茨瓦纳 行动计划" or "When did Botswana report?" then finds one short passage that names
the state, what it submitted and when, with the locator of every row it came from.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence

from pydantic import BaseModel

from index.models import DocumentMeta
from index.passages import Passage, count_tokens

# What each record type is called in the committee's words.
RECORD_LABELS_ZH: dict[str, str] = {
    "national_reports": "国家报告",
    "states_not_reported": "尚未提交国家报告",
    "action_plans": "自愿国家执行行动计划",
    "assistance_requests": "援助请求",
    "points_of_contact": "联络人",
}
_HIDDEN = {"doc_id", "row_id", "record_type", "locator", "state", "name", "kind"}


def _value(value: object) -> str:
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, list):
        return "；".join(_value(v) for v in value)
    return str(value)


def _describe(record: BaseModel) -> str:
    record_type = str(getattr(record, "record_type", ""))
    label = RECORD_LABELS_ZH.get(record_type, record_type)
    values = [
        _value(getattr(record, k)) for k in type(record).model_fields
        if k not in _HIDDEN and getattr(record, k) not in (None, "", [])
    ]
    detail = "：" + "，".join(values) if values else ""
    return f"{label}{detail}（{getattr(record, 'locator', '')}）"


def record_passages(records: Iterable[BaseModel], metas: dict[str, DocumentMeta]
                    ) -> list[Passage]:
    by_state: dict[tuple[str, str], list[BaseModel]] = defaultdict(list)
    for record in records:
        if getattr(record, "record_type", None) not in RECORD_LABELS_ZH:
            continue
        name = getattr(record, "state", None) or getattr(record, "name", None)
        if name:
            by_state[(str(getattr(record, "doc_id", "")), str(name))].append(record)
    passages = []
    for (doc_id, state), group in sorted(by_state.items()):
        meta = metas.get(doc_id)
        if meta is None:
            continue
        passages.append(_passage(meta, state, group))
    return passages


def _passage(meta: DocumentMeta, state: str, group: Sequence[BaseModel]) -> Passage:
    text = f"{state}\n" + "\n".join(_describe(r) for r in group)
    locators = [str(getattr(r, "locator", "")) for r in group]
    return Passage(
        id=f"{meta.id}/records/{state}", doc_id=meta.id, symbol=meta.symbol,
        doc_label=meta.label, date=meta.date.isoformat() if meta.date else None,
        year=meta.date.year if meta.date else None, doc_type=meta.doc_type.value,
        part="附件", section="记录", kind="record", locator="；".join(locators),
        language=meta.language, text=text, context=f"{meta.label} 记录",
        block_ids=[str(getattr(r, "row_id", "")) for r in group], tokens=count_tokens(text),
    )
