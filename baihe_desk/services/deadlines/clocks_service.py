"""Clock of 公告送达: the notice period after which the document is deemed served (a watch).

民事诉讼法第九十五条: 自发出公告之日起，经过三十日，即视为送达 (60 days for a party without a domicile
in China, 第二百八十三条 — the attempt records its ``notice_days``). The date is counted exactly as
:func:`services.filing.service_date.served_on` counts it; the periods that run from service (答辩期、上诉期 …)
start then. The period is also one not counted in the trial limit (民诉法解释第二百四十三条) — the
trial-limit clock says so, but deducting it is a recorded decision, never automatic.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from baihe_desk.models import Case, Party
from baihe_desk.models.service_address import ServiceAttempt, ServiceMethod, ServiceResult
from baihe_desk.services.deadlines.clocks import Clock, ClockScope, register_clock_provider
from baihe_desk.services.deadlines.periods import period_end

BASIS = ("《中华人民共和国民事诉讼法》第九十五条：自发出公告之日起，经过三十日，即视为送达。",
         "《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第一百三十八条：公告送达以最后张贴或者刊登的日期为准。")
MAX_NOTICE_DAYS = 60


def public_notice_clocks(session: Session, scope: ClockScope) -> list[Clock]:
    # The notices first, from their own index (case ids or the date range), then the names and
    # judges of those few: joined in one statement, SQLite without table statistics walked every
    # case to find the notices (EXPLAIN QUERY PLAN, tests/unit/test_search_plans.py).
    q = select(ServiceAttempt).where(ServiceAttempt.method == ServiceMethod.PUBLIC_NOTICE,
                                     ServiceAttempt.result == ServiceResult.PUBLISHED)
    if scope.case_ids is not None:
        q = q.where(ServiceAttempt.case_id.in_(scope.case_ids))
    else:  # only notices that may still be running (a last day on a rest day moves on by a few days)
        q = q.where(ServiceAttempt.attempted_on >= scope.today - timedelta(days=MAX_NOTICE_DAYS + 15))
    attempts = list(session.scalars(q))
    parties = {pid: (name, role) for pid, name, role in session.execute(
        select(Party.id, Party.name, Party.role).where(Party.id.in_({a.party_id for a in attempts})))} if attempts else {}
    judges = dict(session.execute(select(Case.id, Case.judge_id).where(
        Case.id.in_({a.case_id for a in attempts}))).all()) if attempts else {}
    out: list[Clock] = []
    for attempt in attempts:
        name, role = parties[attempt.party_id]
        judge_id = judges.get(attempt.case_id)
        due, warnings = period_end(attempt.attempted_on, attempt.notice_days)
        left = (due - scope.today).days
        if left < 0 and scope.case_ids is None:
            continue
        who = f"{role.label}{name}"
        doc = attempt.document_title or attempt.document.label
        detail = (f"{doc}公告期满视为送达：{due}（剩余 {left} 日）" if left > 0 else
                  f"{doc}今日公告期满，视为送达" if left == 0 else f"{doc}已于 {due} 视为送达")
        people = {p for p in (attempt.recorded_by_id, judge_id) if p}
        out.append(Clock("public_notice", f"公告送达期（{who}）", attempt.case_id, "service.public_notice", due, left,
                         duty=False, state="running" if left >= 0 else "expired", detail=detail, basis=BASIS,
                         steps=(f"公告于 {attempt.attempted_on} 发出，经过 {attempt.notice_days} 日，于 {due} 视为送达",),
                         warnings=tuple(warnings), watcher_ids=frozenset(people), entity_id=attempt.id, party=who))
    return out


register_clock_provider(public_notice_clocks, name="public_notice")
