"""The default answerer: quotes the records, needs no language model, runs in milliseconds.

It reads the question (`assistant.question`), splits the retrieved passages into sentences
and rows (`index.units`), and describes each one by general features: how much of what
the question names it holds (terms weighted by how rare they are in the records), whether
its passage holds the rest, how high the passage ranked (and its dense score), whether it
holds the kind of thing asked for (a count, a date, a state for "which country", a list of
states for "哪些国家") and whether the question's year, state and document constraints are
met. The learned ranker (`assistant.ranker`) turns those into the probability that the unit
answers; below its threshold, the question is refused. The best unit is quoted, with the
figure or date it gives stated first (one for each thing asked).
A question that asks one thing gets that one quote, with the sentence after it when that
is the next best; one that asks several things also gets a unit that adds what the first
lacks. When no unit holds what the question names (a year, a state, its key terms), the
answer says the records do not say.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from assistant.answers import Answer, Citation
from assistant.computations import difference
from assistant.document_facts import document_fact
from assistant.facts import (
    MONTHS_EN,
    Fact,
    column_fact,
    counted_phrase,
    direct_fact,
    named_tokens,
)
from assistant.grounding import PRINTED_SYMBOL
from assistant.question import (
    ASKS_COUNTRY,
    QuestionAnalysis,
    QuestionType,
    analyse,
    asks_for_material,
    asks_several,
    question_parts,
    years_named,
)
from assistant.ranker import Ranker
from assistant.render import compose, in_english, refusal
from assistant.table_counts import counted_rows, extreme_row, table_of
from index.glossary import Glossary, GlossaryEntry
from index.lexical import tokenize
from index.lexicon import EnglishLexicon
from index.passages import Passage
from index.query_scope import QueryScope, english_ordinal
from index.text import chinese_numeral, fold, to_chinese_numeral
from index.units import Unit, following, units_of

# A date as the Chinese records print it, or as an English record does ("30 September 2027",
# "September 2027").
_DATE = re.compile(r"\d{4}\s*年|\d{1,2}\s*月\s*(?:\d{1,2}\s*日|底|末|初|[上中下]旬)"
                   rf"|\b(?:\d{{1,2}}\s+)?(?:{'|'.join(MONTHS_EN)})\s+\d{{4}}\b")
_FACT = re.compile(r"\d")
# A date that says when, not only which year: "2016年12月", "2015年2月1日".
_FULL_DATE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月")
_YEAR_TOKEN = re.compile(r"(?:19|20)\d{2}年")
# "……叫什么名字", "what is the name of": only a sentence that names a person answers.
_ASKS_NAME = re.compile(r"名字|姓名|\bwhat (?:is|was) (?:the|his|her) name\b|\bnamed?\?",
                        re.IGNORECASE)
# A person as the records print one: "迪安·特里安夏·查尼", "Raphael Prenat", a signature.
# (A Chinese name has no mark to tell it: "钱宁大使" is not taken for a name asked.)
_PERSON = re.compile(r"[\u4e00-\u9fff]{1,6}·[\u4e00-\u9fff]{1,8}|[A-Z][a-z]+ [A-Z][A-Za-z]+"
                     r"|\(签名\)")
# "文件编号是什么", "what is the document symbol": only a sentence printing one answers.
_ASKS_SYMBOL = re.compile(r"文号|文件编号|文件号|文件符号|\bsymbol\b", re.IGNORECASE)
# "几点建议", "how many suggestions": a count of the numbered points of a statement.
_ASKS_POINTS = re.compile(r"几点|多少点|几项建议|几条建议|\bhow many (?:suggestions|points|"
                          r"proposals)\b", re.IGNORECASE)
_POINT = re.compile(r"([一二三四五六七八九])是")
# "哪些国家", "which countries": a list of states is the answer.
_ASKS_STATES = re.compile(r"哪些(?:会员)?国家|哪几个国家|哪些会员国|国家(?:有|是)哪些|"
                          r"\bwhich (?:\w+ ){0,2}(?:countries|states|member states)\b",
                          re.IGNORECASE)
_FOOTNOTE = re.compile(r"脚注|\bfoot-?notes?\b", re.IGNORECASE)
# What a question asks for, and what a sentence must then hold.
_WANTED = ((_ASKS_NAME, _PERSON), (_ASKS_SYMBOL, PRINTED_SYMBOL))
# Quotes in an answer to a question that asks several things ("分别", two years, two
# questions) and is not a list of rows: the best sentence and one that adds what it lacks.
# A question asking one thing gets one quote (and the sentence after it, when that is the
# next best). When this was set (2026-11-24, with the figures scored as whole figures and
# a wrong direct answer scored wrong), the gold set gave: up to 2 quotes for every
# question, accuracy 0.852 and citation precision 0.894; 1 for every question, 0.830 and
# 0.924; 2 only for questions asking several things, 0.845 and 0.920.
MAX_QUOTES = 2
_RESPECTIVELY = re.compile(r"分别|各自|\b(?:respectively|each|both)\b", re.IGNORECASE)
# "from 2016 to 2022", "从 2016 年的多少增加到了多少": one span or change, not two things asked.
_SPAN = re.compile(r"(?:从|自).{0,16}?(?:到|至)|\bfrom\b.{0,30}?\bto\b|\bbetween\b.{0,30}?\band\b",
                   re.IGNORECASE)
# Score kept by a unit outside the annexes or paragraphs a question names.
OUTSIDE_SCOPE = 0.7
# What an English word's translations weigh against a name the glossary knows, which says
# exactly what is asked ("chemical weapons"). When this was set (2026-11-24), answer
# accuracy on the gold set was 0.838 at 0.5, 0.838 at 0.6, 0.841 at 0.7, 0.838 at 0.8 and
# 0.834 at 1.0.
TRANSLATION_WEIGHT = 0.7
# Of a sentence's score, the share given to what it says itself rather than through its
# document's title or its table's headings. When this was set (2026-11-24), the gold set
# gave: 0, accuracy 0.852 and citation precision 0.770; 0.2, 0.849 and 0.791; 0.3, 0.841
# and 0.801.
OWN_SHARE = 0.2
# What each state a sentence lists (up to four) adds for "哪些国家". When this was set
# (2026-11-24), the gold set gave citation precision 0.910 without it and 0.926 at 0.03,
# 0.05 and 0.08 alike (accuracy 0.860 throughout).
LISTED_STATE_BONUS = 0.05
KEY_SHARE = 0.5  # a term carrying this share of what the question names must be in the passage
# The points a request for briefing material gets: what a note's section holds.
MATERIAL_POINTS = 5
MAX_LIST_ROWS = 12  # "附件二列出了哪些国家？": every row that answers, not just three


@dataclass
class Scored:
    unit: Unit
    score: float
    coverage: float
    passage_coverage: float
    matched: set[str]
    constraints_ok: bool
    type_ok: bool
    features: dict[str, float] = field(default_factory=dict)
    # Where the unit ranks among its question's units (higher first); `score` is the
    # probability that it answers.
    order: float = 0.0


class ExtractiveAnswerer:
    """Scores sentences and rows of retrieved passages; answers with verbatim quotes."""

    def __init__(self, passages: Iterable[Passage], glossary: Glossary | None = None,
                 lexicon: EnglishLexicon | None = None, min_coverage: float = 0.4,
                 ranker: Ranker | None = None,
                 document_frequencies: tuple[Mapping[str, int], int] | None = None) -> None:
        """`document_frequencies`: in how many of the passages each token occurs, and how
        many there are (`HybridRetriever.document_frequencies` keeps them per index);
        counted here when not given."""
        self.glossary = glossary
        self.min_coverage = min_coverage
        self.ranker = ranker
        counted: Counter[str] = Counter()
        total = 0
        texts: dict[str, list[str]] = {}
        self._tables: dict[str, list[Passage]] = {}  # a table's row passages, in order
        self._documents: dict[str, list[Passage]] = {}  # a document's passages, in order
        for passage in passages:
            self._documents.setdefault(passage.doc_id, []).append(passage)
            if table := table_of(passage):
                self._tables.setdefault(table, []).append(passage)
            if document_frequencies is None:
                counted.update(set(tokenize(passage.search_text)))
            texts.setdefault(passage.doc_id, []).append(passage.search_text)
            total += 1
        for rows in self._tables.values():
            rows.sort(key=lambda p: p.numbers[:1])
        df, total = document_frequencies or (counted, total)
        self._doc_text = {doc_id: fold("\n".join(parts)) for doc_id, parts in texts.items()}
        self._idf = {t: math.log(1 + (total - n + 0.5) / (n + 0.5)) for t, n in df.items()}
        self._default_idf = math.log(1 + (total + 0.5) / 0.5)
        self.lexicon = lexicon or EnglishLexicon.for_vocabulary(df)
        self._titles: dict[str, str] = {}
        self._doc_tokens: dict[str, set[str]] = {}

    def _document_tokens(self, doc_id: str) -> set[str]:
        if doc_id not in self._doc_tokens:
            self._doc_tokens[doc_id] = set(tokenize(self._titles.get(doc_id, "")))
        return self._doc_tokens[doc_id]

    @property
    def untranslated_weight(self) -> float:
        return 0.6 * self._default_idf

    def idf(self, term: str) -> float:
        return self._idf.get(term, self._default_idf)

    def answer(self, analysis: QuestionAnalysis, passages: list[Passage],
               scope: QueryScope | None = None, titles: dict[str, str] | None = None,
               extra_terms: Iterable[str] = (),
               closeness: Mapping[str, float] | None = None) -> Answer:
        """Answer from `passages` (best first). `extra_terms` come from the conversation:
        they help rank units but are not required of them. `closeness` is how close in
        meaning each unit is to the question (`Reading.closeness`)."""
        if own := document_fact(analysis, scope, self._documents):
            fact, unit = own
            return compose(analysis, [self._cite(1, unit)], fact, self.glossary)
        if whole := counted_rows(analysis, passages, self._tables, scope) or \
                extreme_row(analysis, passages, self._tables, scope):
            fact, rows = whole
            return compose(analysis, [self._cite(n, unit) for n, unit in enumerate(rows, 1)],
                           fact, self.glossary)
        scored = self.scored(analysis, passages, scope, titles, extra_terms, closeness=closeness)
        if _ASKS_POINTS.search(analysis.text) and (counted := self._points(scored, analysis)):
            return counted
        supported = [s for s in scored if self.supports(s, analysis)]
        if supported and analysis.focus:
            supported = _about_focus(supported, scored, analysis.focus, self.strict(analysis))
        if not supported:
            see_also = self._see_also(scored, passages)
            return refusal(analysis, see_also, _absent(analysis, passages, self.glossary))
        parts = self._parts(analysis)
        chosen, after = self._choose(supported, analysis, parts)
        each_document = _compares_documents(analysis, parts, scope)
        if each_document:
            chosen = _one_of_each(chosen, supported, scope)
        if analysis.qtype is QuestionType.WHO and not any(
                _PERSON.search(c.unit.quote) for c in chosen):
            # "由谁转递的？" answered by "随函转递……": who did it is the letter's signature.
            signer = next((s for s in supported if s.unit.passage.id == chosen[0].unit.passage.id
                           and _PERSON.search(s.unit.quote)), None)
            if signer is not None:
                chosen = [chosen[0], signer]
        if analysis.qtype is QuestionType.LIST or asks_several(analysis.text):
            for s in chosen:
                # "这些请求来自巴林、布隆迪……": a list often follows the sentence that
                # introduces it.
                nxt = following(s.unit, units_of(s.unit.passage, s.unit.rank))
                lists = analysis.qtype is QuestionType.LIST
                if nxt is not None and (not lists or ("、" in nxt.quote
                                                      and "、" not in s.unit.quote)):
                    s.unit = s.unit.extended(nxt)
        chosen = _joined(chosen)
        first = chosen[0]
        fact = _column_fact(first.unit, analysis, self.glossary)
        if fact is None:
            fact, chosen = self._direct_fact(chosen, analysis, parts, each_document)
            first = chosen[0]
        if fact is not None and not asks_several(analysis.text) and len(analysis.years) < 2:
            # One figure or date asked and found: the sentence that gives it is the source.
            chosen = chosen[:1]
        elif after is not None and after.span[1] > first.unit.span[1]:
            first.unit = first.unit.extended(after)
        # "How many more …?": the two figures the quotes give, and what lies between them.
        fact = difference(analysis.text, [s.unit.quote for s in chosen], fact) or fact
        citations = [self._cite(n, s.unit) for n, s in enumerate(chosen, start=1)]
        return compose(analysis, citations, fact, self.glossary)

    # -- scoring -------------------------------------------------------------------
    def scored(self, analysis: QuestionAnalysis, passages: list[Passage],
               scope: QueryScope | None = None, titles: dict[str, str] | None = None,
               extra_terms: Iterable[str] = (),
               closeness: Mapping[str, float] | None = None) -> list[Scored]:
        """Every sentence and row of `passages`, best first, with the features it was
        scored by (what `make train` learns the ranker from)."""
        if titles is not None and titles != self._titles:
            self._titles, self._doc_tokens = titles, {}
        return self._score_all(analysis, passages, scope, set(extra_terms), closeness or {})

    def _score_all(self, analysis: QuestionAnalysis, passages: list[Passage],
                   scope: QueryScope | None, extra: set[str],
                   closeness: Mapping[str, float]) -> list[Scored]:
        # Each thing the question names is a group of equivalent tokens: one token, or the
        # Chinese words that translate an English word. Words the records have no
        # translation for are never met: they lower every unit's coverage alike.
        # A year asked ("2011 年") is met by a table's year column ("2011") too.
        named = [(t, t[:-1]) if _YEAR_TOKEN.fullmatch(t) else (t,) for t in analysis.terms if t]
        named += [tuple(g) for g in analysis.groups]
        # A Chinese word is met in an English record by the English words that translate it
        # ("出口" by export); it weighs what its Chinese forms weigh.
        bridged = {g: g + tuple(sorted({e for t in g for e in self.lexicon.english(t)} - set(g)))
                   for g in named}
        translated = [tuple(g) for g in analysis.translations]
        # A word with no Chinese translation is still met by an English record that prints
        # it; it weighs what it weighed when nothing could meet it (`untranslated_weight`).
        english = [forms for w in analysis.untranslated if (forms := tuple(tokenize(w)))]
        # The English forms of the question's words meet only an English record: in the
        # Chinese records an English word is part of a web address or a name.
        english_forms = {t for g in translated + english for t in g if t.isascii()} | {
            t for g in named for t in bridged[g][len(g):]}
        # A name weighs what its rarest form weighs; an English word's translations are
        # alternatives of which the commonest is the likely sense ("work" → 工作, not 电工),
        # and weigh less than a name (TRANSLATION_WEIGHT).
        weights = {bridged[g]: max(self.idf(t) for t in g) for g in named}
        named = [bridged[g] for g in named]
        groups = named + translated + english
        weights |= {g: TRANSLATION_WEIGHT * min(self.idf(t) for t in g)
                    for g in translated if g not in weights}
        total = sum(weights.values()) + self.untranslated_weight * len(analysis.untranslated)
        weights |= {g: self.untranslated_weight for g in english if g not in weights}
        total = total or 1.0
        # What carries much of the question's weight must be in the passage, whatever else
        # is: "巴西 … 行动计划" is not answered by Brazil's national-report row.
        key = [g for g, w in weights.items() if w >= KEY_SHARE * total]
        # The rarest thing the question names: a unit that lacks it most likely speaks of
        # something else (a question on one region, a sentence on another).
        rarest = max(named + translated, key=lambda g: weights[g]) if named + translated \
            else None
        # A word the records cannot translate carries most of the question: only a passage
        # that prints it (an English record) can answer.
        silent = any(self.untranslated_weight >= KEY_SHARE * total
                     for _ in analysis.untranslated)
        asks_country = bool(ASKS_COUNTRY.search(analysis.text))
        # What the last part asks: a follow-up's words come after the question they extend.
        listing_states = analysis.qtype is QuestionType.LIST and bool(_ASKS_STATES.search(
            question_parts(analysis.text)[-1]))
        # How close in meaning a unit is, and how far below the closest unit in its own
        # language (a Chinese question is closer to every Chinese sentence than to any
        # English one): absent (the ranker then reads its mean) without unit vectors.
        units_by_rank = [units_of(passage, rank) for rank, passage in enumerate(passages)]
        closest: dict[str, float] = {}
        for passage, units in zip(passages, units_by_rank, strict=True):
            for unit in units:
                if (close := closeness.get(unit.meaning)) is not None:
                    closest[passage.language] = max(closest.get(passage.language, close), close)
        out = []
        for rank, passage in enumerate(passages):
            passage_tokens = set(tokenize(passage.search_text))
            # What names the document a question points at ("2022 年全面审查报告") is met
            # by every passage of that document; a row also carries its table's title and
            # column headings, without which it means nothing.
            shared: set[str] = set()
            if scope and passage.doc_id in scope.documents:
                shared |= self._document_tokens(passage.doc_id)
            # "What does China say": China's statement speaks for China in every sentence.
            title = self._titles.get(passage.doc_id, "")
            shared |= {form for forms in analysis.states if any(f in title for f in forms)
                       for form in forms}
            if passage.kind in ("table", "footnote"):
                shared |= set(tokenize(passage.context))
            if passage.kind == "footnote" and _FOOTNOTE.search(analysis.text):
                # A footnote asked for is read with the paragraph that calls it, when that was
                # found: "另有六个国际和区域组织……提供了联络人" is what footnote 8 lists.
                shared |= {t for other in passages if other.doc_id == passage.doc_id
                           and other.kind == "paragraph" and passage.numbers
                           and set(other.numbers) & set(passage.numbers)
                           for t in tokenize(other.text)}
            passage_tokens |= shared | self._names_in(passage.text)
            if passage.language != "en":
                passage_tokens -= english_forms
            passage_text = fold(passage.search_text)
            prints_it = any(passage_tokens.intersection(g) for g in english)
            constraints = self._constraints_ok(analysis, passage, passage_text, scope) and \
                not (silent and not prints_it) and \
                all(passage_tokens.intersection(g) for g in key)
            p_cov = sum(w for g, w in weights.items() if passage_tokens.intersection(g)) / total
            # A passage naming other years may hold a sentence of its document's own year.
            own_year = not constraints and passage.year in analysis.years
            units = units_by_rank[rank]
            named = [self._entries_in(unit.quote) for unit in units]
            # In a table whose rows are years ("2020  212  205  3"), the row of the year
            # asked is the one that prints it.
            row_years = {y for y in analysis.years if passage.kind == "table"
                         and any(_figure_in(u.quote, y) for u in units)}
            for i, (unit, entries) in enumerate(zip(units, named, strict=True)):
                listed = entries
                if listing_states and i + 1 < len(units) and "、" not in unit.quote \
                        and "、" in units[i + 1].quote:
                    # "……9项新的援助请求。这些请求来自巴林、布隆迪……": the sentence that
                    # introduces a list is quoted with it, and lists what it lists.
                    listed = entries + named[i + 1]
                own = set(tokenize(f"{unit.label} {unit.quote}")) | {e.zh for e in entries}
                if passage.language != "en":
                    own -= english_forms
                unit.tokens = own | shared
                matched = {t for g in groups for t in g if t in unit.tokens}
                met = [g for g in groups if unit.tokens.intersection(g)]
                cov = sum(weights[g] for g in met) / total
                # What the sentence says itself, not through its document or table.
                own_cov = sum(weights[g] for g in met if own.intersection(g)) / total
                bonus = 0.05 * len(extra & unit.tokens) / max(len(extra), 1)
                # "Which country coordinated …?": only a unit that names a state answers.
                type_ok = _holds_type(unit.quote, analysis) and not (
                    asks_country and not any(e.is_state for e in entries))
                unit_ok = constraints or (own_year and not (silent and not prints_it)
                                          and self._constraints_ok(
                    analysis, passage, passage_text, scope, unit.quote)
                    and all(passage_tokens.intersection(g) for g in key))
                if row_years and not any(_figure_in(unit.quote, y) for y in row_years):
                    unit_ok = False
                in_scope = _in_scope(unit, scope, analysis)
                features = {
                    "own_coverage": own_cov, "coverage": cov, "passage_coverage": p_cov,
                    "passage_rank": 1 / (1 + 0.5 * rank),
                    "dense": passage.dense_score or 0.0,
                    "type_bonus": _type_bonus(unit.quote, analysis, type_ok),
                    "type_ok": float(type_ok), "conversation": bonus,
                    "proximity": _proximity_bonus(unit.quote, analysis),
                    "listing": _listing_bonus(listed, analysis, listing_states),
                    "constraints_ok": float(unit_ok), "in_scope": float(in_scope),
                    "heading": float(unit.heading),
                    "lacks_rarest": float(rarest is not None
                                          and not unit.tokens.intersection(rarest)),
                }
                if (close := closeness.get(unit.meaning)) is not None:
                    features |= {"closeness": close,
                                 "closeness_gap": closest[passage.language] - close}
                if self.ranker is not None:
                    score, order = self.ranker.probability(features), \
                        self.ranker.order(features)
                else:
                    score = order = _hand_set_score(features)
                out.append(Scored(unit, score, cov, p_cov, matched, unit_ok, type_ok,
                                  features, order))
        out.sort(key=lambda s: s.order, reverse=True)
        return out

    def _names_in(self, text: str) -> set[str]:
        """The official Chinese form of every name the text prints in another form: the
        full title "《关于禁止发展、生产和储存细菌(生物)……公约》" meets 生物武器公约."""
        return {entry.zh for entry in self._entries_in(text)}

    def _entries_in(self, text: str) -> list[GlossaryEntry]:
        if self.glossary is None:
            return []
        return [entry for _, entry in self.glossary.find_chinese(text)]

    def _constraints_ok(self, analysis: QuestionAnalysis, passage: Passage, text: str,
                        scope: QueryScope | None, quote: str | None = None) -> bool:
        """The year, state, symbol and resolution the question names are in the passage (a
        year may instead be the year of a document the question names). A question naming
        several years or states asks about each: a passage may answer for one of them."""
        in_scope = bool(scope and passage.doc_id in scope.documents)
        # A sentence (`quote`) or passage that names no year speaks of its document's
        # ("此外，有六名专家组新成员在本报告所述期间履职" in the 2018 review).
        yearless = not years_named(fold(quote) if quote else text)
        years = [str(year) in text or ((in_scope or yearless) and passage.year == year)
                 for year in analysis.years]
        if years and not (all(years) if len(years) == 1 else any(years)):
            return False
        english = passage.language == "en"
        # An English record names a state and numbers a programme in English: "Chile",
        # "twenty-fifth". (`text` is folded: no spaces; the forms are folded alike.)
        lowered = text.casefold() if english else text
        # A state's own note, statement or report speaks of that state in every passage,
        # though a table of it names no state: its title names it.
        title = fold(self._titles.get(passage.doc_id, "")).casefold()

        def names(forms: list[str]) -> bool:
            english_names = [fold(name).casefold() for name in self._english_names(forms)]
            return any(fold(form) in text or fold(form) in title for form in forms) or \
                any(name in title or (english and name in lowered) for name in english_names)

        states = [names(forms) for forms in analysis.states]
        if states and not (all(states) if len(states) == 1 else any(states)):
            return False
        for ref in [*analysis.symbols, *analysis.resolutions]:
            # "2901(2027)" is met by every passage of S/RES/2901 (2027) itself.
            if fold(ref) not in text and fold(ref) not in fold(passage.symbol or ""):
                return False
        # "第十四个工作方案" is met by every passage of the document it names, if that
        # document is the fourteenth anything.
        document = self._doc_text.get(passage.doc_id, "")
        return all(ordinal in text or (in_scope and ordinal in document) or (
            english and fold(english_ordinal(chinese_numeral(ordinal[1:]))) in lowered)
            for ordinal in analysis.ordinals)

    def _english_names(self, forms: list[str]) -> list[str]:
        """The English forms of the state a group of Chinese forms names (glossary)."""
        entry = self.glossary.lookup(forms[0]) if self.glossary and forms else None
        return entry.english_forms if entry else []

    @staticmethod
    def strict(analysis: QuestionAnalysis) -> bool:
        """Whether only a unit holding the kind of thing asked can answer (a count, a date,
        a name, a symbol, a country)."""
        return analysis.qtype in (QuestionType.NUMBER, QuestionType.DATE) or \
            any(asks.search(analysis.text) for asks, _ in _WANTED) or \
            bool(ASKS_COUNTRY.search(analysis.text))

    def supports(self, s: Scored, analysis: QuestionAnalysis) -> bool:
        """Whether the unit answers: the question's constraints met, the kind asked held,
        and (with a ranker) its probability at or above the ranker's threshold, else enough
        of what the question names."""
        if not s.constraints_ok:
            return False
        if self.strict(analysis) and not s.type_ok:
            return False
        if self.ranker is not None:
            return s.score >= self.ranker.threshold
        coverage = max(s.coverage, 0.5 * (s.coverage + s.passage_coverage))
        return coverage >= self.min_coverage

    def _points(self, scored: list[Scored], analysis: QuestionAnalysis) -> Answer | None:
        """"中方提出了几点建议？": statements number their points "一是……二是……三是……";
        the last point, in the document that best answers, says how many there are."""
        points = [(chinese_numeral(m.group(1)), s) for s in scored if s.constraints_ok
                  and (m := _POINT.match(s.unit.quote))]
        if not points:
            return None
        document = max(points, key=lambda p: p[1].score)[1].unit.passage.doc_id
        count, last = max(((n, s) for n, s in points if s.unit.passage.doc_id == document),
                          key=lambda p: p[0])
        if count < 2:
            return None
        fact = Fact(zh=f"{to_chinese_numeral(count)}点", en=str(count))
        return compose(analysis, [self._cite(1, last.unit)], fact, self.glossary)

    def _choose(self, supported: list[Scored], analysis: QuestionAnalysis,
                parts: list[QuestionAnalysis]) -> tuple[list[Scored], Unit | None]:
        """The best unit, then units that add terms it lacks (or, for lists, more items);
        and the sentence after the best one when that is among them."""
        if analysis.qtype in (QuestionType.WHAT, QuestionType.LIST) and \
                asks_for_material(analysis.text):
            return self._material(supported), None
        chosen = [supported[0]]
        best = supported[0].unit
        after: Unit | None = None
        covered = set(supported[0].matched)
        floor = 0.85 * supported[0].score
        listing_rows = analysis.qtype is QuestionType.LIST and \
            supported[0].unit.passage.kind in ("table", "record")
        # "从2016年的多少增加到了多少", "from 2016 to 2022": one change or span, asked once.
        span = bool(_SPAN.search(analysis.text))
        several = analysis.qtype is QuestionType.LIST or bool(_RESPECTIVELY.search(
            analysis.text)) or bool(parts) or (
            not span and (asks_several(analysis.text) or len(analysis.years) > 1))
        # A sentence that lists ("巴林、赤道几内亚……"), or introduces the list that follows
        # it, is the whole answer to "哪些".
        nxt = following(best, units_of(best.passage, best.rank))
        lists_itself = analysis.qtype is QuestionType.LIST and not asks_several(
            analysis.text) and ("、" in best.quote or (nxt is not None and "、" in nxt.quote))
        limit = MAX_LIST_ROWS if listing_rows else MAX_QUOTES if several and not lists_itself \
            and not _answers_each_part(supported[0], parts) else 1
        for s in supported[1:]:
            if s.score < floor:
                continue
            if any(s.unit.quote == c.unit.quote for c in chosen):
                continue
            if after is None and not listing_rows and nxt is not None \
                    and s.unit.passage.id == best.passage.id and nxt.span == s.unit.span:
                # "……同行审议。这是全球的第三次同行审查": the sentence after the best one is
                # quoted with it.
                after = s.unit
                covered |= s.matched
                continue
            if listing_rows and s.unit.passage.kind not in ("table", "record"):
                # A sentence ranks among the rows: the best row began no list of rows.
                listing_rows, limit = False, MAX_QUOTES
            if len(chosen) >= limit:
                break
            adds = s.matched - covered
            if adds or analysis.qtype is QuestionType.LIST:
                chosen.append(s)
                covered |= s.matched
        return chosen, after

    @staticmethod
    def _material(supported: list[Scored]) -> list[Scored]:
        """Points for a briefing ("给我几条……的要点"): the best sentences or rows that answer,
        up to MATERIAL_POINTS, each once, best first."""
        points: list[Scored] = []
        for s in supported:
            if len(points) == MATERIAL_POINTS:
                break
            if all(s.unit.quote not in p.unit.quote and p.unit.quote not in s.unit.quote
                   for p in points):
                points.append(s)
        return points

    def _parts(self, analysis: QuestionAnalysis) -> list[QuestionAnalysis]:
        """Each thing a question of several parts asks, read on its own ("involved"
        belongs to the second question, not to what the first one counts); none when it
        asks one thing."""
        texts = question_parts(analysis.text)
        return [analyse(t, self.glossary, self.lexicon) for t in texts] if len(texts) > 1 \
            else []

    def _direct_fact(self, chosen: list[Scored], analysis: QuestionAnalysis,
                     parts: list[QuestionAnalysis], each_quote: bool = False
                     ) -> tuple[Fact | None, list[Scored]]:
        """The figure or date the quotes give for each thing asked, and the quotes in the
        order of the parts they answer. "226次外联活动……10项涉及行业和专业协会" answers
        "How many outreach activities …, and how many of them involved industry …?" with
        "226; 10"; "2015 年……有多少个？到 2022 年……还剩多少个？" reads 2015's figure in the
        2015 programme of work and 2022's in the 2022 review. With `each_quote` (a question
        comparing documents), the figure or date of each quote, in their order."""
        first = chosen[0]
        if not parts and not each_quote:
            return direct_fact(first.unit.quote, analysis, self._anchor(first, analysis),
                               counted=self._counted(analysis)), chosen
        found: list[tuple[Fact, Scored]] = []
        for asked, quotes in [(analysis, [s]) for s in chosen] if each_quote else \
                [(asked, _of_years(chosen, asked.years)) for asked in parts]:
            for s in quotes:
                fact = direct_fact(s.unit.quote, asked, self._anchor(s, asked), analysis.text,
                                   self._counted(asked))
                if fact is not None:
                    if all(fact.zh != f.zh for f, _ in found):
                        found.append((fact, s))
                    break
        if not found:
            return None, chosen
        sources = list({id(s): s for _, s in found}.values())
        ordered = sources + [s for s in chosen if all(s is not u for u in sources)]
        cites = tuple(sorted({next(n for n, s in enumerate(ordered, start=1) if s is source)
                             for _, source in found}))
        facts = [f for f, _ in found]
        return Fact(zh="；".join(f.zh for f in facts), en="; ".join(f.en for f in facts),
                    cites=cites), ordered

    def _counted(self, analysis: QuestionAnalysis) -> list[str]:
        """The Chinese words for what an English count question counts: those of the words
        after "how many" ("how many came from Africa": 来自, 非洲), not those of the set they
        are counted in ("of the 40 requests", "how many of the requests …")."""
        counted = counted_phrase(analysis.text) if analysis.language == "en" else ""
        return named_tokens(analyse(counted, self.glossary, self.lexicon)) if counted else []

    def _anchor(self, s: Scored, analysis: QuestionAnalysis) -> int:
        """Where in the quote the figure asked for should be: just after the year the
        question names ("2017收到的3项"), else after the resolution or symbol it names, else
        just after the rarest term it matched ("……占47%，非洲集团占38%": the figure that
        follows the name is its own)."""
        quote = s.unit.quote
        if (at := _focus_at(quote, analysis.focus)) is not None:
            return at
        for year in analysis.years:
            at = quote.find(str(year))
            if at >= 0:
                return at + 4
        # "第2622(2022)号决议延长至2022年11月30日": what the resolution named did. (The
        # names are folded; a position found in the folded quote is the quote's own only
        # when folding changed nothing.)
        if fold(quote) == quote:
            for ref in [*analysis.resolutions, *analysis.symbols]:
                at = quote.find(ref)
                if at >= 0:
                    return at + len(ref)
        positions = [(self.idf(t), quote.find(t) + len(t)) for t in s.matched if t in quote]
        return max(positions)[1] if positions else 0

    def _see_also(self, scored: list[Scored], passages: list[Passage]) -> list[Citation]:
        seen: set[str] = set()
        out = []
        for s in scored:
            if s.unit.locator in seen:
                continue
            seen.add(s.unit.locator)
            out.append(self._cite(len(out) + 1, s.unit))
            if len(out) >= 3:
                break
        return out

    def _cite(self, n: int, unit: Unit) -> Citation:
        p = unit.passage
        return Citation(n=n, doc_id=p.doc_id, symbol=p.symbol,
                        title=self._titles.get(p.doc_id, p.doc_label), date=p.date,
                        locator=unit.locator, quote=unit.quote, passage=unit.source)


def _compares_documents(analysis: QuestionAnalysis, parts: list[QuestionAnalysis],
                        scope: QueryScope | None) -> bool:
    """"How did the number … change between the 2018 review and the Chair's 2020
    briefing?": one figure or date asked of two documents or more."""
    return bool(scope and len(scope.documents) > 1 and not parts and analysis.qtype in (
        QuestionType.NUMBER, QuestionType.DATE))


def _one_of_each(chosen: list[Scored], supported: list[Scored],
                 scope: QueryScope | None) -> list[Scored]:
    """The quotes chosen and the best of each named document they lack that holds what is
    asked, oldest document first."""
    documents = scope.documents if scope else {}
    added = [next((s for s in supported if s.unit.passage.doc_id == doc_id and s.type_ok), None)
             for doc_id in documents if all(c.unit.passage.doc_id != doc_id for c in chosen)]
    return sorted(chosen + [s for s in added if s is not None],
                  key=lambda s: s.unit.passage.date or "")


def _figure_in(quote: str, figure: int | str) -> re.Match[str] | None:
    """The figure as a whole number of the quote: a year as a cell or a date of its own
    ("2020  212", "2020年1月28日"), the 19 of "第19次"; not inside another figure ("2019")."""
    return re.search(rf"(?<!\d){figure}(?!\d)", quote)


def _about_focus(supported: list[Scored], scored: list[Scored], focus: list[list[str]],
                 strict: bool) -> list[Scored]:
    """A follow-up that swapped the year, state, term or number of the question before it
    ("那2021年呢？", "And the chemical side?") is answered by what is about the new one.
    The records answer the question the follow-up rewrote (some unit is `supported`); of
    the units that meet its constraints, those of the passages naming most of what the
    follow-up put in, and of those, the ones whose own words give most of its years and
    numbers. A sentence may leave its topic to the sentence before it ("关于化学武器，……
    然而，执法措施增加了5%"), but it gives its own year ("2024年查验的货物为615批",
    beside a sentence on 2025)."""
    figures = [forms for forms in focus if forms[0].isdigit()]

    def about(s: Scored) -> tuple[int, int]:
        context = s.unit.passage.context
        where = f"{context}\n{s.unit.label}\n{s.unit.source}"
        # A table row gives the years of its columns ("2016 | 2017 | …", the last line of
        # its passage's context).
        own = f"{context.splitlines()[-1]}\n{s.unit.quote}" \
            if s.unit.passage.kind == "table" and context else s.unit.quote
        return (sum(_focus_at(where, [forms]) is not None for forms in focus),
                sum(_focus_at(own, [forms]) is not None for forms in figures))

    pool = [s for s in scored if s.constraints_ok and (s.type_ok or not strict)]
    best = max(map(about, pool), default=(0, 0))
    if best == (0, 0):
        return supported
    return [s for s in supported if about(s) == best] or \
        [s for s in pool if about(s) == best]


def _focus_at(quote: str, focus: list[list[str]]) -> int | None:
    """Where in the quote the first of the focus's forms ends, if it names one (a number
    only as a whole figure: the 19 of "第19次", not of "2019")."""
    for forms in focus:
        for form in forms:
            found = _figure_in(quote, form) if form.isdigit() else \
                re.search(re.escape(form), quote, re.IGNORECASE)
            if found:
                return found.end()
    return None


def _of_years(chosen: list[Scored], years: list[int]) -> list[Scored]:
    """The quotes of a document of a year asked, or that name it, first."""
    return sorted(chosen, key=lambda s: not any(
        s.unit.passage.year == year or str(year) in s.unit.quote for year in years))


def _holds_type(quote: str, analysis: QuestionAnalysis) -> bool:
    if any(asks.search(analysis.text) and not holds.search(quote) for asks, holds in _WANTED):
        return False
    if analysis.qtype is QuestionType.NUMBER:
        return bool(direct_fact(quote, analysis))
    if analysis.qtype is QuestionType.DATE:
        return bool(_DATE.search(quote))
    return True


def _in_scope(unit: Unit, scope: QueryScope | None, analysis: QuestionAnalysis) -> bool:
    """In the annexes and paragraphs the question names, if it names any ("根据第 21 段"),
    and a footnote if it asks for one ("第 92 段脚注")."""
    passage = unit.passage
    if _FOOTNOTE.search(analysis.text) and passage.kind != "footnote":
        return False
    if scope is None:
        return True
    return scope.in_parts(passage.part, unit.locator) and \
        scope.at_paragraphs(passage.numbers, passage.kind)


def _column_fact(unit: Unit, analysis: QuestionAnalysis,
                 glossary: Glossary | None) -> Fact | None:
    """A table row's cell in the column of the year asked (the header is the last line of
    a table passage's context)."""
    if unit.passage.kind != "table" or not unit.passage.context:
        return None
    header = unit.passage.context.split("\n")[-1].split(" | ")
    return column_fact(unit.quote, header, analysis, lambda zh: in_english(zh, glossary))


def _answers_each_part(s: Scored, parts: list[QuestionAnalysis]) -> bool:
    """Whether a question of several parts finds what each part names in this one unit:
    "最常提出请求的领域是……，其次是设备……" answers "……领域是什么？其次是哪些？"."""
    if not parts:
        return False
    for asked in parts:
        named = [{t} for t in asked.terms] + [set(g) for g in asked.groups]
        if named and not any(s.unit.tokens & g for g in named):
            return False
        if any(str(year) not in s.unit.quote and year != s.unit.passage.year
               for year in asked.years):
            return False  # "2015 年……？到 2022 年……？": each year its own answer
    return True


def _joined(chosen: list[Scored]) -> list[Scored]:
    """Quotes of one passage that overlap or follow each other, as one quote: "……共开展了
    226次外联活动。" and "其中，206项……" are one span of paragraph 103, quoted once."""
    kept: list[Scored] = []
    for s in chosen:
        unit = s.unit
        same = next((k for k in kept if k.unit.passage.id == unit.passage.id
                     and k.unit.span != (0, 0) and unit.span != (0, 0)
                     and k.unit.source is unit.source
                     and not unit.source[min(k.unit.span[1], unit.span[1]):
                                         max(k.unit.span[0], unit.span[0])].strip()), None)
        if same is None:
            kept.append(s)
            continue
        head, tail = sorted((same.unit, unit), key=lambda u: u.span[0])
        if tail.span[1] > head.span[1]:
            same.unit = head.extended(tail)
        else:
            same.unit = head
    return kept


def _hand_set_score(features: dict[str, float]) -> float:
    """The hand-set score the learned ranker replaced: it orders the units only before
    `make train` has written a ranker (and for training's comparison with it)."""
    score = (OWN_SHARE * features["own_coverage"]
             + (0.55 - OWN_SHARE) * features["coverage"] + 0.25 * features["passage_coverage"]
             + 0.15 * features["passage_rank"] + features["type_bonus"]
             + features["conversation"] + features["proximity"] + features["listing"])
    if not features["constraints_ok"]:
        score *= 0.5
    elif not features["in_scope"]:
        score *= OUTSIDE_SCOPE  # "附件八中……" is not answered by 附件六
    if features["heading"]:
        score *= 0.75
    return score


def _absent(analysis: QuestionAnalysis, passages: list[Passage],
            glossary: Glossary | None) -> list[str]:
    """The years and states the question names that no retrieved passage mentions."""
    texts = [fold(p.search_text) for p in passages]
    english = analysis.language == "en"
    years = [str(y) if english else f"{y}年" for y in analysis.years
             if not any(str(y) in t for t in texts) and all(p.year != y for p in passages)]
    states = [in_english(forms[0], glossary) if english else forms[0]
              for forms in analysis.states
              if not any(fold(form) in t for form in forms for t in texts)]
    return years + states


def _listing_bonus(entries: list[GlossaryEntry], analysis: QuestionAnalysis,
                   listing_states: bool) -> float:
    """"还访问了哪些国家？" is answered by the sentence that lists states, not by one that
    names only the state the question names ("除访问马里外")."""
    if not listing_states:
        return 0.0
    named = {form for forms in analysis.states for form in forms}
    listed = {e.zh for e in entries if e.is_state and e.zh not in named}
    return LISTED_STATE_BONUS * min(len(listed), 4)


def _proximity_bonus(quote: str, analysis: QuestionAnalysis) -> float:
    """A date or figure printed right beside the state asked about ("博茨瓦纳  2022年4月22日")
    answers for that state; one in another clause of a long list may not."""
    if analysis.qtype not in (QuestionType.DATE, QuestionType.NUMBER) or not analysis.states:
        return 0.0
    names = [m.start() for forms in analysis.states for form in forms
             for m in re.finditer(re.escape(form), quote)]
    pattern = _DATE if analysis.qtype is QuestionType.DATE else _FACT
    facts = [m.start() for m in pattern.finditer(quote)]
    if names and facts and min(abs(a - b) for a in names for b in facts) <= 20:
        return 0.05
    return 0.0


def _type_bonus(quote: str, analysis: QuestionAnalysis, type_ok: bool) -> float:
    """A date question prefers a date that gives the month (and day) to a bare year; a
    who question, a sentence that names a person (a signature, "Raphael Prenat")."""
    if not type_ok:
        return 0.0
    if analysis.qtype is QuestionType.DATE and _FULL_DATE.search(quote):
        return 0.15
    if analysis.qtype is QuestionType.WHO and _PERSON.search(quote):
        return 0.2
    return 0.1
