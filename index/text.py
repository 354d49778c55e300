"""Character- and line-level cleaning of PDF text extractions.

Two jobs: recognise page furniture (lines that belong to the page, not the document), and
normalise the irregular spacing that PDF extraction leaves inside Chinese text. Neither
ever changes a content character: normalisation only removes whitespace.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

# Ideographs, CJK punctuation and full-width forms: the characters around which Chinese
# typesetting puts no spaces.
_CJK = r"\u3000-\u303f\u3200-\u32ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’—…·"
CJK_CHAR = re.compile(f"[{_CJK}]")
# A UN document symbol in a question ("S/2022/899", "A/76/123"), matched on folded text,
# where spaces are gone: "S/2022/899 中" is "S/2022/899中" and "of S/2022/899" "ofS/2022/899",
# hence lookarounds on digits and slashes only, not \\b.
SYMBOL_PATTERN = r"(?<![0-9/.])[SA]/(?:[A-Z0-9.]+/)*\d{2,4}(?:/\d+)?(?![A-Za-z0-9/])"
_HAN = re.compile(r"[\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def is_chinese(text: str) -> bool:
    """Whether a question is asked in Chinese: more Chinese characters than English words
    ("Until when did Lü Xiaodong (吕晓东) serve?" is English that quotes a name)."""
    return len(_HAN.findall(text)) > len(_LATIN_WORD.findall(text))

_FURNITURE = [
    # Hyperlink lines under each page. (A bare "www." line is a table cell in 附件二十二.)
    re.compile(r"^\s*https?://\S*\s*$"),
    re.compile(r"^\s*\d{1,3}/\d{1,3}\s+\d{2}-\d{5}(?:\s*\(\w\))?\s*$"),  # "3/4 20-06309"
    re.compile(r"^\s*\d{2}-\d{5}(?:\s*\(\w\))?\s+\d{1,3}/\d{1,3}\s*$"),  # "22-27712 70/92"
    re.compile(r"^\s*\d{2}-\d{5}\s*\(\w\)\s*$"),  # a job number alone: "20-06309 (C)"
    re.compile(r"^\s*[SA]/(?:[A-Z0-9.]+/)*\d{4}/\d+(?:/Add\.\d+)?\s*$"),  # the symbol alone
    re.compile(r"^\s*_{5,}\s*$"),  # the footnote separator
]
FOOTNOTE_SEPARATOR = re.compile(r"^\s*_{5,}\s*$")
_HYPERLINK = re.compile(r"^\s*https?://\S*$")  # a hyperlink line, nothing after the address
# A page narrower than a hyperlink wraps it (".../N1644257.pdf?" / "OpenElement"): the tail is
# one Latin token, and only a line this long can have been wrapped. (The letter is looked
# for ahead: "[\x21-\x7e]*[A-Za-z][\x21-\x7e]*" backtracks once per letter, minutes on a
# line of 200,000 letters.)
_URL_TAIL = re.compile(r"^\s*(?!https?://|www\.)(?=[\x21-\x7e]*[A-Za-z])[\x21-\x7e]+\s*$")
_WRAPPED_URL = 48  # characters
_URL_TOKEN = re.compile(r"(?:https?://|www\.)\S*$")  # a line that ends inside an address
_ONE_TOKEN = re.compile(r"[\x21-\x7e]+")

_SPACE_BETWEEN_CJK = re.compile(f"(?<=[{_CJK}])[ \t\u00a0]+|[ \t\u00a0]+(?=[{_CJK}])")
_RESOLUTION = re.compile(r"(\d{3,4})\s+([(（]\d{4}[)）])")
_MULTISPACE = re.compile(r"[ \t\u00a0]{2,}")


def is_furniture(line: str) -> bool:
    """True for lines printed by the page rather than written in the document."""
    return any(pattern.match(line) for pattern in _FURNITURE)


def furniture_mask(lines: Sequence[str]) -> list[bool]:
    """Which lines are page furniture, judged with their neighbours: besides `is_furniture`,
    the wrapped tail of a hyperlink line. A tail follows a long hyperlink line that does not
    end in whitespace (blank lines between are allowed) and is a single Latin token that
    does not open an address of its own (a "www." cell stays content). A tail as long as its
    hyperlink may wrap again."""
    mask: list[bool] = []
    wrapping = False  # the last non-blank line was a hyperlink (or its tail) cut at the margin
    for line in lines:
        if not line.strip():
            mask.append(False)
            continue
        furniture = is_furniture(line)
        tail = not furniture and wrapping and bool(_URL_TAIL.match(line))
        mask.append(furniture or tail)
        wrapping = (bool(_HYPERLINK.match(line)) or tail) and _cut(line)
    return mask


def _cut(line: str) -> bool:
    return len(line.strip()) >= _WRAPPED_URL and not line[-1].isspace()


def normalize_spacing(text: str) -> str:
    """Remove the spacing PDF extraction puts around numbers and Latin inside Chinese.

    ``2019 年`` → ``2019年``, ``第 1540 (2004)号`` → ``第1540(2004)号``; spaces between
    Latin words are kept (collapsed to one). Only whitespace is ever removed.
    """
    text = _SPACE_BETWEEN_CJK.sub("", text)
    text = _RESOLUTION.sub(r"\1\2", text)
    return _MULTISPACE.sub(" ", text).strip()


def join_wrapped(left: str, right: str) -> str:
    """Rejoin two halves of a hard-wrapped line: no space in Chinese, inside a word broken
    at a hyphen or slash, or inside a web address; one space between Latin words."""
    left, right = left.rstrip(), right.lstrip()
    if not left or not right:
        return left + right
    a, b = left[-1], right[0]
    if CJK_CHAR.match(a) or CJK_CHAR.match(b) or a in "-/(（" or b in ")）,.;:，。；：":
        return left + right
    if _URL_TOKEN.search(left) and (a in "?=&#%_." or _ONE_TOKEN.fullmatch(right)):
        return left + right  # a web address wrapped at the margin: "….pdf?" + "OpenElement"
    return f"{left} {right}"


# English month names, as the records and the questions write them.
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")


def month_number(name: str) -> int:
    """"March", "march" → 3."""
    return MONTHS_EN.index(name.capitalize()) + 1


def fold(text: str) -> str:
    """Fold full-width forms to half-width and drop all whitespace: the comparison form
    used wherever two renderings of the same words must match."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def is_cjk(ch: str) -> bool:
    return bool(CJK_CHAR.match(ch))


_ZH_DIGITS = {c: i for i, c in enumerate("一二三四五六七八九", start=1)} | {"两": 2}


def chinese_numeral(text: str) -> int:
    """一 → 1, 十八 → 18, 二十二 → 22, 两 → 2; 0 for anything else."""
    if "十" not in text:
        return _ZH_DIGITS.get(text, 0)
    tens, _, ones = text.partition("十")
    return (_ZH_DIGITS.get(tens, 1) if tens else 1) * 10 + _ZH_DIGITS.get(ones, 0)


def to_chinese_numeral(number: int) -> str:
    """1 → 一, 18 → 十八, 20 → 二十, 22 → 二十二 (1–99), as annexes are numbered."""
    digits = " 一二三四五六七八九"
    tens, ones = divmod(number, 10)
    if not tens:
        return digits[ones]
    return (digits[tens] if tens > 1 else "") + "十" + (digits[ones] if ones else "")
