"""What every part of a draft is built with: the records, the citations, the voice, and the
memory of what has been said (so that no two bullets say the same thing)."""

from __future__ import annotations

from dataclasses import dataclass, field

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

    def quoted(self, sentence: Sentence, *, check: bool = True) -> DraftLine | None:
        """A sentence of the records, quoted verbatim (in an English note, after its
        document and date); None when the draft has already said the same thing."""
        if check and not self.said.new(sentence.quote):
            return None
        n = self.book.sentence(sentence.passage, sentence.quote)
        if not self.voice.en:
            return DraftLine(text=sentence.quote, citations=[n])
        label = self.corpus.label(sentence.passage.doc_id)
        text = self.voice("quoted", source=label, date=self.voice.date(sentence.date),
                          quote=sentence.quote)
        return DraftLine(text=text, citations=[n])

    def voice_en(self, key: str, **values: object) -> str:
        """A phrase in English whatever the note's language (a chart's fallback labels)."""
        return Voice("en", self.glossary)(key, **values)

    def clip(self, text: str, limit: int = 90) -> str:
        return text if len(text) <= limit else text[:limit - 1] + "…"
