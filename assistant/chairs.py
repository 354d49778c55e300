"""Who chaired the Committee, from which country, and when: answered from the chairs' record.

S/2022/899 lists the Chairs of its period in one paragraph ("2019年1月1日至2020年12月31日，
钱宁(印度尼西亚)；……"), read into one record per Chair. A question about a Chair's country or
term, or about who chaired at a time, is answered from that record, with the clause that
names the Chair as the quote, whichever way it names the Chair:

- by name: "China's 2020 statement thanks Ambassador 钱宁 … over what period did he chair?";
- by a time: "Who chaired the 1540 Committee in 2019?", "自 2021 年 1 月 1 日起担任委员会主席
  的是谁？", "转递 2018 年审查报告的委员会主席的任期" (the Chair of 2018).

A Chair "in office" (自2021年1月1日起) is known to be so only until the date of the document
that says it: nobody is named for 2023. Questions that ask anything else of the Chair (what
the briefing said, whom China thanked) are left to the other answerers.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence

from assistant.answers import Answer, Citation
from assistant.facts import Fact, chinese_date, english_date
from assistant.question import QuestionAnalysis, asks, clauses, english_dates
from assistant.render import compose, in_english
from index.glossary import Glossary
from index.models import DocumentMeta
from index.passages import Passage
from index.records import Chair
from index.zh_dates import dates_in

_NAMES_CHAIR = re.compile(r"主席|\bchair(?:s|ed|ing|man|manship|person)?\b", re.IGNORECASE)
# What the chairs' record says of a Chair: the term, the country, who it was at a time.
_ASKS_TERM_OR_COUNTRY = re.compile(
    r"任期|任职|从何时到何时|何时至何时|来自哪|哪个国家|哪国|\bover what period\b|\bterm\b"
    r"|\b(?:which|what) country\b|\bfrom when\b|\buntil when\b", re.IGNORECASE)
_ASKS_WHO_CHAIRED = re.compile(
    r"担任.{0,12}主席的?是谁|谁担任.{0,12}主席|\bwho (?:chaired|was (?:the )?chair|took over"
    r"|served as (?:the )?chair)", re.IGNORECASE)
_REPORTING_PERIOD = "本报告所述期间"

PassageOf = Callable[[str, str], Passage | None]


def asks_about_chair(text: str) -> bool:
    """Whether everything the question asks, the chairs' record answers: not "…, and how
    is his name rendered in the letter's signature?"."""
    asking = [c for c in clauses(text) if asks(c)]
    return bool(_NAMES_CHAIR.search(text)) and bool(asking) and all(
        _ASKS_TERM_OR_COUNTRY.search(c) or _ASKS_WHO_CHAIRED.search(c) for c in asking)


def answer_about_chair(analysis: QuestionAnalysis, chairs: Sequence[Chair],
                       passage_of: PassageOf, documents: Mapping[str, DocumentMeta],
                       glossary: Glossary | None = None) -> Answer | None:
    """The chairs' record's answer, or None when the question is not about a Chair's term,
    country or identity, or names no Chair the record can find. `documents` gives the
    dates and titles of the documents, by id."""
    if not chairs or not asks_about_chair(analysis.text):
        return None
    found = _named(analysis.text, chairs) or _at_times(analysis, chairs, documents)
    if not found:
        return None
    citations: list[Citation] = []
    for chair in found:
        passage = passage_of(chair.doc_id, chair.locator)
        quote = _clause(passage.text, chair.name) if passage is not None else None
        if passage is None or quote is None:
            return None
        citations.append(Citation(n=len(citations) + 1, doc_id=passage.doc_id,
                                  symbol=passage.symbol,
                                  title=_title(documents, passage.doc_id) or passage.doc_label,
                                  date=passage.date, locator=passage.locator, quote=quote,
                                  passage=passage.text))
    # "在本报告所述期间，委员会主席任职情况如下：2016年4月25日至12月31日，……": the first
    # term listed begins with the period, not necessarily with the Chair's term.
    opened = {c.doc_id: min(o.start for o in chairs if o.doc_id == c.doc_id) for c in found}
    clipped = {id(c) for c, citation in zip(found, citations, strict=True)
               if _REPORTING_PERIOD in citation.passage and c.start == opened[c.doc_id]}
    fact = Fact(zh="；".join(_described(c, "zh", glossary, id(c) in clipped) for c in found),
                en="; ".join(_described(c, "en", glossary, id(c) in clipped) for c in found),
                cites=tuple(range(1, len(citations) + 1)))
    answer = compose(analysis, citations, fact, glossary)
    return answer.model_copy(update={"backend": "records"})


def _named(text: str, chairs: Sequence[Chair]) -> list[Chair]:
    return [c for c in chairs if c.name in text]


def _title(documents: Mapping[str, DocumentMeta], doc_id: str) -> str:
    meta = documents.get(doc_id)
    return meta.title if meta else ""


def _until(chair: Chair, documents: Mapping[str, DocumentMeta]) -> dt.date | None:
    """The last day the record vouches for: its end, or the date of the document that
    says the Chair is in office."""
    meta = documents.get(chair.doc_id)
    return chair.end or (meta.date if meta else None)


def _at_times(analysis: QuestionAnalysis, chairs: Sequence[Chair],
              documents: Mapping[str, DocumentMeta]) -> list[Chair]:
    """The Chair in office on the first day the question names ("from 1 January 2017 to
    31 December 2018", "自 2021 年 1 月 1 日起"), else the Chairs in office in the years it
    names."""
    text = english_dates(analysis.text) if analysis.language == "en" else analysis.text
    days = dates_in(text)
    terms = [(c, until) for c in chairs if (until := _until(c, documents)) is not None]
    if days:
        return [c for c, until in terms if c.start <= days[0] <= until]
    return [c for c, until in terms
            if any(c.start.year <= year <= until.year for year in analysis.years)]


def _clause(text: str, name: str) -> str | None:
    """The clause of the list that names the Chair: "2019年1月1日至2020年12月31日，钱宁(印度尼西亚)"."""
    for clause in re.split(r"[；;：:。]", text):
        if name in clause:
            return clause.strip()
    return None


def _described(chair: Chair, language: str, glossary: Glossary | None,
               clipped: bool) -> str:
    """"钱宁（印度尼西亚），2019年1月1日至2020年12月31日"; a term `clipped` by the start of
    the report's period is said to be."""
    if language == "en":
        state = in_english(chair.state, glossary)
        start = english_date(chair.start) + (" (start of the reporting period)" if clipped
                                             else "")
        term = f"{start} to {english_date(chair.end)}" if chair.end else f"from {start}"
        return f"{chair.name} ({state}), {term}"
    start = chinese_date(chair.start) + ("（报告所述期间开始）" if clipped else "")
    term = f"{start}至{chinese_date(chair.end)}" if chair.end else f"自{start}起"
    return f"{chair.name}（{chair.state}），{term}"
