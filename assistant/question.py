"""Reading a question: its language, what kind of answer it wants, and what it names.

The extractive answerer scores sentences by this analysis (a count for "多少", a date for
"when", state names for "哪些国家"), and refuses when a sentence lacks what was named.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from enum import StrEnum

import opencc
from pydantic import BaseModel, ConfigDict, Field

from index.glossary import Glossary
from index.lexical import STOP_WORDS, tokenize
from index.lexicon import QUESTION_WORDS_EN, EnglishLexicon, content_words
from index.query_scope import ENUM_EN, ORDINAL_EN, enumeration_items, ordinals, without_places
from index.text import MONTHS_EN, SYMBOL_PATTERN, fold, is_chinese, month_number


class QuestionType(StrEnum):
    NUMBER = "number"
    DATE = "date"
    WHO = "who"
    WHERE = "where"
    LIST = "list"
    YES_NO = "yes_no"
    WHAT = "what"


# Chinese measure words: what a count is counted in ("23次", "几批", "多少架").
MEASURE_WORDS = "个份项次名位届家条种篇人国批架艘枚场轮所座台件笔"
# Checked in order: the first pattern that matches decides the type. "哪几项" asks which,
# not how many.
_TYPE_PATTERNS: list[tuple[QuestionType, re.Pattern[str]]] = [
    (QuestionType.NUMBER, re.compile(
        rf"多少|(?<!哪)几[{MEASURE_WORDS}年点]|比例|百分比|百分之|"
        r"\bhow (?:many|much)\b|\bnumber of\b|\bpercentage\b|\bwhat share\b|\bwhat proportion\b"
        r"|\bby how much\b|\bhow often\b|\b(?:total )?amount\b|数额|金额|总额|多少钱",
        re.IGNORECASE)),
    (QuestionType.DATE, re.compile(
        r"何时|什么时候|哪天|哪一天|哪日|何日|日期|哪一年|哪年|何年|多久|哪一?期间|什么期间|"
        r"\bwhen\b|\bwhat date\b|\bwhich date\b|\bwhat year\b|\bwhich year\b|\bby when\b"
        r"|\buntil when\b|\bwhat period\b|\bwhich period\b|\bhow long\b", re.IGNORECASE)),
    # "在哪几项措施上" asks which measures, not where.
    (QuestionType.WHERE, re.compile(r"哪里|何地|在哪(?![几些])|什么地方|\bwhere\b",
                                    re.IGNORECASE)),
    (QuestionType.LIST, re.compile(
        r"哪些|哪几|有哪|列出|\bwhich (?:\w+ ){0,2}(?:countries|states|organi[sz]ations|bodies"
        r"|members|ones|entities|areas|topics|themes|providers|documents)\b|\blist\b",
        re.IGNORECASE)),
    (QuestionType.WHO, re.compile(
        r"谁|哪个国家|哪一个国家|哪国|哪个组织|哪位|什么人|叫什么名字|"
        r"\bwho\b|\bwhom\b|\bwhich (?:country|state|organi[sz]ation|body|department)\b",
        re.IGNORECASE)),
    (QuestionType.YES_NO, re.compile(
        r"是否|有没有|能否|吗[？?]?$|^(?:is|are|was|were|did|does|do|has|have|can|will)\b",
        re.IGNORECASE)),
]
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_GLOSSED_NAME = re.compile(
    r"(?:\b[A-Z][\w'’-]*\s+){0,3}\b[A-Z][\w'’-]*\s*[（(]([\u4e00-\u9fff·]{2,})[)）]")
_POINT_TOKEN = re.compile(r"第?[一二三四五六七八九][点项条]?")
_SYMBOL = re.compile(SYMBOL_PATTERN)
_RESOLUTION = re.compile(r"(?<!\d)(\d{3,4})\s*\(\s*(\d{4})\s*\)")
# "几个", "多少次", "哪几": words that ask for the answer rather than name what it is about.
_ASKING = re.compile(r"^(?:几|多少|哪|什么|何)")
_EN_DATE = re.compile(rf"(?:(\d{{1,2}})\s+)?({'|'.join(MONTHS_EN)}),?\s+(\d{{4}})",
                      re.IGNORECASE)
# Words of the question that say what kind of answer is wanted, not what it is about.
_QUESTION_WORDS = frozenset((
    "多少", "几", "哪些", "哪个", "哪", "什么", "何时", "什么时候", "哪天", "谁",
    "是否", "如何", "怎样", "为什么", "呢", "吗", "根据", "据", "请问", "分别",
    "提到", "所述", "所列", "期间", "这个", "这些", "那个", "那些", "它们", "该国",
    *QUESTION_WORDS_EN,
))


class QuestionAnalysis(BaseModel):
    """What a question asks for and what it names."""

    model_config = ConfigDict(extra="forbid")

    text: str
    language: str = Field(description="zh | en")
    qtype: QuestionType
    years: list[int] = Field(default_factory=list)
    states: list[list[str]] = Field(
        default_factory=list, description="Each state named, as its Chinese forms.")
    symbols: list[str] = Field(default_factory=list)
    resolutions: list[str] = Field(default_factory=list, description="e.g. 1540(2004)")
    ordinals: list[str] = Field(
        default_factory=list, description="Which one of a series: 第十四 for 第十四个工作方案 or "
                                          "the fourteenth programme of work.")
    terms: list[str] = Field(default_factory=list,
                             description="Content tokens (Chinese forms for English words).")
    groups: list[list[str]] = Field(
        default_factory=list, description="Each glossary entry named, as its Chinese forms.")
    translations: list[list[str]] = Field(
        default_factory=list, description="For each English word the glossary lacks, the "
                                          "Chinese words of the records that translate it.")
    untranslated: list[str] = Field(
        default_factory=list, description="English content words with no translation in the "
                                          "records at all: a sign the records are silent.")
    focus: list[list[str]] = Field(
        default_factory=list, description="What a follow-up put in place of the previous "
                                          "question's year, state, term or number, each as "
                                          "the forms a record may write it in.")


def _maximal(tokens: list[str]) -> list[str]:
    """Tokens that are not part of a longer token of the same question ("茨瓦纳" in
    "博茨瓦纳", "3" in "2020-03"): each thing named counts once. A number is part of another
    token only as a whole figure: the "2" of "working group 2" is not in "2022"."""
    dated = any(re.fullmatch(r"\d{4}-\d{2}(?:-\d{2})?", t) for t in tokens)

    def within(t: str, other: str) -> bool:
        if t == other or t not in other:
            return False
        return not t.isdigit() or int(t) in {int(n) for n in re.findall(r"\d+", other)}

    return [t for t in tokens
            if not any(within(t, other) for other in tokens)
            and not (dated and re.fullmatch(r"\d{1,2}[月日]", t))]


def english_dates(text: str) -> str:
    """"3 October 2018" → "2018年10月3日", "March 2020" → "2020年3月": the records' form."""
    out = []
    for day, month, year in _EN_DATE.findall(text):
        m = month_number(month)
        out.append(f"{year}年{m}月{int(day)}日" if day else f"{year}年{m}月")
    return " ".join(out)


# The words that ask ("多少", "哪个", "how many", "which"): where a question asks, and how often.
ASKS = re.compile(r"多少|几|何时|哪些|哪个|哪天|谁|什么|是否|\b(?:how many|how much|when|which|"
                  r"who|what|where)\b", re.IGNORECASE)
# "哪个国家……？", "which country": the answer is a state.
ASKS_COUNTRY = re.compile(r"哪个国家|哪一个国家|哪国|\bwhich (?:country|state)\b", re.IGNORECASE)


_PART_BREAK = re.compile(r"[？?；;]|，其中|,? and (?=how|what|when|which|who|where|by how)",
                         re.IGNORECASE)


# Words that ask what a sentence is, beyond `ASKS`: "how is his name rendered", "如何表述".
_HOW = re.compile(r"怎么|怎样|如何|\bhow\b", re.IGNORECASE)
# What a question takes as given before it asks: a sentence, or a clause reporting what a
# document says ("The 2018 review names Raphael Prenat of France as coordinator of the
# Group of Experts. Until what date did he serve …?", "2020 年主席通报提到委员会应邀访问了
# 科威特，S/2022/899 附件十九记录的访问日期和地点是什么？").
_PREMISE = re.compile(
    r"(?P<premise>[^？?]+?(?:[。；;]|(?<=[A-Za-z)\d])\.\s+)"
    r"|[^，,？?]*(?:提到|(?<![名被简堪号])称|说(?!明)|指出|表示)[^，,？?]*[，,]\s*)(?P<asked>.+)")


def asks(text: str) -> bool:
    """Whether the text asks something."""
    return bool(ASKS.search(text) or _HOW.search(text))


def premise_of(text: str) -> str:
    """The premise a question opens with (`_PREMISE`), or "" when it asks from the start."""
    match = _PREMISE.fullmatch(text.strip())
    return match.group("premise") if match and not asks(match.group("premise")) else ""


def clauses(text: str) -> list[str]:
    """The question cut where a new question may begin: at question marks and semicolons,
    "，其中", ", and how …"."""
    return [c for p in _PART_BREAK.split(text) if (c := p.strip(" ,，"))]


def question_parts(text: str) -> list[str]:
    """"多少项答复？其中多少项来自……？", "How many …, and how many of them …?": each thing
    asked, in order (the question itself when it asks one thing)."""
    parts = [p for p in clauses(text) if ASKS.search(p)] or [text]
    # "When and where did …?", "何时何地": question words asked together are one part.
    merged: list[str] = []
    for part in parts:
        if merged and _ONLY_ASKING.fullmatch(merged[-1].strip(" ,，、")):
            merged[-1] = f"{merged[-1]} and {part}" if language_of(part) == "en" \
                else f"{merged[-1]}{part}"
        else:
            merged.append(part)
    return merged


_QUOTED = re.compile(r"[“「『\"]([^”」』\"]{2,30})[”」』\"]")
_ONLY_ASKING = re.compile(r"(?:how|when|where|who|which|what|why|何时|何地|哪里|谁)", re.IGNORECASE)


def asks_several(text: str) -> bool:
    """"多少项活动？占多大比例？": more than one thing asked, so one sentence may not do."""
    return text.count("？") + text.count("?") >= 2 or len(ASKS.findall(text)) >= 2


# Terminal escapes: CSI sequences (colours, cursor moves), OSC sequences (window titles,
# hyperlinks) with their payload, and the other two-character escapes.
_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]")
# Control characters, invisible direction marks and lone surrogates (pasted from a broken
# UTF-16 source): nothing a question is made of.
_INVISIBLE = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]")
MAX_QUESTION_CHARS = 1000


def clean_question(text: str) -> str:
    """The question without terminal escapes, control characters or direction marks."""
    return _INVISIBLE.sub("", _ANSI.sub("", text)).strip()


# Full-width Latin letters and digits ("２０１９", "ＢＷＣ") and the ideographic space, folded
# to the forms the records print; Chinese punctuation (，？（）) stays as typed.
_FULL_WIDTH = {code: code - 0xFEE0 for code in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B),
                                                *range(0xFF41, 0xFF5B)]} | {0x3000: 0x20}


@functools.cache
def _to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s.json")


def in_records_script(text: str) -> str:
    """The question in the script the records are written in: traditional characters as
    simplified ("委員會" → "委员会", through OpenCC's dictionaries), full-width digits and
    letters as ASCII. Simplified text and English come back unchanged."""
    return _to_simplified().convert(text.translate(_FULL_WIDTH))


def _unglossed(text: str) -> str:
    """An English question without the romanised names it glosses in Chinese: in "Lü
    Xiaodong (吕晓东)" the name to look for is 吕晓东; "Xiaodong" is in no record."""
    return _GLOSSED_NAME.sub(r"\1", text)


def years_named(text: str) -> list[int]:
    """The years a folded text names, a resolution's year aside ("1540(2004)")."""
    return [int(y) for y in _YEAR.findall(_RESOLUTION.sub(" ", text))]


def focus_of(text: str, glossary: Glossary | None, lexicon: EnglishLexicon | None = None
             ) -> list[list[str]]:
    """What a follow-up's own words name ("2021年", "Lesotho", "非洲集团", "the 7th"), each
    as the forms a record may write it in: a year, a state, a glossary term, a number."""
    named = analyse(text, glossary, lexicon)
    numbers = [[t] for t in named.terms if t.isdigit() and int(t) not in named.years]
    return [[str(y)] for y in named.years] + named.states + \
        [g for g in named.groups if g not in named.states] + numbers


def language_of(text: str) -> str:
    return "zh" if is_chinese(text) else "en"


# A request for material rather than for one fact: "给我几条……的要点", "a few talking
# points about …", "what I should know about …, for a briefing".
_MATERIAL = re.compile(
    r"要点|简报(?!会)|\bfor a briefing\b|\b(?:talking|bullet|key) points\b"
    r"|\bkey (?:facts|figures)\b|\bshort list\b", re.IGNORECASE)
# "给我几条", "列出几点": a few, not how many.
_A_FEW = re.compile(r"(?:给我|列出|列举|提供|谈谈|说说)几[条点]|\ba few\b", re.IGNORECASE)


def asks_for_material(text: str) -> bool:
    """Whether the question asks for points on a subject (a briefing's material), not for
    one fact: answered with the several sentences that bear on it."""
    return bool(_MATERIAL.search(text))


# "Did the number of … go up?", "How did the number of … compare with …?": whether or how
# a figure changed, not the figure (unless "how many" asks for it too).
_WHETHER = re.compile(r"^\s*(?:(did|does|do|has|have|had|is|are|was|were)|how (?:did|does|has|"
                      r"have|do))\b(?!.*\b(?:how (?:many|much)|what|which|when)\b)",
                      re.IGNORECASE)


def question_type(text: str) -> QuestionType:
    text = _A_FEW.sub(" ", text)
    if whether := _WHETHER.search(text):
        return QuestionType.YES_NO if whether.group(1) else QuestionType.WHAT
    for qtype, pattern in _TYPE_PATTERNS:
        if pattern.search(text):
            return qtype
    return QuestionType.WHAT


# "Which department provides …?": the noun asked for, whose instances answer.
_ASKED_NOUN = re.compile(r"\b(?:which|what)\s+(?:other\s+)?([a-z]+)", re.IGNORECASE)


def _add_names(word: str, names: list[str], translations: list[list[str]],
               untranslated: list[str], lexicon: EnglishLexicon | None) -> None:
    """`names` (of the kind `word` asks for) meet `word` too: they join its translations,
    or stand for it when it has none. "Which department provides the Secretary?" is answered
    by "政治和建设和平事务部……担任委员会秘书", which has no word for "department"."""
    if not names:
        return
    own = sorted(lexicon.chinese(word)) if lexicon is not None else []
    # A group is the word's translations, then the word as an English record prints it.
    group = next((g for g in translations if own and g[:len(own)] == own), None)
    if group is not None:
        group.extend(n for n in names if n not in group)
    elif word in untranslated:
        untranslated.remove(word)
        translations.append(names)


# "除会员国执行情况这一核心主题外，还将述及哪三个主题？", "除访问马里外", "apart from
# member States, which other …".
_SET_ASIDE = re.compile(r"除了?[^，,？?]{1,40}?(?:之)?外[，,]?"
                        r"|\b(?:apart from|other than|except(?: for)?|besides)\s+[^,?]+?"
                        r"(?:,\s*|\s+(?=which|what|who|how|when))", re.IGNORECASE)


def analyse(question: str, glossary: Glossary | None = None,
            lexicon: EnglishLexicon | None = None) -> QuestionAnalysis:
    text = question.strip()
    folded = fold(text)
    spaced = unicodedata.normalize("NFKC", text)
    language = language_of(text)
    # What the question sets aside is not what it asks for: its words are not looked for,
    # though a state it names still is (the row about Mali is not the answer).
    aside = _SET_ASIDE.search(text)
    kept = f"{text[:aside.start()]} {text[aside.end():]}" if aside else text
    # "给我几条……的要点", "key facts … for a briefing" say what kind of answer is wanted.
    kept = _MATERIAL.sub(" ", _A_FEW.sub(" ", kept))
    plain = _unglossed(kept) if language == "en" else kept
    expanded = glossary.expand_query(plain) if glossary else None
    states: list[list[str]] = []
    # Each glossary entry named is one group of equivalent forms, whatever the form used.
    groups: list[list[str]] = []
    if glossary is not None:
        entries = glossary.find(text)
        asked = {id(e) for e in glossary.find(kept)} if aside else {id(e) for e in entries}
        for entry in entries:
            forms = [f for f in entry.chinese_forms if "(" not in f]
            if entry.is_state and forms and forms not in states:
                states.append(forms)
            if forms and forms not in groups and (entry.is_state or id(entry) in asked):
                groups.append(forms)
    searched = f"{without_places(expanded.text if expanded else plain)} {english_dates(text)}"
    tokens = [t for t in dict.fromkeys(tokenize(searched))
              if (t not in STOP_WORDS and t not in _QUESTION_WORDS and len(t) > 1) or t.isdigit()]
    terms = [t for t in _maximal(tokens)
             if not any(t in form for forms in groups for form in forms)
             and not _ASKING.match(t)]
    untranslated: list[str] = []
    translations: list[list[str]] = []
    if language == "en":
        covered = " ".join(expanded.matched).lower() if expanded else ""
        # "second suggestion" is the point 二是 (a group below), not 第二次 or 建议.
        covered += " " + " ".join(m.group(0).lower() for m in ENUM_EN.finditer(plain))
        if lexicon is not None:
            translations, untranslated = lexicon.translate(plain, covered, keep_source=True)
        else:
            untranslated = [w for w in content_words(plain) if w not in covered]
        if glossary is not None and (asked := _ASKED_NOUN.search(plain)):
            _add_names(asked.group(1).lower(), glossary.headed_by(asked.group(1)),
                       translations, untranslated, lexicon)
        terms = [t for t in terms if not re.fullmatch(r"[a-z]+(?:'s?)?", t)]
        # "fourteenth" is met by 第十四, which is a term below.
        untranslated = [w for w in untranslated if not ORDINAL_EN.fullmatch(w)]
    found_ordinals = ordinals(text)
    terms += [o for o in found_ordinals if o not in terms]
    # A name in quotation marks ("类别为“其他区域活动”的") is looked for as printed, whole.
    for quoted in _QUOTED.findall(text):
        name = fold(quoted)
        if is_chinese(name) and [name] not in groups:
            terms = [t for t in terms if t not in name]
            groups.append([name])
    points = enumeration_items(text)
    if points:
        # "第一点" is met by "一是……", not by the tokens 第一点, 一点 (nor 第一: "第一次").
        terms = [t for t in terms if not _POINT_TOKEN.fullmatch(t)]
        groups += [[point] for point in points]
    return QuestionAnalysis(
        text=text, language=language, qtype=question_type(text),
        # "S/2022/899" and "1540(2004)" name documents and resolutions, not years asked about.
        # Whitespace kept: "2011 2016 2022" are three years, not one run of digits, and
        # "S/PRST/2024/6 points" ends its symbol where its words begin.
        years=sorted(set(years_named(_SYMBOL.sub(" ", _RESOLUTION.sub(" ", spaced))))),
        states=states, symbols=list(dict.fromkeys(_SYMBOL.findall(spaced))),
        resolutions=[f"{a}({b})" for a, b in dict.fromkeys(_RESOLUTION.findall(folded))],
        ordinals=found_ordinals,
        terms=terms, groups=groups, translations=translations, untranslated=untranslated,
    )
