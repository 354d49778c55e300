"""Parsed document → records. A table's record type is chosen from its title and header wording
(what a later review in the same format would also print), never from a document id; a
table no rule recognises yields no records.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Literal, TypedDict

from index.models import Block, BlockKind, Document, TableRow
from index.records import (
    ActionPlan,
    AssistanceRequest,
    Chair,
    CommitteeDocument,
    Coordinator,
    NationalReport,
    OutreachEvent,
    PointOfContact,
    Record,
    StateNotReported,
    TreatyParticipation,
)
from index.text import normalize_spacing
from index.zh_dates import date_span, dates_in, parse_date

_CJK = r"\u4e00-\u9fff"
# A footnote mark printed after a name: "格林纳达 a", "裁军事务厅d /联合国……", "海事组织b".
_MARK = re.compile(rf"(?<=[{_CJK}）)])[^\S\n]?[a-h](?=[^\S\n]*(?:/|、|；|\n|$))")
_EMPTY = {"", "—", "-", "–", "－"}
_CHAIR_TERMS = re.compile(r"主席任职情况")
_CHAIR_ITEM = re.compile(
    r"^(?P<period>.+?)，(?P<name>[^，()（）]+)[(（](?P<state>[^()（）]+)[)）]$"
)


def records_from_document(document: Document) -> list[Record]:
    records: list[Record] = []
    year = document.meta.date.year if document.meta.date else None
    for block in document.blocks:
        if block.kind is BlockKind.TABLE:
            records += _table_records(block, year)
        elif block.kind is BlockKind.PARAGRAPH and _CHAIR_TERMS.search(block.text):
            records += _chairs(block)
    return records


def strip_marks(text: str) -> str:
    """A cell's text without the footnote marks printed after its names."""
    return re.sub(r"\s+/", "/", _MARK.sub("", text)).strip()


def _column(header: list[str], *words: str) -> int | None:
    """Index of the first heading containing one of the words."""
    return next((k for k, h in enumerate(header) if any(w in h for w in words)), None)


def _cell(row: TableRow, index: int | None) -> str:
    if index is None or index >= len(row.cells):
        return ""
    return row.cells[index]


class _Where(TypedDict):
    doc_id: str
    row_id: str
    locator: str


def _base(block: Block, row: TableRow) -> _Where:
    return {"doc_id": block.doc_id, "row_id": row.id, "locator": row.locator}


def _table_records(block: Block, year: int | None) -> list[Record]:
    """A table's records; `year` (the document's) dates rows printed without one
    ("1月22日至23日" in an annual review), unless the title names a year."""
    title = normalize_spacing(block.title or "")
    header = [normalize_spacing(h) for h in block.header]
    builder = _builder_for(title, header)
    if builder is None:
        return []
    named = re.search(r"(\d{4})年", title)
    return list(builder(block, header, int(named.group(1)) if named else year))


Builder = Callable[[Block, list[str], int | None], Iterator[Record]]


def _builder_for(title: str, header: list[str]) -> Builder | None:
    first = header[0] if header else ""
    dated_states = first == "国家" and len(header) == 2 and "日期" in header[1]
    if dated_states and "行动计划" in title:
        return _action_plans
    if dated_states and "报告" in title:
        return _national_reports
    if "尚未" in title and "报告" in title and len(header) == 1:
        return _states_not_reported
    if "联络人" in title and len(header) == 1:
        return _points_of_contact
    if first == "条约":
        return _treaty_participation
    if first == "工作组":
        return _coordinators
    if "援助请求" in "".join(header):
        return _assistance_requests
    if first.startswith("日期") and _column(header, "标题", "说明") is not None:
        return _outreach_events
    if header[:3] == ["标题", "日期", "参考"]:
        return _documents
    return None


def _national_reports(block: Block, header: list[str], year: int | None) -> Iterator[Record]:
    for row in block.rows:
        yield NationalReport(**_base(block, row), state=strip_marks(_cell(row, 0)),
                             dates=dates_in(_cell(row, 1)))


def _action_plans(block: Block, header: list[str], year: int | None) -> Iterator[Record]:
    for row in block.rows:
        yield ActionPlan(**_base(block, row), state=strip_marks(_cell(row, 0)),
                         dates=dates_in(_cell(row, 1)))


def _states_not_reported(block: Block, header: list[str], year: int | None) -> Iterator[Record]:
    for row in block.rows:
        yield StateNotReported(**_base(block, row), state=strip_marks(_cell(row, 0)))


def _points_of_contact(block: Block, header: list[str], year: int | None) -> Iterator[Record]:
    title = block.title or ""
    kind: Literal["state", "organization"] = (
        "organization" if header[0] == "组织" or "组织名单" in title else "state")
    for row in block.rows:
        yield PointOfContact(**_base(block, row), name=strip_marks(_cell(row, 0)), kind=kind)


def _treaty_participation(block: Block, header: list[str], year: int | None) -> Iterator[Record]:
    years = {k: int(m.group(0)) for k, h in enumerate(header) if (m := re.search(r"\d{4}", h))}
    group_at = _column(header, "类别")
    for row in block.rows:
        for k, year in years.items():
            count = _cell(row, k)
            if count.isdigit():
                yield TreatyParticipation(**_base(block, row),
                                          instrument=strip_marks(_cell(row, 0)), year=year,
                                          parties=int(count), group=_cell(row, group_at))


def _coordinators(block: Block, header: list[str], year: int | None) -> Iterator[Record]:
    years = {k: (int(m.group(0)), h) for k, h in enumerate(header)
             if k and (m := re.match(r"\d{4}", h))}
    for row in block.rows:
        number = _cell(row, 0)
        if not number.isdigit():
            continue
        for k, (year, period) in years.items():
            name = strip_marks(_cell(row, k))
            if name not in _EMPTY:
                yield Coordinator(**_base(block, row), working_group=int(number), year=year,
                                  period=period, coordinator=name)


def _assistance_requests(block: Block, header: list[str], year: int | None) -> Iterator[Record]:
    date_at = _column(header, "日期")
    state_at = _column(header, "国家")
    request_at = _column(header, "援助请求")
    provided_at = _column(header, "提供的援助")
    for row in block.rows:
        text = _cell(row, date_at)
        dates = dates_in(text)
        yield AssistanceRequest(
            **_base(block, row), date=dates[0] if dates else None, dates=dates, date_text=text,
            state=strip_marks(_cell(row, state_at)), request=_cell(row, request_at),
            assistance_provided=strip_marks(_cell(row, provided_at)),
        )


def _outreach_events(block: Block, header: list[str], year: int | None) -> Iterator[Record]:
    date_at = _column(header, "日期")
    place_at = _column(header, "地点")
    title_at = _column(header, "标题", "说明")
    organisers_at = _column(header, "组织者", "主办")
    participants_at = _column(header, "参与者")
    group_at = _column(header, "类别")
    annex = block.part.removeprefix("附件")
    for row in block.rows:
        date_text = _cell(row, date_at)
        place = _cell(row, place_at) if place_at != date_at else ""
        if place_at == date_at:  # "日期和地点": "2016年5月4日，维也纳"
            date_text, _, place = date_text.partition("，")
        span = date_span(date_text, year)
        yield OutreachEvent(
            **_base(block, row), annex=annex, date_text=date_text,
            start_date=span[0] if span else None, end_date=span[1] if span else None,
            place=place, title=_cell(row, title_at),
            organisers=strip_marks(_cell(row, organisers_at)),
            participants=strip_marks(_cell(row, participants_at)),
            group=strip_marks(_cell(row, group_at)),
        )


def _documents(block: Block, header: list[str], year: int | None) -> Iterator[Record]:
    group_at = _column(header, "类别")
    for row in block.rows:
        yield CommitteeDocument(**_base(block, row), title=_cell(row, 0),
                                date=parse_date(_cell(row, 1)), symbol=_cell(row, 2),
                                group=_cell(row, group_at))


def _chairs(block: Block) -> list[Record]:
    """"委员会主席任职情况如下：2016 年 4 月 25 日至 12 月 31 日，罗曼……(西班牙)；……；
    自 2021 年 1 月 1 日起，胡安……(墨西哥)。" → one record per term."""
    _, _, terms = block.text.partition("：")
    records: list[Record] = []
    for k, item in enumerate(re.split(r"[；;]", terms.rstrip("。. ")), start=1):
        match = _CHAIR_ITEM.match(item.strip())
        if not match:
            continue
        period = match.group("period")
        days = dates_in(period)
        if not days:
            continue
        open_ended = period.startswith("自") and period.endswith("起")
        records.append(Chair(
            doc_id=block.doc_id, row_id=f"{block.id}#chair{k}", locator=block.locator,
            name=match.group("name").strip(), state=match.group("state").strip(),
            start=days[0], end=None if open_ended or len(days) < 2 else days[-1],
        ))
    return records
