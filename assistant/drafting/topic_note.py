"""A briefing note on a topic ("援助", "联络人", "国家执行行动计划", "全面审查") or a period
("2018–2022"), or a topic within a period.

Key points state how the topic's key figures moved and quote the most informative sentences;
the background quotes the sentences that explain the topic; the chronology lists the dated
records and sentences; open issues quote what the records recommend or leave pending.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field

from assistant.drafting.chart import draw
from assistant.drafting.context import MAX_KEY_POINTS, Context
from assistant.drafting.figures import (
    FigureSeries,
    FigureValue,
    key_figures_timeline,
    states_a_figure,
)
from assistant.drafting.models import (
    ChartPoint,
    ChartSeries,
    DraftChart,
    DraftLine,
    DraftRow,
    DraftTable,
)
from assistant.drafting.sentences import (
    Distinct,
    Sentence,
    about,
    complete,
    date_for,
    forward_blocks,
    has_figure,
    in_period,
    is_forward,
    pending,
    sentences,
    years_in,
)
from index.records import (
    ActionPlan,
    AssistanceRequest,
    CommitteeDocument,
    NationalReport,
    Record,
)

# What each topic's structured records and key figures are (by the glossary's Chinese name).
PROFILES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "援助": (("assistance_requests",), ()),
    "援助请求": (("assistance_requests",), ()),
    "联络人": (("points_of_contact",), ("points_of_contact",)),
    "国家执行行动计划": (("action_plans",), ("action_plans",)),
    "国家报告": (("national_reports", "states_not_reported"), ("first_reports",)),
    "第一次报告": (("national_reports", "states_not_reported"), ("first_reports",)),
    "外联活动": (("outreach_events",), ()),
    "全面审查": ((), ("first_reports", "points_of_contact", "action_plans")),
}
MAX_CHRONOLOGY = 40
MAX_STATED_FIGURES = 8
_CLAUSES = re.compile(r"[^，；。：]+[，；。：]?")
# A count as the records print it: "18个会员国", "46份", "56%".
_COUNT = re.compile(r"(?<![\d年月第])\d[\d ]*(?:\.\d+)?\s*(?:%|个|份|项|次|名)")
# What a sentence that explains a topic says of it.
_EXPLAINS = re.compile(r"重要|有助于|促进|作用|目的|旨在|可以|用于")
_MODAL = re.compile(r"应|可|将|鼓励|建议|需要")
# A sentence is about the topic when the topic is named early in it.
_ABOUT_WITHIN = 60


@dataclass
class Topic:
    """What the note is about: the topic's Chinese forms (none for a period note), its
    records and its key figures."""

    label: str
    forms: list[str]
    record_types: tuple[str, ...] = ()
    figures: tuple[str, ...] | None = None
    sentences: list[Sentence] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    series: list[FigureSeries] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.sentences or self.records or self.series)


def resolve_topic(ctx: Context, topic: str | None) -> Topic:
    if topic is None:
        return Topic(label="", forms=[], figures=None)
    entry = ctx.glossary.lookup(topic.strip())
    if entry is not None:
        forms = [f for f in entry.chinese_forms if "(" not in f]
        record_types, figures = PROFILES.get(entry.zh, ((), None))
        label = entry.en[:1].upper() + entry.en[1:] if ctx.voice.en else entry.zh
        return Topic(label=label, forms=forms, record_types=record_types,
                     figures=figures or None)
    expanded = ctx.glossary.expand_query(topic)
    forms = [topic.strip(), *expanded.added_zh]
    return Topic(label=topic.strip(), forms=forms)


def gather(ctx: Context, topic: Topic) -> Topic:
    period = ctx.period
    if topic.forms:
        topic.sentences = [s for s in about(ctx.corpus, topic.forms) if in_period(s, period, ctx.corpus)]
    elif period:  # a period note: sentences whose first year named is in the period
        topic.sentences = [s for p in ctx.corpus.prose() for s in sentences(p)
                           if (years := years_in(s.quote)) and period[0] <= years[0] <= period[1]]
    if not topic.forms and period:
        topic.record_types = ("national_reports", "action_plans", "assistance_requests",
                              "documents")
    for record_type in topic.record_types:
        found = ctx.corpus.assistant.records(
            record_type, date_from=dt.date(period[0], 1, 1) if period else None,
            date_to=dt.date(period[1], 12, 31) if period else None)
        topic.records.extend(found)
    if topic.figures is not None or not topic.forms:
        topic.series = key_figures_timeline(ctx.corpus, topic.figures, period)
    elif topic.forms and topic.label:
        topic.series = []
    return topic


# -- sections -------------------------------------------------------------------------------
def key_points(ctx: Context, topic: Topic) -> list[DraftLine]:
    points = [_movement(ctx, s) for s in topic.series if len(s.values) >= 2]
    counts = record_counts(ctx, topic)
    points += [ctx.claim(text, citations) for text, _, citations in counts[:2]]
    ranked = _ranked([s for s in topic.sentences if complete(s)], topic.forms)
    per_passage: dict[str, int] = defaultdict(int)
    for sentence in ranked:
        if len(points) >= MAX_KEY_POINTS:
            break
        if per_passage[sentence.passage.id] >= 1 or not has_figure(sentence.quote) or \
                (topic.series and states_a_figure(sentence.quote)):
            continue
        line = ctx.quoted(sentence)
        if line is not None:
            points.append(line)
            per_passage[sentence.passage.id] += 1
    for sentence in ranked:  # fewer than three with figures: take the best of the rest
        if len(points) >= 3:
            break
        if (line := ctx.quoted(sentence)) is not None:
            points.append(line)
    return points


def _movement(ctx: Context, series: FigureSeries) -> DraftLine:
    v = ctx.voice
    first, last = series.values[0], series.values[-1]
    ctx.said.extend(value.citation.quote for value in series.values)
    name = series.name_en if v.en else series.name_zh
    text = v("kp_movement", figure=name, first=_value(ctx, first), first_as_of=_when(ctx, first),
             last=_value(ctx, last), last_as_of=_when(ctx, last), n=len(series.values))
    return ctx.claim(text, [_cite(ctx, first), _cite(ctx, last)])


def _ranked(found: list[Sentence], forms: list[str]) -> list[Sentence]:
    def score(s: Sentence) -> tuple[float, str]:
        hits = sum(s.quote.count(f) for f in forms) if forms else 1
        value = min(hits, 3) * 0.4 + (1.0 if has_figure(s.quote) else 0.0) \
            - min(s.quote.count("、"), 12) * 0.06 + (0.2 if len(s.quote) < 150 else 0.0)
        return value, s.passage.date or ""
    return sorted(found, key=score, reverse=True)


def record_counts(ctx: Context, topic: Topic) -> list[tuple[str, str, list[int]]]:
    """(sentence, value, citations) for each record type of the topic: how many rows its
    annex lists (within the period, if the note has one)."""
    v = ctx.voice
    out = []
    groups: list[tuple[str, list[Record]]] = []
    for record_type in topic.record_types:
        mine = [r for r in topic.records if r.record_type == record_type]
        if record_type == "points_of_contact":  # annex V lists States, annex VI organisations
            groups.append((record_type, [r for r in mine if getattr(r, "kind", "") == "state"]))
            groups.append(("points_of_contact_organizations",
                           [r for r in mine if getattr(r, "kind", "") == "organization"]))
        elif record_type != "documents":
            groups.append((record_type, mine))
    for record_type, mine in groups:
        if not mine:
            continue
        as_of = max((ctx.corpus.as_of(r) or dt.date.min) for r in mine)
        table, _ = ctx.corpus.row(mine[0].row_id)
        annex = v.locator(f"{ctx.corpus.label(mine[0].doc_id)} {table.part}")
        dates = [d for r in mine for d in getattr(r, "dates", [])
                 if ctx.period is None or ctx.period[0] <= d.year <= ctx.period[1]]
        key = f"count_{record_type}" + ("_period" if ctx.period else "")
        text = v(key, n=len(mine), m=len(dates), as_of=v.date(as_of), annex=annex,
                 period=v.period(*ctx.period) if ctx.period else "")
        out.append((text, str(len(mine)), ctx.book.rows(mine)))
    return out


def background(ctx: Context, topic: Topic) -> list[DraftLine]:
    """Sentences that say what the topic is and why it matters: no figures, oldest first."""
    if not topic.forms:
        return _period_background(ctx, topic)
    forward = forward_blocks(ctx.corpus)
    chosen = [s for s in topic.sentences if complete(s) and not has_figure(s.quote)
              and not pending(s)
              and not is_forward(s, forward) and s.passage.kind == "paragraph"]

    def explains(s: Sentence) -> tuple[float, int]:
        at = min((i for f in topic.forms if (i := s.quote.find(f)) >= 0), default=99)
        return (-at / 20 + (1.0 if _EXPLAINS.search(s.quote) else 0.0)
                - (0.5 if len(s.quote) > 150 else 0.0)), -len(s.quote)

    chosen.sort(key=explains, reverse=True)
    lines = []
    for sentence in sorted(chosen[:3], key=lambda s: s.passage.date or ""):
        if (line := ctx.quoted(sentence)) is not None:
            lines.append(line)
    return lines


def _period_background(ctx: Context, topic: Topic) -> list[DraftLine]:
    v = ctx.voice
    documents = [r for r in topic.records if r.record_type == "documents"]
    lines = []
    if documents:
        titles = v.join([ctx.clip(getattr(d, "title", ""), 40) for d in documents[:6]])
        lines.append(ctx.claim(v("bg_documents", n=len(documents), titles=titles),
                               ctx.book.rows(documents)))
    return lines


def chronology(ctx: Context, topic: Topic) -> DraftTable:
    v, book = ctx.voice, ctx.book
    rows: list[tuple[dt.date, DraftRow]] = []
    by_year: dict[tuple[str, int], list[NationalReport | ActionPlan]] = defaultdict(list)
    for record in topic.records:
        if isinstance(record, AssistanceRequest) and record.dates:
            day = next((d for d in record.dates if ctx.period is None
                        or ctx.period[0] <= d.year <= ctx.period[1]), record.dates[0])
            what = v("ev_request_by", state=v.name(record.state))
            rows.append((day, DraftRow(cells=[v.date(day), what],
                                       citations=[book.record(record)])))
        elif isinstance(record, CommitteeDocument) and record.date:
            rows.append((record.date, DraftRow(cells=[v.date(record.date),
                                                      ctx.clip(record.title, 80)],
                                               citations=[book.record(record)])))
        elif isinstance(record, NationalReport | ActionPlan):
            for year in sorted({d.year for d in record.dates}):
                if ctx.period is None or ctx.period[0] <= year <= ctx.period[1]:
                    by_year[(record.record_type, year)].append(record)
    for (record_type, year), records in sorted(by_year.items()):
        states = list(dict.fromkeys(v.name(r.state) for r in records))
        shown = v.join(states[:8]) + (v("and_more", n=len(states) - 8) if len(states) > 8
                                      else "")
        rows.append((dt.date(year, 12, 31), DraftRow(
            cells=[v.year(year), v(f"year_{record_type}", n=len(states), states=shown)],
            citations=book.rows(records))))
    dated = []
    for sentence in topic.sentences if topic.forms else []:  # a period note: records only
        anchor = next((f for f in topic.forms if f in sentence.quote), "")
        when = date_for(sentence.quote, anchor, fallback_year=True)
        if when is None or (ctx.period and not ctx.period[0] <= when.year <= ctx.period[1]):
            continue
        dated.append((when, sentence))
    room = max(MAX_CHRONOLOGY - len(rows), 0)
    for when, sentence in sorted(dated, key=lambda d: d[0])[:room]:
        year_only = (when.month, when.day) == (12, 31)
        rows.append((when, DraftRow(
            cells=[v.year(when.year) if year_only else v.date(when), ctx.clip(sentence.quote)],
            citations=[book.sentence(sentence.passage, sentence.quote)])))
    rows.sort(key=lambda item: item[0])
    return DraftTable(caption=v("caption_chronology"),
                      columns=[v("col_date"), v("col_event")], rows=[r for _, r in rows])


def key_figures(ctx: Context, topic: Topic) -> list[DraftTable]:
    v = ctx.voice
    tables = []
    if topic.series:
        rows = []
        for series in topic.series:
            name = series.name_en if v.en else series.name_zh
            for value in series.values:
                rows.append(DraftRow(cells=[name, _value(ctx, value), _when(ctx, value),
                                            ctx.corpus.label(value.citation.doc_id)],
                                     citations=[_cite(ctx, value)]))
        tables.append(DraftTable(caption=v("caption_timeline"), rows=rows, columns=[
            v("col_figure"), v("col_value"), v("col_as_of"), v("col_document")]))
    counts = record_counts(ctx, topic)
    if counts:
        rows = [DraftRow(cells=[text, value], citations=citations)
                for text, value, citations in counts]
        tables.append(DraftTable(caption=v("caption_record_counts"), rows=rows,
                                 columns=[v("col_figure"), v("col_value")]))
    if not topic.series:
        tables += _stated_figures(ctx, topic)
    return tables


def _stated_figures(ctx: Context, topic: Topic) -> list[DraftTable]:
    """For a topic with no figure tracked across documents: the counts its sentences state,
    one row per sentence (the figure, the count as printed, the document's date)."""
    v = ctx.voice
    rows: list[DraftRow] = []
    stated = Distinct()
    for sentence in _ranked([s for s in topic.sentences if complete(s)], topic.forms):
        match = _COUNT.search(sentence.quote)
        if match is None or len(rows) >= MAX_STATED_FIGURES:
            continue
        clause = next(c for c in _CLAUSES.finditer(sentence.quote)
                      if c.start() <= match.start() < c.end()).group(0).strip(" ，；：")
        if not stated.new(clause):
            continue
        value = match.group(0).replace(" ", "")
        if v.en:
            value = re.sub(r"[个份项次名]$", "", value)
        when = date_for(sentence.quote, "")
        as_of = v.year(when.year) if when else v.date(sentence.date)
        rows.append(DraftRow(
            cells=[ctx.clip(clause, 70), value, as_of,
                   ctx.corpus.label(sentence.passage.doc_id)],
            citations=[ctx.book.sentence(sentence.passage, sentence.quote)]))
    if not rows:
        return []
    return [DraftTable(caption=v("caption_stated_figures"), rows=rows, columns=[
        v("col_figure"), v("col_value"), v("col_as_of"), v("col_document")])]


def timeline_chart(ctx: Context, topic: Topic) -> DraftChart | None:
    drawn = [s for s in topic.series if len(s.values) >= 2]
    if not drawn:
        return None
    v = ctx.voice
    series = [ChartSeries(name=s.name_en if v.en else s.name_zh, points=[
        ChartPoint(as_of=value.as_of, value=value.value, citations=[_cite(ctx, value)],
                   label=str(value.as_of.year) if value.year_only else "")
        for value in s.values]) for s in drawn]
    title = v("chart_timeline_title")
    png = draw("line", title, series, title_en=ctx.voice_en("chart_timeline_title"),
               names_en=[s.name_en for s in drawn])
    return DraftChart(title=title, style="line", png=png, series=series)


def open_issues(ctx: Context, topic: Topic) -> list[DraftLine]:
    forward = forward_blocks(ctx.corpus)
    pool = topic.sentences if topic.forms else [
        s for p in ctx.corpus.prose() for s in sentences(p) if in_period(s, ctx.period, ctx.corpus)]
    ahead = [s for s in pool if (is_forward(s, forward) or pending(s)) and (
        not topic.forms or 0 <= min((i for f in topic.forms if (i := s.quote.find(f)) >= 0),
                                    default=-1) <= _ABOUT_WITHIN)]
    ahead.sort(key=lambda s: (is_forward(s, forward) and bool(_MODAL.search(s.quote)),
                              pending(s), s.passage.date or ""), reverse=True)
    lines: list[DraftLine] = []
    for sentence in ahead:
        if len(lines) >= 5:
            break
        if (line := ctx.quoted(sentence)) is not None:
            lines.append(line)
    return lines


# -- figures --------------------------------------------------------------------------------
def _cite(ctx: Context, value: FigureValue) -> int:
    c = value.citation
    return ctx.book.cite(c.doc_id, c.locator, c.quote, c.passage)


def _value(ctx: Context, value: FigureValue) -> str:
    if not value.derived:
        return str(value.value)
    return ctx.voice("derived_value", value=value.value, total=value.value + value.printed,
                     printed=value.printed)


def _when(ctx: Context, value: FigureValue) -> str:
    return ctx.voice.year(value.as_of.year) if value.year_only else ctx.voice.date(value.as_of)
