"""Text helpers for documents: cleaning user text, Chinese-numeral dates (落款日期), file names.

``clean`` is applied to every value that goes into a document, so a pasted control character never
makes python-docx raise or a PDF carry an invisible glyph:

- XML-illegal control characters (U+0000–U+001F except tab/newline, U+FFFE, U+FFFF, lone
  surrogates) are removed; CR/LF, U+2028/U+2029 become ``\\n``; a tab becomes a space;
- invisible format characters (Unicode category Cf: zero-width space/joiner, BOM, bidi marks) and
  variation selectors (incl. the ideographic variation sequences U+E0100–U+E01EF some ID systems
  append to rare characters) are removed: the base character stays, the glyph variant is lost;
- the Unicode noncharacters U+FDD0–U+FDEF are removed (the template renderer uses them internally
  to mark where a field's value starts and ends).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

_ILLEGAL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff\ufdd0-\ufdef\ufe00-\ufe0f"
    "\U000e0100-\U000e01ef]"
)
_NEWLINES = re.compile("\r\n|\r|\u2028|\u2029|\x85")


def clean(value: object) -> str:
    """Text safe for both renderers (see the module docstring). ``None`` becomes ``""``."""
    if value is None:
        return ""
    text = _NEWLINES.sub("\n", str(value)).replace("\t", " ")
    text = _ILLEGAL.sub("", text)
    if any(unicodedata.category(c) == "Cf" for c in text):
        text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return text


def one_line(value: object) -> str:
    """``clean`` and fold line breaks into spaces (names, numbers, phone numbers)."""
    return " ".join(part.strip() for part in clean(value).split("\n") if part.strip())


_DIGITS = "〇一二三四五六七八九"


def _small_number(n: int) -> str:
    """1–31 in Chinese numerals as used in dates: 一 … 十 … 十一 … 二十 … 三十一."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def chinese_date(d: date) -> str:
    """落款 date in Chinese numerals: 2026-11-26 → 二〇二六年十一月二十六日."""
    year = "".join(_DIGITS[int(c)] for c in f"{d.year:04d}")
    return f"{year}年{_small_number(d.month)}月{_small_number(d.day)}日"


def arabic_date(d: date) -> str:
    """Body-text date: 2026年11月26日."""
    return f"{d.year}年{d.month}月{d.day}日"


def safe_filename(text: str, *, limit: int = 60) -> str:
    """A folder or file name valid on Windows and Linux (case and receipt numbers keep （）).

    Characters Windows forbids become ``_``; trailing dots and spaces go; reserved device names
    (CON, NUL, COM1 …) get a leading ``_``; names longer than ``limit`` are cut and get a short
    hash, so two long names stay distinct.
    """
    import hashlib

    name = re.sub(r'[<>:"/\\|?*\x00-\x1f]', "_", clean(text)).replace("\n", "_").strip().rstrip(". ")
    if not name:
        name = "_"
    if re.fullmatch(r"(?i)(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?", name):
        name = "_" + name
    if len(name) > limit:
        digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
        name = name[: limit - 9].rstrip(". ") + "-" + digest
    return name


_CAPITAL = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_BIG_UNITS = ("", "万", "亿", "万亿")


def _four_digits(n: int) -> str:
    """0 < n < 10000 in capital numerals, zeros inside kept as one 零 (1005 → 壹仟零伍)."""
    out, zero = "", False
    for pos in range(3, -1, -1):
        digit = n // 10 ** pos % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += _CAPITAL[digit] + _SMALL_UNITS[pos]
    return out


def money_in_words(amount: Decimal) -> str:
    """An amount of yuan in capital numerals (大写), as on court fee notices: 1005.07 → 壹仟零伍元零柒分,
    120 → 壹佰贰拾元整, 0.50 → 伍角."""
    fen_total = int((Decimal(amount) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if fen_total < 0:
        raise ValueError("negative amount")
    yuan, fen_part = divmod(fen_total, 100)
    jiao, fen = divmod(fen_part, 10)
    groups: list[int] = []
    while yuan:
        yuan, group = divmod(yuan, 10000)
        groups.append(group)
    words, pending_zero = "", False
    for i in range(len(groups) - 1, -1, -1):
        group = groups[i]
        if group == 0:
            pending_zero = bool(words)
            continue
        if words and (pending_zero or group < 1000):
            words += "零"
        words += _four_digits(group) + _BIG_UNITS[i]
        pending_zero = False
    if words:
        words += "元"
    if not jiao and not fen:
        return (words or "零元") + "整"
    if jiao:
        words += _CAPITAL[jiao] + "角"
    elif words:
        words += "零"
    if fen:
        words += _CAPITAL[fen] + "分"
    return words


TITLES = ("承办法官", "审判员", "法官", "庭长", "副庭长", "院长", "副院长", "分管院长", "执行局", "执行员", "调解员",
          "书记员", "法官助理", "立案庭", "立案窗口", "管理员")


def bare_name(name: object) -> str:
    """A person's name without a title typed in front of it ("庭长 周建国" → 周建国, "法官 李堃" → 李堃), so a
    document that names the role itself never reads "庭长 周建国（庭长）" or "承办法官法官 李堃"."""
    parts = one_line(name).split(" ")
    while len(parts) > 1 and (parts[0] in TITLES or parts[0].endswith(TITLES)):
        parts = parts[1:]
    return " ".join(parts)
