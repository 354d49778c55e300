"""What the records hold on one State: its name resolved through the glossary, then every
record and body-text sentence that names it (within the note's period).

A name the glossary knows is matched as a whole name wherever it appears, so 几内亚 is not
found in 几内亚比绍; a name it does not know is matched as written.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from assistant.drafting import events as ev
from assistant.drafting.context import Context
from assistant.drafting.models import DraftLine, DraftSection
from assistant.drafting.sentences import Sentence, in_period, naming
from index.errors import DraftError
from index.glossary import Glossary, GlossaryEntry
from index.records import (
    ActionPlan,
    AssistanceRequest,
    NationalReport,
    OutreachEvent,
    PointOfContact,
    StateNotReported,
)

_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class StateName:
    """A state as asked for, and as the records and the glossary name it."""

    asked: str
    zh: str | None
    en: str | None = None
    entry: GlossaryEntry | None = None


def resolve_state(glossary: Glossary, asked: str) -> StateName:
    """The state named in Chinese or English (canonical name or alias)."""
    text = asked.strip()
    if not text:
        raise DraftError("the state is empty: give its name, e.g. --state 博茨瓦纳 or "
                         "--state Botswana")
    entry = glossary.lookup(text) or glossary.lookup(re.sub(r"(?i)^the\s+", "", text))
    if entry is not None and not entry.is_state:
        raise DraftError(f"{text!r} is {entry.en} ({entry.zh}), not a State: draft a note "
                         f"on it as a topic (--topic {entry.zh})")
    if entry is not None:
        return StateName(text, entry.zh, entry.en, entry)
    return StateName(text, text if _CJK.search(text) else None)


@dataclass
class StateFile:
    """What the records hold on one state (within the note's period)."""

    name: StateName
    reports: list[NationalReport] = field(default_factory=list)
    not_reported: list[StateNotReported] = field(default_factory=list)
    plans: list[ActionPlan] = field(default_factory=list)
    contacts: list[PointOfContact] = field(default_factory=list)
    requests: list[AssistanceRequest] = field(default_factory=list)
    events: list[ev.Event] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    # What the annexes do not list for it, as cited lines keyed by what is absent ("plan",
    # "contact", "request"); filled by the note's writer.
    absences: list[tuple[str, DraftLine]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.reports or self.not_reported or self.plans or self.contacts
                    or self.requests or self.events or self.sentences)


def gather(ctx: Context, name: StateName) -> StateFile:
    found = StateFile(name)
    if name.zh is None:
        return found
    period = ctx.period

    def ours(text: str) -> bool:
        if name.entry is None:
            return text == name.zh
        hit = ctx.glossary.lookup(text)
        return text in name.entry.chinese_forms or (hit is not None and hit.zh == name.zh)

    def dated(record: NationalReport | ActionPlan) -> bool:
        return period is None or any(period[0] <= d.year <= period[1] for d in record.dates)

    corpus = ctx.corpus
    found.reports = [r for r in corpus.records(NationalReport, state=name.zh)
                     if ours(r.state) and dated(r)]
    found.not_reported = [r for r in corpus.records(StateNotReported, state=name.zh)
                          if ours(r.state)]
    found.plans = [r for r in corpus.records(ActionPlan, state=name.zh)
                   if ours(r.state) and dated(r)]
    found.contacts = [r for r in corpus.records(PointOfContact, state=name.zh)
                      if ours(r.name)]
    found.requests = [r for r in corpus.records(AssistanceRequest, state=name.zh)
                      if ours(r.state) and (period is None or r.date is None
                                            or period[0] <= r.date.year <= period[1])]
    merged = ev.merge(corpus.records(OutreachEvent))
    found.events = [e for e in merged
                    if (ev.names(e, name.entry, ctx.glossary) if name.entry
                        else ev.mentions(e, [name.zh]))
                    and (period is None or ev.in_years(e, *period))]
    found.sentences = [s for s in naming(ctx.corpus, ctx.glossary, name.entry, name.zh)
                       if in_period(s, period, ctx.corpus)]
    return found


def not_found_section(ctx: Context, name: StateName) -> DraftSection:
    """What a note on a state the records never name says instead of an empty shell."""
    v = ctx.voice
    shown = v.state(name.zh, name.en, both=True) if name.zh else name.asked
    metas = sorted(ctx.corpus.metas.values(), key=lambda m: m.date or dt.date.min)
    docs = v.join([f"{m.label}" + (f" ({v.date(m.date)})" if v.en else f"（{v.date(m.date)}）")
                   for m in metas])
    lines = [ctx.framing(v("not_found", state=shown, n=len(metas), documents=docs))]
    if name.zh is None:
        lines.append(ctx.framing(v("not_in_glossary", name=name.asked)))
    elif ctx.period:
        lines.append(ctx.framing(v("not_found_period", period=v.period(*ctx.period))))
    return ctx.section("not_found", paragraphs=lines)
