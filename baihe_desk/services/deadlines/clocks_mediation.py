"""Clocks of pre-litigation mediation (诉前调解).

- 调解中: the 30-day period with its consented extensions and 鉴定/评估 suspensions, exactly as
  :func:`baihe_desk.services.mediation.period.state` counts it (特邀调解规定第二十七条; 在线调解规则
  第二十四条、第二十六条), on the assigned mediator's queue. While a 鉴定/评估 is open the clock is paused.
- to-dos without a statutory date: 待发放告知书 / 待当事人表态 and 待委派 (the filing window), 待签收 (the
  assigned mediator).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from baihe_desk.models import Role
from baihe_desk.models.mediation import MediationCase, MediationStatus, Mediator
from baihe_desk.services.deadlines.clocks import Clock, ClockScope, register_clock_provider
from baihe_desk.services.mediation.period import state

WINDOW_TODO = {
    MediationStatus.SUGGESTED: ("诉前调解：待发放告知书", "mediation.notice"),
    MediationStatus.NOTICE_GIVEN: ("诉前调解：待登记当事人意见", "mediation.notice"),
    MediationStatus.AWAITING_ASSIGNMENT: ("诉前调解：当事人同意，待委派", "mediation.assign"),
}
BASIS_ASSIGN = ("《最高人民法院关于人民法院特邀调解的规定》第二十七条（调解期限自调解员签字接收移交材料之日起计算）",)
OPEN_STATUSES = (*WINDOW_TODO, MediationStatus.ASSIGNED, MediationStatus.IN_PROGRESS)


def mediation_clocks(session: Session, scope: ClockScope) -> list[Clock]:
    q = (select(MediationCase).where(MediationCase.status.in_(OPEN_STATUSES))
         .options(selectinload(MediationCase.extensions), selectinload(MediationCase.suspensions)))
    if scope.case_ids is not None:
        q = q.where(MediationCase.case_id.in_(scope.case_ids))
    records = list(session.scalars(q))
    mediator_ids = {m.mediator_id for m in records if m.mediator_id}
    users = dict(session.execute(select(Mediator.id, Mediator.user_id).where(Mediator.id.in_(mediator_ids))).all()) \
        if mediator_ids else {}
    out: list[Clock] = []
    for m in records:
        mediator_user = users.get(m.mediator_id) if m.mediator_id else None
        owners = frozenset([mediator_user]) if mediator_user else frozenset()
        number = f"（{m.mediation_number}）" if m.mediation_number else ""
        if m.status in WINDOW_TODO:
            label, step = WINDOW_TODO[m.status]
            owner = m.recommended_by_id or m.assigned_by_id
            out.append(Clock("mediation_window", label, m.case_id, step, None, None, duty=False, state="todo",
                             detail=m.status.label, owner_ids=frozenset([owner]) if owner else frozenset(),
                             team=Role.FILING_CLERK, entity_id=m.id))
        elif m.status is MediationStatus.ASSIGNED:
            out.append(Clock("mediation_accept", f"诉前调解{number}：待签收", m.case_id, "mediation.accept", None, None,
                             duty=False, state="todo", detail=f"{m.assigned_on} 委派，待调解员签收移交材料",
                             basis=BASIS_ASSIGN, owner_ids=owners, entity_id=m.id))
        else:
            st = state(m, today=scope.today, table=scope.table)
            if st.due is None:
                continue
            out.append(Clock("mediation", f"诉前调解期限{number}", m.case_id, "mediation.period", st.due, st.days_left,
                             duty=True, state="paused" if st.suspended_now else "running", detail=st.text,
                             basis=st.basis, steps=st.steps, warnings=st.warnings, owner_ids=owners,
                             entity_id=m.id))
    return out


register_clock_provider(mediation_clocks, name="mediation")
