"""个人信息遮盖 — ID numbers and phone numbers never go into audit details, logs or crash reports.

``mask_text`` masks them inside any text (2201**********1234, 138****5678, 0433-****000);
``mask_tree`` does so in nested JSON-able data. A number is only taken as one when it stands alone
(no letter or digit right beside it), so hashes, UUIDs and case numbers pass unchanged.
"""

from __future__ import annotations

import re
from typing import Any

_EDGE_L, _EDGE_R = r"(?<![0-9A-Za-z])", r"(?![0-9A-Za-z])"
ID_NUMBER = re.compile(_EDGE_L + r"(\d{4})(\d{10}|\d{7})(\d{3}[\dXx]|\d{4})" + _EDGE_R)  # 18 or 15 characters
MOBILE = re.compile(_EDGE_L + r"(\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})" + _EDGE_R)
LANDLINE = re.compile(_EDGE_L + r"(0\d{2,3})[-－— ]?(\d{4,5})(\d{3})" + _EDGE_R)


def mask_text(text: str) -> str:
    text = ID_NUMBER.sub(lambda m: m.group(1) + "*" * len(m.group(2)) + m.group(3), text)
    text = MOBILE.sub(lambda m: f"{m.group(2)}****{m.group(4)}", text)
    return LANDLINE.sub(lambda m: f"{m.group(1)}-{'*' * len(m.group(2))}{m.group(3)}", text)


def mask_tree(value: Any) -> Any:
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, dict):
        return {k: mask_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_tree(v) for v in value]
    return value
