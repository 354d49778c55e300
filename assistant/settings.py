"""Settings: defaults, then the TOML config file, then environment variables.

Environment variables use the prefix ``COMMITTEE_ASSISTANT_`` and ``__`` for nesting, e.g.
``COMMITTEE_ASSISTANT_INDEX__DIR=/srv/index``. ``COMMITTEE_ASSISTANT_CONFIG`` names the
config file (default: ``config.toml`` in the assistant's home folder).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from assistant import paths
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


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="COMMITTEE_ASSISTANT_", env_nested_delimiter="__", extra="forbid",
    )

    index: IndexSettings = Field(default_factory=IndexSettings,
                                 description="Where the index lives and what it is built from.")
    search: SearchSettings = Field(default_factory=SearchSettings,
                                   description="Embeddings, vector store, BM25 and fusion.")

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
