"""Document metadata: what the text shows, then what `data/documents.toml` says.

The text shows the symbol (in page headers), the date and title (the opening line), the
sender (``……主席给……的信``, ``……代表团给……的普通照会``), the type (from its wording) and the
language of the original (``[原件：英文]``). The metadata file fills or overrides the rest;
a symbol the text does not show stays empty unless that file gives it.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections import Counter
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from index.errors import IngestError
from index.metadata_text import (
    HEAD_LINES,
    Found,
    english_annex_title,
    english_transmitted,
    english_type,
    language_of,
    masthead_date,
    read_opening,
)
from index.models import META_FIELDS, DocumentMeta, DocumentType
from index.text import is_furniture, normalize_spacing

_SYMBOL = re.compile(r"^\s*([SA]/(?:[A-Z0-9.]+/)*\d{4}/\d+(?:/Add\.\d+)?)\s*$")
METADATA_FILE = "documents.toml"
SIDECAR_SUFFIX = ".meta.toml"
_ANNEX = re.compile(r"^\s*附\s*件\s*$")
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_SENDER = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日(.+?)给.+?的(?:信|普通照会)")
_ORIGINAL = re.compile(r"[\[【]原件[:：]\s*(\S+?)[\]】]")
_ORIGINAL_EN = re.compile(r"Original:\s*([A-Z][a-z]+)")
_LANGUAGES_EN = {"chinese": "zh", "english": "en", "french": "fr", "russian": "ru",
                 "spanish": "es", "arabic": "ar"}
_LANGUAGE_NAMES_EN = {code: name for name, code in _LANGUAGES_EN.items()}
_LANGUAGES = {"中文": "zh", "英文": "en", "法文": "fr", "俄文": "ru", "西班牙文": "es",
              "阿拉伯文": "ar"}
# Wording → type, most specific first.
_TYPE_WORDS: list[tuple[str, DocumentType]] = [
    ("全面审查", DocumentType.COMPREHENSIVE_REVIEW),
    ("工作方案", DocumentType.PROGRAMME_OF_WORK),
    ("审查报告", DocumentType.ANNUAL_REVIEW),
    ("年度审查", DocumentType.ANNUAL_REVIEW),
    ("发言", DocumentType.STATEMENT),
    ("普通照会", DocumentType.NOTE_VERBALE),
    ("通报", DocumentType.BRIEFING),
    ("国家报告", DocumentType.NATIONAL_REPORT),
    ("的信", DocumentType.LETTER),
]


class MetadataOverride(BaseModel):
    """One entry of data/documents.toml: every field optional, unknown keys refused."""

    model_config = ConfigDict(extra="forbid")

    id: str | None = None
    symbol: str | None = None
    date: dt.date | None = None
    doc_type: DocumentType | None = None
    title: str | None = None
    language: str | None = None
    original_language: str | None = None
    author: str | None = None


def load_overrides(path: Path) -> dict[str, MetadataOverride]:
    """Read the metadata file: a table per original file name."""
    if not path.exists():
        return {}
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        return {name: MetadataOverride.model_validate(entry) for name, entry in raw.items()}
    except (tomllib.TOMLDecodeError, ValidationError) as exc:
        raise IngestError(path, f"metadata file is invalid: {exc}") from exc


def sidecar_path(path: Path) -> Path:
    """A file's own metadata file: ``report.docx`` → ``report.docx.meta.toml``."""
    return path.with_name(f"{path.name}{SIDECAR_SUFFIX}")


def load_sidecar(path: Path) -> MetadataOverride:
    """Read a sidecar: the fields of one `MetadataOverride` at the top level."""
    try:
        return MetadataOverride.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError) as exc:
        raise IngestError(path, f"cannot read the metadata sidecar ({exc})") from exc
    except (tomllib.TOMLDecodeError, ValidationError) as exc:
        raise IngestError(path, f"metadata sidecar is invalid: {exc}") from exc


def detect_metadata(
    lines: list[str], *, original_file: str, overrides: dict[str, object] | None = None
) -> DocumentMeta:
    """What the text shows, with where each field came from; `overrides` (options or a
    sidecar) win and are marked as given."""
    content = [line for line in lines if line.strip()]
    language = language_of(content)
    opening = read_opening(lines, language)
    found = Found()
    found.put("symbol", _symbol(lines))
    for name, value in opening.values.items():
        found.put(name, value, opening.provenance[name])
    if language == "zh":
        _chinese_letter(content, found)
    else:
        annex = english_annex_title(content)
        found.put("doc_type", english_type(annex, english_transmitted(content),
                                           str(found.values.get("title", ""))), "guessed")
    found.put("language", language)
    sample = normalize_spacing(" ".join(content[:80]))
    detected: dict[str, object] = {
        "id": Path(original_file).stem,
        "original_file": original_file,
        "title": "",
        "doc_type": DocumentType.OTHER,
        **found.values,
    }
    if match := _ORIGINAL.search(sample):
        detected["original_language"] = _LANGUAGES.get(match.group(1), match.group(1))
    elif (match := _ORIGINAL_EN.search(sample)) and match.group(1).lower() != \
            _LANGUAGE_NAMES_EN.get(language, ""):
        detected["original_language"] = _LANGUAGES_EN.get(match.group(1).lower(), match.group(1))
    provenance = dict(found.provenance)
    given = {k: v for k, v in (overrides or {}).items() if v is not None}
    provenance |= {k: "given" for k in given if k in META_FIELDS}
    if "doc_type" in provenance and detected["doc_type"] is DocumentType.OTHER \
            and provenance["doc_type"] != "given":
        del provenance["doc_type"]
    return DocumentMeta.model_validate({**detected, **given, "provenance": provenance})


def _chinese_letter(content: list[str], found: Found) -> None:
    """A Chinese covering letter's opening line: "2020年5月5日……给……的信", its sender,
    and the type from what it transmits (the shipped records are read this way)."""
    opening = _opening_line(content)
    found.put("title", opening, "guessed" if not _DATE.match(opening) else "text")
    if match := _DATE.match(opening):
        found.put("date", dt.date(*(int(g) for g in match.groups())))
    if match := _SENDER.match(opening):
        found.put("author", match.group(1))
    annex_title = _annex_title(content)
    found.put("doc_type", _doc_type(annex_title) or _doc_type(_transmitted(content))
              or _doc_type(opening), "guessed")
    found.put("date", masthead_date(content[:HEAD_LINES]), "guessed")


def _symbol(lines: list[str]) -> str | None:
    """The symbol printed alone in page headers; the most frequent one wins."""
    found = Counter(m.group(1) for line in lines if (m := _SYMBOL.match(line)))
    return found.most_common(1)[0][0] if found else None


def _opening_line(content: list[str]) -> str:
    """The document's first sentence-like line, rejoined if the PDF wrapped it."""
    pieces: list[str] = []
    for line in content:
        if is_furniture(line):
            continue
        if not pieces and (not _DATE.search(line) or _DATE.fullmatch(line.strip())):
            continue  # masthead lines (a date alone among them) before the dated opening
        pieces.append(line.strip())
        if line[-1:].isspace() or len("".join(pieces)) > 120 or line.rstrip().endswith(("信", "照会")):
            break
    if not pieces:
        return next((normalize_spacing(line) for line in content if not is_furniture(line)), "")
    return normalize_spacing("".join(pieces))


def _annex_title(content: list[str]) -> str:
    """The heading under the first annex marker: it names what the letter transmits."""
    for i, line in enumerate(content):
        if _ANNEX.match(line) or line.rstrip().endswith("的附件"):
            following = [x.strip() for x in content[i + 1:i + 6] if not is_furniture(x)]
            return normalize_spacing("".join(following[:3]))
    return ""


def _transmitted(content: list[str]) -> str:
    """What the covering letter says it transmits: ``随函转递……(见附件)``."""
    for i, line in enumerate(content[:40]):
        if "随函" in line:
            joined = normalize_spacing("".join(x.strip() for x in content[i:i + 4]))
            after = joined[joined.index("随函"):]
            return re.split(r"[(（]见附件[)）]|。", after)[0]
    return ""


def _doc_type(text: str) -> DocumentType | None:
    for word, doc_type in _TYPE_WORDS:
        if word in text:
            return doc_type
    return None
