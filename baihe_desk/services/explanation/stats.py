"""判后答疑 (4/4) — statistics: requests, outcome by tier, 服判息诉 rate by judge and by division.

Counting rules (written into the UI's note):

- a request belongs to the period of its 申请日期 (``received_on``);
- "outcome by tier": every recorded tier counted by its tier number and the party's decision there;
- the 服判息诉 rate of a judge (the case's 承办法官) or division (the judge's division) =
  requests that ended with 服判息诉 at any tier ÷ requests that have ended. Open requests are counted as
  requests but not in the rate.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from baihe_desk.models import Case, Department, User
from baihe_desk.models.explanation import (
    DECISION_LABELS,
    MAX_TIER,
    TIER_ROLES,
    ExplanationRequest,
    PartyDecision,
    RequestStatus,
)
from baihe_desk.services.statistics.figures import Rate


@dataclass
class TierOutcome:
    tier_no: int
    role: str
    held: int = 0
    decisions: dict[PartyDecision, int] = field(default_factory=lambda: {d: 0 for d in PartyDecision})


@dataclass
class RateRow:
    name: str  # judge or division name
    requests: int = 0
    closed: int = 0
    accepted: int = 0  # 服判息诉

    @property
    def rate(self) -> float | None:
        return Rate(self.accepted, self.closed).value

    @property
    def rate_text(self) -> str:
        return Rate(self.accepted, self.closed).text


@dataclass
class ExplanationStats:
    requests: int
    open: int
    closed: int
    outcomes: dict[PartyDecision, int]  # final outcome of closed requests
    by_tier: list[TierOutcome]
    by_judge: list[RateRow]
    by_division: list[RateRow]

    @property
    def accepted_rate(self) -> RateRow:
        return RateRow("全院", self.requests, self.closed, self.outcomes[PartyDecision.ACCEPTS])


def _load(session: Session, start: date | None, end: date | None) -> list[ExplanationRequest]:
    q = select(ExplanationRequest).options(selectinload(ExplanationRequest.tiers))
    if start is not None:
        q = q.where(ExplanationRequest.received_on >= start)
    if end is not None:
        q = q.where(ExplanationRequest.received_on <= end)
    return list(session.scalars(q))


def statistics(session: Session, *, start: date | None = None, end: date | None = None) -> ExplanationStats:
    requests = _load(session, start, end)
    case_ids = {r.case_id for r in requests}
    cases = {c.id: c for c in session.scalars(select(Case).where(Case.id.in_(case_ids)))} if case_ids else {}
    users = {u.id: u for u in session.scalars(select(User))}
    depts = {d.id: d for d in session.scalars(select(Department))}

    outcomes = {d: 0 for d in PartyDecision}
    tiers = [TierOutcome(n, TIER_ROLES[n]) for n in range(1, MAX_TIER + 1)]
    by_judge: dict[uuid.UUID | None, RateRow] = {}
    by_dept: dict[uuid.UUID | None, RateRow] = {}
    closed = 0
    for req in requests:
        for t in req.tiers:
            if t.recorded and t.decision is not None:
                tiers[t.tier_no - 1].held += 1
                tiers[t.tier_no - 1].decisions[t.decision] += 1
        case = cases.get(req.case_id)
        judge = users.get(case.judge_id) if case and case.judge_id else None
        dept_id = (judge.department_id if judge else None) or (case.department_id if case else None)
        dept = depts.get(dept_id) if dept_id else None
        rows = (by_judge.setdefault(judge.id if judge else None, RateRow(judge.display_name if judge else "（未指定）")),
                by_dept.setdefault(dept.id if dept else None, RateRow(dept.name if dept else "（未归属部门）")))
        is_closed = req.status is RequestStatus.CLOSED
        closed += is_closed
        if is_closed and req.outcome is not None:
            outcomes[req.outcome] += 1
        for row in rows:
            row.requests += 1
            row.closed += is_closed
            row.accepted += bool(is_closed and req.outcome is PartyDecision.ACCEPTS)

    def ordered(rows: dict) -> list[RateRow]:  # type: ignore[type-arg]
        return sorted(rows.values(), key=lambda r: (-r.requests, r.name))

    return ExplanationStats(len(requests), len(requests) - closed, closed, outcomes, tiers,
                            ordered(by_judge), ordered(by_dept))


def decision_label(d: PartyDecision) -> str:
    return DECISION_LABELS[d]
