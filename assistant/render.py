"""Answer text: the direct answer first, then each quote with its marker and where it is.

Chinese questions get Chinese framing. English questions get English framing, figures and
dates in English, locators in English ("S/2022/899, annex III, row 6"), the Chinese quotes
as printed, and the English names of the states the quotes name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.answers import Answer, Citation
from assistant.facts import Fact
from assistant.question import QuestionAnalysis
from index.glossary import Glossary
from index.text import chinese_numeral

_ROMAN = (("M", 1000), ("CM", 900), ("D", 500), ("CD", 400), ("C", 100), ("XC", 90),
          ("L", 50), ("XL", 40), ("X", 10), ("IX", 9), ("V", 5), ("IV", 4), ("I", 1))
_PART = re.compile(r"附件([一二三四五六七八九十]+)")


def roman(n: int) -> str:
    out = ""
    for symbol, value in _ROMAN:
        while n >= value:
            out += symbol
            n -= value
    return out


def english_locator(locator: str) -> str:
    """'S/2022/899 附件三 第6行' → 'S/2022/899, annex III, row 6'."""
    text = _PART.sub(lambda m: f"annex {roman(chinese_numeral(m.group(1)))}", locator)
    text = text.replace("附件", "annex").replace("信函", "covering letter")
    text = text.replace("摘要", "summary").replace("脚注", "footnote ")
    text = re.sub(r"第(\d+)[–-](\d+)段", r"paras. \1–\2", text)
    text = re.sub(r"第(\d+)段", r"para. \1", text)
    text = re.sub(r"第(\d+)[–-](\d+)行", r"rows \1–\2", text)
    text = re.sub(r"第(\d+)行", r"row \1", text)
    text = text.replace("；", "; ")
    # An English record's locator is already English ("S/AC.44/2025/4, table 2, row 3").
    return re.sub(r"(?<!,)(?<!preambular) (?=annex|para|row|summary|footnote|covering)", ", ",
                  text)


def compose(analysis: QuestionAnalysis, citations: list[Citation], fact: Fact | None,
            glossary: Glossary | None) -> Answer:
    en = analysis.language == "en"
    lines: list[str] = []
    if fact is not None:
        lines.append(f"**{fact.text(analysis.language)}** "
                     + " ".join(f"[{n}]" for n in fact.cites))
    else:
        lines.append("The records say:" if en else "记录显示：")
    lines.append("")
    for c in citations:
        where = english_locator(c.locator) if en else c.locator
        lines.append(f"> {c.quote} [{c.n}] — *{where}*")
        lines.append("")
    if en and glossary is not None:
        lines += names_line(citations, glossary)
    return Answer(question=analysis.text, text="\n".join(lines).strip(), supported=True,
                  citations=citations, language=analysis.language)


def refusal(analysis: QuestionAnalysis, see_also: list[Citation],
            absent: Sequence[str] = ()) -> Answer:
    """"The records do not say", with what the question names that no passage found holds
    (`absent`: a year, a state), so the delegate knows which part to change."""
    en = analysis.language == "en"
    if en:
        text = ("The committee records provided do not answer this question; "
                "nothing in them states it.")
        if absent:
            text += f" No passage found mentions {' or '.join(absent)}."
        also = "Nearest passages (they do not answer it):"
    else:
        text = f"所提供的委员会记录中没有关于“{analysis.text}”的信息。"
        if absent:
            text += f"检索到的段落均未提及{'或'.join(absent)}。"
        also = "最接近的段落（并未回答该问题）："
    if see_also:
        # Quoted: a passage's opening is the records' text, whatever it says.
        items = [f"- {english_locator(c.locator) if en else c.locator}：“{c.quote[:60]}”"
                 for c in see_also]
        text = "\n\n".join([text, also, "\n".join(items)])
    return Answer(question=analysis.text, text=text, supported=False, citations=[],
                  see_also=see_also, language=analysis.language)


def in_english(zh: str, glossary: Glossary | None) -> str:
    """The glossary's English form of a Chinese name, else the name as printed."""
    return (glossary.english_name(zh) if glossary is not None else None) or zh


def names_line(citations: list[Citation], glossary: Glossary) -> list[str]:
    """"Names: 博茨瓦纳 (Botswana); …" for an English answer, or nothing."""
    names = _state_names(citations, glossary)
    return ["Names: " + "; ".join(names)] if names else []


def _state_names(citations: list[Citation], glossary: Glossary) -> list[str]:
    names: list[str] = []
    for c in citations:
        for form, entry in glossary.find_chinese(c.quote):
            if entry.is_state:
                name = f"{form} ({entry.en})"
                if name not in names:
                    names.append(name)
    return names[:12]
