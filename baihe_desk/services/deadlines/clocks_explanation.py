"""Clocks after the judgment: each party's appeal period and the 判后答疑 tiers waiting to be recorded.

- 上诉期 (watch, on the judge's queue): per party, from that party's own service
  (民事诉讼法第一百七十一条; 民诉法解释第二百四十四条), as :func:`services.explanation.appeal_status`
  computes it; not appealable (小额诉讼, 第一百五十七条) → no clock; not yet served → a to-do to record
  the service date. Only while the case is 已判决 (all items), or for one case (its whole history).
- 判后答疑 (to-do, on the assignee's queue): a tier assigned by name and not yet recorded; it carries
  the party's appeal deadline, so the explanation is held while the party can still appeal.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from baihe_desk.models import Case, Stage
from baihe_desk.models.explanation import ExplanationRequest, ExplanationTier, JudgmentRecord, RequestStatus
from baihe_desk.services.deadlines.clocks import Clock, ClockScope, register_clock_provider
from baihe_desk.services.explanation.appeal import REMINDER_NOT_EXTENDED, appeal_status


def appeal_clocks(session: Session, scope: ClockScope) -> list[Clock]:
    q = (select(JudgmentRecord, Case).join(Case, Case.id == JudgmentRecord.case_id)
         .options(selectinload(JudgmentRecord.services), selectinload(Case.parties)))
    if scope.case_ids is not None:
        q = q.where(JudgmentRecord.case_id.in_(scope.case_ids))
    else:
        q = q.where(Case.stage == Stage.JUDGED)
    out: list[Clock] = []
    for judgment, case in session.execute(q):
        judges = frozenset([case.judge_id]) if case.judge_id else frozenset()
        for party in case.parties:
            st = appeal_status(session, judgment, party, scope.today, table=scope.table)
            who = f"{st.party_role}{st.party_name}"
            if st.state == "not_appealable":
                continue
            if st.state == "not_served":
                out.append(Clock("appeal", f"上诉期（{who}）", case.id, "appeal.period", None, None, duty=False,
                                 state="todo", detail=st.text, basis=(st.reason,), owner_ids=judges,
                                 entity_id=judgment.id, party=who))
                continue
            if st.state == "expired" and scope.case_ids is None:
                continue
            out.append(Clock("appeal", f"上诉期（{who}）", case.id, "appeal.period", st.due, st.days_left, duty=False,
                             state=st.state, detail=st.text, basis=(st.reason, *st.basis), steps=st.steps,
                             warnings=st.warnings, watcher_ids=judges, entity_id=judgment.id, party=who))
    return out


def tier_clocks(session: Session, scope: ClockScope) -> list[Clock]:
    q = (select(ExplanationTier, ExplanationRequest).join(ExplanationRequest)
         .where(ExplanationTier.recorded_at.is_(None),
                ExplanationRequest.status.in_([RequestStatus.OPEN, RequestStatus.AWAITING_ESCALATION])))
    if scope.case_ids is not None:
        q = q.where(ExplanationRequest.case_id.in_(scope.case_ids))
    rows = session.execute(q).all()
    out: list[Clock] = []
    for tier, req in rows:
        judgment = session.get(JudgmentRecord, req.judgment_id)
        case = session.get(Case, req.case_id)
        party = next((p for p in case.parties if p.id == req.party_id), None) if case is not None else None
        due = left = None
        detail = f"{tier.assigned_on} 指定{tier.assignee_role}{tier.assignee_name}答疑"
        basis: tuple[str, ...] = (REMINDER_NOT_EXTENDED,)
        if judgment is not None and party is not None:
            st = appeal_status(session, judgment, party, scope.today, table=scope.table)
            if st.state == "running":
                due, left = st.due, st.days_left
            detail += f"；{st.text}"
        out.append(Clock("explanation_tier", f"判后答疑（第{tier.tier_no}级·{tier.assignee_role}）", req.case_id,
                         "explanation.tier", due, left, duty=False, state="todo", detail=detail, basis=basis,
                         owner_ids=frozenset([tier.assignee_id]), department_id=tier.department_id,
                         entity_id=tier.id, party=req.requester_name))
    return out


register_clock_provider(appeal_clocks, name="appeal")
register_clock_provider(tier_clocks, name="explanation")
