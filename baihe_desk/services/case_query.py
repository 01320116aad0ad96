"""案件查询 — the case list and search by party name (汉字 or pinyin), 案号/收件号 or address.

Returns plain rows for the UI's table model; paging by offset/limit so the list never loads the
whole table.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from baihe_desk.models import Address, Case, Party, PartyRole, Stage

SORT_COLUMNS = {
    "received_on": Case.received_on,
    "case_number": Case.case_number,
    "receipt_number": Case.receipt_number,
    "cause_name": Case.cause_name,
    "stage": Case.stage,
}


@dataclass(frozen=True)
class CaseRow:
    id: uuid.UUID
    number: str  # 案号, or the 收件号 while none is assigned
    has_case_number: bool
    cause_name: str
    plaintiffs: str
    defendants: str
    stage: Stage
    received_on: date
    claim_amount: Decimal | None


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _filtered(text: str | None) -> Select:
    stmt = select(Case.id)
    t = (text or "").strip()
    if not t:
        return stmt
    pat = f"%{_escape_like(t)}%"
    party_hit = select(Party.case_id).where(
        or_(Party.name.like(pat, escape="\\"), Party.name_pinyin.like(f"%{_escape_like(t.lower())}%", escape="\\"),
            Party.domicile.like(pat, escape="\\"))
    )
    addr_hit = select(Party.case_id).join(Address, Address.party_id == Party.id).where(
        Address.text.like(pat, escape="\\")
    )
    return stmt.where(
        or_(
            Case.case_number.like(pat, escape="\\"),
            Case.receipt_number.like(pat, escape="\\"),
            Case.id.in_(party_hit),
            Case.id.in_(addr_hit),
        )
    )


def count_cases(session: Session, text: str | None = None) -> int:
    sub = _filtered(text).subquery()
    return session.scalar(select(func.count()).select_from(sub)) or 0


def search_cases(
    session: Session,
    text: str | None = None,
    *,
    offset: int = 0,
    limit: int = 200,
    sort: str = "received_on",
    descending: bool = True,
) -> list[CaseRow]:
    col = SORT_COLUMNS.get(sort, Case.received_on)
    order = [col.desc() if descending else col.asc(), Case.receipt_number.desc()]
    ids = _filtered(text).subquery()
    cases = session.scalars(
        select(Case).where(Case.id.in_(select(ids.c.id))).order_by(*order).offset(offset).limit(limit)
    ).all()
    if not cases:
        return []
    names: dict[uuid.UUID, dict[PartyRole, list[str]]] = {}
    for case_id, role, name in session.execute(
        select(Party.case_id, Party.role, Party.name)
        .where(Party.case_id.in_([c.id for c in cases]))
        .order_by(Party.case_id, Party.sort_order)
    ):
        names.setdefault(case_id, {}).setdefault(role, []).append(name)
    rows = []
    for c in cases:
        n = names.get(c.id, {})
        rows.append(CaseRow(
            id=c.id, number=c.case_number or c.receipt_number, has_case_number=bool(c.case_number),
            cause_name=c.cause_name, plaintiffs="、".join(n.get(PartyRole.PLAINTIFF, [])),
            defendants="、".join(n.get(PartyRole.DEFENDANT, [])), stage=c.stage, received_on=c.received_on,
            claim_amount=c.claim_amount,
        ))
    return rows
