"""Answers from the structured records: complete lists, computed counts, exact dates.

"When did Botswana submit its action plan?", "阿根廷提交了几份报告？", "附件二列出了哪些国家？"
are answered from the annex rows themselves, each item cited to its row, rather than from
whichever sentence happens to mention them. A state the annex does not list gets a plain
"not listed" (unsupported) answer, which is itself what the records say.

Only questions that name a kind of record and either a state or the annex itself come
here; everything else is left to the extractive answerer.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence

from assistant.answers import Answer, Citation
from assistant.facts import chinese_date, english_date
from assistant.question import QuestionAnalysis, QuestionType
from assistant.render import english_locator, names_line
from index.errors import AssistantError
from index.glossary import Glossary
from index.models import Block, TableRow
from index.records import Record

# (record type, annex, how questions name it)
_KINDS: list[tuple[str, str, re.Pattern[str]]] = [
    ("action_plans", "附件三", re.compile(r"行动计划|action plans?", re.IGNORECASE)),
    ("states_not_reported", "附件二", re.compile(
        r"尚未提交|未提交|没有提交|not (?:yet )?(?:submitted|reported)|non-reporting",
        re.IGNORECASE)),
    ("points_of_contact", "附件五", re.compile(r"联络人|联络点|points? of contact", re.I)),
    ("assistance_requests", "附件四", re.compile(r"援助请求|assistance requests?", re.I)),
    ("national_reports", "附件一", re.compile(
        r"国家报告|提交[^，。？]{0,8}报告|报告日期|national (?:implementation )?reports?"
        r"|submit\w*\b[^.?]{0,40}\breports?|reports? (?:has|have|did|were)", re.IGNORECASE)),
]
# Questions the annex rows cannot settle: who coordinated, or counts by region.
_NOT_RECORDS = re.compile(r"协调员|coordinat|区域|非洲|亚洲|拉丁美洲|欧洲|\bregion|\bAfrica"
                          r"|\bAsia|\bEurope|\bLatin America", re.IGNORECASE)

# Record types whose annex is the whole answer to "which states …?" even when the question
# does not name the annex: "尚未提交报告的会员国有哪些？" is annex II, as of its date.
_WHOLE_LISTS = frozenset({"states_not_reported"})

RowLookup = Callable[[str, str], tuple[Block, TableRow] | None]
MAX_LISTED = 40


def record_kind(text: str) -> tuple[str, str] | None:
    """(record type, annex) the question is about, if it names one."""
    for record_type, annex, pattern in _KINDS:
        if pattern.search(text):
            return record_type, annex
    return None


def answer_from_records(analysis: QuestionAnalysis,
                        query: Callable[[str], Sequence[Record]],
                        row_of: RowLookup, label_of: Callable[[str], str],
                        annexes: Sequence[str] = (),
                        glossary: Glossary | None = None) -> Answer | None:
    """The records' answer, or None when the question is not one they answer.

    `annexes` are the annexes the question names ("附件五", "Annex V"): only their rows count.
    `analysis.states` should hold only the states the question asks about (not the author
    of a statement it names).
    """
    kind = record_kind(analysis.text)
    if kind is None or _NOT_RECORDS.search(analysis.text):
        return None
    record_type, annex = kind
    whole_annex = (annex in annexes and (
        analysis.qtype is QuestionType.LIST
        or (analysis.qtype is QuestionType.NUMBER and not analysis.years))) or (
        record_type in _WHOLE_LISTS and analysis.qtype is QuestionType.LIST)
    if not analysis.states and not whole_annex:
        return None
    try:
        records = list(query(record_type))
    except AssistantError:
        return None
    if annexes:
        records = [r for r in records if any(f"{a} " in r.locator for a in annexes)]
    if not records:
        return None
    if analysis.states:
        where = f"{label_of(records[0].doc_id)} {annex}"
        wanted = [set(forms) for forms in analysis.states]
        records = [r for r in records if any(set(r.states()) & forms for forms in wanted)]
        if not records:
            return _not_listed(analysis, where)
    if analysis.qtype is QuestionType.NUMBER and not analysis.states:
        # A count of the annex: its last numbered row shows it.
        shown = records[-1:]
    else:
        shown = records[:MAX_LISTED]
    citations = []
    for record in shown:
        found = row_of(record.doc_id, record.row_id)
        if found is None:
            continue
        table, row = found
        line = table.row_line(row)
        citations.append(Citation(n=len(citations) + 1, doc_id=record.doc_id,
                                  symbol=label_of(record.doc_id) or None,
                                  title=table.title or "", date=None, locator=row.locator,
                                  quote=line, passage=line))
    if not citations:
        return None
    return _compose(analysis, records, citations, glossary)


def _dates(record: Record) -> list[dt.date]:
    return list(getattr(record, "dates", []) or [])


def _compose(analysis: QuestionAnalysis, records: list[Record],
             citations: list[Citation], glossary: Glossary | None) -> Answer:
    en = analysis.language == "en"
    lines: list[str] = []
    dated = [d for r in records for d in _dates(r)]
    if analysis.years:
        dated = [d for d in dated if d.year in analysis.years]
    if analysis.qtype is QuestionType.DATE and dated:
        shown = [english_date(d) if en else chinese_date(d) for d in dated]
        lines.append(f"**{'; '.join(shown) if en else '、'.join(shown)}** [1]")
    elif analysis.qtype is QuestionType.NUMBER:
        # A state's reports are counted by their dates (in the years asked, if any).
        count = len(dated) if analysis.states else len(records)
        lines.append(f"**{count}** [1]")
    lines.append("")
    for c in citations:
        where = english_locator(c.locator) if en else c.locator
        lines.append(f"> {c.quote} [{c.n}] — *{where}*")
        lines.append("")
    if len(records) > len(citations) and analysis.qtype is not QuestionType.NUMBER:
        more = len(records) - len(citations)
        lines.append(f"({more} more rows in the annex)" if en else f"（附件另有{more}行）")
    if en and glossary is not None:
        lines += ["", *names_line(citations, glossary)]
    return Answer(question=analysis.text, text="\n".join(lines).strip(), supported=True,
                  citations=citations, language=analysis.language, backend="records")


def _not_listed(analysis: QuestionAnalysis, where: str) -> Answer:
    state = analysis.states[0][0]
    if analysis.language == "en":
        text = (f"The committee records provided do not answer this: {english_locator(where)} "
                f"does not list {state}.")
    else:
        text = f"所提供的委员会记录中没有这方面的信息：{where}未列出{state}。"
    return Answer(question=analysis.text, text=text, supported=False,
                  language=analysis.language, backend="records")
