"""Chinese line breaking (标点禁则) for the PDF renderer.

Rules (GB/T 15834 practice, what Word does with its default 中文换行 settings):

- no line starts with a closing or pausing mark: 。，、；：？！）」』》 and their kin;
- no line ends with an opening mark: （「『《 and their kin;
- a closing mark that would start the next line may instead hang one character into the right
  margin (Word's 允许标点溢出边界, on by default in Chinese Word); if two marks follow each other,
  or hanging is off, the line gives up its last character(s) instead (推出);
- runs of ASCII letters, digits and ``_-./@`` (phone numbers, 收2026-0001, a ____ line to fill in), and an
  amount with thousands separators (1,858.22)
  are not split unless a single run is longer than a line.

reportlab's ``wordWrap='CJK'`` knows only part of this (its table lacks ，；：？！ in full width and
has no rule for opening marks), so the PDF renderer breaks lines itself with :func:`break_lines`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

NO_LINE_START = frozenset(
    "。，、；：？！）」』》〉】〕］｝〗’”·．％‰℃々〃"  # full width
    ",.;:?!)]}%"  # ASCII
    "ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶー"
)
NO_LINE_END = frozenset("（「『《〈【〔［｛〖‘“([{")
FUZZ = 1e-6


class Line(NamedTuple):
    start: int
    end: int  # exclusive; a forced break's "\n" is not part of the line
    hard: bool  # ended by "\n" or by the end of the paragraph (not justified)


WORD_CHARS = frozenset("_-./@")  # with ASCII letters and digits: phone numbers, 收2026-0001, blanks ____


def is_word_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in WORD_CHARS)


def _bad_break(chars: str, pos: int) -> bool:
    """Would a line break just before ``chars[pos]`` break a rule?"""
    before, after = chars[pos - 1], chars[pos]
    if (after == "," and before.isdigit()) or (before == "," and after.isdigit() and pos >= 2
                                                and chars[pos - 2].isdigit()):
        return True  # inside an amount with thousands separators (1,858.22 元)
    return after in NO_LINE_START or before in NO_LINE_END or (is_word_char(before) and is_word_char(after))


def break_lines(chars: str, widths: Sequence[float], width: float, *, first_indent: float = 0.0,
                hang: bool = True) -> list[Line]:
    """Greedy line breaking of ``chars`` (advance ``widths[i]`` each) into lines of ``width``.

    ``first_indent`` is taken from the first line's width (首行缩进). Every line holds at least
    one character, so a narrow column always makes progress.
    """
    n = len(chars)
    lines: list[Line] = []
    start = i = 0
    x = first_indent
    while i < n:
        ch = chars[i]
        if ch == "\n":
            lines.append(Line(start, i, True))
            start = i = i + 1
            x = 0.0
            continue
        w = widths[i]
        if x + w <= width + FUZZ or i == start:
            x += w
            i += 1
            continue
        # chars[i] does not fit: choose where this line ends
        nxt = chars[i + 1] if i + 1 < n else ""
        if hang and ch in NO_LINE_START and nxt not in NO_LINE_START and chars[i - 1] not in NO_LINE_END:
            brk = i + 1  # hang the mark in the margin
        else:
            brk = i
            while brk > start + 1 and _bad_break(chars, brk):
                brk -= 1
            if _bad_break(chars, brk):
                brk = i  # no rule-abiding place on this line: break where it overflowed
        if brk < n and chars[brk] == "\n":
            lines.append(Line(start, brk, True))
            brk += 1
        else:
            lines.append(Line(start, brk, brk >= n))
        start = i = brk
        x = 0.0
    if start < n or not lines or chars.endswith("\n"):
        lines.append(Line(start, n, True))
    return lines


def check_lines(text_lines: Sequence[str]) -> list[str]:
    """Lines that break a rule (for tests of rendered output): starts with a closing mark or ends
    with an opening one."""
    bad = []
    for line in text_lines:
        s = line.strip()
        if s and (s[0] in NO_LINE_START or s[-1] in NO_LINE_END):
            bad.append(line)
    return bad
