"""What may be stored in a text column: no control character and no lone surrogate (去除控制字符).

The session hook in :mod:`baihe_desk.storage.db` applies :func:`strip_control_chars` to every text column
before a flush; :mod:`baihe_desk.services.common.validation` uses the same function for form input.
"""

from __future__ import annotations

import re

# Characters that may not appear in XML 1.0 (C0 except tab/newline/CR, surrogates, U+FFFE/U+FFFF),
# plus DEL and the C1 controls, which are legal XML but never meaningful in what a clerk types, and the
# bidi embedding/override/isolate controls (U+202A–202E, U+2066–2069): pasted into a name or a claim they
# show the text reversed on screen and in print ("Trojan Source" spoofing), and no clerk types them.
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")


def strip_control_chars(s: str | None) -> str:
    """去除控制字符: drop characters illegal in XML (and C0/C1 controls); keep ``\\n`` and ``\\t``.

    Line breaks are unified: ``\\r\\n`` and a lone ``\\r`` become ``\\n``.
    """
    text = (s or "").replace("\r\n", "\n").replace("\r", "\n")
    return CONTROL_RE.sub("", text)
