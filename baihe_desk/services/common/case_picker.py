"""选择案件 — what the one case picker finds for what a clerk types.

A full 案号 in either kind of brackets (``(2026)吉7502民初101号`` or ``（2026）…``), a part of it
(``民初101号``, ``民初101``), the serial alone (``101``), a 收件号, a party's name or its pinyin
initials (``wk`` → 王堃): the case search of :mod:`baihe_desk.services.common.case_query` does the
matching; this module only writes what was typed the way the stored numbers are written.
"""

from __future__ import annotations

import re
import uuid

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from baihe_desk.errors import NotFound
from baihe_desk.models import Case
from baihe_desk.services.common import case_query
from baihe_desk.services.common.case_query import CaseRow
from baihe_desk.services.common.validation import to_halfwidth

BRACKETS = str.maketrans({"(": "（", ")": "）", "〔": "（", "〕": "）", "[": "（", "]": "）", "【": "（", "】": "）"})


def normalise_reference(text: str) -> str:
    """What was typed, as stored numbers are written: half-width digits and letters, full-width
    brackets, no spaces."""
    t = "".join(to_halfwidth(text or "").split())
    return t.replace("（", "(").replace("）", ")").translate(BRACKETS)


def _serial_rows(session: Session, t: str) -> list[CaseRow]:
    """The serial alone (``101``): cases numbered …101号, not …1101号."""
    if not re.fullmatch(r"\d{1,6}", t):
        return []
    serial = int(t)
    return [r for r in case_query.search_cases(session, f"{serial}号", limit=200)
            if r.has_case_number and re.search(rf"(?<!\d){serial}号$", r.number)]


def pick_cases(session: Session, text: str, *, limit: int = 12) -> list[CaseRow]:
    """The cases matching ``text`` for the picker's completion list (at most ``limit``), the exact
    案号/收件号 first, then cases whose serial is the number typed, then everything the case search finds."""
    t = normalise_reference(text)
    if not t:
        return []
    rows: list[CaseRow] = []
    seen: set[uuid.UUID] = set()

    def add(found: list[CaseRow]) -> None:
        for r in found:
            if r.id not in seen and len(rows) < limit:
                seen.add(r.id)
                rows.append(r)

    key = case_query._key(session)  # what the case query's rows are read by (rowid on SQLite)
    exact = list(session.scalars(select(key).select_from(Case)
                                 .where(or_(Case.case_number == t, Case.receipt_number == t))))
    add(case_query._rows(session, exact) if exact else [])
    add(_serial_rows(session, t))
    add(case_query.search_cases(session, t, limit=limit))
    return rows


def find_case_id(session: Session, text: str) -> uuid.UUID:
    """The one case ``text`` names (案号 in any brackets, 收件号, the serial …); NotFound when it names
    none or several (the clerk then picks from the list)."""
    t = normalise_reference(text)
    exact = session.scalars(select(Case.id).where(or_(Case.case_number == t, Case.receipt_number == t))).first()
    if exact is not None:
        return exact
    numbered = _serial_rows(session, t)
    rows = numbered if numbered else pick_cases(session, text, limit=2)
    if len(rows) == 1:
        return rows[0].id
    if not rows:
        raise NotFound(f"没有找到案件：{text.strip()}。可输入案号、收件号、案件编号（如 101）或当事人姓名。")
    raise NotFound(f"“{text.strip()}”对应多件案件，请从列表中选择。")
