"""Clock of 答辩期: the period in which a defendant may file a 答辩状, per defendant (a watch).

民事诉讼法第一百二十八条第一款: 15 days from receiving the 起诉状副本; 第二百八十五条: 30 days for a defendant
with no domicile in the PRC (港澳台 by reference, 民诉法解释第五百四十九条) — ``Party.domicile_region`` through
:func:`services.deadlines.party_periods.party_deadline`. The service date is the legal one of the first
attempt that served the complaint copy (:func:`services.filing.service_date.served_on`). The court waits for
the answer (it does not have to act), so the clock is a watch on the judge's queue, while the case is filed
and not yet judged.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from baihe_desk.models import Case, Party, PartyRole, Stage
from baihe_desk.models.service_address import ServedDocument, ServiceAttempt
from baihe_desk.services.deadlines.clocks import Clock, ClockScope, register_clock_provider
from baihe_desk.services.deadlines.party_periods import party_deadline

# Only complaint copies served recently can still have a running answer period (30 days + rest days +
# a 60-day 公告 for a party abroad).
LOOKBACK_DAYS = 120


def answer_clocks(session: Session, scope: ClockScope) -> list[Clock]:
    from baihe_desk.services.filing.service_date import served_on  # filing imports deadlines, not the reverse

    # The attempts first, from their own index (case ids or the date range), then the few parties and cases:
    # starting from the cases by stage would walk every open case (tests/storage/test_search_plans.py).
    q = select(ServiceAttempt).where(ServiceAttempt.document == ServedDocument.COMPLAINT_COPY)
    if scope.case_ids is not None:
        q = q.where(ServiceAttempt.case_id.in_(scope.case_ids))
    else:
        q = q.where(ServiceAttempt.attempted_on >= scope.today - timedelta(days=LOOKBACK_DAYS))
    attempts = sorted(session.scalars(q), key=lambda a: a.attempted_on)
    if not attempts:
        return []
    parties = {p.id: p for p in session.scalars(select(Party).where(
        Party.id.in_({a.party_id for a in attempts}), Party.role == PartyRole.DEFENDANT))}
    cases = {c.id: c for c in session.scalars(select(Case).where(Case.id.in_({a.case_id for a in attempts})))}
    first: dict = {}
    for attempt in attempts:
        party, case = parties.get(attempt.party_id), cases.get(attempt.case_id)
        if party is None or case is None or party.id in first:
            continue
        if scope.case_ids is None and case.stage not in (Stage.FILED, Stage.IN_TRIAL):
            continue
        result = served_on(attempt)
        if result.served and result.on is not None:
            first[party.id] = (attempt, party, case, result.on)
    out: list[Clock] = []
    for attempt, party, case, on in first.values():
        deadline = party_deadline("answer", on, party.domicile_region, table=scope.table)
        left = (deadline.due - scope.today).days
        if left < 0 and scope.case_ids is None:
            continue
        who = f"{party.role.label}{party.name}"
        detail = (f"起诉状副本于 {on} 送达，答辩期 {deadline.count} 日，至 {deadline.due}"
                  + (f"（剩余 {left} 日）" if left > 0 else "（今日届满）" if left == 0 else "（已届满）"))
        people = frozenset(p for p in (case.judge_id, attempt.recorded_by_id) if p)
        out.append(Clock("answer", f"答辩期（{who}）", case.id, "service.answer", deadline.due, left, duty=False,
                         state="running" if left >= 0 else "expired", detail=detail, basis=deadline.basis,
                         steps=deadline.steps, warnings=deadline.warnings, watcher_ids=people,
                         entity_id=attempt.id, party=who))
    return out


register_clock_provider(answer_clocks, name="answer")
