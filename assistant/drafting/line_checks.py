"""Whether a line a language model reworded still says only what its sources say.

The checks are the answers' own (`assistant.grounding`: every quote found in its passage,
no document symbol or resolution the sources do not hold, no instruction repeated) and
three that a rewording of a cited line calls for: no figure the line and its sources do not
hold, no negation they do not hold ("已提交" turned into "尚未提交"), and, in Chinese, no
wording that is mostly new (a claim of the model's own). They are mechanical, not a reading
of meaning: they catch invented quotes, figures, symbols, flipped polarity and wholesale
invention, and a failed line is replaced by the drafter's, so a failure costs fluency only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from assistant.answers import Citation
from assistant.drafting.models import DraftLine
from assistant.grounding import ALWAYS_KNOWN, INSTRUCTION, locate_quote, mentioned_names

# The founding resolution's number and year are in every note whether or not a source is.
ALWAYS_FIGURES = frozenset({1540, 2004})
# Share of a Chinese rewording's character pairs that the drafted line or its sources must
# hold. Rewording reorders the same words and adds connectives (0.7 to 0.9 in the tests'
# rewordings); a line that says something else ("委员会已于…宣布解散") falls far below. Not
# yet measured against a real model's rewordings: too strict costs fluency, never a source.
MIN_SHARED_WORDING = 0.5
MIN_PAIRS = 4  # shorter lines say too little to measure

_MARKERS = re.compile(r"\s?(?:\[\d+(?:\s*[,，、]\s*\d+)*\]|【\d+】)")
_THOUSANDS = re.compile(r"(?<=\d)[,，](?=\d{3}(?!\d))")
_FIGURE = re.compile(r"\d+")
_CJK = re.compile(r"[\u3400-\u9fff]+")
_NEGATION = re.compile(r"[未没无非不否]|\b(?:not|no|never|none|neither|nor|without|yet to)\b"
                       r"|n't\b", re.IGNORECASE)


class ModelCitation(BaseModel):
    """A source a reworded line rests on, as the model wrote it."""

    model_config = ConfigDict(extra="ignore")

    source: int = Field(description="The source's number in the draft.")
    quote: str = Field(description="Words the model claims the source contains.")


class ModelLine(BaseModel):
    """One reworded line as the model wrote it, before it is checked."""

    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)

    id: str = Field(description="The id the prompt gave the line, e.g. 'L3'.")
    text: str
    citations: list[ModelCitation] = Field(default_factory=list)


def clean(text: str) -> str:
    """The line without [n] markers (the draft keeps its citations apart from its text)."""
    text = _MARKERS.sub("", text).strip()
    text = re.sub(r"[ \t]+([。，；：！？、.,;:!?）)])", r"\1", text)
    return re.sub(r"\s+", " ", text)


def problem(line: DraftLine, reworded: ModelLine, sources: Sequence[Citation]) -> str | None:
    """Why `reworded` cannot replace `line` (None: it can). `sources` are the draft's
    citations, numbered from 1; a line keeps its own, whichever of them the model quoted."""
    text = clean(reworded.text)
    if not text:
        return "the reworded line is empty"
    if INSTRUCTION.search(text):
        return "it repeats an instruction"
    own = [sources[n - 1] for n in line.citations if 1 <= n <= len(sources)]
    if not line.framing:
        if not reworded.citations:
            return "it cites no source"
        for c in reworded.citations:
            if c.source not in line.citations:
                return f"it cites source {c.source}, which the line does not rest on"
            source = sources[c.source - 1]
            if locate_quote(c.quote, source.passage) is None:
                return f"its quote is not in source {c.source}"
            if INSTRUCTION.search(source.passage):
                return f"source {c.source} holds instructions, shown only as data"
    held = "\n".join([line.text, *(s.passage for s in own)])
    return (_new_name(text, held, own) or _new_figure(text, held) or _new_negation(text, held)
            or _new_wording(text, held))


def _new_figure(text: str, held: str) -> str | None:
    known = _figures(held) | ALWAYS_FIGURES
    new = [n for n in _figures(text) if n not in known]
    return f"it gives the figure {new[0]}, which the line and its sources do not" if new \
        else None


def _figures(text: str) -> set[int]:
    return {int(m) for m in _FIGURE.findall(_THOUSANDS.sub("", unicodedata.normalize("NFKC", text)))}


def _new_name(text: str, held: str, own: Sequence[Citation]) -> str | None:
    known = _compact(held + "".join(f"\n{c.symbol or ''}\n{c.locator}" for c in own))
    for name in mentioned_names(text):
        found = re.search(rf"(?<!\d){re.escape(name)}(?!\d)", known) if name.isdigit() \
            else name in known
        if name not in ALWAYS_KNOWN and not found:
            return f"it names {name}, which the line and its sources do not"
    return None


def _new_negation(text: str, held: str) -> str | None:
    said = _NEGATION.search(text)
    if said and not _NEGATION.search(held):
        return f"it adds a negation ({said.group(0)!r}) the line and its sources do not hold"
    return None


def _new_wording(text: str, held: str) -> str | None:
    pairs = [run[i:i + 2] for run in _CJK.findall(text) for i in range(len(run) - 1)]
    if len(pairs) < MIN_PAIRS:
        return None
    shared = sum(1 for pair in pairs if pair in held) / len(pairs)
    if shared < MIN_SHARED_WORDING:
        return f"most of its wording ({1 - shared:.0%}) is in neither the line nor its sources"
    return None


def _compact(text: str) -> str:
    return "".join(text.replace("（", "(").replace("）", ")").split())
