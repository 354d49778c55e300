"""`draft_outreach_summary`: the outreach events of a year or period, a region, an
organisation or a State, from the outreach annexes and the body text, counted and cited."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from typing import TYPE_CHECKING

from assistant.drafting import events as ev
from assistant.drafting import gist
from assistant.drafting.briefing import check_period, finish, new_context
from assistant.drafting.chart import draw
from assistant.drafting.context import MAX_KEY_POINTS, Context
from assistant.drafting.models import (
    ChartPoint,
    ChartSeries,
    Draft,
    DraftChart,
    DraftLine,
    DraftRow,
    DraftSubject,
    DraftTable,
)
from assistant.drafting.reword import reword
from assistant.drafting.sentences import Sentence, has_figure, in_period, names_entry, sentences
from assistant.drafting.state_file import resolve_state
from index.errors import DraftError
from index.glossary import GlossaryEntry
from index.records import OutreachEvent
from index.text import fold

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from assistant.api import Assistant

# "59项活动", "各类外联活动40次": a count of activities a document states.
_STATED_COUNT = re.compile(r"(\d+)\s*[项次个][^，。；]{0,24}?活动")
_ROW_NUMBER = re.compile(r"\s*第\d+行$")
_PART_OF = re.compile(r"\s*[(（]\d+/\d+[)）]$")
_OUTREACH = re.compile(r"外联|访问|讲习班|研讨会|同行审议|培训班|圆桌会议|活动|会议|对话")


class Filter:
    """Which events and sentences the summary covers."""

    def __init__(self, ctx: Context, state: str | None, organisation: str | None,
                 region: str | None) -> None:
        self.ctx = ctx
        self.entries: list[GlossaryEntry] = []
        self.words: list[str] = []
        self.labels: list[str] = []
        v = ctx.voice
        if state is not None:
            name = resolve_state(ctx.glossary, state)
            if name.entry is not None:
                self.entries.append(name.entry)
            else:
                self.words.append(name.zh or state)
            self.labels.append(v.state(name.zh or state, name.en, both=True))
        for asked in (organisation, region):
            if asked is None:
                continue
            entry = ctx.glossary.lookup(asked.strip())
            if entry is not None:
                self.entries.append(entry)
                self.labels.append(f"{entry.en} ({entry.zh})" if v.en else entry.zh)
            else:
                expanded = ctx.glossary.expand_query(asked)
                self.words += [asked.strip(), *expanded.added_zh]
                self.labels.append(asked.strip())

    @property
    def active(self) -> bool:
        return bool(self.entries or self.words)

    def event(self, event: ev.Event) -> bool:
        """Every name asked for appears in the event (a state *and* an organisation)."""
        glossary = self.ctx.glossary
        return all(ev.names(event, e, glossary)
                   or (not e.is_state and ev.mentions(event, e.chinese_forms))
                   for e in self.entries) and (not self.words or ev.mentions(event, self.words))

    def sentence(self, sentence: Sentence) -> bool:
        glossary = self.ctx.glossary
        folded = fold(sentence.quote)
        return all(names_entry(sentence.quote, e, glossary) for e in self.entries) and \
            (not self.words or any(fold(w) in folded for w in self.words))


def draft_outreach_summary(assistant: Assistant, *, year: int | None = None,
                           period: tuple[int, int] | None = None, region: str | None = None,
                           organisation: str | None = None, state: str | None = None,
                           language: str = "zh", today: dt.date | None = None,
                           llm: BaseChatModel | bool | None = None) -> Draft:
    """Outreach in `year` or `period` (first and last year; default: every year the records
    cover), optionally only events naming `region`, `organisation` or `state`. `llm`: as
    `draft_briefing` takes it: whether a language model rewords the highlights."""
    draft = _summary(assistant, year, period, region, organisation, state, language, today)
    return reword(assistant, draft, llm)


def _summary(assistant: Assistant, year: int | None, period: tuple[int, int] | None,
             region: str | None, organisation: str | None, state: str | None,
             language: str, today: dt.date | None) -> Draft:
    if year is not None and period is not None and (year, year) != period:
        raise DraftError("give either a year or a period, not both")
    ctx = new_context(assistant, language, check_period((year, year) if year else period))
    v = ctx.voice
    wanted = Filter(ctx, state, organisation, region)
    events = [e for e in ev.merge(ctx.corpus.records(OutreachEvent))
              if (ctx.period is None or ev.in_years(e, *ctx.period))
              and (not wanted.active or wanted.event(e))]
    found = [s for p in ctx.corpus.prose() for s in sentences(p)
             if _OUTREACH.search(s.quote) and in_period(s, ctx.period, ctx.corpus)
             and (not wanted.active or wanted.sentence(s))]
    scope = v.period(*ctx.period) if ctx.period else v("all_years")
    if ctx.period and ctx.period[0] == ctx.period[1]:
        scope = v.year(ctx.period[0])
    about = v.join(wanted.labels)
    title = v("title_outreach", scope=scope) + (v("title_outreach_about", about=about)
                                                if about else "")
    subject = DraftSubject(period=ctx.period, region=region, organisation=organisation,
                           state=state)
    if not events and not found:
        section = ctx.section("not_found", paragraphs=[ctx.framing(v(
            "outreach_not_found", scope=scope, about=about or "—"))])
        return finish(ctx, "outreach", title, subject, today, [section], found=False)
    sections = [
        ctx.section("purpose", paragraphs=[ctx.framing(v("purpose_outreach", scope=scope,
                                                          n=len(ctx.corpus.metas)))]),
        ctx.section("highlights", bullets=highlights(ctx, events, found)),
        ctx.section("events", tables=[events_table(ctx, events)]),
        ctx.section("counts", tables=counts(ctx, events)),
    ]
    return finish(ctx, "outreach", title, subject, today, sections,
                  chart=events_chart(ctx, events))


def highlights(ctx: Context, events: list[ev.Event], found: list[Sentence]) -> list[DraftLine]:
    v, book = ctx.voice, ctx.book
    lines: list[DraftLine] = []
    if events:
        kinds = Counter(e.kind for e in events)
        years = sorted({e.year for e in events if e.year})
        key = "hl_total_one" if years[0] == years[-1] else "hl_total"
        lines.append(ctx.claim(v(key, n=len(events), first=v.year(years[0]),
                                 last=v.year(years[-1]),
                                 kinds=ctx.kinds(kinds.most_common(), 4)),
                               book.rows([r for e in events for r in e.rows])))
        for kind in ("peer_review", "visit", "poc_training"):
            mine = [e for e in events if e.kind == kind]
            if not mine:
                continue
            what = ("、" if not v.en else "; ").join(
                [f"{e.caption}（{v.span(e.start, e.end, e.main.date_text)}）" if not v.en
                 else f"{ctx.event_text(e)}, {v.span(e.start, e.end)}" for e in mine[:5]])
            more = v("and_more", n=len(mine) - 5) if len(mine) > 5 else ""
            lines.append(ctx.claim(v("hl_kind", kind=v(f"kind_{kind}"), n=len(mine),
                                     events=what + more),
                                   book.rows([r for e in mine for r in e.rows])))
    lines += reconciled(ctx, events, found)
    ranked = sorted(found, key=lambda s: (has_figure(s.quote), "委员会" in s.quote,
                                          s.passage.date or ""), reverse=True)
    for sentence in ranked:
        if len(lines) >= MAX_KEY_POINTS:
            break
        if (line := ctx.quoted(sentence)) is not None:
            lines.append(line)
    return lines


def events_table(ctx: Context, events: list[ev.Event]) -> DraftTable:
    """The events grouped by type, most frequent first: each type's events by date and
    place on one row, cited by the rows that list them. A summary of a year fits a few
    pages this way; every event's title, organisers and participants are in its sources."""
    v = ctx.voice
    by_kind: dict[str, list[ev.Event]] = defaultdict(list)
    for event in events:
        by_kind[event.kind].append(event)
    rows = []
    for kind, group in sorted(by_kind.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        listed = [_when_where(ctx, event) for event in group]
        label = v(f"kind_{kind}")
        rows.append(DraftRow(cells=[label[:1].upper() + label[1:], str(len(group)),
                                    ("；" if not v.en else "; ").join(listed)],
                             citations=ctx.book.rows([r for e in group for r in e.rows])))
    return DraftTable(caption=v("caption_events"), rows=rows, columns=[
        v("col_kind"), v("col_count"), v("col_events")])


def _when_where(ctx: Context, event: ev.Event) -> str:
    v = ctx.voice
    when = v.span(event.start, event.end, event.main.date_text)
    place = event.main.place
    if v.en and place:
        place = gist.place(place, ctx.glossary)
    return f"{when}, {place}" if v.en and place else f"{when}，{place}" if place else when


def reconciled(ctx: Context, events: list[ev.Event], found: list[Sentence]) -> list[DraftLine]:
    """Where a document reporting on the summary's one year prints its own count of the
    year's events and the annexes give another, both figures, each with its source."""
    if not events or ctx.period is None or ctx.period[0] != ctx.period[1]:
        return []
    v, book = ctx.voice, ctx.book
    year = ctx.period[0]
    rows = [r for e in events for r in e.rows if r.annex == events[0].main.annex]
    annex = v.locator(_ROW_NUMBER.sub("", events[0].main.locator))
    lines = []
    for sentence in found:
        if ctx.corpus.covers(sentence.passage.doc_id) != (year, year):
            continue
        match = _STATED_COUNT.search(sentence.quote)
        if match is None or int(match.group(1)) == len(events):
            continue
        ctx.said.new(sentence.quote)  # quoted here: not again among the highlights
        stated = match.group(0) if not v.en else f"{match.group(1)} (“{match.group(0)}”)"
        where = v.locator(_PART_OF.sub("", sentence.passage.locator))
        lines.append(ctx.claim(v("events_reconciled", annex=annex, n=len(events),
                                 scope=v.year(year), source=ctx.doc_label(
                                     sentence.passage.doc_id), stated=stated, locator=where),
                               [*book.rows(rows), book.sentence(sentence.passage,
                                                                sentence.quote)]))
        break
    return lines


def counts(ctx: Context, events: list[ev.Event]) -> list[DraftTable]:
    v, book = ctx.voice, ctx.book
    if not events:
        return []
    by_year: dict[int, list[ev.Event]] = defaultdict(list)
    by_kind: dict[str, list[ev.Event]] = defaultdict(list)
    by_category: dict[str, list[ev.Event]] = defaultdict(list)
    for event in events:
        if event.year:
            by_year[event.year].append(event)
        by_kind[event.kind].append(event)
        if event.category:
            by_category[event.category].append(event)

    def rows_of(groups: dict, label) -> list[DraftRow]:  # type: ignore[type-arg, no-untyped-def]
        return [DraftRow(cells=[label(key), str(len(group))],
                         citations=book.rows([r for e in group for r in e.rows]))
                for key, group in groups.items()]

    tables = [DraftTable(caption=v("caption_per_year"), columns=[v("col_year"), v("col_count")],
                         rows=rows_of(dict(sorted(by_year.items())), v.year))]
    # The count per type is the events table's: not said twice.
    if by_category:
        ordered = dict(sorted(by_category.items(), key=lambda kv: -len(kv[1])))
        tables.append(DraftTable(caption=v("caption_per_category"),
                                 columns=[v("col_category"), v("col_count")],
                                 rows=rows_of(ordered, lambda c: _category(ctx, c))))
    return tables


def _category(ctx: Context, category: str) -> str:
    """A category as the annexes file it; in English the glossary's terms it names."""
    if not ctx.voice.en:
        return category
    terms = gist.read(category, ctx.glossary).terms
    text = ctx.voice.join(terms) if terms else category
    return text[:1].upper() + text[1:]


def events_chart(ctx: Context, events: list[ev.Event]) -> DraftChart | None:
    """Events per year; per month when the summary covers one year."""
    v, book = ctx.voice, ctx.book
    dated = [e for e in events if e.start]
    if not dated:
        return None
    one_year = len({e.year for e in dated}) == 1
    groups: dict[tuple[int, int], list[ev.Event]] = defaultdict(list)
    for event in dated:
        assert event.start is not None
        groups[(event.start.year, event.start.month if one_year else 12)].append(event)
    if one_year:  # every month of the year, empty ones too
        year = dated[0].year or 0
        for month in range(1, 13):
            groups.setdefault((year, month), [])
    # Each bar rests on the rows counted: cited, like the total, by the span of those rows.
    counted = book.rows([r for e in dated for r in e.rows])
    points = []
    for (year, month), group in sorted(groups.items()):
        label = (f"{month}" if v.en else f"{month}月") if one_year else str(year)
        points.append(ChartPoint(as_of=dt.date(year, month, 1), value=len(group), label=label,
                                 citations=counted if group else []))
    series = [ChartSeries(name=v("chart_events_series"), points=points)]
    title = v("chart_outreach_title")
    png = draw("bars", title, series, title_en=ctx.voice_en("chart_outreach_title"),
               names_en=[ctx.voice_en("chart_events_series")])
    return DraftChart(title=title, style="bars", png=png, series=series)
