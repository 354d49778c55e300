"""The words a draft frames its facts with, in Chinese or English.

The phrases live in `prompts/draft_wording.toml` (one table per language, the same keys and
the same `{placeholders}` in each, checked when loaded), so staff can change how a note reads
without touching code. `Voice` renders them along with dates, names and locators: an English
note gets English dates and figures, and state names in English with the Chinese the records
print, where the glossary has them.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import string
import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from assistant import paths
from assistant.drafting.models import Language
from assistant.facts import MONTHS_EN, chinese_date, english_date
from assistant.render import english_locator
from index.errors import PromptError
from index.glossary import Glossary

WORDING_FILE = "draft_wording.toml"


class WordingFile(BaseModel):
    """`prompts/draft_wording.toml`."""

    model_config = ConfigDict(extra="forbid")

    description: str
    zh: dict[str, str] = Field(description="Phrase key → Chinese phrase.")
    en: dict[str, str] = Field(description="Phrase key → English phrase.")

    @model_validator(mode="after")
    def _same_keys_and_placeholders(self) -> WordingFile:
        if set(self.zh) != set(self.en):
            raise ValueError(f"keys only in zh: {sorted(set(self.zh) - set(self.en))}; "
                             f"only in en: {sorted(set(self.en) - set(self.zh))}")
        for key in self.zh:
            if _fields(self.zh[key]) != _fields(self.en[key]):
                raise ValueError(f"{key!r}: zh takes {sorted(_fields(self.zh[key]))}, "
                                 f"en takes {sorted(_fields(self.en[key]))}")
        return self


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@functools.cache
def load_wording(directory: Path | None = None) -> WordingFile:
    path = (directory or paths.shipped_prompts()) / WORDING_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return WordingFile.model_validate(data)
    except OSError as exc:
        raise PromptError(f"{path}: cannot read the drafting phrases ({exc.strerror})") from exc
    except (tomllib.TOMLDecodeError, ValueError) as exc:
        raise PromptError(f"{path}: {exc}; every phrase needs the same key and the same "
                          "{placeholders} in [zh] and [en]") from exc


class Voice:
    """Phrases, dates, names and locators in one language."""

    def __init__(self, language: Language, glossary: Glossary | None = None,
                 wording: WordingFile | None = None) -> None:
        self.language: Language = language
        self.en = language == "en"
        self.glossary = glossary
        wording = wording or load_wording()
        self._phrases = wording.en if self.en else wording.zh

    def __call__(self, key: str, **values: object) -> str:
        try:
            return self._phrases[key].format(**values)
        except KeyError as exc:
            raise PromptError(f"{WORDING_FILE}: phrase {key!r} lacks or does not take "
                              f"{exc}") from exc

    def __contains__(self, key: object) -> bool:
        return key in self._phrases

    # -- dates and figures -------------------------------------------------------------
    def date(self, day: dt.date | None) -> str:
        if day is None:
            return "—"
        return english_date(day) if self.en else chinese_date(day)

    def year(self, year: int | None) -> str:
        if year is None:
            return "—"
        return str(year) if self.en else f"{year}年"

    def month(self, day: dt.date) -> str:
        return f"{MONTHS_EN[day.month - 1]} {day.year}" if self.en else \
            f"{day.year}年{day.month}月"

    def span(self, start: dt.date | None, end: dt.date | None, printed: str = "") -> str:
        """An event's dates: as printed in a Chinese note, in English words otherwise."""
        if not self.en and printed:
            return printed
        if start is None:
            return printed or "—"
        if end is None or end == start:
            return self.date(start)
        if not self.en:
            return f"{self.date(start)}至{self.date(end)}"
        if (start.year, start.month) == (end.year, end.month):
            return f"{start.day}–{end.day} {MONTHS_EN[end.month - 1]} {end.year}"
        if start.year == end.year:
            return f"{start.day} {MONTHS_EN[start.month - 1]}–{english_date(end)}"
        return f"{english_date(start)}–{english_date(end)}"

    def period(self, first: int, last: int) -> str:
        return f"{first}–{last}" if self.en else f"{first}—{last}年"

    def join(self, items: list[str]) -> str:
        if not self.en:
            return "、".join(items)
        if len(items) <= 2:
            return " and ".join(items)
        return ", ".join(items[:-1]) + " and " + items[-1]

    # -- names and places ----------------------------------------------------------------
    def name(self, zh: str) -> str:
        """A state's or organisation's name: Chinese as printed; in English the glossary's
        English name, else the Chinese."""
        if not self.en or self.glossary is None:
            return zh
        return self.glossary.english_name(zh) or zh

    def state(self, zh: str, en: str | None, *, both: bool = False) -> str:
        """A state named in the note: in English 'Botswana', or 'Botswana (博茨瓦纳)' where
        both names help (titles, first mention)."""
        if not self.en:
            return zh
        if en is None:
            return zh
        return f"{en} ({zh})" if both else en

    def names(self, cell: str) -> str:
        """A cell listing names ('日本\\n南非', '欧安组织、裁军事务厅d'): each one in the
        note's language."""
        parts = [p.strip() for p in re.split(r"[\n、/]", cell) if p.strip()]
        return self.join([self.name(re.sub(r"(?<=[\u4e00-\u9fff])[a-z]$", "", p))
                          for p in parts])

    def locator(self, locator: str) -> str:
        if not self.en:
            return locator
        return re.sub(r"（(\d+)行）", r" (\1 rows)", english_locator(locator))

