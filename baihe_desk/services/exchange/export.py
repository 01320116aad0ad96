"""借出 / 交回 — write a bundle of chosen cases for another desk.

From the court (the cases are here for good) a bundle is a **check-out**: each case is marked 已借出 to that
desk with a due date (other desks still read it and see the mark), and the rows' versions are logged as the
base the check-in will be compared with. From a laptop or the station (the cases are borrowed copies) the
bundle is the **return** (检入) of the borrowed cases to the desk they came from.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from baihe_desk import __version__
from baihe_desk.config import Paths
from baihe_desk.errors import KnownError, NotFound, PermissionDenied
from baihe_desk.models import Case, Role, User, utcnow
from baihe_desk.models.exchange import BundleLog, CaseCheckout, Desk, DeskKind
from baihe_desk.services.common import audit
from baihe_desk.services.deadlines.clocks import today_local
from baihe_desk.services.exchange import bundle_file, records
from baihe_desk.services.exchange.identity import Identity, own_identity
from baihe_desk.storage.keystore import Keystore

EXCHANGE_ROLES = {Role.FILING_CLERK, Role.ADMIN, Role.JUDGE, Role.JUDGE_ASSISTANT, Role.MEDIATOR}
DEFAULT_LOAN_DAYS = 30
MAX_FILE_BYTES = 5 * 1024 * 1024  # generated documents up to this size travel with their record


def require_exchange(session: Session, actor: User | None, doing: str) -> User:
    if actor is None or not actor.active or actor.role not in EXCHANGE_ROLES:
        audit.record(session, actor, "permission.denied", entity="bundle", after={"doing": doing})
        session.commit()
        who = f"{actor.display_name}（{actor.role.label}）" if actor else "未登录用户"
        raise PermissionDenied(f"{who}无权{doing}。")
    return actor


def require_identity(session: Session, keystore: Keystore) -> Identity:
    identity = own_identity(session, keystore)
    if identity is None:
        raise KnownError("本工作台尚未生成身份密钥。请管理员在“系统管理 → 工作台与案件包”中生成后再试。")
    return identity


def case_label(case: Case | dict[str, Any]) -> str:
    if isinstance(case, dict):
        return case.get("case_number") or case.get("receipt_number") or "案件"
    return case.case_number or case.receipt_number


def open_marks(session: Session, case_ids: list[uuid.UUID], direction: str) -> dict[uuid.UUID, CaseCheckout]:
    rows = session.scalars(select(CaseCheckout).where(CaseCheckout.case_id.in_(case_ids),
                                                      CaseCheckout.direction == direction,
                                                      CaseCheckout.returned_at.is_(None)))
    return {r.case_id: r for r in rows}


@dataclass
class ExportResult:
    data: bytes
    bundle_id: uuid.UUID
    purpose: str  # checkout / checkin
    manifest: dict[str, Any]
    summary: str


def _files(rows: records.Rows, paths: Paths | None) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    if paths is None:
        return out
    for rid, row in rows.get("generated_document", {}).items():
        path = paths.documents / row["relpath"]
        if path.is_file() and path.stat().st_size <= MAX_FILE_BYTES:
            out[f"file:{rid}"] = path.read_bytes()
    return out


def export_bundle(session: Session, actor: User, keystore: Keystore, case_ids: list[uuid.UUID],
                  to_desk_id: uuid.UUID, *, due_on: date | None = None, paths: Paths | None = None,
                  today: date | None = None) -> ExportResult:
    """Write the bundle (bytes) of ``case_ids`` for the desk ``to_desk_id``; mark, log and audit it."""
    actor = require_exchange(session, actor, "导出案件包")
    identity = require_identity(session, keystore)
    desk = session.get(Desk, to_desk_id)
    if desk is None or desk.is_self:
        raise NotFound("未找到接收的工作台，请先由管理员登记。")
    if not desk.active:
        raise KnownError(f"工作台“{desk.name}”的密钥已被撤销，不能再向它发送案件包。")
    if not case_ids:
        raise KnownError("请至少选择一件案件。")
    cases = {c.id: c for c in session.scalars(select(Case).where(Case.id.in_(case_ids)))}
    missing = [str(i) for i in case_ids if i not in cases]
    if missing:
        raise NotFound(f"未找到 {len(missing)} 件所选案件。")
    if actor.role is Role.MEDIATOR:  # only the mediations assigned to them (case_scope), like in the window
        from baihe_desk.services.common.case_scope import require_case

        for c in cases.values():
            require_case(session, actor, c.id, "导出该案件的案件包")
    if actor.role is Role.JUDGE:
        others = [case_label(c) for c in cases.values() if c.judge_id not in (None, actor.id)]
        if others:
            raise PermissionDenied(f"承办法官只能借出本人承办的案件：{'、'.join(others[:5])}。")
    borrowed = open_marks(session, list(cases), "in")
    if borrowed and len(borrowed) != len(cases):
        raise KnownError("所选案件中有的是借入的离线副本、有的不是：请分开导出（借入的案件交回原工作台）。")
    purpose = "checkin" if borrowed else "checkout"
    base_ids: list[str] = []
    t = today or today_local()  # the court's day, whatever the PC's zone
    if purpose == "checkin":
        strangers = [case_label(cases[i]) for i, m in borrowed.items() if m.desk_id != desk.id]
        if strangers:
            raise KnownError(f"这些案件借自其他工作台，只能交回原工作台：{'、'.join(strangers[:5])}。")
        base_ids = sorted({str(m.bundle_id) for m in borrowed.values()})
        due = None
    else:
        if identity.desk.kind is not DeskKind.COURT:
            raise KnownError(f"只有法院的工作台可以借出案件；本机（{identity.desk.kind.label}）只能交回从法院借入的案件。")
        lent = open_marks(session, list(cases), "out")
        if lent:
            names = {d.id: d.name for d in session.scalars(select(Desk))}
            first = next(iter(lent.values()))
            raise KnownError(f"案件 {case_label(cases[first.case_id])} 已借出给“{names.get(first.desk_id, '')}”"
                             f"（应于 {first.due_on} 归还），须检入后才能再次借出。")
        due = due_on or t + timedelta(days=DEFAULT_LOAN_DAYS)
        if due < t:
            raise KnownError("归还日期不能早于今天。")
    rows = records.collect(session, list(cases))
    versions = records.versions(rows)
    parts = {"records": bundle_file.canonical(rows), "versions": bundle_file.canonical(versions),
             **_files(rows, paths)}
    bundle_id = uuid.uuid4()
    desk.last_sent_seq += 1
    now = utcnow()
    me = identity.desk
    manifest = {
        "bundle_id": str(bundle_id), "purpose": purpose, "app_version": __version__,
        "sender": {"id": str(me.id), "name": me.name, "kind": me.kind.value, "public_key": me.public_key,
                   "fingerprint": me.fingerprint},
        "recipient": {"id": str(desk.id), "name": desk.name, "kind": desk.kind.value,
                      "public_key": desk.public_key, "fingerprint": desk.fingerprint},
        "sequence": desk.last_sent_seq, "base_bundle_ids": base_ids, "created_at": now.isoformat(),
        "due_on": due.isoformat() if due else None, "case_ids": sorted(str(i) for i in cases),
        "case_count": len(cases), "records": {name: len(by_id) for name, by_id in rows.items() if by_id},
    }
    data = bundle_file.seal(manifest, parts, identity.signing_key(), desk.public_key)
    session.add(BundleLog(id=bundle_id, direction="out", purpose=purpose, peer_desk_id=desk.id,
                          sequence=desk.last_sent_seq, base_bundle_id=uuid.UUID(base_ids[0]) if base_ids else None,
                          created_at=now, user_id=actor.id, case_ids=manifest["case_ids"], versions=versions,
                          summary={"records": manifest["records"]}))
    if purpose == "checkout":
        for cid in cases:
            session.add(CaseCheckout(case_id=cid, desk_id=desk.id, direction="out", bundle_id=bundle_id,
                                     due_on=due, by_id=actor.id))
    else:
        for m in borrowed.values():
            m.returned_at, m.returned_bundle_id = now, bundle_id
    session.flush()
    audit.record(session, actor, f"bundle.export.{purpose}", entity="bundle", entity_id=bundle_id,
                 after={"to_desk": desk.name, "to_fingerprint": desk.fingerprint, "sequence": desk.last_sent_seq,
                        "cases": manifest["case_ids"], "due_on": due, "records": manifest["records"]})
    what = "借出" if purpose == "checkout" else "交回"
    summary = f"已{what} {len(cases)} 件案件给“{desk.name}”" + (f"，应于 {due.isoformat()} 前归还" if due else "") + "。"
    return ExportResult(data, bundle_id, purpose, manifest, summary)


def lent_cases(session: Session) -> list[tuple[Case, CaseCheckout, Desk]]:
    """已借出 marks still open (for the desks page and the case list's mark)."""
    q = (select(Case, CaseCheckout, Desk).join(CaseCheckout, CaseCheckout.case_id == Case.id)
         .join(Desk, Desk.id == CaseCheckout.desk_id)
         .where(CaseCheckout.returned_at.is_(None)).order_by(CaseCheckout.due_on))
    return [(c, m, d) for c, m, d in session.execute(q).all()]


def checkout_mark(session: Session, case_id: uuid.UUID) -> str:
    """The mark a case shows while lent or borrowed ('' when neither)."""
    m = session.scalar(select(CaseCheckout).where(CaseCheckout.case_id == case_id,
                                                  CaseCheckout.returned_at.is_(None)).limit(1))
    if m is None:
        return ""
    desk = session.get(Desk, m.desk_id)
    name = desk.name if desk else ""
    if m.direction == "out":
        return f"已借出：{name}" + (f"（应于 {m.due_on.isoformat()} 归还）" if m.due_on else "")
    return f"借入自：{name}（离线副本，须交回）"
