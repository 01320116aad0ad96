"""状态哈希 — rows edited outside the desk are named by ``check`` (issue 17: direct edits of a party's ID
number or phone, a case number or an amount left no trace).

Every transaction that changes a case (its row, its parties, their addresses and agents), a user or a
court setting through the desk appends, just before it commits, one ``state.snapshot`` audit record
holding the SHA-256 of each changed record's state after the change (``None``: deleted). The record is
part of the keyed chain, so a tamperer cannot write a matching one; :func:`find_edited_rows` compares
the newest snapshot of every record with the row as it is now. Rows written around the ORM (the demo
loader's bulk insert, records older than this version) have no snapshot and are not judged.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from baihe_desk.models import Address, Agent, AuditRecord, Case, Party, Setting, User

ACTION = "state.snapshot"
PENDING = "baihe_state_pending"  # session.info: set of (kind, id) changed in this transaction


def _row(row: Any) -> dict[str, str | None]:
    return {k: (None if v is None else str(v)) for k, v in row._mapping.items()}


def _digest(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def case_state(session: Session, case_id: uuid.UUID) -> str | None:
    c, p, a, g = Case.__table__, Party.__table__, Address.__table__, Agent.__table__
    row = session.execute(select(c).where(c.c.id == case_id)).first()
    if row is None:
        return None
    parties = session.execute(select(p).where(p.c.case_id == case_id).order_by(p.c.id)).all()
    ids = [r.id for r in parties]
    addresses = session.execute(select(a).where(a.c.party_id.in_(ids)).order_by(a.c.id)).all() if ids else []
    agents = session.execute(select(g).where(g.c.party_id.in_(ids)).order_by(g.c.id)).all() if ids else []
    return _digest([_row(row), [_row(r) for r in parties], [_row(r) for r in addresses], [_row(r) for r in agents]])


def _single_state(session: Session, table: Any, key_column: Any, key: Any) -> str | None:
    row = session.execute(select(table).where(key_column == key)).first()
    return None if row is None else _digest(_row(row))


def state_of(session: Session, kind: str, key: str) -> str | None:
    if kind == "case":
        return case_state(session, uuid.UUID(key))
    if kind == "user":
        return _single_state(session, User.__table__, User.__table__.c.id, uuid.UUID(key))
    return _single_state(session, Setting.__table__, Setting.__table__.c.key, key)


def _changed(obj: Any) -> tuple[str, str] | tuple[str, uuid.UUID] | None:
    if isinstance(obj, Case):
        return ("case", str(obj.id)) if obj.id else None
    if isinstance(obj, Party):
        return ("case", str(obj.case_id)) if obj.case_id else None
    if isinstance(obj, (Address, Agent)):
        return ("party", obj.party_id) if obj.party_id else None  # resolved to its case before commit
    if isinstance(obj, User):
        return ("user", str(obj.id)) if obj.id else None
    if isinstance(obj, Setting):
        return ("setting", obj.key)
    return None


@event.listens_for(Session, "after_flush")
def _collect(session: Session, _ctx: Any) -> None:
    pending = session.info.setdefault(PENDING, set())
    for obj in (*session.new, *session.dirty, *session.deleted):
        found = _changed(obj)
        if found is not None:
            pending.add(found)


def take_snapshot(session: Session) -> dict[str, str | None] | None:
    """Before a commit (``audit`` registers the hook and writes the record): the states of the records
    this transaction changed, by ``kind:id``; None when it changed none."""
    if session.new or session.dirty or session.deleted:
        session.flush()  # the commit's own flush comes after the hook
    pending = session.info.pop(PENDING, None)
    if not pending:
        return None
    keys: set[tuple[str, str]] = set()
    for kind, key in pending:
        if kind == "party":
            case_id = session.scalar(select(Party.case_id).where(Party.id == key))
            if case_id is not None:
                keys.add(("case", str(case_id)))
        else:
            keys.add((kind, str(key)))
    return {f"{kind}:{key}": state_of(session, kind, key) for kind, key in sorted(keys)} or None


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(PENDING, None)


KIND_LABELS = {"case": "案件", "user": "用户", "setting": "设置"}


def find_edited_rows(session: Session, records: Iterable[AuditRecord] | None = None) -> list[str]:
    """The records whose state differs from their newest snapshot (in Chinese, by record id)."""
    latest: dict[str, str | None] = {}
    rows = records if records is not None else session.scalars(
        select(AuditRecord).where(AuditRecord.action == ACTION).order_by(AuditRecord.seq))
    for rec in rows:
        if isinstance(rec.after, dict):  # an edited record is the chain's business (verify_chain)
            latest.update({k: v for k, v in rec.after.items() if k.split(":", 1)[0] in KIND_LABELS})
    problems = []
    for name, expected in latest.items():
        kind, key = name.split(":", 1)
        label = f"{KIND_LABELS.get(kind, kind)} {key}"
        try:
            now = state_of(session, kind, key)
        except LookupError:  # a value no desk writes (an enum edited in a shell)
            problems.append(f"{label} 含有工作台不会写入的值（在工作台之外被修改）")
            continue
        except ValueError:  # not a record id
            continue
        if now == expected:
            continue
        if now is None:
            problems.append(f"{label} 已被删除，但审计记录中没有这次删除（在工作台之外删除）")
        elif expected is None:
            problems.append(f"{label} 在审计记录中已删除，却又出现在数据库中（在工作台之外写入）")
        else:
            problems.append(f"{label} 的数据与其最新审计记录不符（在工作台之外被修改）")
    return problems
