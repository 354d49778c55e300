"""Footnote call marks: find them in running text, take them out, link them to footnotes.

A call mark is printed as a bare digit or letter glued to the preceding word and followed
by a space (``一套模式，1 第二次``, ``技术，a 尤其是``) or as a superscript (``执行情况。¹``).
Bare digits are ambiguous with counts (``，77 个国家``), so a candidate only counts as a
mark when a footnote with that label exists in the document; otherwise it is put back.
"""

from __future__ import annotations

import re

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
# Characters a count is followed by; a call mark never is.
_MEASURE_WORDS = "个份项次名位国人年月日天届条段类种场家%％"
_BARE = re.compile(
    r"(?<=[\u4e00-\u9fff，。；：、）)”])([1-9]\d?|[a-h])"
    rf"(?=(?: (?=[\u4e00-\u9fff（(“《])(?![{_MEASURE_WORDS}]))|\s*$)"
)
_SUPER = re.compile(r"(?<=\S)([¹²³⁴⁵⁶⁷⁸⁹⁰]+)")
# Placeholders survive line joining and space normalisation (they are not whitespace and
# not CJK). They are non-characters, which Unicode reserves for a program's internal use
# and no text needs; private-use characters would not do: Chinese fonts put their
# user-defined characters there (U+E000 ...), and a record may hold them.
OPEN, CLOSE = "\ufdd0", "\ufdd1"
_PLACEHOLDER = re.compile(f"{OPEN}([^{CLOSE}]+){CLOSE}(\\s?)")


def canonical_label(label: str) -> str:
    return label.translate(_SUPERSCRIPTS)


def mark_candidates(line: str) -> str:
    """Wrap every possible call mark in a physical line in a placeholder (dropping any
    placeholder character the line already holds: they carry no text)."""
    line = _BARE.sub(lambda m: f"{OPEN}{m.group(1)}{CLOSE}",
                     line.replace(OPEN, "").replace(CLOSE, ""))
    return _SUPER.sub(lambda m: f"{OPEN}{m.group(1)}{CLOSE}", line)


def candidate_labels(text: str) -> list[str]:
    return [canonical_label(m.group(1)) for m in _PLACEHOLDER.finditer(text)]


def resolve(text: str, known: set[str]) -> tuple[str, list[str]]:
    """Remove the candidates that name a known footnote, put the others back as printed.

    Returns the clean text and the labels it calls, in order.
    """
    called: list[str] = []

    def replace(match: re.Match[str]) -> str:
        label = canonical_label(match.group(1))
        # Digits running on after it ("交8" + "00。" across a page break) make it part
        # of a number, not a mark.
        running_on = match.group(1)[-1] in "0123456789" and \
            match.string[match.end():match.end() + 1].isdigit()
        if label in known and not running_on:
            called.append(label)
            return ""
        return match.group(1) + match.group(2)

    return _PLACEHOLDER.sub(replace, text), called


def strip_placeholders(text: str) -> str:
    """Undo mark_candidates without resolving (for text that is not body text)."""
    return _PLACEHOLDER.sub(lambda m: m.group(1) + m.group(2), text)
