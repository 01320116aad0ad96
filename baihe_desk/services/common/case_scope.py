"""案件范围 — which cases a user may touch, on top of the role (``permissions``).

A mediator works outside the court (station, bank, 董嫂说事点): they touch only the cases whose
mediation is assigned to them. Every other role reaches the court's cases as in the window.
``require_case`` audits a refusal like ``permissions.require``.
"""

from __future__ import annotations

import uuid

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from baihe_desk.errors import PermissionDenied
from baihe_desk.models import Case, Department, Role, User
from baihe_desk.models.mediation import MediationCase, Mediator
from baihe_desk.services.common.permissions import PERM_LABELS, Perm


def is_assigned_mediator(session: Session, user: User, case_id: uuid.UUID) -> bool:
    return bool(session.scalar(select(exists().where(
        MediationCase.case_id == case_id, MediationCase.mediator_id == Mediator.id, Mediator.user_id == user.id))))


def may_touch_case(session: Session, user: User | None, case_id: uuid.UUID) -> bool:
    if user is None or not user.active:
        return False
    if user.role is Role.MEDIATOR:
        return is_assigned_mediator(session, user, case_id)
    return True


def require_case(session: Session, user: User | None, case_id: uuid.UUID, what: str = "处理该案件",
                 perm: Perm | None = None) -> None:
    """Raise PermissionDenied (audited, committed) unless ``user`` may touch the case. With ``perm``, the
    refusal is recorded and worded like ``permissions.require``'s for that permission, naming the case."""
    if may_touch_case(session, user, case_id):
        return
    from baihe_desk.services.common import audit

    entity, entity_id = ("permission", perm.value) if perm else ("case", str(case_id))
    audit.record(session, user, "permission.denied", entity=entity, entity_id=entity_id,
                 after={"scope": "case", "case_id": str(case_id), "what": what})
    session.commit()
    who = f"{user.display_name}（{user.role.label}）" if user else "未登录用户"
    label = f"对该案件{PERM_LABELS[perm]}" if perm else what
    raise PermissionDenied(f"{who}无权{label}：该案件不在本人负责的范围内。")


def in_case_team(session: Session, user: User, case: Case) -> bool:
    """The case's own 承办法官; else (no judge named yet, or a 法官助理/书记员) someone of the judge's
    division (the judge's department, else the case's); or that division's named 庭长/分管院长."""
    if case.judge_id is not None and case.judge_id == user.id:
        return True
    user = session.get(User, user.id) or user  # the department as stored now, not as the login saw it
    judge = session.get(User, case.judge_id) if case.judge_id else None
    dept_id = (judge.department_id if judge else None) or case.department_id
    dept = session.get(Department, dept_id) if dept_id else None
    if dept is None:
        return False
    if user.id in (dept.chief_id, dept.overseer_id):
        return True
    if user.role is Role.JUDGE and case.judge_id is not None:
        return False  # another judge, even of the same division
    return user.department_id == dept.id


def require_case_team(session: Session, user: User, case: Case, what: str) -> None:
    """Raise PermissionDenied (audited, committed) unless ``user`` is in the case's team (in_case_team)."""
    if in_case_team(session, user, case):
        return
    from baihe_desk.services.common import audit

    audit.record(session, user, "permission.denied", entity="case", entity_id=case.id,
                 after={"scope": "case_team", "what": what})
    session.commit()
    raise PermissionDenied(f"{user.display_name}（{user.role.label}）无权{what}：只有本案承办法官及其审判团队、"
                           "本庭庭长或分管院长可以办理。")
