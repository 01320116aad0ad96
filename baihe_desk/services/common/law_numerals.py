"""中文数字 (Chinese numerals) of article numbers: 一百二十二 ↔ 122, as statutes write them.

Statutes write 第一百零一条 (with 零), 第十条 (no leading 一), 第二百一十条 (with 一 before 十 after a
hundred). ``to_int`` also reads digits (第461条), 〇 and 两 and full-width digits.
"""

from __future__ import annotations

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}
NUMERAL_CHARS = "".join(DIGITS) + "".join(UNITS) + "0123456789０１２３４５６７８９"
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_NAMES = "零一二三四五六七八九"


def to_int(text: str) -> int | None:
    """'一百二十二' / '122' / '１２２' → 122; anything else → None."""
    text = text.strip().translate(_FULLWIDTH)
    if not text:
        return None
    if text.isdigit():
        return int(text)
    total, digit, seen_unit = 0, None, False
    for ch in text:
        if ch in DIGITS:
            if digit is not None and not seen_unit:  # 一二二 (digit by digit) is read positionally
                digit = digit * 10 + DIGITS[ch]
            else:
                digit = DIGITS[ch]
            seen_unit = False
        elif ch in UNITS:
            total += (1 if digit is None else digit) * UNITS[ch]
            digit, seen_unit = None, True
        else:
            return None
    return total + (digit or 0)


def to_chinese(n: int) -> str:
    """122 → '一百二十二', 10 → '十', 210 → '二百一十', 1001 → '一千零一' (as statutes number articles)."""
    if n < 0 or n >= 10000:
        raise ValueError(n)
    if n == 0:
        return "零"
    if 10 <= n < 20:
        return "十" + (_NAMES[n % 10] if n % 10 else "")
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // value % 10
        if d:
            if zero:
                out += "零"
            out += _NAMES[d] + unit
            zero = False
        elif out:
            zero = True
    return out
