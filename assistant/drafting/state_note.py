"""The sections of a briefing note on one State, each fact cited.

National reports and their dates, action plans, point of contact, assistance requests and
who answered them (annexes I–V), outreach events, visits and peer reviews (annexes XVIII,
XIX and the 2018 review's annex), and every sentence of the body text that names it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from assistant.drafting.chart import draw
from assistant.drafting.context import MAX_KEY_POINTS, MIN_KEY_POINTS, Context
from assistant.drafting.models import (
    ChartPoint,
    ChartSeries,
    DraftChart,
    DraftLine,
    DraftRow,
    DraftTable,
)
from assistant.drafting.sentences import (
    Sentence,
    complete,
    date_for,
    forward_blocks,
    has_figure,
    is_forward,
    pending,
    sentences,
)
from assistant.drafting.state_file import StateFile, StateName
from index.records import ActionPlan, AssistanceRequest, PointOfContact, Record

_MODAL = re.compile(r"应|可|将|鼓励|建议|需要")
_SHOULD = re.compile(r"(?:委员会)?(?:还)?应")
# The words that mark a recommendation as being about one matter of a state's record.
_MATTERS = {"援助": "援助", "行动计划": "行动计划", "报告": "国家报告|第一次报告|初次报告|补充资料",
            "联络": "联络点|联络人"}
MAX_BACKGROUND = 3


# -- sections -------------------------------------------------------------------------------
def key_points(ctx: Context, f: StateFile) -> list[DraftLine]:
    v, book = ctx.voice, ctx.book
    state = v.state(f.name.zh or "", f.name.en)
    points: list[DraftLine] = []
    for record in f.reports:
        dates = _in_period(record.dates, ctx.period)
        as_of = v.date(ctx.corpus.as_of(record))
        key = "kp_report_one" if len(dates) == 1 else "kp_reports"
        points.append(ctx.claim(v(key, as_of=as_of, state=state, n=len(dates),
                                  first=v.date(dates[0]), last=v.date(dates[-1])),
                                [book.record(record)]))
    for missing in f.not_reported:
        points.append(ctx.claim(v("kp_not_reported", as_of=v.date(ctx.corpus.as_of(missing)),
                                  state=state), [book.record(missing)]))
    for plan in f.plans:
        dates = _in_period(plan.dates, ctx.period)
        key = "kp_plan_one" if len(dates) == 1 else "kp_plans"
        points.append(ctx.claim(v(key, state=state, n=len(dates), date=v.date(dates[0]),
                                  dates=v.join([v.date(d) for d in dates])),
                                [book.record(plan)]))
    for contact in f.contacts[:1]:
        points.append(ctx.claim(v("kp_contact", as_of=v.date(ctx.corpus.as_of(contact)),
                                  state=state), [book.record(contact)]))
    for request in f.requests:
        items = request.request.split("\n")
        providers = v.names(request.assistance_provided) if request.assistance_provided \
            else v("nobody_yet")
        points.append(ctx.claim(v("kp_request", state=state, date=v.date(request.date),
                                  n=len(items), providers=providers),
                                [book.record(request)]))
    if f.events:
        points.append(_events_point(ctx, f, state))
    room = max(MAX_KEY_POINTS - len(points), 1)
    for sentence in _ranked(_prose(f.sentences))[:room]:
        line = ctx.quoted(sentence, skip=tuple(_forms(f.name)))
        if line is not None:
            points.append(line)
    while len(points) < MIN_KEY_POINTS and f.absences:
        points.append(f.absences.pop(0)[1])
    return points[:MAX_KEY_POINTS]


def absences(ctx: Context, f: StateFile) -> list[tuple[str, DraftLine]]:
    """What the annexes do not list for the state (no action plan, no point of contact, no
    assistance request), each cited by the whole annex, whose rows show the absence.
    Left out for a note on a period: the annexes list states, not periods."""
    if ctx.period is not None:
        return []
    v = ctx.voice
    state = v.state(f.name.zh or "", f.name.en)
    lines = []
    listed: list[tuple[str, list[Record], bool]] = [
        ("plan", list(ctx.corpus.records(ActionPlan)), bool(f.plans)),
        ("contact", [r for r in ctx.corpus.records(PointOfContact) if r.kind == "state"],
         bool(f.contacts)),
        ("request", list(ctx.corpus.records(AssistanceRequest)), bool(f.requests)),
    ]
    for key, records, has in listed:
        if has or not records:
            continue
        latest = max(records, key=lambda r: ctx.corpus.doc_date(r.doc_id) or dt.date.min)
        table, _ = ctx.corpus.row(latest.row_id)
        annex = v.locator(f"{ctx.corpus.label(latest.doc_id)} {table.part}")
        lines.append((key, ctx.claim(v(f"ab_{key}", as_of=v.date(ctx.corpus.as_of(latest)),
                                       annex=annex, state=state),
                                     [ctx.book.table(latest.doc_id, table)])))
    return lines


def _events_point(ctx: Context, f: StateFile, state: str) -> DraftLine:
    v = ctx.voice
    years = [e.year for e in f.events if e.year]
    kinds_text = ctx.kinds(Counter(e.kind for e in f.events).most_common())
    rows = [row for e in f.events for row in e.rows]
    key = "kp_events_one" if min(years) == max(years) else "kp_events"
    return ctx.claim(v(key, state=state, n=len(f.events), first=v.year(min(years)),
                       last=v.year(max(years)), kinds=kinds_text), ctx.book.rows(rows))


def _prose(found: list[Sentence]) -> list[Sentence]:
    """Sentences of paragraphs: a footnote ("8博茨瓦纳、几内亚比绍、…") says little without
    the table it annotates, so it is listed among the mentions only."""
    return [s for s in found if s.passage.kind == "paragraph" and complete(s)]


def _ranked(sentences: list[Sentence]) -> list[Sentence]:
    """The most informative sentences first: dated or counted, recent, not a long list."""
    def score(s: Sentence) -> tuple[float, str]:
        names = s.quote.count("、")
        value = (1.0 if has_figure(s.quote) else 0.0) + (0.5 if pending(s) else 0.0) \
            - min(names, 12) * 0.08 + (0.3 if len(s.quote) < 160 else 0.0)
        return value, s.passage.date or ""
    return sorted(sentences, key=score, reverse=True)


def background(ctx: Context, f: StateFile) -> list[DraftLine]:
    v = ctx.voice
    state = v.state(f.name.zh or "", f.name.en)
    records: list[Record] = [*f.reports, *f.not_reported, *f.plans, *f.requests,
                             *f.contacts]
    lines = []
    if records:
        annexes = []
        for record in records:
            table, _ = ctx.corpus.row(record.row_id)
            label = v(f"rt_{record.record_type}")
            part = v.locator(table.part) if v.en else table.part
            annexes.append(f"{part} ({label})" if v.en else f"{part}（{label}）")
        doc = ctx.corpus.label(records[0].doc_id)
        lines.append(ctx.claim(v("bg_annexes", document=doc, state=state,
                                 annexes=v.join(list(dict.fromkeys(annexes)))),
                               [ctx.book.record(r) for r in records]))
    chosen = [s for s in _ranked(_prose(f.sentences)) if ctx.said.new(s.quote)][:MAX_BACKGROUND]
    for sentence in sorted(chosen, key=lambda s: s.passage.date or ""):
        line = ctx.quoted(sentence, check=False)
        if line is not None:
            lines.append(line)
    return lines


def chronology(ctx: Context, f: StateFile) -> DraftTable:
    v, book = ctx.voice, ctx.book
    rows: list[tuple[dt.date, DraftRow]] = []
    for record in f.reports:
        dates = _in_period(record.dates, ctx.period)
        for i, day in enumerate(dates):
            what = v("ev_first_report") if day == record.dates[0] and i == 0 \
                else v("ev_report")
            rows.append((day, DraftRow(cells=[v.date(day), what],
                                       citations=[book.record(record)])))
    for plan in f.plans:
        for day in _in_period(plan.dates, ctx.period):
            rows.append((day, DraftRow(cells=[v.date(day), v("ev_plan")],
                                       citations=[book.record(plan)])))
    for request in f.requests:
        if request.date:
            rows.append((request.date, DraftRow(cells=[v.date(request.date), v("ev_request")],
                                                citations=[book.record(request)])))
    for event in f.events:
        if event.start is None:
            continue
        what = ctx.event_text(event)
        rows.append((event.start, DraftRow(
            cells=[v.span(event.start, event.end, event.main.date_text), what],
            citations=list(dict.fromkeys(book.record(r) for r in event.rows)))))
    for sentence in f.sentences:
        when = _dated_for(sentence, f.name)
        if when is None or (ctx.period and not ctx.period[0] <= when.year <= ctx.period[1]):
            continue
        exact = (when.month, when.day) != (12, 31)
        if exact and any(abs((when - d).days) <= 3 for d, _ in rows):
            continue  # the same day is already in the table from a record
        clause = clause_with(sentence.quote, f.name.zh or "")
        what = ctx.gist(clause, sentence.passage.doc_id, dated=False,
                        keep=tuple(_forms(f.name))) if v.en else clause
        rows.append((when, DraftRow(
            cells=[v.date(when) if exact else v.year(when.year), what],
            citations=[book.sentence(sentence.passage, sentence.quote)])))
    rows.sort(key=lambda item: item[0])
    return DraftTable(caption=v("caption_chronology"),
                      columns=[v("col_date"), v("col_event")], rows=[r for _, r in rows])


def _forms(name: StateName) -> list[str]:
    return name.entry.chinese_forms if name.entry else [name.zh or ""]


def _dated_for(sentence: Sentence, name: StateName) -> dt.date | None:
    forms = _forms(name)
    found = [form for form in forms if form and form in sentence.quote]
    return date_for(sentence.quote, found[0]) if found else None


_CLAUSE_END = "，；。：！？"


def clause_with(text: str, name: str) -> str:
    """The clause of a sentence that names the state, whole: from the punctuation before
    the name to the punctuation after it (none inside brackets), so a table cell never
    starts or ends in the middle of a phrase."""
    at = text.find(name)
    if at < 0:
        return text
    depth, cuts = 0, [0]
    for i, char in enumerate(text):
        depth += char in "(（"
        depth -= char in ")）" and depth > 0
        if char in _CLAUSE_END and depth == 0:
            cuts.append(i + 1)
    if cuts[-1] != len(text):
        cuts.append(len(text))
    start = max(c for c in cuts if c <= at)
    end = min(c for c in cuts if c > at)
    return text[start:end].rstrip("，；：").strip()


def key_figures(ctx: Context, f: StateFile) -> DraftTable:
    v, book = ctx.voice, ctx.book
    rows = []
    for record in f.reports:
        dates = _in_period(record.dates, ctx.period)
        as_of = v.date(ctx.corpus.as_of(record))
        n = book.record(record)
        rows += [DraftRow(cells=[v("fig_reports"), str(len(dates)), as_of], citations=[n]),
                 DraftRow(cells=[v("fig_first_report"), v.date(dates[0]), as_of],
                          citations=[n]),
                 DraftRow(cells=[v("fig_last_report"), v.date(dates[-1]), as_of],
                          citations=[n])]
    for plan in f.plans:
        dates = _in_period(plan.dates, ctx.period)
        as_of = v.date(ctx.corpus.as_of(plan))
        rows += [DraftRow(cells=[v("fig_plans"), str(len(dates)), as_of],
                          citations=[book.record(plan)]),
                 DraftRow(cells=[v("fig_last_plan"), v.date(dates[-1]), as_of],
                          citations=[book.record(plan)])]
    if f.requests:
        as_of = v.date(ctx.corpus.as_of(f.requests[0]))
        items = sum(len(r.request.split("\n")) for r in f.requests)
        rows.append(DraftRow(cells=[v("fig_requests"), f"{len(f.requests)} ({items} items)"
                                    if v.en else f"{len(f.requests)}（{items}项内容）", as_of],
                             citations=[book.record(r) for r in f.requests]))
    if f.events:
        last = max(ctx.corpus.as_of(r) or dt.date.min for e in f.events for r in e.rows)
        rows.append(DraftRow(cells=[v("fig_events"), str(len(f.events)), v.date(last)],
                             citations=book.rows([r for e in f.events for r in e.rows])))
    return DraftTable(caption=v("caption_state_figures"),
                      columns=[v("col_figure"), v("col_value"), v("col_as_of")], rows=rows)


def activity_chart(ctx: Context, f: StateFile) -> DraftChart | None:
    """Bars per year: reports, action plans and outreach events involving the state."""
    v, book = ctx.voice, ctx.book
    series: list[ChartSeries] = []
    names_en: list[str] = []
    groups: list[tuple[str, str, list[tuple[int, int]]]] = []
    for key, records in (("chart_reports", f.reports), ("chart_plans", f.plans)):
        points = [(d.year, book.record(r)) for r in records
                  for d in _in_period(r.dates, ctx.period)]
        groups.append((v(key), key, points))
    groups.append((v("chart_events"), "chart_events",
                   [(e.year, book.record(e.main)) for e in f.events if e.year]))
    for name, key, points in groups:
        if not points:
            continue
        by_year: dict[int, list[int]] = {}
        for year, n in points:
            by_year.setdefault(year, []).append(n)
        series.append(ChartSeries(name=name, points=[
            ChartPoint(as_of=dt.date(y, 12, 31), value=len(ns), citations=sorted(set(ns)))
            for y, ns in sorted(by_year.items())]))
        names_en.append(ctx.voice_en(key))
    if sum(len(s.points) for s in series) < 2:
        return None
    title = v("chart_state_title", state=v.state(f.name.zh or "", f.name.en))
    title_en = ctx.voice_en("chart_state_title", state=f.name.en or f.name.zh or "")
    png = draw("bars", title, series, title_en=title_en, names_en=names_en)
    return DraftChart(title=title, style="bars", png=png, series=series)


def open_issues(ctx: Context, f: StateFile) -> list[DraftLine]:
    """What the records say is pending for the state; then the Committee's own
    recommendations on the matters the state's record touches."""
    v = ctx.voice
    lines: list[DraftLine] = []
    state = v.state(f.name.zh or "", f.name.en)
    for record in f.not_reported:
        lines.append(ctx.claim(v("oi_not_reported", state=state), [ctx.book.record(record)]))
    # Not having an action plan or a point of contact is something to take up; not having
    # asked for assistance is not.
    lines += [line for key, line in f.absences if key != "request"]
    for sentence in f.sentences:
        if pending(sentence):
            line = ctx.quoted(sentence)
            if line is not None:
                lines.append(line)
    # One recommendation per matter the state's record touches, from the latest document.
    topics = [*(["援助"] if f.requests else []), *(["行动计划"] if f.plans else []),
              "报告", "联络"]
    forward = forward_blocks(ctx.corpus)
    # Latest document first; within it, what the Committee says it should do first.
    general = sorted((s for p in ctx.corpus.prose() for s in sentences(p)
                      if is_forward(s, forward) and _MODAL.search(s.quote)),
                     key=lambda s: (s.passage.date or "", bool(_SHOULD.match(s.quote))),
                     reverse=True)
    for topic in topics:
        for sentence in general:
            if re.search(_MATTERS[topic], sentence.quote) and \
                    (line := ctx.quoted(sentence)) is not None:
                line.text = v("oi_general", text=line.text)
                lines.append(line)
                break
    return lines


def _in_period(dates: list[dt.date], period: tuple[int, int] | None) -> list[dt.date]:
    return [d for d in dates if period is None or period[0] <= d.year <= period[1]]
