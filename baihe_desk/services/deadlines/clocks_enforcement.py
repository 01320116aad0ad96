"""Clocks of the enforcement consultation (执行咨询).

- 已发送: the bureau's reply period (``reply_due``, counted in working days when the consultation was
  sent; the number of days is the court setting ``enforcement.reply_working_days`` — local practice,
  not a statutory period, as the basis line says). The enforcement bureau must act (its team queue);
  the consulting judge waits on it.
- 已回复: the consulting judge records whether the advice was adopted (a to-do without a date).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from baihe_desk.models import Role
from baihe_desk.models.enforcement import ConsultStatus, EnforcementConsultation
from baihe_desk.services.deadlines.clocks import Clock, ClockScope, register_clock_provider
from baihe_desk.services.enforcement.consultation import REPLY_BASIS
from baihe_desk.services.enforcement.queries import reply_clock


def consultation_clocks(session: Session, scope: ClockScope) -> list[Clock]:
    q = select(EnforcementConsultation).where(
        EnforcementConsultation.status.in_([ConsultStatus.SENT, ConsultStatus.REPLIED]))
    if scope.case_ids is not None:
        q = q.where(EnforcementConsultation.case_id.in_(scope.case_ids))
    out: list[Clock] = []
    for c in session.scalars(q):
        judge = c.consulting_user_id
        judges = frozenset([judge]) if judge else frozenset()
        number = c.number or "执行咨询函"
        if c.status is ConsultStatus.SENT:
            rc = reply_clock(c, scope.today, scope.table)
            left = (rc.due - scope.today).days if rc.due else None
            out.append(Clock("consult_reply", f"执行咨询回复期限（{number}）", c.case_id, "enforcement.reply", rc.due,
                             left, duty=True, detail=rc.text, basis=(REPLY_BASIS,), steps=tuple(c.due_steps or ()),
                             team=Role.ENFORCEMENT, watcher_ids=judges, entity_id=c.id))
        else:
            out.append(Clock("consult_adoption", f"执行建议待记录采纳情况（{number}）", c.case_id,
                             "enforcement.adoption", None, None, duty=False, state="todo",
                             detail=f"执行局已于 {c.replied_on} 回复，请记录是否采纳", owner_ids=judges, entity_id=c.id))
    return out


register_clock_provider(consultation_clocks, name="enforcement")
