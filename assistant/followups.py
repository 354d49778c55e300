"""Follow-up questions read against the conversation so far, without a language model.

Two shapes cover what delegates type:

* ellipsis — "那 2018 年呢？", "And Mongolia?", "非洲集团呢？", "And working group 3?": the
  previous question is asked again with the new year, state, term or number put in place of
  the old one (a term replaces the one of its kind most like it: 非洲集团 for 西欧和其他国
  家集团; a number the one after the same word); anything else the follow-up names is
  added to it;
* reference — "它们是哪些国家？", "When was the most recent one?": a full question of its own
  whose "it"/"they" point back, so it is searched together with the previous question, and
  the previous question's terms help rank what is found. When the previous question asked
  which country and its answer quoted one ("它请求的是什么援助？" after "哪个国家……？"), the
  pronoun is replaced by that country's name.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

from assistant.question import (
    ASKS,
    ASKS_COUNTRY,
    MEASURE_WORDS,
    analyse,
    language_of,
    premise_of,
)
from index.glossary import Glossary, GlossaryEntry
from index.lexical import tokenize

_ELLIPSIS_ZH = re.compile(r"^(?:那么?|那|还有|另外)?\s*(?P<rest>.{1,30}?)\s*呢\s*[？?]?\s*$")
_ELLIPSIS_EN = re.compile(
    r"^(?:and|what about|how about|and what about|and for|and in|what of)\b\s*(?P<rest>.{0,60}?)"
    r"\s*[?？]?\s*$", re.IGNORECASE)
_REFERENCE = re.compile(
    r"它们|它|他们|他|她|其|该|这个|这些|那个|那些|上述|此|"
    r"\b(?:it|its|they|them|their|those|these|this|that|ones?|he|she|his|her)\b",
    re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
# A question asking which state, and the words a follow-up uses for that state.
_STATE_PRONOUN = re.compile(r"该国|它|\b(?:it|its|they|their)\b", re.IGNORECASE)
_YEAR_PHRASE_ZH = re.compile(r"(?<!\d)(?:19|20)\d{2}\s*年")
# "多少个", "几项": what follows is what is counted.
_COUNTED_ZH = re.compile(rf"(?:多少|几)\s*[{MEASURE_WORDS}]\s*")
# "working group 3", "工作组3": a thing and its number.
_NUMBERED = re.compile(r"([A-Za-z]{3,}|[\u4e00-\u9fff]{2,})\s*(\d{1,3})(?!\d)")


class Resolved(BaseModel):
    """A follow-up as understood: the question to answer, what to search, and the terms of
    the earlier turn that may help rank (but are not required). A question that opens with
    a premise ("The 2018 review names Raphael Prenat … Until what date did he serve?") is
    read the same way: the premise is its context, and `premise + question` the whole."""

    model_config = ConfigDict(extra="forbid")

    question: str
    search: str
    context: str = ""
    is_followup: bool = False
    premise: str = ""
    # What an elliptical follow-up names in place of the previous question's year, state,
    # term or number ("2021年" of "那2021年呢？"): the answer must be about it.
    focus: str = ""


def resolve(question: str, history: list[str], glossary: Glossary | None = None,
            replies: list[str] | None = None, *, continues: bool = False) -> Resolved:
    """`history` holds the earlier questions as resolved, oldest first; `replies` the
    answers they got, where a reference to "that country" finds which one it was.
    `continues`: the question is a later part of the one before it, so it is about what
    that part is about even where it names nothing of it ("到2019年还剩几个？")."""
    question = question.strip()
    if not history or premise_of(question):
        # A question that opens with its own premise ("The 2018 review names Raphael
        # Prenat … Until what date did he serve?") carries its context: "he" is in it.
        return _asked(question)
    previous = history[-1]
    reply = replies[len(history) - 1] if replies and len(replies) >= len(history) else ""
    named = _the_state_answered(previous, reply, glossary)
    if named is not None and (pronoun := _STATE_PRONOUN.search(question)):
        # "它请求的是什么援助？" after "哪个国家……？", answered 伯利兹: 伯利兹请求的是什么援助？
        english = language_of(question) == "en"
        name = named.en if english else named.zh
        if english and pronoun.group(0).lower() in ("its", "their"):
            name += "'s"
        resolved = f"{question[:pronoun.start()]}{name}{question[pronoun.end():]}"
        return Resolved(question=resolved, search=resolved, context=previous,
                        is_followup=True)
    ellipsis = _ELLIPSIS_ZH.match(question) or _ELLIPSIS_EN.match(question)
    if ellipsis:
        rest = ellipsis.group("rest").strip(" ,，")
        resolved = _substitute(previous, rest, glossary)
        return Resolved(question=resolved, search=resolved, is_followup=True,
                        focus=rest if resolved != previous else "")
    if continues or _REFERENCE.search(question) or len(question) <= 12:
        return Resolved(question=question, search=f"{question} {previous}",
                        context=previous, is_followup=True)
    return _asked(question)


def _asked(question: str) -> Resolved:
    """A question of its own, less the premise it may open with."""
    premise = premise_of(question)
    if not premise:
        return Resolved(question=question, search=question)
    return Resolved(question=question[len(premise):].strip(), search=question,
                    context=premise, premise=premise)


def _the_state_answered(previous: str, reply: str,
                        glossary: Glossary | None) -> GlossaryEntry | None:
    """The one state the answer to a "which country" question quotes first, if any."""
    if glossary is None or not reply or not ASKS_COUNTRY.search(previous):
        return None
    quote = next((line[2:] for line in reply.splitlines() if line.startswith("> ")), "")
    states = {e.zh: e for _, e in glossary.find_chinese(quote) if e.is_state}
    return next(iter(states.values())) if len(states) == 1 else None


def _first_state(text: str, glossary: Glossary | None) -> GlossaryEntry | None:
    if glossary is None:
        return None
    return next((e for e in glossary.find(text) if e.is_state), None)


def _swap_term(previous: str, rest: str, glossary: Glossary) -> str:
    """"非洲集团呢？" after a question on 西欧和其他国家集团, "And for chemical weapons?" after
    one on nuclear weapons: the named term takes the place of the previous question's term
    of the same kind that is most like it (shares the most characters or words)."""
    found = [(e.en, e) for e in glossary.find_english(rest)] + glossary.find_chinese(rest)
    typed, new = next(((form, e) for form, e in found if not e.is_state), ("", None))
    # Only when the follow-up names the term and nothing else ("And for chemical weapons?");
    # "And which regional organizations did it work with?" is a question of its own.
    if new is None or re.search(r"[^\W\d]", re.sub(
            rf"(?i){re.escape(typed)}s?|\b(?:for|in|of|on|about|the|with)\b", "", rest)):
        return previous
    english = language_of(previous) == "en"
    olds = [(form, e) for e in glossary.find_english(previous) for form in e.english_forms
            if re.search(re.escape(form), previous, re.IGNORECASE)] if english else \
        [(form, e) for form, e in glossary.find_chinese(previous) if form in previous]
    olds = [(form, e) for form, e in olds if e.kind == new.kind and e is not new]
    if not olds:
        return previous

    def likeness(entry: GlossaryEntry) -> int:
        words = set(new.en.lower().split()) & set(entry.en.lower().split())
        return len(set(new.zh) & set(entry.zh)) + len(words)

    # Alike or not, the term nearest what is asked ("联络人通知数目……多少", not the
    # "全面审查摘要中" that says where) is the one replaced.
    asked = ASKS.search(previous)
    at = asked.start() if asked else len(previous)
    form, old = max(olds, key=lambda pair: (likeness(pair[1]), -abs(
        previous.lower().find(pair[0].lower()) - at)))
    if not likeness(old) and _COUNTED_ZH.search(previous):
        # Nothing alike ("国际组织呢？" after "……多少个国家提交了第一次报告？"): the new
        # term is what is now counted (`_swap_counted`).
        return previous
    # As the delegate wrote it when the languages agree ("非洲集团"), else the official form.
    name = new.en if english else (typed if language_of(rest) == "zh" else new.zh)
    # "非正式会议呢？" after "多少次正式会议": the longest end of the new name that the
    # question already has is what it replaces, not just "会议".
    form = next((name[k:] for k in range(len(name)) if form in name[k:]
                 and name[k:].lower() in previous.lower()), form)
    return re.sub(re.escape(form), name, previous, count=1, flags=re.IGNORECASE)


def _substitute(previous: str, rest: str, glossary: Glossary | None) -> str:
    """The previous question with the follow-up's year, state or term in place of its own."""
    if not rest:
        return previous
    new_years = _YEAR.findall(rest)
    result = previous
    leftover = rest
    if new_years and _YEAR.search(previous):
        old_years = list(dict.fromkeys(_YEAR.findall(previous)))
        for old, new in zip(old_years, new_years + new_years[-1:] * len(old_years), strict=False):
            result = result.replace(old, new)
        leftover = _YEAR_PHRASE_ZH.sub("", leftover)
        leftover = _YEAR.sub("", leftover)
    for match in _NUMBERED.finditer(rest):
        # "And working group 3?" after "… working group 1 …": the same thing, numbered anew.
        word, number = match.groups()
        numbered = re.compile(rf"((?<![A-Za-z]){re.escape(word)}\s*)\d{{1,3}}(?!\d)",
                              re.IGNORECASE)
        if numbered.search(result):
            result = numbered.sub(lambda m, n=number: m.group(1) + n, result, count=1)
            # Words the question already has add nothing: "working" of "working group 3".
            leftover = leftover.replace(match.group(0), " ")
            leftover = " ".join(w for w in leftover.split() if w.lower() not in result.lower())
    new_state = _first_state(rest, glossary)
    old_states = analyse(previous, glossary).states if glossary else []
    if new_state is not None and old_states and glossary is not None:
        # Named the way the previous question names things, so it reads as one language.
        name = new_state.en if language_of(previous) == "en" else new_state.zh
        for forms in old_states:
            for form in sorted(forms, key=len, reverse=True):
                if form in result:
                    result = result.replace(form, name)
                    break
        for entry in glossary.find_english(previous):
            if entry.is_state:
                result = re.sub(re.escape(entry.en), name, result, flags=re.IGNORECASE)
        leftover = ""
    elif glossary is not None and (swapped := _swap_term(result, rest, glossary)) != result:
        result, leftover = swapped, ""
    leftover = re.sub(r"^(?:in|for|of|that year|the)\b|\bthat year\b", "", leftover.strip(),
                      flags=re.IGNORECASE).strip(" ,，")
    if leftover and not re.fullmatch(r"[\W\d]*", leftover):
        result = _swap_counted(result, leftover, glossary) or f"{result} {leftover}"
    return result


def _swap_counted(previous: str, noun: str, glossary: Glossary | None) -> str | None:
    """"国际和区域组织呢？" after "……有多少个会员国作了发言？": the new noun is what is now
    counted ("有多少个国际和区域组织作了发言？"). The old one is the glossary term right after
    the measure word, else the word there. None when the follow-up is not read so."""
    counted = _COUNTED_ZH.search(previous)
    if counted is None or not re.fullmatch(r"[\u4e00-\u9fff]{2,}", noun):
        return None
    if noun[-2:] in previous:
        # "更新报告呢？" after "……多少个国家提交了第一次报告？": the thing of its kind
        # (报告) is what it replaces, not what is counted.
        alike = [form for form, _ in (glossary.find_chinese(previous) if glossary else [])
                 if form.endswith(noun[-2:])]
        return previous.replace(max(alike, key=len), noun, 1) if alike else None
    tail = previous[counted.end():]
    terms = [form for form, _ in glossary.find_chinese(tail) if tail.startswith(form)] \
        if glossary is not None else []
    words = [w for w in tokenize(tail) if tail.startswith(w) and len(w) > 1]
    old = max(terms or words, key=len, default="")
    return f"{previous[:counted.end()]}{noun}{tail[len(old):]}" if old else None
