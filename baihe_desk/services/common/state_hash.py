"""状态哈希 — rows edited outside the desk are named by ``check`` (issue 17: direct edits of a party's ID
number or phone, a case number or an amount left no trace).

Every transaction that changes a case (its row, its parties, their addresses and agents), a user, a
court setting or any other business record (``TRACKED``: reviews, 送达地址 and 送达, mediations,
consultations and advice, judgments and explanations, document records, clocks, the court, its
departments and rosters, wording templates) through the desk appends, just before it commits, one ``state.snapshot`` audit record
holding the SHA-256 of each changed record's state after the change (``None``: deleted). The record is
part of the keyed chain, so a tamperer cannot write a matching one; :func:`find_edited_rows` compares
the newest snapshot of every record with the row as it is now. Rows written around the ORM (the demo
loader's bulk insert, records older than this version) have no snapshot and are not judged; a service
that writes rows with core statements (bundle check-in) names them with :func:`mark_row`.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from baihe_desk.models import Address, Agent, AuditRecord, Base, Case, Party, Setting, User

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


# Business records judged row by row: table name → 中文 (a party's rows belong to its case's state).
TRACKED = {
    "complaint_review": "立案审查", "review_answer": "审查项目答复", "service_address": "送达地址",
    "address_verification": "送达地址核实", "service_attempt": "送达记录", "mediation_case": "诉前调解",
    "mediation_session": "调解记录", "mediation_extension": "调解延期", "mediation_suspension": "调解中止",
    "mediator": "调解员", "mediation_organisation": "调解组织", "enforcement_consultation": "执行咨询函",
    "enforcement_consultation_party": "执行咨询当事人", "enforcement_consultation_term": "执行咨询裁判主文",
    "enforcement_advice": "执行建议", "enforcement_advice_item": "执行建议事项", "judgment_record": "裁判文书",
    "judgment_service": "裁判文书送达", "explanation_request": "判后答疑申请", "explanation_tier": "答疑层级",
    "explanation_risk": "信访风险", "generated_document": "文书记录", "trial_limit_extension": "审限延长",
    "trial_limit_suspension": "审限扣除", "court_profile": "法院信息", "department": "部门",
    "wording_template": "文书模板",
}


def state_of(session: Session, kind: str, key: str) -> str | None:
    if kind == "case":
        return case_state(session, uuid.UUID(key))
    if kind == "user":
        return _single_state(session, User.__table__, User.__table__.c.id, uuid.UUID(key))
    if kind in TRACKED:
        table = Base.metadata.tables[kind]
        return _single_state(session, table, table.c.id, uuid.UUID(key))
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
    table = getattr(obj, "__tablename__", None)
    if table in TRACKED and getattr(obj, "id", None) is not None:
        return (table, str(obj.id))
    return None


def mark_row(session: Session, table: str, row_id: Any) -> None:
    """A row written with a core statement (not the ORM) in this transaction: its state goes into the
    snapshot like an ORM change. Call it after an insert or update, and before a delete of a party."""
    pending = session.info.setdefault(PENDING, set())
    if table == "case":
        pending.add(("case", str(row_id)))
    elif table == "party":
        case_id = session.scalar(select(Party.case_id).where(Party.id == uuid.UUID(str(row_id))))
        if case_id is not None:
            pending.add(("case", str(case_id)))
    elif table in ("address", "agent"):
        model = Address if table == "address" else Agent
        party_id = session.scalar(select(model.party_id).where(model.id == uuid.UUID(str(row_id))))
        if party_id is not None:
            pending.add(("party", party_id))
    elif table == "app_user":
        pending.add(("user", str(row_id)))
    elif table in TRACKED:
        pending.add((table, str(row_id)))


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
    by_kind: dict[str, list[str]] = {}
    for kind, key in sorted(keys):
        by_kind.setdefault(kind, []).append(key)
    states: dict[str, str | None] = {}
    for kind, group in by_kind.items():
        states.update({f"{kind}:{key}": state for key, state in _states_of(session, kind, group).items()})
    return dict(sorted(states.items())) or None


def _states_of(session: Session, kind: str, keys: list[str]) -> dict[str, str | None]:
    """:func:`state_of` for several records of one kind: one query for a table's rows (a batch of
    documents changes dozens), a case's state one case at a time."""
    if (kind not in TRACKED and kind != "user") or len(keys) == 1:
        return {key: state_of(session, kind, key) for key in keys}
    table = User.__table__ if kind == "user" else Base.metadata.tables[kind]
    found = {str(row.id): _digest(_row(row)) for row in
             session.execute(select(table).where(table.c.id.in_([uuid.UUID(k) for k in keys])))}
    return {key: found.get(str(uuid.UUID(key))) for key in keys}


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(PENDING, None)


KIND_LABELS = {"case": "案件", "user": "用户", "setting": "设置", **TRACKED}


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
