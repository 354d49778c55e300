"""Structured records: the facts in the annex tables (and a few body paragraphs) as typed rows
that can be listed, counted and filtered by state and date, each citing where it is printed.

Design choices:

* `national_reports` and `action_plans` are one record per state with all its dates
  (`dates`), as the annex prints them; a date-range query matches a state when any of its
  dates falls in the range, and counting reports is `sum(len(r.dates))`.
* `outreach_events` keep the date as printed (`date_text`) beside the span read from it.
* Footnote marks printed after names ("格林纳达 a", "裁军事务厅 d") are dropped from record
  fields; the row's cells keep them.

`extract_records` (in `index.record_extract`) builds them from a parsed `Document`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from index.models import CELL_SEPARATOR, Document

Span = tuple[dt.date, dt.date | None]


def _whole_year(year: int) -> Span:
    """A figure given for a year (treaty parties, a coordinator's term) spans all of it."""
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _listed(values: str) -> str:
    """Values kept one per line, on one line for a summary."""
    return "；".join(values.split(CELL_SEPARATOR))


class RecordBase(BaseModel):
    """What every record carries: where it comes from and how to cite it."""

    model_config = ConfigDict(extra="forbid")

    doc_id: str
    row_id: str = Field(description="Id of the table row (or paragraph) the record was read from.")
    locator: str = Field(description="Citation, e.g. 'S/2022/899 附件三 第6行'.")

    state_fields: ClassVar[tuple[str, ...]] = ()

    def states(self) -> list[str]:
        """The names a state filter is matched against."""
        return [str(getattr(self, name)) for name in self.state_fields if getattr(self, name)]

    def spans(self) -> list[Span]:
        """The dates a date-range filter is matched against, as (start, end) spans;
        end None means open-ended."""
        return []

    def summary(self) -> str:
        """One readable line, also what a text filter searches."""
        return ""


class _StateDates(RecordBase):
    """A state with every date the annex prints under it."""

    state: str
    dates: list[dt.date]

    state_fields: ClassVar[tuple[str, ...]] = ("state",)

    def spans(self) -> list[Span]:
        return [(d, d) for d in self.dates]

    def summary(self) -> str:
        return f"{self.state}：" + "、".join(d.isoformat() for d in self.dates)


class NationalReport(_StateDates):
    record_type: Literal["national_reports"] = "national_reports"
    dates: list[dt.date] = Field(
        description="Dates of its national reports and additional information, as printed.")


class StateNotReported(RecordBase):
    record_type: Literal["states_not_reported"] = "states_not_reported"
    state: str

    state_fields: ClassVar[tuple[str, ...]] = ("state",)

    def summary(self) -> str:
        return self.state


class ActionPlan(_StateDates):
    record_type: Literal["action_plans"] = "action_plans"
    dates: list[dt.date] = Field(
        description="Dates its voluntary national action plans were submitted.")


class AssistanceRequest(RecordBase):
    record_type: Literal["assistance_requests"] = "assistance_requests"
    date: dt.date | None = Field(description="First date of the request.")
    dates: list[dt.date] = Field(default_factory=list, description="Every date printed for it.")
    date_text: str
    state: str
    request: str = Field(description="The requests, one per line as the annex lists them.")
    assistance_provided: str = Field(description="Who offered assistance, one per line.")

    state_fields: ClassVar[tuple[str, ...]] = ("state",)

    def spans(self) -> list[Span]:
        return [(d, d) for d in self.dates]

    def summary(self) -> str:
        provided = f"；提供援助：{_listed(self.assistance_provided)}" \
            if self.assistance_provided else ""
        return f"{self.date_text} {self.state}：{_listed(self.request)}{provided}"


class PointOfContact(RecordBase):
    record_type: Literal["points_of_contact"] = "points_of_contact"
    name: str
    kind: Literal["state", "organization"]

    state_fields: ClassVar[tuple[str, ...]] = ("name",)

    def summary(self) -> str:
        return f"{self.name}（{'会员国' if self.kind == 'state' else '组织'}）"


class TreatyParticipation(RecordBase):
    record_type: Literal["treaty_participation"] = "treaty_participation"
    instrument: str
    year: int
    parties: int = Field(description="Number of States parties in that year.")
    group: str = ""

    def spans(self) -> list[Span]:
        return [_whole_year(self.year)]

    def summary(self) -> str:
        return f"{self.instrument} {self.year}年：{self.parties}个缔约国"


class OutreachEvent(RecordBase):
    record_type: Literal["outreach_events"] = "outreach_events"
    annex: str = Field(description="The annex that lists it, e.g. '十八'.")
    date_text: str
    start_date: dt.date | None
    end_date: dt.date | None
    place: str
    title: str
    organisers: str
    participants: str = ""
    group: str = Field("", description="The sub-heading it is listed under, if any.")

    state_fields: ClassVar[tuple[str, ...]] = ("place", "title", "organisers", "participants")

    def spans(self) -> list[Span]:
        if self.start_date is None:
            return []
        return [(self.start_date, self.end_date or self.start_date)]

    def summary(self) -> str:
        parts = [self.date_text, self.place, self.title, self.organisers, self.participants]
        return " | ".join(part for part in parts if part)


class Coordinator(RecordBase):
    record_type: Literal["coordinators"] = "coordinators"
    working_group: int
    year: int
    period: str = Field(description="The year column as printed, e.g. '2016(自5月起)'.")
    coordinator: str

    state_fields: ClassVar[tuple[str, ...]] = ("coordinator",)

    def spans(self) -> list[Span]:
        return [_whole_year(self.year)]

    def summary(self) -> str:
        return f"第{self.working_group}工作组 {self.period}：{self.coordinator}"


class CommitteeDocument(RecordBase):
    record_type: Literal["documents"] = "documents"
    title: str
    date: dt.date | None
    symbol: str = Field(description="Document symbol, or the web address for a web page.")
    group: str = ""

    def spans(self) -> list[Span]:
        return [(self.date, self.date)] if self.date else []

    def summary(self) -> str:
        when = self.date.isoformat() if self.date else ""
        return " ".join(part for part in (self.title, when, self.symbol) if part)


class Chair(RecordBase):
    record_type: Literal["chairs"] = "chairs"
    name: str
    state: str
    start: dt.date
    end: dt.date | None = Field(description="None while in office.")

    state_fields: ClassVar[tuple[str, ...]] = ("state", "name")

    def spans(self) -> list[Span]:
        return [(self.start, self.end)]

    def summary(self) -> str:
        end = self.end.isoformat() if self.end else "至今"
        return f"{self.name}({self.state}) {self.start.isoformat()}—{end}"


Record = Annotated[
    NationalReport | StateNotReported | ActionPlan | AssistanceRequest | PointOfContact
    | TreatyParticipation | OutreachEvent | Coordinator | CommitteeDocument | Chair,
    Field(discriminator="record_type"),
]
RECORD_ADAPTER: TypeAdapter[Record] = TypeAdapter(Record)

RECORD_MODELS: dict[str, type[RecordBase]] = {
    "national_reports": NationalReport,
    "states_not_reported": StateNotReported,
    "action_plans": ActionPlan,
    "assistance_requests": AssistanceRequest,
    "points_of_contact": PointOfContact,
    "treaty_participation": TreatyParticipation,
    "outreach_events": OutreachEvent,
    "coordinators": Coordinator,
    "documents": CommitteeDocument,
    "chairs": Chair,
}
RECORD_TYPES: tuple[str, ...] = tuple(RECORD_MODELS)


def extract_records(document: Document) -> list[Record]:
    """The records in a parsed document: its annex tables, chosen by title and header
    wording, and the body paragraphs that list terms of office."""
    from index.record_extract import records_from_document  # it builds on the models above

    return records_from_document(document)
