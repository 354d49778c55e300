"""Where the assistant keeps its files: one place decides, everything else asks here.

``COMMITTEE_ASSISTANT_HOME`` moves everything (the Makefile points it into the checkout,
tests point it at a temporary folder); otherwise the platform's user data folder is used.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "committee-assistant"
HOME_ENV = "COMMITTEE_ASSISTANT_HOME"
CONFIG_ENV = "COMMITTEE_ASSISTANT_CONFIG"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def home() -> Path:
    given = os.environ.get(HOME_ENV)
    return Path(given).expanduser() if given else Path(platformdirs.user_data_dir(APP_NAME))


def index_dir() -> Path:
    return home() / "index"


def conversations_file() -> Path:
    return home() / "conversations.sqlite"


def config_file() -> Path:
    given = os.environ.get(CONFIG_ENV)
    return Path(given).expanduser() if given else home() / "config.toml"


def shipped_corpus() -> Path:
    """The committee records the project ships."""
    return PROJECT_ROOT / "data" / "corpus"


def shipped_metadata() -> Path:
    return PROJECT_ROOT / "data" / "documents.toml"


def shipped_glossary() -> Path:
    return PROJECT_ROOT / "data" / "glossary"


def shipped_prompts() -> Path:
    """The prompt and answer templates, one file each (see `assistant.prompts`)."""
    return PROJECT_ROOT / "prompts"
