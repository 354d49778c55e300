"""Answers from the structured records: complete lists, computed counts, exact dates.

"When did Botswana submit its action plan?", "阿根廷提交了几份报告？", "附件二列出了哪些国家？",
"附件三所列国家中，最早提交……的是哪个国家？", "尚未提交报告的会员国中，哪些已提交了联络人？"
are answered from the annex rows themselves, each item cited to its row, rather than from
whichever sentence happens to mention them. A state the annex does not list gets a plain
"not listed" (unsupported) answer, which is itself what the records say.

Only questions that name a kind of record and either a state or the annex itself come
here, and not those that name another document than the one the rows were read from;
everything else is left to the extractive answerer.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence

from assistant.answers import Answer, Citation
from assistant.facts import Fact, at_the_end, chinese_date, end_asked, english_date
from assistant.question import QuestionAnalysis, QuestionType
from assistant.render import compose, english_locator, in_english, names_line
from index.errors import AssistantError
from index.glossary import Glossary
from index.models import Block, TableRow
from index.records import CommitteeDocument, Record
from index.text import fold

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
        r"|submit\w*\b[^.?]{0,40}\breports?|reports? (?:has|have|did|were)|\breported\b",
        re.IGNORECASE)),
]
# Questions the annex rows cannot settle: who coordinated, or counts by region (but
# "国际、区域和次区域组织" are organisations, whose points of contact annex VI lists).
_NOT_RECORDS = re.compile(r"协调员|coordinat|区域(?![和、]?次区域|组织)|非洲|亚洲|拉丁美洲|欧洲"
                          r"|\bregion(?!al (?:and (?:sub-?regional )?)?organi)|\bAfrica"
                          r"|\bAsia|\bEurope|\bLatin America", re.IGNORECASE)
# "是在哪一天印发的", "when was it adopted": the date of a document itself.
_ASKS_ISSUED = re.compile(r"印发|发布|通过|签署|\b(?:issued|adopted|published|dated|date of)\b",
                          re.IGNORECASE)
_ACCORDING_TO = re.compile(r"根据|依据|按照|\baccording to\b", re.IGNORECASE)
# "附件三列出了哪些国家？", "which States does annex III list": the annex's rows themselves.
_ASKS_ROWS = re.compile(r"列出|所列|列有|\blist(?:s|ed)?\b", re.IGNORECASE)

# "since 2004", "2016年以来", "before 2020": the years bound a span, so a row dated in
# them is not what is counted.
_SPAN_OF_YEARS = re.compile(r"以来|以前|之前|以后|之后|自\s*\d{4}|\b(?:since|after|before|until|by)\b",
                            re.IGNORECASE)

# Record types whose annex is the whole answer to "which states …?" even when the question
# does not name the annex: "尚未提交报告的会员国有哪些？" is annex II, as of its date.
_WHOLE_LISTS = frozenset({"states_not_reported"})

RowLookup = Callable[[str, str], tuple[Block, TableRow] | None]
MAX_LISTED = 40


def record_kinds(text: str) -> list[tuple[str, str]]:
    """(record type, annex) of each kind of record the question names, the first being what
    it asks about. "尚未提交报告" names the states that have not reported, not their reports."""
    kinds = [(record_type, annex) for record_type, annex, pattern in _KINDS
             if pattern.search(text)]
    if any(record_type == "states_not_reported" for record_type, _ in kinds):
        kinds = [k for k in kinds if k[0] != "national_reports"]
    return kinds


def answer_from_records(analysis: QuestionAnalysis,
                        query: Callable[[str], Sequence[Record]],
                        row_of: RowLookup, label_of: Callable[[str], str],
                        annexes: Sequence[str] = (),
                        glossary: Glossary | None = None,
                        documents: Sequence[str] = (), *,
                        by_year: bool = False) -> Answer | None:
    """The records' answer, or None when the question is not one they answer.

    `annexes` are the annexes the question names ("附件五", "Annex V"): only their rows count;
    `documents` the documents it names ("according to the 2018 review"): records read from
    another document do not answer it. `analysis.states` should hold only the states the
    question asks about (not the author of a statement it names). With `by_year`, a count
    or list of a kind of record in the years the question names is computed from the rows
    dated in those years ("how many States submitted an action plan in 2021?"): what the
    assistant falls back on when no sentence of the records says it.
    """
    # The question's words and the glossary's Chinese forms of them: "NAP" names the
    # action plans as "行动计划" does.
    kinds = record_kinds(" ".join([analysis.text, *analysis.terms,
                                   *(form for group in analysis.groups for form in group)]))
    if not kinds and _ASKS_ROWS.search(analysis.text):
        # "附件三列出了哪些国家？" names its records by their annex.
        kinds = [(t, a) for t, a, _ in _KINDS if a in annexes]
    if not kinds or _NOT_RECORDS.search(analysis.text):
        return None
    record_type, annex = kinds[0]
    # A question naming an annex asks about its rows ("附件六列出了多少个……组织？": the
    # organisations' points of contact are annex VI, the states' annex V).
    end = end_asked(analysis.text)
    whole_annex = (bool(annexes) and (
        analysis.qtype is QuestionType.LIST
        or (analysis.qtype is QuestionType.NUMBER and not analysis.years))) or (
        record_type in _WHOLE_LISTS and analysis.qtype is QuestionType.LIST) or (
        # "附件三所列国家中，最早提交自愿国家执行行动计划的是哪个国家？"
        bool(annexes) and end is not None)
    in_years = by_year and bool(analysis.years) and not analysis.states and \
        analysis.qtype in (QuestionType.NUMBER, QuestionType.LIST) and \
        not _SPAN_OF_YEARS.search(analysis.text)
    if not analysis.states and not whole_annex and not in_years:
        return None
    try:
        records = list(query(record_type))
    except AssistantError:
        return None
    if annexes:
        records = [r for r in records if any(f"{a} " in r.locator for a in annexes)]
    if documents:
        records = [r for r in records if r.doc_id in documents]
    if in_years:
        records = [r for r in records if any(d.year in analysis.years for d in _dates(r))]
    if not records:
        return None
    if end is not None and not analysis.states and analysis.qtype is not QuestionType.NUMBER \
            and (last := _at_the_end(records, end)) is not None:
        records = [last]
        analysis = analysis.model_copy(update={"qtype": QuestionType.DATE})
    if analysis.states:
        where = f"{label_of(records[0].doc_id)} {annex}"
        wanted = [set(forms) for forms in analysis.states]
        records = [r for r in records if any(set(r.states()) & forms for forms in wanted)]
        if not records:
            return _not_listed(analysis, where, glossary)
    also: dict[str, Record] = {}
    if len(kinds) > 1 and analysis.qtype is QuestionType.LIST and not analysis.states:
        # "尚未提交报告的会员国中，哪些已提交了联络人？": the states in both annexes, each
        # cited to its row in both.
        try:
            also = {state: other for other in query(kinds[1][0]) for state in other.states()}
        except AssistantError:
            return None
        records = [r for r in records if any(state in also for state in r.states())]
        if not records:
            return None
    # "Chile or Peru, which reported first?": the state whose row holds the earliest
    # (or latest) date, the rows of both cited.
    first = _at_the_end(records, end) if end is not None and len(analysis.states) > 1 \
        else None
    if analysis.qtype is QuestionType.NUMBER and not analysis.states and not in_years:
        # A count of the annex: its last numbered row shows it.
        shown = records[-1:]
    else:
        shown = records[:MAX_LISTED]
    citations: list[Citation] = []
    for record in shown:
        pair = [record, *(also[state] for state in record.states()[:1] if state in also)]
        for cited in pair:
            citation = _row_citation(cited, len(citations) + 1, row_of, label_of)
            if citation is not None:
                citations.append(citation)
    if not citations:
        return None
    return _compose(analysis, records, citations, glossary, first)


def answer_document_date(analysis: QuestionAnalysis, documents: Sequence[CommitteeDocument],
                         row_of: RowLookup, label_of: Callable[[str], str],
                         glossary: Glossary | None = None,
                         sources: Sequence[str] = ()) -> Answer | None:
    """"第十七个工作方案(S/2018/340)是在哪一天印发的？", "When was resolution 2325 (2016)
    adopted?": the date annex XXII gives the document the question names by its symbol,
    cited to its row. None for any other question ("第 2622(2022)号决议将任务期限延长至
    哪一天？" asks what the resolution did, not when), and when the question names the
    documents to answer from ("根据 2018 年审查报告": `sources`) and the row is in none."""
    if analysis.qtype is not QuestionType.DATE or not _ASKS_ISSUED.search(analysis.text):
        return None
    named = {*analysis.symbols, *(f"S/RES/{r}" for r in analysis.resolutions)}
    if not _ACCORDING_TO.search(analysis.text):
        sources = ()  # "2018 年审查报告所关注的第十七个工作方案(S/2018/340)" is no source
    found = [d for d in documents if d.date and fold(d.symbol) in named
             and (not sources or d.doc_id in sources)]
    if len(found) != 1:
        return None
    citation = _row_citation(found[0], 1, row_of, label_of)
    if citation is None:
        return None
    day = found[0].date
    fact = Fact(zh=chinese_date(day), en=english_date(day))
    return compose(analysis, [citation], fact, glossary).model_copy(update={"backend": "records"})


def _row_citation(record: Record, n: int, row_of: RowLookup,
                  label_of: Callable[[str], str]) -> Citation | None:
    """Citation `n`: the table row the record was read from, quoted whole."""
    found = row_of(record.doc_id, record.row_id)
    if found is None:
        return None
    table, row = found
    line = table.row_line(row)
    return Citation(n=n, doc_id=record.doc_id, symbol=label_of(record.doc_id) or None,
                    title=table.title or "", date=None, locator=row.locator, quote=line,
                    passage=line)


def _dates(record: Record) -> list[dt.date]:
    return list(getattr(record, "dates", []) or [])


def _at_the_end(records: list[Record], end: str) -> Record | None:
    """The record holding the latest (or earliest) of all their dates."""
    dated = [(day, i) for i, record in enumerate(records) for day in _dates(record)]
    if not dated:
        return None
    _, at = max(dated) if end == "latest" else min(dated)
    return records[at]


def _compose(analysis: QuestionAnalysis, records: list[Record],
             citations: list[Citation], glossary: Glossary | None,
             first: Record | None = None) -> Answer:
    en = analysis.language == "en"
    lines: list[str] = []
    dated = [d for r in records for d in _dates(r)]
    if analysis.years:
        dated = [d for d in dated if d.year in analysis.years]
    if first is not None and first.states() and _dates(first):
        day = at_the_end(analysis.text, _dates(first))[0]
        state = in_english(first.states()[0], glossary) if en else first.states()[0]
        when = english_date(day) if en else chinese_date(day)
        lines.append(f"**{state}, {when}** " if en else f"**{state}，{when}** ")
        lines[-1] += " ".join(f"[{c.n}]" for c in citations)
    elif analysis.qtype is QuestionType.DATE and dated:
        dated = at_the_end(analysis.text, dated)
        shown = [english_date(d) if en else chinese_date(d) for d in dated]
        when = '; '.join(shown) if en else '、'.join(shown)
        if not analysis.states and len(records) == 1 and records[0].states():
            # The row found by its date: whose it is comes first.
            state = records[0].states()[0]
            if en:
                state = in_english(state, glossary)
            when = f"{state}, {when}" if en else f"{state}，{when}"
        lines.append(f"**{when}** [1]")
    elif analysis.qtype is QuestionType.NUMBER:
        # A state's reports are counted by their dates (in the years asked, if any).
        count = len(dated) if analysis.states else len(records)
        lines.append(f"**{count}** " + " ".join(f"[{c.n}]" for c in citations))
    elif analysis.qtype is QuestionType.LIST and not analysis.states:
        # The states listed, named first, each marked with the first row quoted for it:
        # "8个：乍得、……" / "8: Chad, …".
        names = list(dict.fromkeys(r.states()[0] for r in records if r.states()))
        marks = sorted({n for name in names
                        if (n := next((c.n for c in citations if name in c.quote), None))})
        if en:
            names = [in_english(name, glossary) for name in names]
        if names:
            listed = f"**{len(names)}: {', '.join(names)}**" if en \
                else f"**{len(names)}个：{'、'.join(names)}**"
            lines.append(f"{listed} " + " ".join(f"[{n}]" for n in marks))
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


def _not_listed(analysis: QuestionAnalysis, where: str, glossary: Glossary | None) -> Answer:
    state = analysis.states[0][0]
    if analysis.language == "en":
        state = in_english(state, glossary)
        text = (f"The committee records provided do not answer this: {english_locator(where)} "
                f"does not list {state}.")
    else:
        text = f"所提供的委员会记录中没有这方面的信息：{where}未列出{state}。"
    return Answer(question=analysis.text, text=text, supported=False,
                  language=analysis.language, backend="records")
