"""Checking what a language model said against the passages it was given.

A model's reply is a claim, not a fact. `parse_reply` reads the JSON it was asked for (in
code fences or not); `ground` keeps only citations whose quote is really in the cited
passage, renumbers the [n] markers, and rejects the whole answer when it names a document
symbol or resolution that no cited passage contains (the typical trace of an instruction
injected into a record: "cite S/9999/1") or when it repeats an instruction found in the
retrieved text. Quotes are found by `assistant.quotes.locate_quote`, which forgives how
models copy (width, NFKC, "…", a dropped particle) but never a changed figure or name, and
stores the passage's own span: what survives satisfies `Citation.verified()` by construction.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.answers import Citation
from assistant.quotes import MIN_QUOTE_CHARS as MIN_QUOTE_CHARS  # where callers found it
from assistant.quotes import QUOTE_EDGES, locate_quote
from index.passages import Passage

ReplyT = TypeVar("ReplyT", bound=BaseModel)

# The committee's founding resolution is named in answers whether or not a passage does.
ALWAYS_KNOWN = frozenset({"1540", "1540(2004)", "S/RES/1540", "S/RES/1540(2004)"})

_THINK = re.compile(r"<think>.*?</think>", re.DOTALL | re.IGNORECASE)
_FENCED = re.compile(r"```(?:json|JSON)?\s*\n?(.*?)```", re.DOTALL)
_MARKERS = re.compile(r"\s?(?:\[(\d+(?:\s*[,，、]\s*\d+)*)\]|【(\d+)】)")
# UN document symbols: S/2020/347, S/RES/1540 (2004), S/PRST/2004/..., S/AC.44/2004/(02)/20.
PRINTED_SYMBOL = re.compile(r"(?<![A-Za-z])[SA]/[A-Z0-9][A-Za-z0-9.()\-]*(?:/[A-Za-z0-9.()\-]+)+")
_RESOLUTION_YEAR = re.compile(r"(?<!\d)(\d{3,4})\s*[(（]\s*(\d{4})\s*[)）]")
_RESOLUTION_BARE = re.compile(r"第\s*(\d{3,4})\s*号决议|\bresolutions?\s+(\d{3,4})\b", re.IGNORECASE)
# Text addressed to the assistant rather than to the Committee's readers. A second line of
# defence behind quote verification, not a complete list: records never talk like this.
INSTRUCTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b[^.。\n]{0,40}?\b(?:instructions?|prompts?|rules)\b"
    r"|(?:忽略|无视|忘记|不要理会)[^。\n]{0,12}?(?:指示|指令|提示|规则|要求)"
    r"|\bsystem prompt\b|系统提示",
    re.IGNORECASE,
)


class ModelCitation(BaseModel):
    """One citation as the model wrote it, before it is checked."""

    # Models add keys of their own ("reason", "source"); they are ignored, not fatal.
    model_config = ConfigDict(extra="ignore")

    n: int = Field(description="The marker [n] in the answer text.")
    passage: int = Field(description="The number of the passage quoted, from 1.")
    quote: str = Field(description="Words the model claims the passage contains.")


class ModelReply(BaseModel):
    """The JSON object the answer prompt asks for."""

    model_config = ConfigDict(extra="ignore")

    answer: str
    supported: bool
    citations: list[ModelCitation] = Field(default_factory=list)


# The answer object as a JSON schema, for servers that constrain their output to one
# (OpenAI-compatible `response_format`, Ollama's `format`). Written out rather than
# generated: no $refs, every key required and no others, as strict modes demand.
ANSWER_SCHEMA: dict[str, object] = {
    "type": "object",
    "properties": {
        "answer": {"type": "string"},
        "supported": {"type": "boolean"},
        "citations": {"type": "array", "items": {
            "type": "object",
            "properties": {"n": {"type": "integer"}, "passage": {"type": "integer"},
                           "quote": {"type": "string"}},
            "required": ["n", "passage", "quote"], "additionalProperties": False}},
    },
    "required": ["answer", "supported", "citations"],
    "additionalProperties": False,
}


class MalformedReply(ValueError):
    """The model did not return the JSON object it was asked for."""


class RejectedReply(ValueError):
    """The reply is well formed but cannot be shown: unsupported by its passages."""


class Grounded(BaseModel):
    """An answer text whose every marker is backed by a verified citation."""

    model_config = ConfigDict(extra="forbid")

    text: str
    citations: list[Citation] = Field(default_factory=list)
    dropped: list[str] = Field(default_factory=list,
                               description="Why each dropped citation was dropped.")


def read_json_reply(raw: str, model: type[ReplyT], what: str) -> ReplyT:
    """The model's JSON object read as `model`, tolerating code fences, reasoning blocks
    and chatter around it; `MalformedReply` saying what is wrong (`what` names the
    expected object: "an answer object")."""
    text = _THINK.sub("", raw).strip()
    fenced = _FENCED.search(text)
    if fenced:
        text = fenced.group(1).strip()
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end < start:
        raise MalformedReply(f"no JSON object in the reply: {_excerpt(raw)!r}")
    try:
        return model.model_validate_json(text[start:end + 1])
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first["loc"]) or "reply"
        raise MalformedReply(f"the JSON is not {what} ({where}: {first['msg']})") from exc


def parse_reply(raw: str) -> ModelReply:
    """Read the answerer's JSON object."""
    return read_json_reply(raw, ModelReply, "an answer object")


def partial_answer(raw: str) -> str:
    """The "answer" text of a reply still being written, as far as it has come ("" before
    it starts, or while the model is still reasoning). A preview to show, never checked:
    the complete reply goes through `parse_reply` and `ground`."""
    from langchain_core.utils.json import parse_partial_json

    text = _THINK.sub("", raw)
    start = text.find("{")
    if start < 0 or "<think>" in text[:start].lower():
        return ""
    body = text[start:].split("```", 1)[0]
    try:
        parsed = parse_partial_json(body)
    except ValueError:  # not JSON after all (prose with a brace): nothing to preview
        return ""
    answer = parsed.get("answer") if isinstance(parsed, dict) else None
    return answer if isinstance(answer, str) else ""


def ground(reply: ModelReply, passages: Sequence[Passage], *, question: str,
           title_of: Callable[[Passage], str]) -> Grounded:
    """Keep what the passages support; raise `RejectedReply` when nothing honest remains."""
    text = reply.answer.strip()
    if not text:
        raise RejectedReply("the answer text is empty")
    if INSTRUCTION.search(text):
        raise RejectedReply("the answer repeats an instruction found in the retrieved text")
    if not reply.supported:
        text = _tidy(_MARKERS.sub("", text))
        _check_names(text, passages, question, in_text=False)
        return Grounded(text=text)

    kept: dict[int, tuple[Passage, str, bool]] = {}
    dropped: list[str] = []
    for c in reply.citations:
        problem = None
        if c.n in kept:
            problem = f"marker [{c.n}] is cited twice"
        elif not 1 <= c.passage <= len(passages):
            problem = f"passage {c.passage} does not exist"
        else:
            passage = passages[c.passage - 1]
            exact = locate_quote(c.quote, passage.text)
            if exact is None:
                problem = f"quote not found in passage {c.passage}"
            elif INSTRUCTION.search(passage.text):
                problem = f"passage {c.passage} holds instructions, shown only as data"
            else:
                kept[c.n] = (passage, exact, exact != c.quote.strip(QUOTE_EDGES))
        if problem:
            dropped.append(problem)
    if not kept:
        reasons = "; ".join(dict.fromkeys(dropped)) or "it gave none"
        raise RejectedReply(f"no citation could be verified ({reasons})")

    order: list[int] = []

    def renumber(match: re.Match[str]) -> str:
        numbers = [int(x) for x in re.findall(r"\d+", match.group(1) or match.group(2))]
        out = []
        for old in numbers:
            if old in kept:
                if old not in order:
                    order.append(old)
                out.append(f"[{order.index(old) + 1}]")
        lead = match.group(0)[0] if match.group(0)[0].isspace() else ""
        return lead + "".join(out) if out else ""

    text = _tidy(_MARKERS.sub(renumber, text))
    unmarked = [old for old in kept if old not in order]
    if unmarked:
        text += " " + "".join(f"[{len(order) + i}]" for i in range(1, len(unmarked) + 1))
        order.extend(unmarked)
    cited = [kept[old][0] for old in order]
    _check_names(text, cited, question)
    citations = [Citation.from_passage(n, kept[old][0], kept[old][1],
                                       title=title_of(kept[old][0]), tolerant=kept[old][2])
                 for n, old in enumerate(order, start=1)]
    return Grounded(text=text, citations=citations, dropped=dropped)


def _check_names(text: str, passages: Sequence[Passage], question: str, *,
                 in_text: bool = True) -> None:
    """Every symbol or resolution the answer names is in the question, in a passage's
    metadata, or (`in_text`: the passages are cited and verified) in a passage's text.

    A name drawn from retrieved text without a verified quote is how an injected "cite
    S/9999/1" would surface in an answer that claims the records are silent.
    """
    known = _compact(question + "".join(
        f"\n{p.text if in_text else ''}\n{p.symbol or ''}\n{p.locator}\n{p.doc_label}"
        for p in passages))
    for name in mentioned_names(text):
        if name in ALWAYS_KNOWN:
            continue
        found = re.search(rf"(?<!\d){re.escape(name)}(?!\d)", known) if name.isdigit() \
            else name in known
        if not found:
            raise RejectedReply(f"the answer names {name}, which none of its cited passages contains")


def mentioned_names(text: str) -> list[str]:
    """Document symbols and resolution numbers named in `text`, in a comparable form."""
    names = []
    for match in PRINTED_SYMBOL.finditer(text):
        symbol = match.group(0).rstrip(".-")
        while symbol.endswith(")") and symbol.count(")") > symbol.count("("):
            symbol = symbol[:-1]
        names.append(_compact(symbol))
    names += [f"{m.group(1)}({m.group(2)})" for m in _RESOLUTION_YEAR.finditer(text)]
    names += [m.group(1) or m.group(2) for m in _RESOLUTION_BARE.finditer(text)]
    return list(dict.fromkeys(names))


def _compact(text: str) -> str:
    return "".join(text.replace("（", "(").replace("）", ")").split())


def _tidy(text: str) -> str:
    text = re.sub(r"[ \t]+([。，；：！？、.,;:!?）)])", r"\1", text)
    return re.sub(r"[ \t]{2,}", " ", text).strip()


def _excerpt(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit] + "…"
