"""Rewording a draft with a language model, under the answers' citation checks.

The drafter writes every note without a model. When the LLM backend is chosen (or a chat
model is passed), the prose lines (purpose, key points, background, open issues,
highlights) are offered to the model with the numbered sources each rests on, fenced as
data (`prompts/draft_reword_system.md`, `draft_reword_user.md`); it answers with a JSON
object of reworded lines and the quotes they rest on. Each reworded line replaces the
drafted one only if it passes `line_checks.problem`; otherwise the drafted line stays, so a
note never loses a sourced point. A line keeps its own citations, so the numbered sources,
the tables, the chronology, the key figures and the chart are exactly the drafter's.

Whatever goes wrong with the model (it cannot be set up, times out, answers prose or
nothing) the drafted note is returned with a note to the editor saying why.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from assistant.drafting.line_checks import ModelLine, clean, problem
from assistant.drafting.models import Draft, DraftLine, Rewording, SectionKey
from assistant.drafting.wording import Voice
from assistant.grounding import MalformedReply, read_json_reply
from assistant.llm import describe_failure, one_line
from assistant.llm_call import complete
from assistant.prompts import load_prompt
from index.errors import BackendError

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import BaseMessage

    from assistant.api import Assistant

log = logging.getLogger(__name__)

PROSE: tuple[SectionKey, ...] = ("purpose", "key_points", "background", "open_issues",
                                 "highlights")
QUOTE_SHOWN = 400  # characters of a source shown to the model (a 50-row span is long)
_FENCE_TAG = re.compile(r"<(\s*/?\s*(?:draft_lines|line|source)\b)", re.IGNORECASE)


class PromptSource(BaseModel):
    model_config = ConfigDict(extra="forbid")

    n: int
    locator: str
    date: str | None = None
    quote: str


class PromptLine(BaseModel):
    """A drafted line as the rewording prompt shows it: an id, and its sources fenced as data."""

    model_config = ConfigDict(extra="forbid")

    id: str
    section: SectionKey
    text: str
    framing: bool = False
    sources: list[PromptSource] = Field(default_factory=list)


class ModelRewording(BaseModel):
    """The JSON object the rewording prompt asks for."""

    model_config = ConfigDict(extra="ignore")

    lines: list[ModelLine]


def prose_lines(draft: Draft) -> list[tuple[PromptLine, DraftLine]]:
    """The lines a model may reword, with their ids ("L1" …) in reading order."""
    out: list[tuple[PromptLine, DraftLine]] = []
    for section in draft.sections:
        if section.key not in PROSE:
            continue
        for line in [*section.paragraphs, *section.bullets]:
            sources = [PromptSource(n=n, locator=_as_data(c.locator), date=c.date,
                                    quote=_as_data(_shown(c.quote)))
                       for n in line.citations for c in [draft.citation(n)]]
            out.append((PromptLine(id=f"L{len(out) + 1}", section=section.key,
                                   text=_as_data(line.text), framing=line.framing,
                                   sources=sources), line))
    return out


def messages(draft: Draft, lines: Sequence[PromptLine],
             prompts_dir: Path | None = None) -> list[BaseMessage]:
    """The system and user messages of one rewording request (public for tests)."""
    from langchain_core.messages import HumanMessage, SystemMessage

    system = load_prompt("draft_reword_system", prompts_dir)
    user = load_prompt("draft_reword_user", prompts_dir)
    return [SystemMessage(system.render(language=draft.language)),
            HumanMessage(user.render(title=_as_data(draft.title), draft_lines=list(lines)))]


def reword(assistant: Assistant, draft: Draft, llm: BaseChatModel | bool | None = None, *,
           prompts_dir: Path | None = None) -> Draft:
    """`draft` with its prose in the model's words where they pass the checks; `draft`
    itself when no model is asked, with a note when the model failed. `llm`: None, as the
    settings say (`answer.backend`); False, never; True, the settings' model whatever the
    backend; a chat model, that one."""
    if llm is False or not draft.found:
        return draft
    if llm is None and assistant.settings.answer.backend != "llm":
        return draft
    voice = Voice(draft.language)
    try:
        model, name = _model(assistant, llm)
    except BackendError as exc:
        return _noted(draft, voice("llm_not_used",
                                   reason=one_line(str(exc), assistant.settings.answer.llm)))
    offered = prose_lines(draft)
    if not offered:
        return draft
    ex = None
    try:
        settings = assistant.settings.answer.llm
        ex = complete(model, messages(draft, [p for p, _ in offered], prompts_dir), settings,
                      max_tokens=reword_bound(settings.max_tokens, [p.text for p, _ in offered]))
        reply = _read(ex.text)
    except MalformedReply as exc:
        cut = "; the reply stopped at its token bound" if ex and ex.finish == "length" else ""
        return _noted(draft, voice("llm_not_used", reason=f"{exc}{cut}"))
    except Exception as exc:  # any failure of the model server keeps the drafted note
        reason = describe_failure(exc, assistant.settings.answer.llm)
        log.warning("rewording with %s: %s", name, reason)
        return _noted(draft, voice("llm_not_used", reason=reason))

    reworded = draft.model_copy(deep=True)
    lines = dict(zip((p.id for p, _ in offered), _prose(reworded), strict=True))
    done: set[str] = set()
    rejected: list[str] = []
    rewritten = 0
    for line in reply.lines:
        key = line.id.strip()
        key = f"L{key}" if key.isdigit() else key  # "id": 3 for "L3"
        target = lines.get(key)
        if target is None or key in done:
            continue  # an id the prompt never gave, or given twice: the first one counts
        done.add(key)
        why = problem(target, line, draft.citations)
        if why is not None:
            rejected.append(f"{key} ({why})")
        elif (text := _capitalised(line.text, draft.language)) != target.text:
            target.text = text
            rewritten += 1
    if not done:
        return _noted(draft, voice("llm_not_used", reason="the reply rewords no line of the "
                                                          "draft"))
    notes = list(reworded.notes)
    if rejected:
        notes.append(voice("llm_lines_kept", n=len(rejected), reasons="; ".join(rejected)))
    if reworded.unbacked():  # cannot happen (citations are untouched); never ship it if it does
        return _noted(draft, voice("llm_not_used", reason="internal check failed"))
    return reworded.model_copy(update={
        "backend": "llm" if rewritten else "extractive", "notes": notes,
        "rewording": Rewording(model=name, offered=len(offered), rewritten=rewritten,
                               rejected=rejected)})


def reword_bound(max_tokens: int, lines: list[str]) -> int:
    """Tokens a rewording of `lines` may take: each line again, at up to one token a
    character (Chinese), with its JSON around it; never less than an answer's bound."""
    return max(max_tokens, sum(len(line) + 24 for line in lines) + 64)


def _model(assistant: Assistant, llm: BaseChatModel | bool | None
           ) -> tuple[BaseChatModel, str]:
    """The chat model to ask and the name the draft records for it."""
    if llm is None or isinstance(llm, bool):
        return assistant.drafting_model(), assistant.settings.answer.llm.model
    name = getattr(llm, "model_name", None) or getattr(llm, "model", None)
    return llm, name if isinstance(name, str) else type(llm).__name__


def _prose(draft: Draft) -> list[DraftLine]:
    return [line for s in draft.sections if s.key in PROSE
            for line in [*s.paragraphs, *s.bullets]]


def _read(raw: str) -> ModelRewording:
    """The model's JSON object of reworded lines."""
    reply = read_json_reply(raw, ModelRewording, "a list of reworded lines")
    if not reply.lines:
        raise MalformedReply("the reply rewords no line")
    return reply


def _noted(draft: Draft, note: str) -> Draft:
    return draft.model_copy(update={"notes": [*draft.notes, note]})


def _capitalised(text: str, language: str) -> str:
    text = clean(text)
    return text[0].upper() + text[1:] if language == "en" and text else text


def _shown(quote: str) -> str:
    return quote if len(quote) <= QUOTE_SHOWN else quote[:QUOTE_SHOWN - 1] + "…"


def _as_data(text: str) -> str:
    """Text a tag of the prompt's could close the data section with, defanged."""
    return _FENCE_TAG.sub(r"‹\1", text)
