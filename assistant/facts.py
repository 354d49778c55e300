"""The direct answer inside a quoted sentence: the count for "多少", the date for "when".

Only figures and dates are pulled out of sentences (and a table's cell for the year asked,
which is a name or figure by itself); names and reasons are answered by the quote itself,
which is safer than cutting a clause out of its sentence.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Callable, Sequence
from itertools import takewhile

from assistant.question import MEASURE_WORDS, QuestionAnalysis, QuestionType, years_named
from index.lexicon import stem
from index.text import MONTHS_EN, chinese_numeral, fold, is_chinese

# What is not a count: dates, document symbols, resolutions, paragraph and row references,
# web addresses ("www.un.org/en/sc/1540/index.shtml").
_NOT_A_COUNT = re.compile(
    r"(?:https?://|www\.)[\w./%?=&#~+-]+|"
    r"\d{4}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}(?:\s*[-–至]\s*\d{1,2})?\s*日)?)?"
    r"|\d{1,2}\s*月\s*\d{1,2}(?:\s*[-–至]\s*\d{1,2})?\s*日|\d{1,2}\s*月"
    r"|(?:[-–至到]\s*)?\d{1,2}\s*日(?![本内])"
    r"|[A-Z]+/[\w./()]+|\d{3,4}\s*\(\s*\d{4}\s*\)|第\s*\d+\s*[段行条款]|\(\d{4}\)"
    # "(2011-2016年)", "2019至2020年期间": years, not figures; "19. 联合国毒品和犯罪问题
    # 办公室": a list's row number.
    r"|(?:19|20)\d{2}\s*[-–—至到]\s*(?:19|20)\d{2}|^\s*\d{1,3}\.(?!\d)")
# What names a thing rather than counts it: the 1540 of "1540委员会" and "the 1540
# Committee", "第85号决议", "第142次会议", "paragraph 3 (a)", "Decree No. 74", "the 142nd
# meeting". A question asking which one ("第几次") wants exactly these.
_ORDINAL_OR_NAME = re.compile(
    r"\d+(?=\s*(?:委员会|Committee\b))|第\s*\d+\s*(?:号|次|届|个|项)?"
    r"|\b(?:paragraphs?|paras?\.|resolutions?|No\.|Nos\.|articles?|annex|decree|law)"
    r"\s*\d+(?:\s*\(\w\))?|\b\d+(?:st|nd|rd|th)\b", re.IGNORECASE)
_ASKS_WHICH_ONE = re.compile(r"第几")
_ORDINAL_FIGURE = re.compile(r"第\s*(\d+)|\b(\d+)(?:st|nd|rd|th)\b"
                             r"|第([一二三四五六七八九十百两]+)(?=[次届个期轮项])")
# The measure words the records count with ("23次", "12份", "60个").
# A figure ("23", "6.5", "2,242", or "44 004" with a space between thousands) and its
# measure word, or one written in Chinese ("四次").
_COUNT = re.compile(r"(?<![\d.])(\d{1,3}(?:[, ]\d{3})+(?!\d)|\d+(?:\.\d+)?)"
                    rf"\s*(%|[{MEASURE_WORDS}])?"
                    rf"|(?<![一二三四五六七八九十两第])([一二三四五六七八九十两]{{1,3}})\s*([{MEASURE_WORDS}])")
_ASKED_UNIT = re.compile(rf"(?:多少|几)\s*([{MEASURE_WORDS}年])")
_COUNTED_ZH = re.compile(rf"(?:多少|几)\s*[{MEASURE_WORDS}]?\s*([\u4e00-\u9fff]+)")
# "减至8个", "increased to": what a figure has become.
_CHANGED_TO = re.compile(r"(?:减|降|增|升|增加|减少|提高|下降|上升)(?:至|到)|达到|\bto\b")
# "还剩多少个", "how many remain": the figure a decrease came to.
_ASKS_REMAINING = re.compile(r"还?剩|剩余|仍有|\bremain|\bleft\b|\bstill\b", re.IGNORECASE)
_FIGURE_OR_CLAUSE = re.compile(r"[，,；;。、(（]|\d")
_ASKS_SHARE = re.compile(r"比例|百分比|百分之|percent|percentage|share|proportion|rate\b",
                         re.IGNORECASE)
_FULL_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
# "2016年4月25日至12月31日", "2015年2月1日至2016年1月31日": the end's year and month may
# be left out when they are the start's.
_DATE_RANGE = re.compile(
    r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:至|到|—|–|-)\s*"
    r"(?:(\d{4})\s*年\s*)?(?:(\d{1,2})\s*月\s*)?(\d{1,2})\s*日")
_ASKS_PERIOD = re.compile(r"期间|何时到何时|何时至何时|什么时候到什么时候|任期|涵盖哪|所涉|"
                          r"\b(?:what|which) period\b|\bfrom when\b|\bbetween which dates\b"
                          r"|\bterm\b", re.IGNORECASE)
_ASKS_END = re.compile(r"到何时为止|至何时|何时结束|直至何时|\buntil (?:when|what date)\b"
                       r"|\bwhen did (?:it|the \w+|his|her) (?:\w+ )?end\b", re.IGNORECASE)
# "频率至少是多少", "how often": the answer is a rate ("不少于每季度一次"), not a count.
_ASKS_FREQUENCY = re.compile(r"频率|频次|多久一次|多长时间一次|\bhow (?:often|frequently)\b",
                             re.IGNORECASE)
_FREQUENCY = re.compile(r"(不少于|至少)?每(半年|两年|季度|季|年|月|周|星期|天|日)"
                        r"(?:([一两二三四五六七八九十])次)?")
_PER_EN = {"半年": "every six months", "两年": "every two years", "季度": "a quarter",
           "季": "a quarter", "年": "a year", "月": "a month", "周": "a week", "星期": "a week",
           "天": "a day", "日": "a day"}
_ASKS_LATEST = re.compile(r"最近|最新|最后|\b(?:most recent|latest|last)\b", re.IGNORECASE)
_ASKS_EARLIEST = re.compile(r"最早|更早|较早|谁先|哪个(?:国家)?先|\b(?:earliest|first|earlier|sooner)\b",
                            re.IGNORECASE)
_ASKS_AMOUNT = re.compile(r"\bamount\b|\bhow much money\b|数额|金额|总额|多少钱", re.IGNORECASE)
_MONEY = re.compile(r"(?:US\$|\$|€)\s*\d[\d,.]*(?:\s*(?:million|billion))?"
                    r"|\d[\d,.]*\s*(?:万|亿)?\s*(?:美元|欧元|瑞士法郎|元)")
_ASKS_YEARS = re.compile(r"哪些年份?|哪几年|\b(?:which|what) years\b", re.IGNORECASE)
_DAY_RANGE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[-–]\s*(\d{1,2})\s*日")
_MONTH_PART = re.compile(r"(?<!\d)(\d{1,2})\s*月\s*(底|末|初|上旬|中旬|下旬)")
_PART_EN = {"底": "the end of {}", "末": "the end of {}", "初": "early {}", "上旬": "early {}",
            "中旬": "mid-{}", "下旬": "late {}"}
_YEAR_MONTH = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?!\s*\d{1,2}\s*日)")
# "2015年年中", "2021年底": a part of a year.
_YEAR_PART = re.compile(r"((?:19|20)\d{2})\s*年\s*(年初|年中|年底|年末|上半年|下半年|初|底)")
_YEAR_PART_EN = {"年初": "early {}", "初": "early {}", "年中": "mid-{}", "年底": "the end of {}",
                 "底": "the end of {}", "年末": "the end of {}",
                 "上半年": "the first half of {}", "下半年": "the second half of {}"}


# What an English question counts, and the measure words the records count it with:
# "how many meetings" is answered by "23次", not by "193个会员国".
_COUNTED_EN: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"meetings?|sessions?|visits?|times|conferences?|briefings?|missions?|"
                r"dialogues?"), "次场届"),
    # "21项活动": activities are counted in 项 as well.
    (re.compile(r"events?|activit(?:y|ies)|workshops?|courses?|trainings?"), "次场届项"),
    (re.compile(r"reports?|requests?|letters?|documents?|plans?|notes?|submissions?|"
                r"press releases?|releases?|matri(?:x|ces)|offers?"), "份项封篇"),
    (re.compile(r"states?|countries|country|organi[sz]ations?|bodies|entities"), "个国家"),
    (re.compile(r"members"), "个国家名位人"),  # of the Committee (States) or a group (people)
    (re.compile(r"experts?|people|persons?|participants?|officials?|staff|chairs?"), "名位人个"),
]
_HOW_MANY = re.compile(r"\bhow many((?:\s+[\w-]+){1,5})", re.IGNORECASE)


# Measure words that count the same things: "几份请求" is answered by "9项新的援助请求".
_SAME_KIND = ("份项封篇", "次场届")
# A figure that is a year: no count by itself ("高于2017收到的3项").
YEAR = re.compile(r"(?:19|20)\d{2}")


def _counts_asked(figure: re.Match[str], units: str) -> bool:
    """A figure with one of the measure words asked, or a bare one that is not a year."""
    unit = figure.group(2) or figure.group(4)
    if unit:
        return unit in units
    return not YEAR.fullmatch(figure.group(1) or "")


def _of_a_kind(units: str) -> str:
    """The measure words asked, with those that count the same kind of thing."""
    return "".join(dict.fromkeys(units + "".join(
        kind for kind in _SAME_KIND if any(u in kind for u in units))))


def asked_units(question: str) -> str:
    """The measure words a count question wants ("多少次" → 次; "how many meetings" → 次场
    届); empty when it does not say."""
    asked = _ASKED_UNIT.search(question)
    if asked:
        return asked.group(1)
    english = _HOW_MANY.search(question)
    for word in english.group(1).lower().split() if english else []:
        for pattern, units in _COUNTED_EN:
            if pattern.fullmatch(word):
                return units
    return ""


class Fact:
    """A figure or date found in a sentence, in Chinese as printed and rendered in English."""

    def __init__(self, zh: str, en: str, cites: tuple[int, ...] = (1,)) -> None:
        self.zh = zh
        self.en = en
        self.cites = cites  # the quotes (numbered from 1) that give it

    def text(self, language: str) -> str:
        return self.en if language == "en" else self.zh


def english_date(day: dt.date) -> str:
    return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def direct_fact(sentence: str, analysis: QuestionAnalysis, anchor: int = 0,
                question: str = "", counted: Sequence[str] = ()) -> Fact | None:
    """The figure or date a number/date question asks for. Of several figures: the one a
    "分别" list pairs with what is asked; then one of the year asked; then one in the clause
    holding a figure the question gives ("……提交了4份报告"); then one followed by what is
    counted ("23次正式会议"; for an English question, the Chinese words in `counted` for
    what follows "how many", before the rest of its words); then the first after `anchor`
    (where in the sentence what the question asks about is named: "拉丁美洲和加勒比集团
    ……有5个", not the figure of the group named before it), else the nearest before it.
    Of several dates, the first after the anchor. `analysis` may be of one part of a
    `question` that asks several things: a figure the question itself names is never the
    answer to any of them."""
    if analysis.qtype is QuestionType.NUMBER:
        if _ASKS_FREQUENCY.search(analysis.text):
            return _frequency(sentence)
        return _count(sentence, analysis, anchor, question or analysis.text, counted)
    if analysis.qtype is QuestionType.DATE:
        return _period(sentence, analysis, anchor) or _date(sentence, analysis, anchor)
    return None


def _count(sentence: str, analysis: QuestionAnalysis, anchor: int,
           question: str, counted_words: Sequence[str] = ()) -> Fact | None:
    masked = _NOT_A_COUNT.sub(lambda m: " " * len(m.group(0)), sentence)
    asked = set(re.findall(r"\d+", fold(question)))
    if _ASKS_WHICH_ONE.search(analysis.text):
        # "第142次", "the 88th", "第六次" (written in Chinese, said as printed: 第六; 6). A
        # date the question gives ("6月在布鲁塞尔举行的") is no ordinal it names.
        named = set(re.findall(r"\d+", _NOT_A_COUNT.sub(" ", fold(question))))
        found = [(m.group(3) or n, n) for m in _ORDINAL_FIGURE.finditer(masked)
                 if (n := m.group(1) or m.group(2) or str(chinese_numeral(m.group(3))))
                 not in named and n != "0"]
        return Fact(zh=f"第{found[0][0]}", en=found[0][1]) if found else None
    masked = without_names(masked)
    if _ASKS_AMOUNT.search(analysis.text):
        # "What was the total amount of contributions?": a sum of money, not "10个会员国".
        money = _MONEY.search(masked)
        return Fact(zh=money.group(0).strip(), en=money.group(0).strip()) if money else None
    candidates = [m for m in _COUNT.finditer(masked) if (m.group(1) or m.group(3)) not in asked
                  and m.group(3) != "一"  # "一项任务" is "a task", not a count
                  and not _is_year(m)]
    units = _of_a_kind(asked_units(analysis.text))
    if units and not _ASKS_SHARE.search(analysis.text):
        # A count of 次 wants 次, not "一项" or "6%" (a bare table figure will do, but not a
        # bare year).
        candidates = [m for m in candidates if _counts_asked(m, units)]
    if _ASKS_SHARE.search(analysis.text):
        # "比例", "what percentage": the share, not the count beside it.
        candidates = [m for m in candidates if m.group(2) == "%"] or candidates
    else:
        # A share answers only a question that asks for one.
        candidates = [m for m in candidates if m.group(2) != "%"] or candidates
    head = _counted_head(analysis.text)
    if head and not is_chinese(sentence) and len(re.findall(r"[A-Za-z]{3,}", sentence)) > 3:
        # An English sentence says what it counts after the figure: "1,870 physical
        # inspections" is no count of monitors. (A table row of figures says it in its
        # headings.)
        candidates = [m for m in candidates if head in {
            stem(w) for w in re.findall(r"[A-Za-z]+", sentence[m.end():])[:5]}]
    if not candidates:
        return None
    counted = _counted(analysis.text)
    head = counted.split("的")[-1]
    remaining = bool(_ASKS_REMAINING.search(analysis.text))
    named = named_tokens(analysis)

    aligned = respective_figure(masked, named)

    # Figures the question gives that are no year and name nothing ("paragraph 85"):
    # "有多少个会员国提交了4份报告" asks about the clause that has its 4 ("34个会员国提交了4
    # 份报告").
    given = {n for n in re.findall(r"\d+", fold(without_names(question))) if not years_named(n)}

    def fit(m: re.Match[str]) -> tuple[int, int, int, int, int, bool, int]:
        # What the figure counts is what follows it, up to the next clause or figure.
        after = _FIGURE_OR_CLAUSE.split(sentence[m.end():m.end() + 16], maxsplit=1)[0]
        counts = sum(len(t) for t in counted_words if _says(after, t))
        start = max((c.end() for c in _CLAUSE_END.finditer(masked, 0, m.start())), default=0)
        end = _CLAUSE_END.search(masked, m.end())
        clause = masked[start:end.start() if end else len(masked)]
        gives = sum(1 for n in given if re.search(rf"(?<![\d.]){n}(?![\d.])", clause))
        # "23次正式会议" counts what "多少次正式会议" asks; "17次非正式会议" does not.
        says = max(_common_prefix(after, counted), _common_prefix(after, head)) * 2 + \
            sum(len(t) for t in named if _says(after, t))
        # A figure is of the last year printed before it: "2018年……9项……2017收到的3项";
        # not one a change leads to: "从2016年的17个减至8个" (8 is not 2016's).
        before = sentence[:m.start()]
        years = years_named(before)
        changed = _CHANGED_TO.search(before[-4:]) is not None
        of_year = 0 if not years or not analysis.years or changed else \
            -1 if years[-1] in analysis.years else 1
        if remaining and changed:
            of_year -= 1
        return (int(aligned is not None and m.start() != aligned), of_year, -gives, -counts,
                -says, m.start() < anchor, abs(m.start() - anchor))

    best = min(candidates, key=fit)
    if best.group(3):  # written in Chinese: "四次", "两份"
        return Fact(zh=f"{best.group(3)}{best.group(4)}", en=str(chinese_numeral(best.group(3))))
    number, unit = best.group(1), best.group(2) or ""
    english = f"{int(re.sub(r'[, ]', '', number)):,}" if re.search(r"\d[, ]\d{3}", number) \
        else number
    return Fact(zh=f"{number}{unit}", en=f"{english}%" if unit == "%" else english)


# What an English count question counts: the words after "how many", to the clause's end,
# less the set it counts in ("how many of the requests came from …"), which ends at the
# verb.
_COUNTED_PHRASE = re.compile(r"\bhow (many|much)\b([^,;?]*)", re.IGNORECASE)
_COUNTED_IN = re.compile(r"^\s*of\s+(?:the|its|their|these|those|all)\b.*?(?=\b(?:\w+ed|were|"
                         r"was|are|is|did|do|does|had|have|has|came|took|went|made|held)\b)",
                         re.IGNORECASE)
# Where the noun counted ends: at the first verb (an auxiliary or a past form) or
# preposition ("how many customs officers | did …").
_NOUN_ENDS = re.compile(r"did|do|does|were|was|are|is|have|has|had|will|would|of|for|in|on|at|"
                        r"to|from|with|by|about|that|which|who|[a-z]+ed", re.IGNORECASE)


def counted_phrase(question: str) -> str:
    """What an English question counts, as it words it ("how many of the 40 requests came
    from Africa": "came from Africa"); "" when it asks no "how many/much"."""
    found = _COUNTED_PHRASE.search(question)
    return _COUNTED_IN.sub("", found.group(2)).strip() if found else ""


def _counted_head(question: str) -> str:
    """The stem of the noun an English question counts ("how many licences were denied":
    licenc), or "" when it names none ("how many of them", "how many were …")."""
    found = _COUNTED_PHRASE.search(question)
    if found is None or found.group(1).lower() != "many":
        return ""
    words = re.findall(r"[A-Za-z-]+", counted_phrase(question))
    noun = list(takewhile(lambda w: not _NOUN_ENDS.fullmatch(w), words))
    # A noun of up to four words: past that, the phrase is not read as one.
    return stem(noun[-1]) if 0 < len(noun) <= 4 and (len(noun) < len(words) or
                                                     len(words) <= 4) else ""


def _is_year(figure: re.Match[str]) -> bool:
    """A bare four-digit figure of the years the records speak of ("in 2021", "2017收到的")
    is a year, not a count: a count that large is written with its measure word ("1284项")
    or a thousands separator ("1,870")."""
    number = figure.group(1)
    return bool(number) and not figure.group(2) and number.isdigit() and \
        1945 <= int(number) <= 2099


def without_names(text: str) -> str:
    """The text with every figure that names something blanked out, positions kept: the
    1540 of "1540委员会", "第85号", "paragraph 3 (a)", "Decree No. 74", "the 142nd"."""
    return _ORDINAL_OR_NAME.sub(lambda m: " " * len(m.group(0)), text)


def headings_named(header: list[str], analysis: QuestionAnalysis) -> list[int]:
    """The columns (after the first) whose heading the question names, in its own words or
    in the Chinese forms of its glossary entries and English words; an English heading, by
    the stems of its words."""
    words = fold(analysis.text) + " " + " ".join(
        form for forms in (*analysis.groups, *analysis.translations) for form in forms)
    asked = {stem(w) for w in re.findall(r"[A-Za-z]+", analysis.text)}
    return [i for i, h in enumerate(header[1:], start=1) if h and (
        fold(h) in words or _english_heading_asked(h, asked))]


def _english_heading_asked(heading: str, asked: set[str]) -> bool:
    """An English heading ("Licences denied") is named by an English question that has
    each of its words in any form ("how many licences were denied")."""
    stems = {stem(w) for w in re.findall(r"[A-Za-z]+", heading) if len(w) > 2}
    return heading.isascii() and bool(stems) and stems <= asked


def _counted(question: str) -> str:
    """What a Chinese count question counts, as it names it: "多少次正式会议" → "正式会议",
    "多少个欧安组织国家的国家联络人" (of which the head is the last: "国家联络人"). A
    follow-up's words put after the question ("……有多少个会员国发言？ 国际和区域组织", from
    "国际和区域组织呢？") are what it now counts."""
    parts = re.split(r"[？?]", question)
    if len(parts) > 1 and re.search(r"[\u4e00-\u9fff]", parts[-1]):
        return parts[-1].strip()
    match = _COUNTED_ZH.search(parts[0])
    return match.group(1) if match else ""


# A negating prefix makes another word of a named one: 非正式会议 is no 正式会议.
_NEGATED = "非不未无"


def _says(text: str, token: str) -> bool:
    """Whether the text holds the token as itself, not inside its negation."""
    return any(at == 0 or text[at - 1] not in _NEGATED
               for at in (m.start() for m in re.finditer(re.escape(token), text)))


_RESPECTIVELY = re.compile(r"分别")
_LIST_SEPARATOR = re.compile(r"、|以及|及|和")
_CLAUSE_END = re.compile(r"[，。；：,;]")


def respective_figure(sentence: str, named: Sequence[str]) -> int | None:
    """Where the figure of a named item stands when the sentence pairs a list with figures
    "respectively": in "非洲、拉丁美洲和加勒比区域以及亚洲-太平洋区域分别仅记录了24%、32%和
    35%", 拉丁美洲和加勒比 has the second figure, 32%. None when no list pairs up."""
    for marker in _RESPECTIVELY.finditer(sentence):
        clause_start = max((m.end() for m in _CLAUSE_END.finditer(sentence, 0, marker.start())),
                           default=0)
        listed = sentence[clause_start:marker.start()]
        end = _CLAUSE_END.search(sentence, marker.end())
        figures = [m for m in _COUNT.finditer(sentence, marker.end(),
                                              end.start() if end else len(sentence))
                   if m.group(1) or m.group(3)]
        # Items are cut at 、 and 以及 first; at 和 only when that leaves too few items
        # ("拉丁美洲和加勒比区域" is one).
        items = [i for i in re.split(r"、|以及|及", listed) if i.strip()]
        if len(items) < len(figures):
            items = [i for i in _LIST_SEPARATOR.split(listed) if i.strip()]
        if len(items) != len(figures) or len(items) < 2:
            continue
        for token in sorted(named, key=len, reverse=True):
            hits = [i for i, item in enumerate(items) if token in item]
            if len(hits) == 1:
                return figures[hits[0]].start()
    return None


def named_tokens(analysis: QuestionAnalysis) -> list[str]:
    """The Chinese words a question names, in whatever language it was asked."""
    words = [*analysis.terms, *(f for g in analysis.groups for f in g),
             *(f for g in analysis.translations for f in g)]
    return [w for w in dict.fromkeys(words) if len(w) > 1 and not w.isdigit()]


def _common_prefix(a: str, b: str) -> int:
    """How many characters `a` and `b` begin with alike."""
    return sum(1 for _ in takewhile(lambda pair: pair[0] == pair[1], zip(a, b, strict=False)))


def column_fact(row: str, header: list[str], analysis: QuestionAnalysis,
                english: Callable[[str], str] = str) -> Fact | None:
    """For a question naming years, a table row's cells in those years' columns:
    "国际原子能机构  151  168  175" under "条约 | 2011 | 2016 | 2022" is 175 for 2022; the
    coordinator of working group 1 in 2022 is the 2022 cell of its row ("巴西"). `english`
    renders a cell that is a name. For a date question, the date in the column headed 日期:
    annex XXII's row of a programme of work prints the period it covers before the date it
    was issued. Asked which years, for a state named: the years of the cells that name it."""
    cells = re.split(r"\s{2,}", row.strip())
    columns = {int(m.group(1)): i for i, h in enumerate(header)
               if (m := re.match(r"((?:19|20)\d{2})(?!\d)", h))}
    if _ASKS_YEARS.search(analysis.text) and analysis.states and columns:
        # "秘鲁在哪些年份担任第 1 工作组协调员？": the years whose cell names the state.
        forms = {form for forms in analysis.states for form in forms}
        years = [year for year, i in sorted(columns.items()) if i < len(cells)
                 and cells[i] in forms]
        return Fact(zh="、".join(f"{year}年" for year in years),
                    en=", ".join(str(year) for year in years)) if years else None
    if analysis.qtype is QuestionType.DATE:
        dated = [i for i, h in enumerate(header) if "日期" in h]
        return _date(cells[dated[0]], analysis) if dated and dated[0] < len(cells) else None
    if not analysis.years or not columns:
        return _named_columns(cells, header, analysis, english)
    asked = [year for year in analysis.years if year in columns]
    figures = [cells[columns[year]] if columns[year] < len(cells) else "" for year in asked]
    if not asked:
        return None
    numeric = all(re.fullmatch(r"\d[\d,.]*%?", f) for f in figures)
    # A keyword query naming a row and its years ("…修正案 缔约国数 2011 2016 2022") asks
    # for the figures, as "how many" would.
    if analysis.qtype is QuestionType.NUMBER or (analysis.qtype is QuestionType.WHAT
                                                 and numeric):
        if not numeric:
            return None
        shown = figures
    elif analysis.qtype in (QuestionType.WHO, QuestionType.WHAT, QuestionType.LIST):
        if not all(re.search(r"[\u4e00-\u9fffA-Za-z]", f) for f in figures):
            return None  # "—": nobody that year
        shown = [english(f) for f in figures]
    else:
        return None
    if len(asked) == 1:
        return Fact(zh=figures[0], en=shown[0])
    return Fact(zh="；".join(f"{y}年：{f}" for y, f in zip(asked, figures, strict=True)),
                en="; ".join(f"{y}: {f}" for y, f in zip(asked, shown, strict=True)))


def _named_columns(cells: list[str], header: list[str], analysis: QuestionAnalysis,
                   english: Callable[[str], str]) -> Fact | None:
    """For a count or share, the row's figures in the columns whose headings the question
    names, in its words or (English) through their translations: "执行比例" under "| 立法 |
    执行" is the 执行 cell, "legislation and enforcement" both cells."""
    if analysis.qtype is not QuestionType.NUMBER or len(cells) != len(header):
        return None
    named = [i for i in headings_named(header, analysis) if not YEAR.fullmatch(header[i])]
    figures = [cells[i] for i in named]
    if not named or not all(re.match(r"\d[\d,.]*%?", f) for f in figures):
        return None
    if len(named) == 1:
        return Fact(zh=figures[0], en=figures[0])
    return Fact(zh="；".join(f"{header[i]}：{f}" for i, f in zip(named, figures, strict=True)),
                en="; ".join(f"{english(header[i])}: {f}"
                             for i, f in zip(named, figures, strict=True)))


def _frequency(sentence: str) -> Fact | None:
    """"不少于每季度一次" → "at least once a quarter"."""
    match = _FREQUENCY.search(sentence)
    if match is None:
        return None
    least, per, times = match.groups()
    count = chinese_numeral(times) if times else 1
    how_many = {1: "once", 2: "twice"}.get(count, f"{count} times")
    every = _PER_EN[per]
    english = every if every.startswith("every") and count == 1 else f"{how_many} {every}"
    return Fact(zh=match.group(0), en=f"at least {english}" if least else english)


def _period(sentence: str, analysis: QuestionAnalysis, anchor: int) -> Fact | None:
    """For "从何时到何时", "over what period": the span of dates nearest the anchor ("2017年
    1月1日至2018年12月31日"); for "until when": its end."""
    until = _ASKS_END.search(analysis.text)
    if not (until or _ASKS_PERIOD.search(analysis.text)):
        return None
    spans = []
    for match in _DATE_RANGE.finditer(sentence):
        year, month, day = (int(match.group(i)) for i in (1, 2, 3))
        end_year = int(match.group(4) or year)
        end_month = int(match.group(5) or month)
        try:
            spans.append((match.start(), dt.date(year, month, day),
                          dt.date(end_year, end_month, int(match.group(6)))))
        except ValueError:
            continue
    if not spans:
        return None
    _, start, end = min(spans, key=lambda span: abs(span[0] - anchor))
    if until:
        return Fact(zh=chinese_date(end), en=english_date(end))
    return Fact(zh=f"{chinese_date(start)}至{chinese_date(end)}",
                en=f"{english_date(start)} to {english_date(end)}")


def end_asked(question: str) -> str | None:
    """"latest" for "the most recent one", "最近"; "earliest" for "最早", "first"."""
    if _ASKS_LATEST.search(question):
        return "latest"
    if _ASKS_EARLIEST.search(question):
        return "earliest"
    return None


def at_the_end(question: str, dates: list[dt.date]) -> list[dt.date]:
    """"The most recent one", "最早": the last or first of `dates`; all of them when the
    question asks for neither."""
    end = end_asked(question)
    if dates and end:
        return [max(dates) if end == "latest" else min(dates)]
    return dates


def _is_day(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _date(sentence: str, analysis: QuestionAnalysis, anchor: int = 0) -> Fact | None:
    days = []
    for match in _FULL_DATE.finditer(sentence):
        with contextlib.suppress(ValueError):
            days.append((match.end(), dt.date(int(match.group(1)), int(match.group(2)),
                                                int(match.group(3)))))
    if days:
        # "the most recent one", "最早": a row of dates (a state's reports) has the answer
        # at one end; otherwise the first date printed after what the question names.
        dates = at_the_end(analysis.text, [day for _, day in days])
        day = dates[0] if len(dates) == 1 else \
            next((day for end, day in days if end > anchor), dates[0])
        return Fact(zh=chinese_date(day), en=english_date(day))
    match = _DAY_RANGE.search(sentence)
    year, month, first, last = (int(g) for g in match.groups()) if match else (0, 0, 0, 0)
    if match and first < last and _is_day(year, month, last):
        # "2019年6月12-13日": an event of two days or more, its days as printed.
        return Fact(zh=f"{year}年{month}月{first}日至{last}日",
                    en=f"{first}–{last} {MONTHS_EN[month - 1]} {year}")
    match = _YEAR_MONTH.search(sentence)
    if match and 1 <= int(match.group(2)) <= 12:
        year, month = int(match.group(1)), int(match.group(2))
        return Fact(zh=f"{year}年{month}月", en=f"{MONTHS_EN[month - 1]} {year}")
    match = _YEAR_PART.search(sentence)
    if match:
        year, part = match.groups()
        return Fact(zh=f"{year}年{part}", en=_YEAR_PART_EN[part].format(year))
    match = _MONTH_PART.search(sentence)
    if match and 1 <= int(match.group(1)) <= 12:
        # "每年5月底前": a time of every year, not a date.
        month, part = MONTHS_EN[int(match.group(1)) - 1], match.group(2)
        return Fact(zh=f"{int(match.group(1))}月{part}", en=_PART_EN[part].format(month))
    return None
