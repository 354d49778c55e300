"""`draft_briefing`: a briefing note on a State, a topic or a period, drafted from the records
without a language model (the same request always gives the same note), its prose then
reworded by a language model where the LLM backend is chosen (`reword`)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from assistant.answers import Citation
from assistant.drafting import state_file, state_note, topic_note
from assistant.drafting.context import Context
from assistant.drafting.models import Draft, DraftChart, DraftKind, DraftSection, DraftSubject
from assistant.drafting.reword import reword
from assistant.drafting.sentences import complete
from assistant.drafting.sources import Corpus, SourceBook
from assistant.drafting.wording import Voice
from index.errors import DraftError

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from assistant.api import Assistant


def draft_briefing(assistant: Assistant, *, topic: str | None = None,
                   state: str | None = None, period: tuple[int, int] | None = None,
                   language: str = "zh", today: dt.date | None = None,
                   llm: BaseChatModel | bool | None = None) -> Draft:
    """A briefing note: on `state` (Chinese or English name) if given, else on `topic`
    ("援助", "联络人", "action plans"), within `period` (first and last year) if given.
    `today` dates the note (default: today). `llm`: whether a language model rewords the
    prose (None: as `answer.backend` says; False: no; True or a chat model: yes)."""
    draft = _briefing(assistant, topic=topic, state=state, period=period,
                      language=language, today=today)
    return reword(assistant, draft, llm)


def _briefing(assistant: Assistant, *, topic: str | None, state: str | None,
              period: tuple[int, int] | None, language: str, today: dt.date | None) -> Draft:
    if state is None and topic is None and period is None:
        raise DraftError("say what the note is about: a state (--state 博茨瓦纳), a topic "
                         "(--topic 援助) or a period (--period 2018-2022)")
    ctx = new_context(assistant, language, check_period(period))
    subject = DraftSubject(topic=topic, period=ctx.period)
    if state is not None:
        name = state_file.resolve_state(ctx.glossary, state)
        subject = subject.model_copy(update={"state": name.zh, "state_en": name.en})
        return _state_draft(ctx, name, subject, today)
    entry = ctx.glossary.lookup(topic.strip()) if topic else None
    if entry is not None and entry.is_state:  # "--topic Botswana" means the state
        return _briefing(assistant, topic=None, state=topic, period=period,
                         language=language, today=today)
    return _topic_draft(ctx, topic, subject, today)


def new_context(assistant: Assistant, language: str,
                period: tuple[int, int] | None = None) -> Context:
    if language != "zh" and language != "en":
        raise DraftError(f"language {language!r}: drafts are written in zh or en")
    corpus = Corpus(assistant)
    glossary = assistant.glossary
    voice = Voice("en" if language == "en" else "zh", glossary)
    ctx = Context(corpus=corpus, book=SourceBook(corpus), voice=voice,
                  glossary=glossary, period=period)
    ctx.book.title = ctx.doc_title
    return ctx


def check_period(period: tuple[int, int] | None) -> tuple[int, int] | None:
    if period is None:
        return None
    first, last = period
    if first > last:
        raise DraftError(f"the period {first}–{last} ends before it starts: give it as "
                         f"{last}-{first}")
    return first, last


def parse_period(text: str | None) -> tuple[int, int] | None:
    """'2018-2022', '2018–2022', '2018至2022' or '2019' → (first, last)."""
    if text is None or not text.strip():
        return None
    cleaned = text.strip().replace("–", "-").replace("—", "-").replace("至", "-")
    cleaned = cleaned.replace("年", "")
    parts = [p.strip() for p in cleaned.split("-") if p.strip()]
    try:
        years = [int(p) for p in parts]
    except ValueError:
        years = []
    if len(years) not in (1, 2) or not all(1990 <= y <= 2100 for y in years):
        raise DraftError(f"period {text!r}: write it as two years, e.g. 2018-2022, or one "
                         f"year, e.g. 2019")
    return check_period((years[0], years[-1]))


def _state_draft(ctx: Context, name: state_file.StateName, subject: DraftSubject,
                 today: dt.date | None) -> Draft:
    v = ctx.voice
    shown = v.state(name.zh or name.asked, name.en, both=True)
    title = v("title_state", state=shown) + _period_suffix(ctx)
    found = state_file.gather(ctx, name)
    if found.empty:
        return finish(ctx, "briefing", title, subject, today,
                      [state_file.not_found_section(ctx, name)], found=False)
    state = v.state(name.zh or "", name.en)
    found.absences = state_note.absences(ctx, found)
    sections = [
        ctx.section("purpose", paragraphs=[ctx.framing(v("purpose_state", state=state,
                                                          **_scope(ctx)))]),
        ctx.section("key_points", bullets=state_note.key_points(ctx, found)),
        ctx.section("background", paragraphs=state_note.background(ctx, found)),
        ctx.section("chronology", tables=[state_note.chronology(ctx, found)]),
        ctx.section("key_figures", tables=[state_note.key_figures(ctx, found)]),
    ]
    chart = state_note.activity_chart(ctx, found)
    sections.append(ctx.section("open_issues", bullets=state_note.open_issues(ctx, found)))
    # Whole sentences only: a table cell's words ("亚太 2 伊拉克、吉尔吉斯斯坦") that lost
    # their table are no mention a reader can use.
    mentions = [line for s in found.sentences
                if complete(s) and (line := ctx.quoted(s)) is not None]
    if mentions:
        sections.append(ctx.section("mentions", bullets=mentions))
    return finish(ctx, "briefing", title, subject, today, sections, chart=chart)


def _topic_draft(ctx: Context, topic: str | None, subject: DraftSubject,
                 today: dt.date | None) -> Draft:
    v = ctx.voice
    scope = topic_note.gather(ctx, topic_note.resolve_topic(ctx, topic))
    if scope.forms:
        title = v("title_topic", topic=scope.label) + _period_suffix(ctx)
        purpose = v("purpose_topic", topic=scope.label, **_scope(ctx))
    else:
        assert ctx.period is not None
        title = v("title_period", period=v.period(*ctx.period))
        purpose = v("purpose_period", period=v.period(*ctx.period), **_scope(ctx))
    if scope.empty:
        shown = scope.label or title
        section = ctx.section("not_found", paragraphs=[ctx.framing(v(
            "topic_not_found", topic=shown, n=len(ctx.corpus.metas)))])
        return finish(ctx, "briefing", title, subject, today, [section], found=False)
    sections = [
        ctx.section("purpose", paragraphs=[ctx.framing(purpose)]),
        ctx.section("key_points", bullets=topic_note.key_points(ctx, scope)),
        ctx.section("background", paragraphs=topic_note.background(ctx, scope)),
        ctx.section("chronology", tables=[topic_note.chronology(ctx, scope)]),
        ctx.section("key_figures", tables=topic_note.key_figures(ctx, scope)),
        ctx.section("open_issues", bullets=topic_note.open_issues(ctx, scope)),
    ]
    chart = topic_note.timeline_chart(ctx, scope)
    return finish(ctx, "briefing", title, subject, today, sections, chart=chart)


def _scope(ctx: Context) -> dict[str, object]:
    """What the purpose line says the note was drawn from."""
    dates = sorted(m.date for m in ctx.corpus.metas.values() if m.date)
    return {"n": len(ctx.corpus.metas), "first": ctx.voice.date(dates[0]) if dates else "—",
            "last": ctx.voice.date(dates[-1]) if dates else "—"}


def _period_suffix(ctx: Context) -> str:
    return ctx.voice("period_suffix", period=ctx.voice.period(*ctx.period)) if ctx.period \
        else ""


def finish(ctx: Context, kind: DraftKind, title: str, subject: DraftSubject,
           today: dt.date | None, sections: list[DraftSection], *, found: bool = True,
           chart: DraftChart | None = None) -> Draft:
    """The draft with empty sections dropped (an empty table says nothing), every
    citation numbered, and the checks every draft must pass."""
    kept = []
    for section in sections:
        section.tables = [t for t in section.tables if t.rows]
        if section.paragraphs or section.bullets or section.tables:
            kept.append(section)
        elif section.key == "open_issues":
            section.paragraphs = [ctx.framing(ctx.voice("no_open_issues"))]
            kept.append(section)
    citations = _renumber(kept, chart, ctx.book.citations)
    draft = Draft(kind=kind, title=title, date=today or dt.date.today(),
                  language=ctx.voice.language, subject=subject, found=found, sections=kept,
                  citations=citations, chart=chart, notes=ctx.notes)
    bad = draft.unbacked()
    if bad:  # a drafting bug, never the records' fault: fail loudly rather than mislead
        raise DraftError(f"internal check failed: {len(bad)} lines lack a verified citation, "
                         f"first: {bad[0][:60]!r}; please report this")
    return draft


def _renumber(sections: list[DraftSection], chart: DraftChart | None,
              citations: list[Citation]) -> list[Citation]:
    """Number the sources in the order a reader meets them, and drop any the draft no
    longer uses (a line cut to keep key points to seven)."""
    order: dict[int, int] = {}

    def renumber(numbers: list[int]) -> list[int]:
        for n in numbers:
            order.setdefault(n, len(order) + 1)
        return [order[n] for n in numbers]

    for section in sections:
        for line in [*section.paragraphs, *section.bullets]:
            line.citations = renumber(line.citations)
        for table in section.tables:
            for row in table.rows:
                row.citations = renumber(row.citations)
    if chart is not None:
        for series in chart.series:
            for point in series.points:
                point.citations = renumber(point.citations)
    return [citations[old - 1].model_copy(update={"n": new})
            for old, new in sorted(order.items(), key=lambda item: item[1])]
