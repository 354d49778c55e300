"""What every part of a draft is built with: the records, the citations, the voice, and the
memory of what has been said (so that no two bullets say the same thing)."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.drafting import clause_english, gist
from assistant.drafting.events import Event
from assistant.drafting.models import DraftLine, DraftSection, SectionKey
from assistant.drafting.sentences import Distinct, Sentence
from assistant.drafting.sources import Corpus, SourceBook
from assistant.drafting.wording import Voice
from index.glossary import Glossary

MIN_KEY_POINTS, MAX_KEY_POINTS = 3, 7


@dataclass
class Context:
    corpus: Corpus
    book: SourceBook
    voice: Voice
    glossary: Glossary
    period: tuple[int, int] | None = None
    said: Distinct = field(default_factory=Distinct)
    notes: list[str] = field(default_factory=list)

    def section(self, key: SectionKey, **parts: list) -> DraftSection:
        return DraftSection(key=key, heading=self.voice(f"heading_{key}"), **parts)

    def claim(self, text: str, citations: list[int]) -> DraftLine:
        """A line the drafter wrote from cited facts (a count, a list of dates)."""
        if self.voice.en and text:
            text = text[0].upper() + text[1:]
        self.said.new(text)
        return DraftLine(text=text, citations=list(dict.fromkeys(citations)))

    def framing(self, text: str) -> DraftLine:
        return DraftLine(text=text, framing=True)

    def quoted(self, sentence: Sentence, *, check: bool = True,
               skip: tuple[str, ...] = ()) -> DraftLine | None:
        """A sentence of the records: in a Chinese note quoted verbatim (a month it gives
        without its year gets the year its document reports on, in brackets); in an English
        note its gist in English (`gist`), the sentence beneath as the cited source. None
        when the draft has already said the same thing."""
        if check and not self.said.new(sentence.quote):
            return None
        n = self.book.sentence(sentence.passage, sentence.quote)
        year = self.reported_year(sentence.passage.doc_id)
        if not self.voice.en:
            missing = gist.bare_month_year(sentence.quote, year)
            text = sentence.quote if missing is None else \
                self.voice("year_added", year=missing) + sentence.quote
            return DraftLine(text=text, citations=[n])
        return DraftLine(text=self.gist(sentence.quote, sentence.passage.doc_id, skip),
                         citations=[n], quote=sentence.quote)

    def gist(self, text: str, doc_id: str, skip: tuple[str, ...] = (), *,
             dated: bool = True, keep: tuple[str, ...] = ()) -> str:
        """An English line for a Chinese sentence: the sentence `clause_english` says of it
        (who did what, when, where, with what figures), after the document it is from;
        where no clause has a verb it knows, what the sentence names (`gist.read`).
        `keep` are names (the note's State) a long list of names never drops."""
        v = self.voice
        year = self.reported_year(doc_id)
        english = clause_english.sentence(text, self.glossary, year, keep=keep or skip,
                                          fragment=not dated)
        if english is not None:
            return v("gist_sentence", source=self.doc_label(doc_id), sentence=english)
        found = gist.read(text, self.glossary, year, skip, keep=keep)
        parts = []
        if found.terms:
            terms = [gist.plural(t) if v.en and t[:1].islower() else t for t in found.terms]
            parts.append(v("gist_terms", terms=v.join(terms)))
        if found.parties:
            parts.append(v("gist_parties", parties=v.join(found.parties)))
        if found.figures:
            parts.append(v("gist_figures", figures=v.join(found.figures)))
        if not parts:
            parts.append(v("gist_nothing"))
        when = f", {found.when}" if found.when and dated else ""
        return v("gist_line", source=self.doc_label(doc_id), when=when,
                 about="; ".join(parts))

    def reported_year(self, doc_id: str) -> int | None:
        """The one year a document reports on, if it reports on one."""
        covered = self.corpus.covers(doc_id)
        return covered[0] if covered and covered[0] == covered[1] else None

    def doc_label(self, doc_id: str) -> str:
        """The document as the note names it: its symbol, else (in English) its kind and
        date, in Chinese its date and kind as the records label it."""
        symbol = self.corpus.symbol(doc_id)
        meta = self.corpus.metas.get(doc_id)
        if symbol or meta is None or not self.voice.en:
            return self.corpus.label(doc_id)
        return self.voice("doc_label", kind=self.doc_title(doc_id),
                          date=self.voice.date(meta.date))

    def doc_title(self, doc_id: str) -> str:
        """The document's title in the note's language: in Chinese as the records print it,
        in English by its kind and the year it reports on."""
        meta = self.corpus.metas.get(doc_id)
        if meta is None:
            return ""
        if not self.voice.en:
            return self.corpus.short_title(doc_id)
        kind = meta.doc_type.value
        key = f"doc_title_{kind}" if f"doc_title_{kind}" in self.voice \
            else "doc_title_other"
        covered = self.corpus.covers(doc_id)
        return self.voice(key, year=covered[0] if covered else "—")

    def event_text(self, event: Event, *, place: bool = True) -> str:
        """An outreach event in a table cell, whole: its title and place as the annex prints
        them; in English what its title names (the glossary's terms and parties, else its
        kind) and its place in English where the glossary or CC-CEDICT has it."""
        main = event.main
        if not self.voice.en:
            return f"{main.title}（{main.place}）" if place and main.place else main.title
        found = gist.read(main.title, self.glossary)
        what = self.voice.join(found.terms) or self.voice(f"kind_{event.kind}")
        what = what[:1].upper() + what[1:]
        if found.parties:
            what += f": {self.voice.join(found.parties)}"
        where = gist.place(main.place, self.glossary) if main.place else ""
        return f"{what} ({where})" if place and where else what

    def kinds(self, counts: list[tuple[str, int]], shown: int = 3) -> str:
        """'peer reviews (3), visits (1) and 2 others': every event counted, so the parts
        add up to the total."""
        v = self.voice
        named = [(k, n) for k, n in counts if k != "other"]
        parts = [v("kind_count", kind=v(f"kind_{k}"), n=n) for k, n in named[:shown]]
        rest = sum(n for _, n in counts) - sum(n for _, n in named[:shown])
        if rest:
            parts.append(v("kinds_other", n=rest))
        return v.join(parts)

    def voice_en(self, key: str, **values: object) -> str:
        """A phrase in English whatever the note's language (a chart's fallback labels)."""
        return Voice("en", self.glossary)(key, **values)

    def clip(self, text: str, limit: int = 90) -> str:
        return text if len(text) <= limit else text[:limit - 1] + "…"
