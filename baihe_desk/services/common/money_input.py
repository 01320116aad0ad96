"""金额输入 — the one reading of a typed amount's digits, shared by every money field of the desk.

A comma is accepted only as a thousands separator, in the places it belongs: "1,234,567.89" reads as
1234567.89, but "123,45" (a decimal comma, or a slip) and "12,345.6,7" are refused with a message naming the
field, never silently read as 12345 or 12345.67 — an amount off by a factor of 100 changes the fee, the
small-claims test and the enforcement terms. Full-width digits, commas and points (１２，３４５．６) and the
ideographic comma "，" typed by a Chinese input method are read as their ASCII forms first.

This module only normalises and checks the separators; each caller still decides the number's own limits
(decimals, sign, size) and its message.
"""

from __future__ import annotations

import re

from baihe_desk.errors import ValidationError
from baihe_desk.services.common.validation import quote, to_halfwidth

__all__ = ["amount_digits", "SEPARATOR_MESSAGE"]

_GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+")
SEPARATOR_MESSAGE = "逗号只能作千位分隔符（如 1,234.5）"


def amount_digits(text: str, field: str) -> str:
    """``text`` without its thousands separators and a trailing 元 ("" if blank); raises ValidationError
    naming ``field`` when a comma is anywhere but between groups of three digits of the integer part."""
    t = to_halfwidth(text).strip().removesuffix("元").strip()
    if "," not in t:
        return t
    whole, point, fraction = t.partition(".")
    if "," in fraction or not _GROUPED.fullmatch(whole):
        raise ValidationError(field, f"“{quote(text.strip(), 24)}”：{SEPARATOR_MESSAGE}")
    return whole.replace(",", "") + point + fraction
