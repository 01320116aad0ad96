"""审计记录查阅 — the administrator's audit viewer and a case's own history (issue 17).

``search`` (管理员, ``Perm.AUDIT_VIEW``) filters the whole trail by case (案号, 收件号 or record id), user,
action and a range of days (the court's days, Asia/Shanghai); ``case_history`` shows one case's records
to the people who handle it (its judge and team, the division's 庭长/分管院长, ``case_scope.in_case_team``)
and to the administrator; ``export`` writes to PDF, XLSX or CSV (:mod:`audit_export`); ``verify`` checks the
keyed chain (管理员). Viewing, exporting and verifying are audited themselves (``audit.view``,
``audit.case_history``, ``audit.export``, ``audit.verify``), with the filter used and, for an export, the
file, its format and SHA-256.

A case's records are those whose ``entity_id`` is the case or a row that belongs to it (parties, their
addresses and agents, reviews, mediations, consultations, explanations, documents … found by following
``case_id`` and the foreign keys one step further), and those naming the case id in their details (a
command-line call, a state snapshot).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import String, cast, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

if TYPE_CHECKING:
    from baihe_desk.storage.db import Database

from baihe_desk.errors import NotFound, PermissionDenied
from baihe_desk.models import AuditRecord, Base, Case, Role, User
from baihe_desk.services.admin.audit_page import AuditFilter, AuditPage, AuditRow
from baihe_desk.services.common import audit
from baihe_desk.services.common.permissions import Perm, require

LOCAL = ZoneInfo("Asia/Shanghai")
PAGE = 500  # rows shown at once in the viewer
EXPORT_MAX = 50_000  # rows in one export (a filter narrows a larger trail)

ACTION_LABELS = (  # (prefix, Chinese) — the longest matching prefix names an action
    ("auth.login_failed", "登录失败"), ("auth.", "登录与账号"), ("permission.denied", "拒绝越权操作"),
    ("case.", "案件"), ("review.", "立案审查"), ("complaint_review.", "立案审查"), ("mediation", "诉前调解"),
    ("service", "送达"), ("address", "送达地址"), ("enforcement", "执行咨询"), ("consult", "执行咨询"),
    ("explanation", "判后答疑"), ("judgment", "裁判与送达"), ("document.", "文书"), ("user.", "用户"),
    ("setting", "设置"), ("court", "法院信息"), ("department", "部门"), ("database.", "数据库备份与恢复"),
    ("cli.", "命令行"), ("bundle", "案件包"), ("state.snapshot", "状态快照"), ("audit.", "查阅审计记录"),
    ("audit.verify", "核验审计链"),
    ("trial", "审限"), ("template", "文书模板"), ("holiday", "节假日"), ("demo.", "演示数据"),
)


def action_label(action: str) -> str:
    best = max((p for p, _ in ACTION_LABELS if action.startswith(p)), key=len, default="")
    return dict(ACTION_LABELS).get(best, "其他")


def _detail(rec: AuditRecord) -> str:
    if rec.action == "state.snapshot" and isinstance(rec.after, dict):
        return f"{len(rec.after)} 条业务记录的状态哈希"
    parts = []
    for label, value in (("前", rec.before), ("后", rec.after)):
        if value not in (None, {}, []):
            parts.append(f"{label}：{json.dumps(value, ensure_ascii=False, sort_keys=True)}")
    text = "；".join(parts)
    return text if len(text) <= 300 else text[:299] + "…"


def _row(rec: AuditRecord) -> AuditRow:
    return AuditRow(rec.seq, rec.at.astimezone(LOCAL), rec.username or "（系统）", rec.action,
                    action_label(rec.action), rec.entity, rec.entity_id, _detail(rec))


def find_case(session: Session, text: str) -> Case:
    """The case named by its 案号, 收件号 or record id (NotFound otherwise)."""
    text = (text or "").strip()
    case = session.scalar(select(Case).where(or_(Case.case_number == text, Case.receipt_number == text)).limit(1))
    if case is None:
        try:
            case = session.get(Case, uuid.UUID(text))
        except ValueError:
            case = None
    if case is None:
        raise NotFound(f"未找到案件“{text}”：请输入完整的案号、收件号或案件编号。")
    return case


def case_entity_ids(session: Session, case_id: uuid.UUID) -> set[str]:
    """The ids of the case and of every row belonging to it: tables with a ``case_id``, and tables whose
    foreign keys point at those rows (a party's addresses, a review's answers, a request's tiers …)."""
    ids: set[str] = {str(case_id)}
    level: dict[str, set[Any]] = {}
    for table in Base.metadata.sorted_tables:
        if "case_id" in table.c and "id" in table.c and table.name != "audit_record":
            found = set(session.scalars(select(table.c.id).where(table.c.case_id == case_id)))
            if found:
                level[table.name] = found
    for table in Base.metadata.sorted_tables:
        if "id" not in table.c or table.name in level:
            continue
        for fk in table.foreign_keys:
            parent = fk.column.table.name
            if parent in level and fk.column.name == "id":
                ids.update(str(v) for v in session.scalars(
                    select(table.c.id).where(fk.parent.in_(level[parent]))))
    for found in level.values():
        ids.update(str(v) for v in found)
    return ids


def _query(flt: AuditFilter, case_id: uuid.UUID | None, entity_ids: set[str]) -> Select[Any]:
    q = select(AuditRecord)
    if case_id is not None:
        q = q.where(or_(AuditRecord.entity_id.in_(sorted(entity_ids)),
                        cast(AuditRecord.after, String).like(f"%{case_id}%"),
                        cast(AuditRecord.before, String).like(f"%{case_id}%")))
    if flt.username.strip():
        q = q.where(AuditRecord.username == flt.username.strip())
    action = flt.action.strip()
    if action:
        q = q.where(AuditRecord.action.startswith(action, autoescape=True) if action.endswith(".")
                    else AuditRecord.action == action)
    if flt.date_from is not None:
        q = q.where(AuditRecord.at >= datetime.combine(flt.date_from, time(), LOCAL))
    if flt.date_to is not None:
        q = q.where(AuditRecord.at < datetime.combine(flt.date_to + timedelta(days=1), time(), LOCAL))
    return q


def _fetch(session: Session, flt: AuditFilter, limit: int, offset: int = 0,
           case: Case | None = None) -> AuditPage:
    if flt.date_from and flt.date_to and flt.date_from > flt.date_to:
        from baihe_desk.errors import ValidationError

        raise ValidationError("起止日期", "开始日期晚于结束日期，请改正。")
    if case is None and flt.case.strip():
        case = find_case(session, flt.case)
    ids = case_entity_ids(session, case.id) if case is not None else set()
    q = _query(flt, case.id if case is not None else None, ids)
    total = session.scalar(select(func.count()).select_from(q.subquery())) or 0
    recs = session.scalars(q.order_by(AuditRecord.seq.desc()).offset(offset).limit(limit))
    label = (case.case_number or case.receipt_number or str(case.id)) if case is not None else ""
    return AuditPage([_row(r) for r in recs], total, flt, label)


def search(session: Session, actor: User | None, flt: AuditFilter, *, limit: int = PAGE,
           offset: int = 0) -> AuditPage:
    """查询审计记录 (管理员): the newest ``limit`` matching records first; audited as ``audit.view``."""
    require(session, actor, Perm.AUDIT_VIEW)
    page = _fetch(session, flt, limit, offset)
    audit.record(session, actor, "audit.view", entity="audit", entity_id=page.case_label[:40],
                 after={"filter": flt.as_json(), "matched": page.total})
    return page


def may_see_case_history(session: Session, actor: User | None, case: Case) -> bool:
    from baihe_desk.services.common.case_scope import in_case_team
    from baihe_desk.services.common.permissions import allowed

    if actor is None or not actor.active:
        return False
    if allowed(actor, Perm.AUDIT_VIEW):
        return True
    return actor.role is not Role.MEDIATOR and in_case_team(session, actor, case)


def _require_case_history(session: Session, actor: User | None, case: Case) -> None:
    if may_see_case_history(session, actor, case):
        return
    audit.record(session, actor, "permission.denied", entity="case", entity_id=case.id,
                 after={"scope": "case_history", "permission": Perm.AUDIT_VIEW.value})
    session.commit()
    who = f"{actor.display_name}（{actor.role.label}）" if actor else "未登录用户"
    raise PermissionDenied(f"{who}无权查阅该案件的审计记录：只有本案承办法官及其审判团队、本庭庭长或分管院长"
                           "和管理员可以查阅。")


def case_history(session: Session, actor: User | None, case_id: uuid.UUID, *,
                 flt: AuditFilter | None = None, limit: int = PAGE) -> AuditPage:
    """本案审计记录: the case's own records (its judge and team, 庭长/分管院长, 管理员); audited."""
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound("未找到该案件，可能已被删除。")
    _require_case_history(session, actor, case)
    flt = flt or AuditFilter()
    page = _fetch(session, AuditFilter("", flt.username, flt.action, flt.date_from, flt.date_to), limit, case=case)
    page.filter = AuditFilter(page.case_label, flt.username, flt.action, flt.date_from, flt.date_to)
    audit.record(session, actor, "audit.case_history", entity="case", entity_id=case.id,
                 after={"filter": page.filter.as_json(), "matched": page.total})
    return page


def export(session: Session, actor: User | None, flt: AuditFilter, out: Any, fmt: str, *,
           paths: Any = None, case_id: uuid.UUID | None = None, now: datetime | None = None) -> Any:
    """导出 the records matching ``flt`` (``case_id``: one case's history, for its team) to ``out`` as
    ``pdf`` or ``xlsx``; returns the path. Audited as ``audit.export`` with the file and its SHA-256."""
    from pathlib import Path

    from baihe_desk.services.admin import audit_export
    from baihe_desk.storage.backup import sha256_file

    fmt = audit_export.check_format(fmt)
    if case_id is not None:
        case = session.get(Case, case_id)
        if case is None:
            raise NotFound("未找到该案件，可能已被删除。")
        _require_case_history(session, actor, case)
        page = _fetch(session, AuditFilter("", flt.username, flt.action, flt.date_from, flt.date_to),
                      EXPORT_MAX, case=case)
        page.filter = AuditFilter(page.case_label, flt.username, flt.action, flt.date_from, flt.date_to)
    else:
        require(session, actor, Perm.AUDIT_VIEW)
        page = _fetch(session, flt, EXPORT_MAX)
    if page.total > len(page.rows):
        page.notes.append(f"共 {page.total} 条，只导出了最新的 {len(page.rows)} 条；请缩小筛选范围。")
    meta = audit_export.ExportMeta(exported_by=f"{actor.display_name}（{actor.username}）" if actor else "",
                                   exported_at=(now or datetime.now(LOCAL)).astimezone(LOCAL))
    path = audit_export.write(session, page, meta, Path(out), fmt, paths=paths)
    audit.record(session, actor, "audit.export", entity="audit", entity_id=page.case_label[:40],
                 after={"filter": page.filter.as_json(), "format": fmt, "rows": len(page.rows),
                        "path": str(path.resolve()), "sha256": sha256_file(path)})
    return path


@dataclass(frozen=True)
class ChainCheck:
    records: int  # the records checked
    problems: list[audit.ChainProblem]  # empty: the chain is intact


def verify(db: Database, actor: User | None) -> ChainCheck:
    """核验审计链 (管理员): every record's keyed hash and its link to the one before (``audit.verify_chain``),
    read in a session of its own (a long trail holds no write lock); audited as ``audit.verify`` with the
    number of records and the sequence numbers of the problems found."""
    with db.transaction() as s:
        require(s, actor, Perm.AUDIT_VIEW)
    with db.session() as s:
        records = audit.count(s)
        problems = audit.verify_chain(s)
    with db.transaction() as s:
        audit.record(s, actor, "audit.verify", entity="audit",
                     after={"records": records, "problems": len(problems),
                            "problem_seqs": sorted({p.seq for p in problems})[:100]})
    return ChainCheck(records, problems)


def known_actions(session: Session, actor: User | None) -> list[str]:
    """The actions the trail holds (for the viewer's list), for an administrator."""
    require(session, actor, Perm.AUDIT_VIEW)
    return list(session.scalars(select(AuditRecord.action).distinct().order_by(AuditRecord.action)))


def known_usernames(session: Session, actor: User | None) -> list[str]:
    require(session, actor, Perm.AUDIT_VIEW)
    return [u for u in session.scalars(select(AuditRecord.username).distinct().order_by(AuditRecord.username)) if u]
