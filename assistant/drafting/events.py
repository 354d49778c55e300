"""Outreach events as a reader counts them: one event however many annexes list it.

The 2022 comprehensive review lists every outreach event in annex XVIII (with organisers and
participants) and again, for direct interaction with States, in annex XIX (with the category
the Committee files it under); the 2018 review lists 2018's events in its own annex. An event
listed twice starts on the same day at the same place (or under nearly the same title), and
is merged into one, keeping every row as a source.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from index.glossary import Glossary, GlossaryEntry
from index.records import OutreachEvent
from index.text import fold

# The kind of event, read from its title: first match wins.
EVENT_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("peer_review", re.compile(r"同行审议|同行审评|同行审查")),
    ("visit", re.compile(r"访问")),
    ("poc_training", re.compile(r"联络[人点]\S{0,6}培训")),
    ("roundtable", re.compile(r"圆桌")),
    ("training", re.compile(r"培训|训练|课程|暑期班")),
    ("workshop", re.compile(r"讲习班|研讨会|讨论会|网络研讨")),
    ("meeting", re.compile(r"会议|大会|论坛|对话|磋商|通报会|交流会|会晤|展览")),
)
# The kind an annex's category says outright ("应邀访问各国", "同行审议").
_CATEGORY_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("peer_review", re.compile(r"同行审议")),
    ("visit", re.compile(r"访问")),
)
_PLACE_NOISE = re.compile(r"[(（][^)）]*[)）]|虚拟会议|虚拟|混合会议|视频会议|[，,、\s]")


@dataclass
class Event:
    """One outreach event, with every annex row that lists it (the first is the fullest)."""

    rows: list[OutreachEvent]
    kind: str
    category: str = ""
    caption: str = ""

    @property
    def main(self) -> OutreachEvent:
        return self.rows[0]

    @property
    def start(self) -> dt.date | None:
        return self.main.start_date

    @property
    def end(self) -> dt.date | None:
        return self.main.end_date or self.main.start_date

    @property
    def year(self) -> int | None:
        return self.start.year if self.start else None

    def fields(self) -> list[str]:
        return [text for row in self.rows
                for text in (row.place, row.title, row.organisers, row.participants) if text]

    @property
    def participants(self) -> str:
        return next((r.participants for r in self.rows if r.participants), "")


def kind_of(title: str) -> str:
    for kind, pattern in EVENT_KINDS:
        if pattern.search(title):
            return kind
    return "other"


def merge(records: Iterable[OutreachEvent]) -> list[Event]:
    """Events in date order, each listed once; annex XVIII rows lead (they name
    participants), rows of other annexes join the event they repeat."""
    ordered = sorted(records, key=lambda r: (r.annex != "十八", r.doc_id, r.row_id))
    events: list[Event] = []
    for record in ordered:
        twin = next((e for e in events if _same(e.main, record)), None)
        if twin is None:
            events.append(Event([record], "other", record.group))
        else:
            twin.rows.append(record)
            twin.category = twin.category or record.group
    for event in events:
        event.kind, event.caption = _kind(event)
    return sorted(events, key=lambda e: (e.start or dt.date.max, e.main.row_id))


def _kind(event: Event) -> tuple[str, str]:
    """The kind and the title that says it best: what the category says, else the most
    telling title (the direct-interaction annexes describe an event, "应邀访问多哥，举办……
    讲习班", where annex XVIII names it)."""
    described = sorted(event.rows, key=lambda r: r.annex == "十八")
    for kind, pattern in _CATEGORY_KINDS:
        if any(pattern.search(row.group) for row in event.rows):
            titled = next((r.title for r in described if pattern.search(r.title)),
                          described[0].title)
            return kind, titled
    for row in described:
        found = kind_of(row.title)
        if found != "other":
            return found, row.title
    return "other", event.rows[0].title


def _same(a: OutreachEvent, b: OutreachEvent) -> bool:
    if a.start_date is None or a.start_date != b.start_date or a.row_id == b.row_id:
        return False
    pa, pb = _place(a.place), _place(b.place)
    if pa and pb and (pa in pb or pb in pa):
        return True
    return _overlap(a.title, b.title) >= 0.5


def _place(text: str) -> str:
    return _PLACE_NOISE.sub("", fold(text))


def _overlap(a: str, b: str) -> float:
    pa = {a[i:i + 2] for i in range(len(a) - 1)}
    pb = {b[i:i + 2] for i in range(len(b) - 1)}
    return len(pa & pb) / min(len(pa), len(pb)) if pa and pb else 0.0


def in_years(event: Event, first: int, last: int) -> bool:
    return event.year is not None and first <= event.year <= last


def names(event: Event, entry: GlossaryEntry, glossary: Glossary) -> bool:
    """The event names this state or organisation in its place, title, organisers or
    participants (as a whole name: 几内亚 is not 几内亚比绍)."""
    return any(found.zh == entry.zh for text in event.fields()
               for _, found in glossary.find_chinese(text))


def mentions(event: Event, words: Iterable[str]) -> bool:
    """Any of the words (a region, an unlisted name) in the event's fields."""
    text = fold(" ".join(event.fields()))
    return any(fold(word) in text for word in words if word)
