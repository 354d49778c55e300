"""Settings: defaults, then the TOML config file, then environment variables.

Environment variables use the prefix ``COMMITTEE_ASSISTANT_`` and ``__`` for nesting, e.g.
``COMMITTEE_ASSISTANT_INDEX__DIR=/srv/index``. ``COMMITTEE_ASSISTANT_CONFIG`` names the
config file (default: ``config.toml`` in the assistant's home folder).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from assistant import paths
from assistant.llm import LLMSettings
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
    k: int = Field(10, description="Passages retrieved for each question.")
    llm: LLMSettings = Field(default_factory=LLMSettings,
                             description="The chat model used when backend is 'llm'.")
    min_coverage: float = Field(
        0.4, description="Share of what a question names (weighted by rarity) that the quoted "
                         "sentence and its passage must hold before it counts as an answer.")


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
        toml = TomlConfigSettingsSource(settings_cls, toml_file=paths.config_file())
        return (init_settings, env_settings, toml)
