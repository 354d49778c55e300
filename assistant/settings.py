"""Settings: defaults, then the TOML config file, then environment variables.

Environment variables use the prefix ``COMMITTEE_ASSISTANT_`` and ``__`` for nesting, e.g.
``COMMITTEE_ASSISTANT_INDEX__DIR=/srv/index``. ``COMMITTEE_ASSISTANT_CONFIG`` names the
config file (default: ``config.toml`` in the assistant's home folder).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Literal

import tomli_w
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from assistant import paths
from assistant.llm_settings import LLMSettings
from index.errors import SettingsError
from index.search_index import SearchSettings


class IndexSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    dir: Path = Field(default_factory=paths.index_dir,
                      description="Folder holding the document, record and search stores.")
    metadata_file: Path = Field(default_factory=paths.shipped_metadata,
                                description="TOML file that fills or overrides document metadata.")
    corpus: Path = Field(default_factory=paths.shipped_corpus,
                         description="Records ingested by `make run` when the index is empty.")
    glossary: Path = Field(default_factory=paths.shipped_glossary,
                           description="Folder of the bilingual glossary (states.tsv, terms.tsv).")
    embedding_cache: Path | None = Field(
        None, description="Folder of the embedding cache (default: `cache` inside `dir`). "
                          "Index folders may share one: entries are keyed by model id and text.")

    @property
    def embedding_cache_dir(self) -> Path:
        return self.embedding_cache or self.dir / "cache"


class AnswerSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    backend: Literal["extractive", "llm"] = Field(
        "extractive", description="extractive: quotes the records, no model needed; "
                                  "llm: a LangChain chat model writes, citations verified.")
    k: int = Field(12, description="Passages retrieved for each question.")
    llm: LLMSettings = Field(default_factory=LLMSettings,
                             description="The chat model used when backend is 'llm'.")
    min_coverage: float = Field(
        0.4, description="Without a trained ranker (assistant/ranker.json, written by `make "
                         "train`): the share of what a question names (weighted by rarity) "
                         "that the quoted sentence and its passage must hold before it counts "
                         "as an answer. With one, its learned threshold decides.")


class UISettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    language: Literal["zh", "en"] | None = Field(
        None, description="Language of the terminal UI's own text (zh or en); default: the "
                          "locale's (Chinese when LANG starts with zh, else English).")
    theme: str = Field("textual-dark", description="Textual theme of the terminal UI, e.g. "
                                                   "textual-dark, textual-light, nord.")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="COMMITTEE_ASSISTANT_", env_nested_delimiter="__", extra="forbid",
    )

    index: IndexSettings = Field(default_factory=IndexSettings,
                                 description="Where the index lives and what it is built from.")
    search: SearchSettings = Field(default_factory=SearchSettings,
                                   description="Embeddings, vector store, BM25 and fusion.")
    answer: AnswerSettings = Field(default_factory=AnswerSettings,
                                   description="How questions are answered.")
    ui: UISettings = Field(default_factory=UISettings,
                           description="Language and theme of the terminal UI.")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, _ConfigFile(settings_cls))

    def shown(self) -> str:
        """The settings in effect as TOML, keys redacted (what `config show` prints)."""
        return tomli_w.dumps(self.model_dump(mode="json", exclude_none=True))


class _ConfigFile(TomlConfigSettingsSource):
    """The TOML config file, which must not hold keys: it is shared, copied and backed up."""

    def __init__(self, settings_cls: type[BaseSettings]) -> None:
        path = paths.config_file()
        try:
            super().__init__(settings_cls, toml_file=path)
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"{path} is not valid TOML ({exc})") from exc
        found = list(_key_entries(self.toml_data))
        if found:
            raise SettingsError(
                f"{path} holds {', '.join(found)}: API keys belong in the environment "
                "(e.g. COMMITTEE_ASSISTANT_ANSWER__LLM__API_KEY) or in a key file readable "
                "only by you (`api_key_file`, chmod 600); remove the key from the file")


def _key_entries(table: Mapping[str, Any], prefix: str = "") -> Iterator[str]:
    for key, value in table.items():
        if isinstance(value, Mapping):
            yield from _key_entries(value, f"{prefix}{key}.")
        elif key == "api_key":
            yield f"{prefix}{key}"


def load_settings() -> Settings:
    """Settings from the environment and the config file; `SettingsError` naming every
    value that is wrong and where to fix it (the CLI and TUI show it as one line)."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc']) or 'settings'}: {error['msg']}"
            for error in exc.errors())
        raise SettingsError(
            f"invalid settings ({problems}): fix {paths.config_file()} or the "
            "COMMITTEE_ASSISTANT_ environment variables") from exc
