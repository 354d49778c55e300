"""Prompts and answer templates are files in `prompts/`, loaded by name and checked on load.

Each file is a Jinja2 template with a TOML header between `+++` lines that declares what
the template is for and the values it takes::

    +++
    description = "System prompt of the LLM answerer."
    placeholders = ["language"]
    +++
    You answer questions about ...  {{ language }} ...

`load_prompt` refuses a file whose template uses a value it does not declare, or declares
one it never uses, so a typo in an edited prompt fails when the assistant starts rather
than as an empty string in front of a model. `Prompt.render` refuses unknown and missing
values for the same reason. Rendering is strict: an undefined attribute is an error too.
"""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from assistant import paths
from index.errors import PromptError

SUFFIX = ".md"
_FENCE = "+++"


class PromptHeader(BaseModel):
    """The TOML header of a prompt file."""

    model_config = ConfigDict(extra="forbid")

    description: str = Field(description="What the prompt is for, in one line.")
    placeholders: list[str] = Field(default_factory=list,
                                    description="The values `render` takes, by name.")


class Prompt(BaseModel):
    """One loaded, checked template."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(description="The file name without `.md`, e.g. 'answer_system'.")
    path: Path = Field(description="The file it was loaded from, named in every error.")
    description: str = Field(description="From the header.")
    placeholders: frozenset[str] = Field(description="Exactly the names the template uses.")
    source: str = Field(description="The template text after the header.")
    _template: jinja2.Template = PrivateAttr()

    def model_post_init(self, context: Any, /) -> None:
        self._template = _environment().from_string(self.source)

    def render(self, **values: Any) -> str:
        """The template filled with `values`; every declared placeholder, and nothing else."""
        given = set(values)
        unknown, missing = given - self.placeholders, self.placeholders - given
        if unknown or missing:
            raise PromptError(
                f"{self.path}: render() got unknown {sorted(unknown)} and lacks {sorted(missing)}; "
                f"the template takes {sorted(self.placeholders)}")
        try:
            return self._template.render(**values).strip() + "\n"
        except jinja2.TemplateError as exc:
            raise PromptError(f"{self.path}: rendering failed: {exc}") from exc


@functools.cache
def _environment() -> jinja2.Environment:
    # Plain text for a model, not HTML: no autoescape. StrictUndefined turns a missing
    # attribute (a renamed Passage field, say) into an error instead of an empty string.
    return jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False,
                              trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def load_prompt(name: str, directory: Path | None = None) -> Prompt:
    """Load `prompts/<name>.md` and check that its template uses exactly the declared values."""
    path = (directory or paths.shipped_prompts()) / f"{name}{SUFFIX}"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PromptError(f"{path}: cannot read the prompt file ({exc.strerror}); "
                          f"prompts available: {', '.join(available_prompts(path.parent))}") from exc
    header, source = _split_header(path, text)
    try:
        used = jinja2.meta.find_undeclared_variables(_environment().parse(source))
    except jinja2.TemplateSyntaxError as exc:
        raise PromptError(f"{path}: template syntax error on line {exc.lineno}: {exc.message}") from exc
    declared = set(header.placeholders)
    if used != declared:
        raise PromptError(
            f"{path}: the template uses {sorted(used)} but the header declares "
            f"{sorted(declared)}; undeclared: {sorted(used - declared)}, "
            f"unused: {sorted(declared - used)}. Make `placeholders` match the template.")
    return Prompt(name=name, path=path, description=header.description,
                  placeholders=frozenset(declared), source=source)


def available_prompts(directory: Path | None = None) -> list[str]:
    """The names `load_prompt` accepts: every `*.md` file in the prompts folder."""
    folder = directory or paths.shipped_prompts()
    return sorted(p.stem for p in folder.glob(f"*{SUFFIX}"))


def _split_header(path: Path, text: str) -> tuple[PromptHeader, str]:
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != _FENCE:
        raise PromptError(f"{path}: a prompt file starts with a TOML header between '{_FENCE}' "
                          f"lines (description, placeholders)")
    try:
        end = next(i for i, line in enumerate(lines[1:], start=1) if line.strip() == _FENCE)
    except StopIteration:
        raise PromptError(f"{path}: the TOML header is not closed by a '{_FENCE}' line") from None
    try:
        header = PromptHeader.model_validate(tomllib.loads("".join(lines[1:end])))
    except (tomllib.TOMLDecodeError, ValueError) as exc:
        raise PromptError(f"{path}: bad TOML header: {exc}") from exc
    return header, "".join(lines[end + 1:])
