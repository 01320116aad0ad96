"""判后答疑 (3/4) — 信访风险 flag with reasons and 领导包案 by a named leader.

The court's practice (court-report: 对排查有重大风险隐患的案件实行领导包案) is that a case with a
重大信访风险 is taken over by a named leader. The reasons offered and which roles count as
"leaders" are local practice, so both are settings:

- ``explanation.risk_reasons``: list of reason texts (default :data:`DEFAULT_REASONS`) [unconfirmed];
- ``explanation.risk_leader_roles``: roles that may be named 包案领导 (default 分管院长、庭长) [unconfirmed].
A flag always names its leader; the leader can be changed, and the flag cleared (解除) with a note.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from baihe_desk.errors import KnownError, NotFound, ValidationError
from baihe_desk.models import Role, User
from baihe_desk.models.explanation import ExplanationRequest, RiskFlag
from baihe_desk.services.common import audit
from baihe_desk.services.common.permissions import Perm, require
from baihe_desk.services.explanation.appeal import get_case, setting, today

REASONS_SETTING = "explanation.risk_reasons"
LEADER_ROLES_SETTING = "explanation.risk_leader_roles"
DEFAULT_REASONS = [
    "经逐级答疑仍有强烈异议",
    "扬言上访、越级上访或者有过激言行",
    "涉及群体性纠纷或者多名当事人",
    "涉及当事人基本生活、医疗、劳动报酬等民生问题",
    "当事人曾经信访或者在其他案件中反复申诉",
    "舆情风险",
]
DEFAULT_LEADER_ROLES = [Role.VICE_PRESIDENT.value, Role.DIVISION_CHIEF.value]


def reason_options(session: Session) -> list[str]:
    value = setting(session, REASONS_SETTING, DEFAULT_REASONS)
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        return list(DEFAULT_REASONS)
    return [v.strip() for v in value]


def leader_roles(session: Session) -> list[Role]:
    value = setting(session, LEADER_ROLES_SETTING, DEFAULT_LEADER_ROLES)
    roles = [Role(v) for v in value if v in Role._value2member_map_] if isinstance(value, list) else []
    return roles or [Role(v) for v in DEFAULT_LEADER_ROLES]


def leader_candidates(session: Session) -> list[User]:
    """Active users who may be named 包案领导 (分管院长 first)."""
    roles = leader_roles(session)
    users = session.scalars(select(User).where(User.active.is_(True), User.role.in_(roles))).all()
    return sorted(users, key=lambda u: (roles.index(u.role), u.display_name))


def active_flag(session: Session, case_id: uuid.UUID) -> RiskFlag | None:
    return session.scalar(select(RiskFlag).where(RiskFlag.case_id == case_id, RiskFlag.active.is_(True))
                          .order_by(RiskFlag.flagged_on.desc()).limit(1))


def _leader(session: Session, leader_id: uuid.UUID | None) -> User:
    leader = session.get(User, leader_id) if leader_id else None
    if leader is None or not leader.active:
        raise ValidationError("包案领导", "请选择一名在职的院领导或庭长")
    if leader.role not in leader_roles(session):
        labels = "、".join(r.label for r in leader_roles(session))
        raise ValidationError("包案领导", f"{leader.display_name}（{leader.role.label}）不能包案，应为{labels}")
    return leader


def flag_risk(session: Session, actor: User | None, case_id: uuid.UUID, *, reasons: list[str], leader_id: uuid.UUID,
              note: str = "", request_id: uuid.UUID | None = None, on: date | None = None) -> RiskFlag:
    """标记信访风险 and name the 包案领导."""
    actor = require(session, actor, Perm.RISK_FLAG)
    on = on or today()
    case = get_case(session, case_id)
    chosen = [r.strip() for r in reasons if r and r.strip()]
    if not chosen:
        raise ValidationError("风险原因", "请至少选择或填写一项原因")
    leader = _leader(session, leader_id)
    if active_flag(session, case.id) is not None:
        raise KnownError("本案已标记信访风险。如需更换包案领导，请使用「更换包案领导」。")
    if request_id is not None:
        req = session.get(ExplanationRequest, request_id)
        if req is None or req.case_id != case.id:
            raise ValidationError("答疑申请", "不是本案的答疑申请")
    flag = RiskFlag(case_id=case.id, request_id=request_id, reasons=chosen, note=(note or "").strip(), flagged_on=on,
                    flagged_by_id=actor.id, leader_id=leader.id, leader_name=leader.display_name)
    session.add(flag)
    session.flush()
    audit.record(session, actor, "explanation.risk_flag", entity="explanation_risk", entity_id=flag.id,
                 after=audit.snapshot(flag))
    return flag


def change_leader(session: Session, actor: User | None, flag_id: uuid.UUID, leader_id: uuid.UUID) -> RiskFlag:
    actor = require(session, actor, Perm.RISK_FLAG)
    flag = session.get(RiskFlag, flag_id)
    if flag is None or not flag.active:
        raise NotFound("该风险标记不存在或已解除。")
    leader = _leader(session, leader_id)
    before = audit.snapshot(flag)
    flag.leader_id, flag.leader_name = leader.id, leader.display_name
    session.flush()
    audit.record(session, actor, "explanation.risk_leader", entity="explanation_risk", entity_id=flag.id,
                 before=before, after=audit.snapshot(flag))
    return flag


def clear_flag(session: Session, actor: User | None, flag_id: uuid.UUID, *, note: str,
               on: date | None = None) -> RiskFlag:
    """解除信访风险 (with the reason, e.g. 当事人服判息诉、矛盾已化解)."""
    actor = require(session, actor, Perm.RISK_FLAG)
    flag = session.get(RiskFlag, flag_id)
    if flag is None or not flag.active:
        raise NotFound("该风险标记不存在或已解除。")
    if not (note or "").strip():
        raise ValidationError("解除理由", "请填写解除的理由")
    before = audit.snapshot(flag)
    flag.active, flag.cleared_on, flag.cleared_by_id, flag.clear_note = False, on or today(), actor.id, note.strip()
    session.flush()
    audit.record(session, actor, "explanation.risk_clear", entity="explanation_risk", entity_id=flag.id,
                 before=before, after=audit.snapshot(flag))
    return flag
