"""The direct answer inside a quoted sentence: the count for "多少", the date for "when".

Only figures and dates are pulled out; names and reasons are answered by the quote itself,
which is safer than cutting a clause out of its sentence.
"""

from __future__ import annotations

import datetime as dt
import re

from assistant.question import QuestionAnalysis, QuestionType
from index.text import chinese_numeral, fold

MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")
# What is not a count: dates, document symbols, resolutions, paragraph and row references.
_NOT_A_COUNT = re.compile(
    r"\d{4}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}(?:\s*[-–至]\s*\d{1,2})?\s*日)?)?"
    r"|\d{1,2}\s*月\s*\d{1,2}(?:\s*[-–至]\s*\d{1,2})?\s*日|\d{1,2}\s*月"
    r"|[A-Z]+/[\w./()]+|\d{3,4}\s*\(\s*\d{4}\s*\)|第\s*\d+\s*[段行条款]|\(\d{4}\)")
_COUNT = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(%|[个份项次名位届家条种篇人国])?"
                    r"|(?<![一二三四五六七八九十两第])([一二三四五六七八九十两]{1,3})\s*([个份项次名位届家条种篇人国])")
_ASKED_UNIT = re.compile(r"(?:多少|几)\s*([个份项次名位届家条种篇人国年])")
_ASKS_SHARE = re.compile(r"比例|百分比|百分之|percent|percentage|share|proportion|rate\b",
                         re.IGNORECASE)
_FULL_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_YEAR_MONTH = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?!\s*\d{1,2}\s*日)")


class Fact:
    """A figure or date found in a sentence, in Chinese as printed and rendered in English."""

    def __init__(self, zh: str, en: str) -> None:
        self.zh = zh
        self.en = en

    def text(self, language: str) -> str:
        return self.en if language == "en" else self.zh


def english_date(day: dt.date) -> str:
    return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"


def direct_fact(sentence: str, analysis: QuestionAnalysis, anchor: int = 0) -> Fact | None:
    """The figure or date a number/date question asks for, nearest to `anchor` (the
    position in the sentence of what the question asked about)."""
    if analysis.qtype is QuestionType.NUMBER:
        return _count(sentence, analysis, anchor)
    if analysis.qtype is QuestionType.DATE:
        return _date(sentence, analysis)
    return None


def _count(sentence: str, analysis: QuestionAnalysis, anchor: int) -> Fact | None:
    masked = _NOT_A_COUNT.sub(lambda m: " " * len(m.group(0)), sentence)
    asked = set(re.findall(r"\d+", fold(analysis.text)))
    candidates = [m for m in _COUNT.finditer(masked) if (m.group(1) or m.group(3)) not in asked
                  and m.group(3) != "一"]  # "一项任务" is "a task", not a count
    asked_unit = _ASKED_UNIT.search(analysis.text)
    if asked_unit and not _ASKS_SHARE.search(analysis.text):
        # "多少次会议" wants a count of 次, not "一项" or "6%" (a bare table figure will do).
        candidates = [m for m in candidates
                      if (m.group(2) or m.group(4)) in (asked_unit.group(1), None)]
    if _ASKS_SHARE.search(analysis.text):
        # "比例", "what percentage": the share, not the count beside it.
        candidates = [m for m in candidates if m.group(2) == "%"] or candidates
    if not candidates:
        return None
    best = min(candidates, key=lambda m: abs(m.start() - anchor))
    if best.group(3):  # written in Chinese: "四次", "两份"
        return Fact(zh=f"{best.group(3)}{best.group(4)}", en=str(chinese_numeral(best.group(3))))
    number, unit = best.group(1), best.group(2) or ""
    return Fact(zh=f"{number}{unit}", en=f"{number}%" if unit == "%" else number)


def _date(sentence: str, analysis: QuestionAnalysis) -> Fact | None:
    for match in _FULL_DATE.finditer(sentence):
        try:
            day = dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            continue
        return Fact(zh=f"{day.year}年{day.month}月{day.day}日", en=english_date(day))
    match = _YEAR_MONTH.search(sentence)
    if match and 1 <= int(match.group(2)) <= 12:
        year, month = int(match.group(1)), int(match.group(2))
        return Fact(zh=f"{year}年{month}月", en=f"{MONTHS_EN[month - 1]} {year}")
    return None
