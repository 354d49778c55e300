"""Records read from S/2022/899 say what the document says, and the record store answers
queries by type, state and date range."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from index.errors import RecordQueryError
from index.models import CELL_SEPARATOR, Document
from index.record_store import RecordStore
from index.records import (
    RECORD_TYPES,
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
    extract_records,
)
from index.zh_dates import date_span, dates_in, parse_date

D = dt.date


@pytest.fixture(scope="module")
def review(corpus_docs: dict[str, Document]) -> Document:
    return corpus_docs["001"]


@pytest.fixture(scope="module")
def records(review: Document) -> list[Record]:
    return extract_records(review)


def of_type(records: list[Record], record_type: str) -> list[Any]:
    return [r for r in records if r.record_type == record_type]


@pytest.fixture
def store(tmp_path: Path, records: list[Record]) -> Iterator[RecordStore]:
    with RecordStore(tmp_path / "records.sqlite") as opened:
        opened.replace_document(records[0].doc_id, records)
        yield opened


# -- dates -----------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("2022 年 4 月 22 日", [D(2022, 4, 22)]),
    ("2016年5月12-13日", [D(2016, 5, 12), D(2016, 5, 13)]),
    ("2016 年 4 月 13-14 日", [D(2016, 4, 13), D(2016, 4, 14)]),
    ("2016年6月28日-7月1日", [D(2016, 6, 28), D(2016, 7, 1)]),
    ("2021年4月26日、28日和30日", [D(2021, 4, 26), D(2021, 4, 28), D(2021, 4, 30)]),
    ("2021年7月13和15日", [D(2021, 7, 13), D(2021, 7, 15)]),
    ("2019年1月1日至2020年12月31日", [D(2019, 1, 1), D(2020, 12, 31)]),
])
def test_chinese_dates(text, expected):
    assert dates_in(text) == expected


def test_dates_inherit_a_year_given_elsewhere_and_never_guess_one():
    assert date_span("4 月 25 日至 12 月 31 日", year=2016) == (D(2016, 4, 25), D(2016, 12, 31))
    assert dates_in("4 月 25 日至 12 月 31 日") == []
    assert parse_date("截至 2022 年 6 月 2 日") == D(2022, 6, 2)
    assert parse_date("2022 年 2 月 30 日") is None


# -- records from the comprehensive review ---------------------------------------------

def test_every_record_cites_its_row(records):
    assert records
    for record in records:
        assert record.doc_id == "001_f843830d9c5f1633"
        assert record.locator.startswith("S/2022/899 附件")
        assert record.row_id
    counts = Counter(r.record_type for r in records)
    assert counts["outreach_events"] == 227 + 61
    assert counts["points_of_contact"] == 137 + 22
    assert counts["treaty_participation"] == 16 * 3
    assert counts["coordinators"] == 4 * 7 - 2  # two years without a coordinator ("—")


def test_national_reports(records):
    reports = of_type(records, "national_reports")
    assert len(reports) == 185
    by_state = {r.state: r for r in reports if isinstance(r, NationalReport)}
    assert by_state["阿塞拜疆"].dates == [D(2004, 10, 28), D(2006, 4, 17), D(2008, 8, 26),
                                      D(2014, 2, 26)]
    argentina = by_state["阿根廷"]
    assert argentina.locator == "S/2022/899 附件一 第7行"
    assert len(argentina.dates) == 6 and argentina.dates[-1] == D(2020, 7, 10)
    assert "多民族玻利维亚国" in by_state and "波斯尼亚和黑塞哥维那" in by_state
    assert by_state["津巴布韦"].dates == [D(2017, 12, 18)]


def test_states_not_reported_and_action_plans(records):
    missing = [r.state for r in of_type(records, "states_not_reported")
               if isinstance(r, StateNotReported)]
    assert len(missing) == 8 and "朝鲜民主主义人民共和国" in missing
    plans = [r for r in of_type(records, "action_plans") if isinstance(r, ActionPlan)]
    assert len(plans) == 38
    assert sum(len(r.dates) for r in plans) == 46
    botswana = next(r for r in plans if r.state == "博茨瓦纳")
    assert botswana.dates == [D(2022, 4, 22)]
    assert botswana.locator == "S/2022/899 附件三 第6行"


def test_points_of_contact_kinds(records):
    contacts = of_type(records, "points_of_contact")
    assert all(isinstance(r, PointOfContact) for r in contacts)
    kinds = Counter(r.kind for r in contacts)
    assert kinds == {"state": 137, "organization": 22}


def test_assistance_requests(records):
    requests = of_type(records, "assistance_requests")
    assert len(requests) == 18
    assert all(isinstance(r, AssistanceRequest) for r in requests)
    grenada = next(r for r in requests if r.state == "格林纳达")  # the mark "a" is dropped
    assert grenada.date == D(2013, 10, 21)
    assert grenada.assistance_provided.split(CELL_SEPARATOR)[:3] == ["阿根廷", "南非", "西班牙"]
    mongolia = next(r for r in requests if r.state == "蒙古国")
    assert mongolia.dates == [D(2020, 5, 6), D(2020, 8, 20)]


def test_treaty_participation_as_printed(records):
    npt = {r.year: r.parties for r in of_type(records, "treaty_participation")
           if isinstance(r, TreatyParticipation) and r.instrument == "《不扩散核武器条约》"}
    assert npt == {2011: 190, 2016: 191, 2022: 191}
    zones = [r for r in of_type(records, "treaty_participation")
             if isinstance(r, TreatyParticipation) and r.instrument == "无核武器区"]
    assert [r.parties for r in zones] == [91, 101, 104]  # the footnote mark is dropped


def test_coordinators(records):
    coordinators = [r for r in of_type(records, "coordinators") if isinstance(r, Coordinator)]
    group2 = {r.year: r.coordinator for r in coordinators if r.working_group == 2}
    assert group2 == dict.fromkeys(range(2016, 2023), "法国")
    group4 = {r.coordinator for r in coordinators if r.working_group == 4}
    assert group4 == {"美利坚合众国"}
    group1 = {r.year: r.coordinator for r in coordinators if r.working_group == 1}
    assert group1[2016] == "委内瑞拉玻利瓦尔共和国" and 2021 not in group1


def test_chairs_and_their_terms(records):
    chairs = [r for r in of_type(records, "chairs") if isinstance(r, Chair)]
    assert [(c.name, c.state) for c in chairs] == [
        ("罗曼·奥亚尔孙·马切西", "西班牙"), ("萨查·塞尔吉奥·略伦蒂·索利斯", "多民族玻利维亚国"),
        ("钱宁", "印度尼西亚"), ("胡安·拉蒙·德拉富恩特", "墨西哥")]
    assert (chairs[0].start, chairs[0].end) == (D(2016, 4, 25), D(2016, 12, 31))
    assert (chairs[2].start, chairs[2].end) == (D(2019, 1, 1), D(2020, 12, 31))
    assert (chairs[3].start, chairs[3].end) == (D(2021, 1, 1), None)
    assert all(c.locator == "S/2022/899 附件 第4段" for c in chairs)


def test_outreach_events_dates_and_places(records):
    events = [r for r in of_type(records, "outreach_events") if isinstance(r, OutreachEvent)]
    assert Counter(e.annex for e in events) == {"十八": 227, "十九": 61}
    first = events[0]
    assert (first.start_date, first.place, first.organisers) == (
        D(2016, 5, 4), "维也纳", "欧安组织、裁军事务厅")
    kaliningrad = next(e for e in events if "加里宁格勒" in e.place)
    assert (kaliningrad.start_date, kaliningrad.end_date) == (D(2016, 6, 28), D(2016, 7, 1))
    assert all(e.start_date is not None for e in events)
    assert all(D(2016, 4, 1) <= e.start_date <= D(2022, 6, 2) for e in events if e.start_date)


def test_2018_review_outreach_events_are_the_table_rows_not_its_group_headings(corpus_docs):
    """The 2018 review's list of events prints five group sub-headings as rows with empty
    cells ("应邀访问各国"): they are the events' group, not events."""
    events = [r for r in extract_records(corpus_docs["004"]) if isinstance(r, OutreachEvent)]
    assert len(events) == 51  # 56 printed rows, five of them sub-headings
    assert Counter(e.group for e in events) == {
        "应邀访问各国": 6, "联合访问会员国": 3, "其他国别活动": 3, "其他区域活动": 8,
        "其他外联活动": 31}
    assert all(e.start_date is not None and e.start_date.year == 2018 for e in events)
    first = events[0]
    assert (first.date_text, first.place, first.start_date, first.end_date) == (
        "1月22日至23日", "阿什哈巴德", D(2018, 1, 22), D(2018, 1, 23))
    assert not any(e.title == "" or e.date_text in e.group for e in events)


def test_documents(records):
    documents = of_type(records, "documents")
    assert all(isinstance(r, CommitteeDocument) for r in documents)
    symbols = [r.symbol for r in documents]
    assert "S/RES/1540(2004)" in symbols and "S/2020/120" in symbols


# -- the record store --------------------------------------------------------------------

def test_store_counts_and_types(store, records):
    counts = store.counts()
    assert set(counts) == set(RECORD_TYPES) == set(store.record_types())
    assert counts == dict(Counter(r.record_type for r in records)) | {
        t: 0 for t in RECORD_TYPES if t not in {r.record_type for r in records}}
    assert counts["national_reports"] == 185 and counts["chairs"] == 4


def test_store_query_by_state(store):
    found = store.query("national_reports", state="玻利维亚")
    assert [r.state for r in found] == ["多民族玻利维亚国"]
    exact = store.query("action_plans", state="博茨瓦纳")
    assert len(exact) == 1 and exact[0].locator == "S/2022/899 附件三 第6行"
    # Queries are folded like the stored names: spacing and full-width forms do not matter.
    assert store.query("chairs", state=" 印度 尼西亚 ")[0].start == D(2019, 1, 1)
    assert store.query("documents", text="Ｓ／２０１６／１０３８")[0].symbol == "S/2016/1038"
    assert {r.record_type for r in store.query(None, state="博茨瓦纳")} >= {
        "national_reports", "action_plans", "assistance_requests", "points_of_contact"}


def test_store_query_by_date_range(store):
    plans_2022 = store.query("action_plans", date_from="2022-01-01", date_to=D(2022, 6, 2))
    assert sorted(r.state for r in plans_2022) == sorted(["吉尔吉斯斯坦", "博茨瓦纳", "蒙古"])
    chair_2019 = store.query("chairs", date_from=D(2019, 6, 1), date_to=D(2019, 6, 30))
    assert [r.name for r in chair_2019] == ["钱宁"]
    current = store.query("chairs", date_from="2022年6月2日")
    assert [r.state for r in current] == ["墨西哥"]
    events_2020 = store.query("outreach_events", date_from="2020-01-01", date_to="2020-12-31")
    assert events_2020 and all(e.start_date.year == 2020 for e in events_2020)
    texts = store.query("outreach_events", text="威斯巴登")
    assert texts and all("威斯巴登" in e.summary() for e in texts)


def test_store_rejects_bad_queries(store):
    with pytest.raises(RecordQueryError, match="national_reports"):
        store.query("reports")
    with pytest.raises(RecordQueryError):
        store.query("chairs", date_from="2022-01-01", date_to="2021-01-01")
    with pytest.raises(RecordQueryError):
        store.query("chairs", date_from="last year")


def test_replace_document_is_atomic(tmp_path, records, monkeypatch):
    path = tmp_path / "records.sqlite"
    doc_id = records[0].doc_id
    with RecordStore(path) as store:
        store.replace_document(doc_id, records)
        before = store.counts()
        calls = {"n": 0}
        original = RecordStore._insert

        def failing(self, record):
            calls["n"] += 1
            if calls["n"] == 10:
                raise RuntimeError("interrupted")
            original(self, record)

        monkeypatch.setattr(RecordStore, "_insert", failing)
        with pytest.raises(RuntimeError):
            store.replace_document(doc_id, records[:50])
        assert store.counts() == before
        monkeypatch.setattr(RecordStore, "_insert", original)
        store.replace_document(doc_id, records[:50])
        assert sum(store.counts().values()) == 50
    with RecordStore(path) as reopened:  # what was committed is on disk
        assert sum(reopened.counts().values()) == 50
        reopened.replace_document(doc_id, [])
        assert sum(reopened.counts().values()) == 0
