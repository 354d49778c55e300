"""Finding the words a model quoted in the passage it cited: tolerant of how models copy,
never of what they change.

Real models copy a passage with its punctuation in the other width ("，" for ","), with
characters folded (NFKC: full-width digits, ligatures), with spaces dropped or added around
figures, with "…" where they left words out, or with a particle dropped. Each of those is
the passage's own statement, and `locate_quote` finds it. What it never forgives is a change
to what the statement says: a different figure (digits or Chinese numerals), or a different
name (a glossary name of a state, organisation or term, or a capitalised English word).

Whatever it matches, it returns the passage's own characters: the stored quote is always a
span of the passage, so `Citation.verified()` holds by construction.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

# A quote shorter than this ("委员会", "2019") proves nothing even when it is found.
MIN_QUOTE_CHARS = 4
# A near-exact match must agree on this share of its characters (rapidfuzz's normalised Indel
# similarity, 0-100) ...
NEAR_RATIO = 90.0
# ... and be at least this long once folded: on a short quote one changed character is
# already a different statement.
MIN_NEAR_CHARS = 12
# Parts of a quote shortened with "…" may stand this far apart in the passage (characters,
# beyond the length of the parts), so that "A … B" cannot bridge a whole passage.
MAX_GAP_CHARS = 80

QUOTE_EDGES = " \t\r\n\"'“”‘’「」『』…."
_ELLIPSIS = re.compile(r"(?:…|\.{3,}|⋯)+")  # after folding "…" reads "..."
# Punctuation NFKC leaves alone that models write in the other width or style.
_PUNCTUATION = str.maketrans({
    "。": ".", "、": ",", "｡": ".", "､": ",",
    "“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"', "「": '"', "」": '"',
    "『": '"', "』": '"', "〝": '"', "〞": '"',
    "‘": "'", "’": "'", "‚": "'", "‛": "'",
    "—": "-", "–": "-", "‐": "-", "‑": "-", "‒": "-", "―": "-", "−": "-",
    "【": "[", "】": "]", "〔": "(", "〕": ")", "〈": "<", "〉": ">", "《": "<", "》": ">",
    "・": "·", "･": "·",
})
_CHINESE_NUMERALS = frozenset("〇零一二三四五六七八九十百千万亿两壹贰叁肆伍陆柒捌玖拾佰仟")
# The Chinese characters a near match may add, drop or swap: particles, conjunctions and
# prepositions that models change when they copy ("和" for "与", a dropped "的"). Any other
# character carries meaning ("最高" is not "最低"), so an edit to it is never near.
_FUNCTION_CHARACTERS = frozenset("的地得了着过和与及同并而且或之其等这那该此"
                                 "在于对向从所也都已均为是将把被就还又亦即则以")


def locate_quote(quote: str, text: str) -> str | None:
    """The passage's own words that `quote` stands for, or None.

    In order: the quote as written; the quote with width, NFKC and spacing folded; its parts
    around "…" found in that order (the passage's span from the first to the last); a
    near-exact match (at least `NEAR_RATIO`) that changes no figure and no name.
    """
    wanted = quote.strip(QUOTE_EDGES)
    folded_quote, _ = fold(wanted)
    if len(folded_quote) < MIN_QUOTE_CHARS:
        return None
    if wanted in text:
        return wanted
    folded, where = fold(text)
    span = _find(folded_quote, folded, 0)
    if span is None and _ELLIPSIS.search(folded_quote):
        span = _find_parts(_ELLIPSIS.split(folded_quote), folded)
    if span is None:
        return None
    start, end = span
    return text[where[start]:_char_end(text, where[end - 1])]


def fold(text: str) -> tuple[str, list[int]]:
    """`text` with width and compatibility forms folded (NFKC and `_PUNCTUATION`) and its
    whitespace removed, and for each folded character the index of the character of
    `text` it came from."""
    out: list[str] = []
    where: list[int] = []
    for start, cluster in _clusters(text):
        for ch in unicodedata.normalize("NFKC", cluster).translate(_PUNCTUATION):
            if not ch.isspace():
                out.append(ch)
                where.append(start)
    return "".join(out), where


def _clusters(text: str) -> Iterable[tuple[int, str]]:
    """A character with the combining marks after it, so that NFKC composes them."""
    i = 0
    while i < len(text):
        j = i + 1
        while j < len(text) and unicodedata.combining(text[j]):
            j += 1
        yield i, text[i:j]
        i = j


def _char_end(text: str, i: int) -> int:
    """The end of the character cluster starting at `i`."""
    j = i + 1
    while j < len(text) and unicodedata.combining(text[j]):
        j += 1
    return j


def _find(part: str, folded: str, start: int) -> tuple[int, int] | None:
    """Where `part` (folded) is in `folded` at or after `start`: exactly, else nearly."""
    at = folded.find(part, start)
    if at >= 0:
        return at, at + len(part)
    return _near(part, folded, start)


def _find_parts(parts: list[str], folded: str) -> tuple[int, int] | None:
    """The span from the first part to the last, each found after the one before."""
    parts = [p.strip(QUOTE_EDGES) for p in parts]
    parts = [p for p in parts if p]
    if len(parts) < 2 or any(len(p) < MIN_QUOTE_CHARS for p in parts):
        return None
    first: int | None = None
    end = 0
    for part in parts:
        span = _find(part, folded, end)
        if span is None:
            return None
        first = span[0] if first is None else first
        end = span[1]
    assert first is not None
    if end - first > sum(len(p) for p in parts) + MAX_GAP_CHARS:
        return None
    return first, end


def _near(part: str, folded: str, start: int) -> tuple[int, int] | None:
    """The best near-exact span of `folded[start:]` for `part`, if it is near enough and
    keeps every figure and name."""
    if len(part) < MIN_NEAR_CHARS or len(folded) - start < MIN_NEAR_CHARS:
        return None
    window = folded[start:]
    hit = fuzz.partial_ratio_alignment(part, window, score_cutoff=NEAR_RATIO - 5)
    if hit is None:
        return None
    # partial_ratio finds where the quote starts; a dropped or added word moves its end.
    # At NEAR_RATIO the lengths can differ by a fifth at most.
    slack = max(2, len(part) // 10)
    shortest, longest = int(len(part) * 0.8), int(len(part) * 1.25) + 1
    best: tuple[float, int, int] | None = None
    for s in range(max(0, hit.dest_start - slack), min(len(window), hit.dest_start + slack) + 1):
        for e in range(s + shortest, min(len(window), s + longest) + 1):
            score = Indel.normalized_similarity(part, window[s:e]) * 100
            if best is None or score > best[0]:
                best = (score, s, e)
    if best is None or best[0] < NEAR_RATIO:
        return None
    _, s, e = best
    if not same_facts(part, window[s:e]):
        return None
    return start + s, start + e


def same_facts(quote: str, span: str) -> bool:
    """Whether two folded strings that differ a little state the same figures and names:
    the same digits and numerals in the same order, the same glossary names, and no edit
    that touches a capitalised word or a character between two digits."""
    if _figures(quote) != _figures(span):
        return False
    if _names(quote) != _names(span):
        return False
    for op in Indel.opcodes(quote, span):
        if op.tag == "equal":
            continue
        if _touches_protected(quote, op.src_start, op.src_end) \
                or _touches_protected(span, op.dest_start, op.dest_end):
            return False
    return True


def _figures(text: str) -> list[str]:
    return re.findall(r"\d+|[" + "".join(sorted(_CHINESE_NUMERALS)) + "]+", text)


def _names(text: str) -> dict[str, int]:
    low = text.casefold()
    return {name: low.count(name) for name in _glossary_names() if name in low}


def _touches_protected(text: str, i1: int, i2: int) -> bool:
    """An edit of `text[i1:i2]` (an insertion point when empty) changes a figure, sits
    inside one ("1,000" -> "1.000"), changes a Chinese character that carries meaning, or
    changes a capitalised word."""
    lo, hi = max(0, i1 - 1), min(len(text), max(i2, i1 + 1))
    for k in range(i1, i2):
        ch = text[k]
        if ch.isdigit() or ch in _CHINESE_NUMERALS:
            return True
        if _is_cjk(ch) and ch not in _FUNCTION_CHARACTERS:
            return True
    if lo < i1 and i2 < len(text) and text[lo].isdigit() and text[i2].isdigit():
        return True  # inserted or replaced between two digits
    for k in range(lo, hi):
        if text[k].isascii() and text[k].isalpha() and _capitalised_word_at(text, k):
            return True
    return False


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or ch >= "\U00020000"


def _capitalised_word_at(text: str, k: int) -> bool:
    """Whether the letter at `k` is a capital or follows one in its run of letters. Folding
    removed the spaces ("theUnitedNations"), so a run may join words: erring towards
    protecting a word only ever rejects a match."""
    s = k
    while s > 0 and text[s].islower() and text[s - 1].isascii() and text[s - 1].isalpha():
        s -= 1
    return text[s].isupper()


@lru_cache(maxsize=1)
def _glossary_names() -> tuple[str, ...]:
    """Every name and term of the shipped glossary, folded and casefolded, longest first."""
    from index.glossary import Glossary

    names = set()
    for entry in Glossary.load().entries:
        for form in [*entry.chinese_forms, *entry.english_forms]:
            folded = fold(form)[0].casefold()
            # Short Latin forms ("UN", "WHO") hide inside words once spaces are folded
            # away; as capitals they are protected anyway.
            if len(folded) >= (4 if folded.isascii() else 2):
                names.add(folded)
    return tuple(sorted(names, key=len, reverse=True))
