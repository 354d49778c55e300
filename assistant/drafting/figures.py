"""Key figures across documents: how many States have submitted a first report, have named a
point of contact, how many action plans there are, as each document states it.

Each figure is read from the sentences that state it, by patterns written for the committee's
own phrasing ("使提交第一次报告的国家数目达到184个", "从2016年的94个增加到截至2022年6月2日的
137个"). Where a document states the complement instead ("尚未提交其第一次报告的剩余20个会员
国"), the value is derived from the 193 Member States and says so. Every value keeps the
sentence it was read from as its citation.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from assistant.answers import Citation
from assistant.drafting.sentences import Sentence, sentences
from assistant.drafting.sources import Corpus
from index.zh_dates import parse_date

if TYPE_CHECKING:
    from assistant.api import Assistant

MEMBER_STATES = 193  # "所有193个委员会汇总表": one per Member State


@dataclass(frozen=True)
class FigurePattern:
    """Groups: v1 (the value), y1/d1 (the year or date it holds at), and v2/y2/d2 for a
    second value in the same sentence. `complement`: the sentence counts the States that
    have not, so the value is MEMBER_STATES minus it."""

    regex: re.Pattern[str]
    complement: bool = False
    needs: str = ""


@dataclass(frozen=True)
class FigureSpec:
    key: str
    name_zh: str
    name_en: str
    patterns: tuple[FigurePattern, ...]


def _p(text: str, *, complement: bool = False, needs: str = "") -> FigurePattern:
    return FigurePattern(re.compile(text), complement, needs)


_N = r"\s*(?P<{}>\d+)\s*"
_Y = r"\s*(?P<{}>\d{{4}})\s*年"
_D = r"(?P<{}>\d{{4}}\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日)"

FIGURES: tuple[FigureSpec, ...] = (
    FigureSpec("first_reports", "已提交第一次国家报告的国家", "States that have submitted a "
               "first national report", (
                   _p("提交第一次报告的国家数目达到" + _N.format("v1") + "个"),
                   _p("以来提交国家报告的" + _N.format("v1") + "个国家中"),
                   _p("尚未提交其?第一次报告的剩余" + _N.format("v1") + "个", complement=True),
                   _p("尚未提交初次报告的国家从" + _N.format("x") + "个减至" + _N.format("v1")
                      + "个", complement=True),
                   _p("有" + _N.format("v1") + "个国家尚未提交第一次国家报告，但这与"
                      + _Y.format("y2") + "的" + _N.format("v2") + "个国家相比",
                      complement=True),
               )),
    FigureSpec("points_of_contact", "已指定联络人的会员国", "Member States that have named a "
               "point of contact", (
                   _p("从" + _Y.format("y1") + "的" + _N.format("v1") + "个增加到截至"
                      + _D.format("d2") + "的" + _N.format("v2") + "个", needs="联络人"),
                   _p("联络人通知也从" + _Y.format("y1") + "的" + _N.format("v1") + "个增加到"
                      + _N.format("v2") + "个"),
                   _p("迄今已有" + _N.format("v1") + "个会员国指定了国家联络人"),
                   _p("共有" + _N.format("v1") + r"个会员国向委员会通报了\S{0,24}联络人"),
               )),
    FigureSpec("action_plans", "已提交的自愿国家执行行动计划（份）", "Voluntary national "
               "implementation action plans submitted", (
                   _p("从" + _Y.format("y1") + "的" + _N.format("v1") + "份增加到"
                      + _Y.format("y2") + "的" + _N.format("v2") + "份", needs="行动计划"),
                   _p("个会员国已提交了" + _N.format("v1") + "份国家行动计划"),
                   _p("各国提交了" + _N.format("v1") + "份国家执行行动计划"),
                   _p("国家行动计划总数达到" + _N.format("v1") + "份"),
               )),
)
FIGURE_KEYS = tuple(spec.key for spec in FIGURES)
_AS_OF = re.compile(r"截至" + _D.format("d"))
_LEADING_YEAR = re.compile(r"^\s*(?P<y>\d{4})\s*年[，,]")


class FigureValue(BaseModel):
    """One value of a figure, as one document states it."""

    model_config = ConfigDict(extra="forbid")

    figure: str
    value: int
    as_of: dt.date
    year_only: bool = Field(description="The document gives only the year it holds at.")
    dated: bool = Field(description="The date is printed in the sentence (not the "
                                    "document's own date).")
    printed: int = Field(description="The number as printed (the complement, if derived).")
    derived: bool = Field(description=f"value = {MEMBER_STATES} − printed.")
    citation: Citation


class FigureSeries(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str
    name_zh: str
    name_en: str
    values: list[FigureValue]


def key_figures_timeline(source: Assistant | Corpus, keys: Iterable[str] | None = None,
                         period: tuple[int, int] | None = None) -> list[FigureSeries]:
    """Each figure's values across the documents, oldest first (`keys` from FIGURE_KEYS;
    default all). Citations are numbered 0: a draft renumbers them in its own sources."""
    corpus = source if isinstance(source, Corpus) else Corpus(source)
    wanted = set(keys) if keys is not None else set(FIGURE_KEYS)
    units = [s for p in corpus.prose() for s in sentences(p)]
    out = []
    for spec in FIGURES:
        if spec.key not in wanted:
            continue
        found = [value for sentence in units for pattern in spec.patterns
                 if not pattern.needs or pattern.needs in sentence.quote
                 for value in _read(spec, pattern, sentence, corpus)]
        values = _distinct(found)
        if period is not None:
            values = [v for v in values if period[0] <= v.as_of.year <= period[1]]
        if values:
            out.append(FigureSeries(key=spec.key, name_zh=spec.name_zh, name_en=spec.name_en,
                                    values=values))
    return out


def states_a_figure(text: str) -> bool:
    """The sentence states one of the key figures (the timeline table quotes it)."""
    return any(pattern.regex.search(text) and (not pattern.needs or pattern.needs in text)
               for spec in FIGURES for pattern in spec.patterns)


def _read(spec: FigureSpec, pattern: FigurePattern, sentence: Sentence,
          corpus: Corpus) -> list[FigureValue]:
    out = []
    doc_date = corpus.doc_date(sentence.passage.doc_id) or dt.date.min
    for match in pattern.regex.finditer(sentence.quote):
        groups = match.groupdict()
        for i in ("1", "2"):
            if groups.get(f"v{i}") is None:
                continue
            printed = int(groups[f"v{i}"])
            as_of, year_only, dated = _as_of(groups.get(f"y{i}"), groups.get(f"d{i}"),
                                      sentence.quote, doc_date)
            value = MEMBER_STATES - printed if pattern.complement else printed
            out.append(FigureValue(
                figure=spec.key, value=value, as_of=as_of, year_only=year_only, dated=dated,
                printed=printed, derived=pattern.complement,
                citation=Citation(n=0, doc_id=sentence.passage.doc_id,
                                  symbol=sentence.passage.symbol,
                                  title=corpus.title(sentence.passage.doc_id),
                                  date=sentence.passage.date,
                                  locator=sentence.passage.locator, quote=sentence.quote,
                                  passage=sentence.passage.text)))
    return out


def _as_of(year: str | None, date: str | None, text: str,
           doc_date: dt.date) -> tuple[dt.date, bool, bool]:
    """The date a value holds at: the one printed with it, else "截至…" in its sentence,
    else a year opening the sentence ("2019年，…"), else the document's date."""
    if date and (day := parse_date(date)):
        return day, False, True
    if year:
        return _year_end(int(year), doc_date), True, True
    if (match := _AS_OF.search(text)) and (day := parse_date(match.group("d"))):
        return day, False, True
    if match := _LEADING_YEAR.match(text):
        return _year_end(int(match.group("y")), doc_date), True, True
    return doc_date, False, False


def _year_end(year: int, doc_date: dt.date) -> dt.date:
    return doc_date if year == doc_date.year else dt.date(year, 12, 31)


def _distinct(values: list[FigureValue]) -> list[FigureValue]:
    """One value per (year, value): the one printed rather than derived, with a full date
    printed beside it rather than a year or the document's date, from the latest document."""
    def rank(v: FigureValue) -> tuple[bool, bool, bool, str]:
        return not v.derived, v.dated and not v.year_only, not v.year_only, v.citation.date or ""

    best: dict[tuple[int, int], FigureValue] = {}
    for value in values:
        key = (value.as_of.year, value.value)
        if key not in best or rank(value) > rank(best[key]):
            best[key] = value
    return sorted(best.values(), key=lambda v: (v.as_of, v.value))
