"""What a document's own opening says it is, for the kinds of document that are not a
covering letter in Chinese (those are read by `index.metadata`): resolutions, presidential
statements, press releases, national reports, and any document in English.

Each reader returns the fields it found with where each came from (`Provenance`): printed
in the text ("text"), or inferred from wording or layout ("guessed": a resolution's symbol
built from its heading, a date taken from the masthead). Nothing is invented: a field the
text does not show is left out.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from index.models import DocumentType, Provenance
from index.text import CJK_CHAR, MONTHS_EN, month_number, normalize_spacing

HEAD_LINES = 16  # non-blank lines in which a document announces what it is
EN_DATE = re.compile(rf"\b(\d{{1,2}})\s+({'|'.join(MONTHS_EN)})\s+(\d{{4}})\b", re.IGNORECASE)
ZH_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
# A symbol as mastheads print them, resolutions with their year: S/RES/2788 (2025).
_SYMBOL = (r"(S/RES/\d{1,4}\s*\(\d{4}\)|S/PRST/\d{4}/\d+|SC/\d{4,6}"
           r"|[SA]/(?:[A-Z0-9.]+/)*\d{4}/\d+(?:/Add\.\d+)?)")
# On a masthead line: alone, after "United Nations"/"联合国"/"Press Release", or set apart
# from the rest of the line by a wide gap (never inside a sentence: "（S/2020/347）的发言").
_MASTHEAD_SYMBOL = re.compile(
    rf"(?:^|\s{{2,}}|\u3000|^\s*(?:United Nations|联合国|Press Release)\s+){_SYMBOL}"
    r"(?=\s{2,}|\u3000|\s*$)")
_RES_HEADING = re.compile(
    r"^\s*(?:Resolution\s+(\d{1,4})\s*\((\d{4})\)|第\s*(\d{1,4})\s*[(（]\s*(\d{4})\s*[)）]\s*号决议)\s*$",
    re.IGNORECASE)
_ADOPTED_EN = re.compile(r"Adopted by the Security Council at its \d+\w*\s+meeting,?\s+on\s+(.+)",
                         re.IGNORECASE)
_ADOPTED_ZH = re.compile(r"安全理事会于(.+?)第\s*\d+\s*次会议通过")
_PRST_HEADING = re.compile(r"^\s*(?:Statement by the President of the Security Council|"
                           r"安全理事会主席(?:的)?声明)\s*$", re.IGNORECASE)
_MEETING_EN = re.compile(r"At (?:its|the) \d+\w*\s+meeting(?: of the Security Council)?,?\s+"
                         r"held on\s+(\d{1,2}\s+\w+\s+\d{4})", re.IGNORECASE)
_MEETING_ZH = re.compile(r"在(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)举行的第\s*\d+\s*次会议上")
_PRESS = re.compile(r"^\s*(?:Press Release|新闻稿)\b", re.IGNORECASE)
_DATELINE = re.compile(r"^[A-Z][A-Z .]+,\s+(\d{1,2}\s+\w+\s+\d{4})\s+[—–-]")
# "Letter dated 27 May 2026 from the Chair of ... addressed to the President of ..."
_DATED_EN = re.compile(
    r"^\s*(?P<kind>(?:Identical )?letters?|Note verbale) dated (?P<date>\d{1,2}\s+\w+\s+\d{4})"
    r"(?: from (?P<author>.+?))?(?: addressed to .*|$)", re.IGNORECASE)
_REPORT_OF = re.compile(r"^\s*(?:National )?Report of (?:the )?(?P<state>.+?) on the implementation",
                        re.IGNORECASE)
_REPORT_ZH = re.compile(r"^(?P<state>\S{2,12}?)关于执行.*?国家报告\s*$")
_MASTHEAD_LINE = re.compile(
    r"^\s*(?:United Nations|联合国|Security Council|安全理事会|General Assembly|Distr\.:.*|"
    r"Original:.*|Chinese|English|French|Press Release.*|[\d\sA-Za-z]*\d{4}\s*$|"
    r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)(?:\s{2,}.*)?$")
# Wording → type in English, most specific first (the Chinese list is in `index.metadata`).
TYPE_WORDS_EN: list[tuple[str, DocumentType]] = [
    ("comprehensive review", DocumentType.COMPREHENSIVE_REVIEW),
    ("programme of work", DocumentType.PROGRAMME_OF_WORK),
    ("program of work", DocumentType.PROGRAMME_OF_WORK),
    ("annual review", DocumentType.ANNUAL_REVIEW),
    ("national report", DocumentType.NATIONAL_REPORT),
    ("briefing", DocumentType.BRIEFING),
    ("note verbale", DocumentType.NOTE_VERBALE),
    ("statement", DocumentType.STATEMENT),
    ("letter dated", DocumentType.LETTER),
]
_TRANSMIT_EN = re.compile(r"(?:transmit|enclose)\w*\s+(?:herewith\s+)?(.+?)(?:\(see annex\)|\.)",
                          re.IGNORECASE)
_ANNEX_EN = re.compile(r"^\s*Annex(?:\s+[IVXL]+|\s+\d+)?\s*$")


@dataclass
class Found:
    """Fields read from the text, and where each came from."""

    values: dict[str, object] = field(default_factory=dict)
    provenance: dict[str, Provenance] = field(default_factory=dict)

    def put(self, name: str, value: object, how: Provenance = "text") -> None:
        if value not in (None, "") and name not in self.values:
            self.values[name] = value
            self.provenance[name] = how


def language_of(content: list[str]) -> str:
    """Chinese when ideographs carry the text; English otherwise (a Chinese record's
    masthead and symbols are Latin, but a Chinese word is one character, an English one
    about five letters)."""
    sample = "".join(content[:200])
    cjk = len(CJK_CHAR.findall(sample))
    latin = sum(ch.isascii() and ch.isalpha() for ch in sample)
    return "zh" if cjk * 3 >= latin else "en"


def en_date(text: str) -> dt.date | None:
    match = EN_DATE.search(text)
    if not match:
        return None
    try:
        return dt.date(int(match.group(3)), month_number(match.group(2)),
                       int(match.group(1)))
    except ValueError:
        return None


def zh_date(text: str) -> dt.date | None:
    match = ZH_DATE.search(text)
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def any_date(text: str) -> dt.date | None:
    return zh_date(text) or en_date(text)


def masthead_symbol(head: list[str]) -> str | None:
    """A symbol printed on a masthead line (beside "United Nations", or set apart)."""
    for line in head:
        if match := _MASTHEAD_SYMBOL.search(line):
            return normalize_symbol(match.group(1))
    return None


def normalize_symbol(symbol: str) -> str:
    """Resolutions as the UN prints them: S/RES/2788 (2025)."""
    if match := re.fullmatch(r"S/RES/(\d{1,4})\s*\((\d{4})\)", symbol.strip()):
        return f"S/RES/{match.group(1)} ({match.group(2)})"
    return symbol.strip()


def masthead_date(head: list[str]) -> dt.date | None:
    """The date printed alone in the masthead (the date of issue)."""
    for line in head[:8]:
        text = line.strip()
        parts = re.split(r"\s{2,}|\u3000", text)
        for part in parts:
            part = part.strip()
            if (EN_DATE.fullmatch(part) or ZH_DATE.fullmatch(part)) and (date := any_date(part)):
                return date
    return None


def _wrapped(lines: list[str], line: str, limit: int = 3) -> str:
    """A line and the lines a PDF wrapped it onto, up to a blank line."""
    start = lines.index(line)
    pieces = [line.strip()]
    for following in lines[start + 1:start + 1 + limit]:
        if not following.strip() or pieces[-1].endswith((".", "。", ":", "：")):
            break
        if " addressed to " in " ".join(pieces) and following.strip()[:1].isupper():
            break  # a new paragraph (a DOCX has no blank line between paragraphs)
        pieces.append(following.strip())
    return collapse(" ".join(pieces))


def collapse(text: str) -> str:
    """Runs of whitespace as one space: English spacing is meaningful ("2901 (2027)")."""
    return " ".join(text.split())


def read_opening(lines: list[str], language: str) -> Found:
    """The fields a document's opening shows, for the kinds it names itself: a resolution,
    a presidential statement, a press release, a national report, an English letter or note
    verbale. Empty for a Chinese covering letter (read by `index.metadata`)."""
    found = Found()
    head = [line for line in lines if line.strip()][:HEAD_LINES]
    symbol = masthead_symbol(head)
    found.put("symbol", symbol)
    for i, line in enumerate(head):
        text = line.strip()
        if match := _RES_HEADING.match(text):
            number, year = (match.group(1), match.group(2)) if match.group(1) else \
                (match.group(3), match.group(4))
            after = " ".join(head[i + 1:i + 4])
            adopted = _ADOPTED_EN.search(after) or _ADOPTED_ZH.search(after)
            if not adopted:
                continue
            found.put("doc_type", DocumentType.RESOLUTION)
            found.put("symbol", f"S/RES/{number} ({year})", "guessed")
            found.put("title", _title(text, language))
            found.put("date", any_date(adopted.group(1)))
            found.put("author", "Security Council" if language == "en" else "安全理事会")
            break
        if _PRST_HEADING.match(text):
            found.put("doc_type", DocumentType.PRESIDENTIAL_STATEMENT)
            found.put("title", _title(text, language))
            body = normalize_spacing(" ".join(head[i + 1:i + 4]))
            meeting = _MEETING_EN.search(body) or _MEETING_ZH.search(body)
            found.put("date", any_date(meeting.group(1)) if meeting else None)
            found.put("author", "President of the Security Council" if language == "en"
                      else "安全理事会主席")
            break
        if _PRESS.match(text):
            found.put("doc_type", DocumentType.PRESS_RELEASE)
            rest = [x.strip() for x in head[i + 1:] if x.strip()
                    and not _MASTHEAD_LINE.match(x) and not masthead_date([x])]
            if rest:
                found.put("title", _title(rest[0], language))
            for later in head[i + 1:]:
                if dateline := _DATELINE.match(later.strip()):
                    found.put("date", en_date(dateline.group(1)))
            found.put("date", masthead_date(head[i + 1:]))
            break
        if language == "en" and (dated := _DATED_EN.match(text)):
            whole = _wrapped(lines, line, limit=4)
            dated = _DATED_EN.match(whole) or dated
            found.put("title", whole)
            found.put("date", en_date(dated.group("date")))
            author = (dated.group("author") or "").strip()
            found.put("author", re.sub(r"^the\s+", "", author, flags=re.IGNORECASE))
            kind = dated.group("kind").lower()
            found.put("doc_type", DocumentType.NOTE_VERBALE if kind == "note verbale"
                      else None, "guessed")
            break
        if report := (_REPORT_OF.match(text) or _REPORT_ZH.match(text)):
            found.put("doc_type", DocumentType.NATIONAL_REPORT)
            found.put("title", _title(text, language))
            found.put("author", report.group("state").strip())
            break
    if symbol:
        if symbol.startswith("S/RES/"):
            found.put("doc_type", DocumentType.RESOLUTION)
        elif symbol.startswith("S/PRST/"):
            found.put("doc_type", DocumentType.PRESIDENTIAL_STATEMENT)
        elif symbol.startswith("SC/"):
            found.put("doc_type", DocumentType.PRESS_RELEASE)
    if found.values or language == "en":
        found.put("date", masthead_date(head), "guessed")
    if language == "en" and "title" not in found.values:
        found.put("title", _first_title(head), "guessed")
    return found


def _title(text: str, language: str) -> str:
    return normalize_spacing(text) if language == "zh" else collapse(text)


def _first_title(head: list[str]) -> str:
    for line in head:
        text = collapse(line)
        if text and not _MASTHEAD_LINE.match(line) and not masthead_symbol([line]) \
                and len(text) <= 200:
            return text
    return ""


def english_type(*texts: str) -> DocumentType | None:
    """The type an English annex title, transmittal or opening line names."""
    for text in texts:
        lowered = text.lower()
        for word, doc_type in TYPE_WORDS_EN:
            if word in lowered:
                return doc_type
        if _REPORT_OF.match(text):
            return DocumentType.NATIONAL_REPORT
    return None


def english_annex_title(content: list[str]) -> str:
    """The title under an English letter's "Annex" marker."""
    for i, line in enumerate(content):
        if _ANNEX_EN.match(line) or re.match(r"^\s*Annex to\b", line):
            start = i if re.match(r"^\s*Annex to\b", line) else i + 1
            return normalize_spacing(" ".join(x.strip() for x in content[start:start + 2]))
    return ""


def english_transmitted(content: list[str]) -> str:
    """What an English covering letter says it transmits: "transmit herewith ... (see annex)"."""
    for line in content[:30]:
        if match := _TRANSMIT_EN.search(line):
            return match.group(1)
    return ""
