"""Clocks of the filing window: 七日立案期限 and 补正期限 (立案窗口的全体书记员都看得到).

The rules are those of :func:`baihe_desk.services.filing.complaint_review.filing_clock` (one place decides the
law; a test checks this bulk version gives the same due dates and days left):

- a complaint not yet decided: 7 days from the current round's ``materials_received_on`` — after 补正,
  from the corrected materials (民事诉讼法第一百二十六条; 登记立案规定第八条; 民诉法解释第一百二十六条),
  counted by ``complaint_review.period_end``. Past due it is overdue: the case should have been filed
  first (先行立案, 登记立案规定第八条第二款).
- a case waiting for 补正: the party's correction deadline (a watch: when it passes without the
  materials, the window returns the complaint and records it, 登记立案规定第七条第三款).
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache, partial

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from baihe_desk.models import Case, Role, Stage
from baihe_desk.models.review import ComplaintReview, ReviewOutcome
from baihe_desk.services.deadlines.clocks import Clock, ClockScope, register_clock_provider
from baihe_desk.services.deadlines.periods import add_days
from baihe_desk.services.filing import complaint_review

BASIS = ("《中华人民共和国民事诉讼法》第一百二十六条", "《最高人民法院关于人民法院登记立案若干问题的规定》第八条")
BASIS_RESUBMIT = "《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第一百二十六条"
BASIS_CORRECTION = ("《最高人民法院关于人民法院登记立案若干问题的规定》第七条",)


@lru_cache(maxsize=8192)
def _filing_due(received: date) -> tuple[date, tuple[str, ...]]:
    due, warnings = complaint_review.period_end(received, complaint_review.FILING_PERIOD_DAYS)
    return due, tuple(warnings)


@lru_cache(maxsize=8192)
def _filing_steps(received: date) -> tuple[str, ...]:
    """How the calculator counted the 7 days (the same ``add_days`` that ``period_end`` uses)."""
    return add_days(received, complaint_review.FILING_PERIOD_DAYS).steps


def _left_text(left: int, what: str) -> str:
    if left > 0:
        return f"剩余 {left} 日"
    if left == 0:
        return "今日到期"
    return f"{what} {-left} 日"


def filing_clocks(session: Session, scope: ClockScope) -> list[Clock]:
    latest_round = (select(func.max(ComplaintReview.round_no)).where(ComplaintReview.case_id == Case.id)
                    .correlate(Case).scalar_subquery())
    q = (select(Case.id, Case.received_on, Case.stage, Case.created_by_id, ComplaintReview)
         .outerjoin(ComplaintReview, and_(ComplaintReview.case_id == Case.id,
                                          ComplaintReview.round_no == latest_round))
         .where(Case.stage.in_([Stage.RECEIVED, Stage.CORRECTION])))
    if scope.case_ids is not None:
        q = q.where(Case.id.in_(scope.case_ids))
    rows = session.execute(q).all()
    previous = _previous_rounds(session, [r for *_, r in rows if r is not None])
    out: list[Clock] = []
    for case_id, received_on, _stage, created_by, review in rows:
        owner = (review.reviewer_id if review is not None else None) or created_by
        clock = partial(Clock, case_id=case_id, owner_ids=frozenset([owner]) if owner else frozenset(),
                        team=Role.FILING_CLERK, entity_id=review.id if review is not None else None)
        if review is not None and review.finished:
            if review.outcome is ReviewOutcome.CORRECTION and review.correction_deadline is not None:
                left = (review.correction_deadline - scope.today).days
                detail = (f"等待补正，{_left_text(left, '')}" if left >= 0 else
                          f"补正期限已届满 {-left} 日，未收到补正材料：请依法退回起诉材料并记录在案（登记立案规定第七条第三款）")
                out.append(clock("correction", "补正期限", step="filing.correction", due=review.correction_deadline,
                                 days_left=left, duty=False, state="running" if left >= 0 else "expired",
                                 detail=detail, basis=BASIS_CORRECTION,
                                 steps=(f"{review.decided_on} 通知补正，补正期限 {review.correction_days} 日，"
                                        f"至 {review.correction_deadline} 届满",)))
            continue  # decided otherwise: no filing clock (the case leaves these stages)
        if _stage is Stage.CORRECTION and review is None:
            continue  # waiting for 补正 with no review recorded (imported, demo): the seven days run again from
            # the corrected materials, so none are overdue now (the 立案审查 queue says 待补正 for the same case)
        received = review.materials_received_on if review is not None else received_on
        due, warnings = _filing_due(received)
        basis = BASIS + ((BASIS_RESUBMIT,) if review is not None and review.round_no > 1 else ())
        prev_deadline = previous.get(case_id)
        if prev_deadline is not None and received > prev_deadline:
            warnings += (f"补正材料在补正期限（{prev_deadline.isoformat()}）届满后提交（登记立案规定第七条第三款），"
                         "请核实是否有正当理由。",)
        left = (due - scope.today).days
        if left < 0:
            detail = (f"已超过七日立案期限 {-left} 日：在法定期间内不能判定是否符合起诉条件的，应当先行立案"
                      "（登记立案规定第八条第二款）")
        else:
            detail = f"七日立案期限至 {due.isoformat()}，{_left_text(left, '')}"
        steps = (f"{'补正材料' if review is not None and review.round_no > 1 else '起诉材料'}于 {received} 收到",
                 *_filing_steps(received))
        out.append(clock("filing_decision", "七日立案期限", step="filing.review", due=due, days_left=left, duty=True,
                         detail=detail, basis=basis, steps=steps, warnings=warnings))
    return out


def _previous_rounds(session: Session, reviews: list[ComplaintReview]) -> dict:  # type: ignore[type-arg]
    """case_id → the previous round's correction deadline (``previous_review_id``), as filing_clock reads it."""
    wanted = {r.previous_review_id: r.case_id for r in reviews if r.previous_review_id is not None}
    if not wanted:
        return {}
    rows = session.execute(select(ComplaintReview.id, ComplaintReview.correction_deadline)
                           .where(ComplaintReview.id.in_(list(wanted)))).all()
    return {wanted[rid]: deadline for rid, deadline in rows if deadline is not None}


register_clock_provider(filing_clocks, name="filing")


def overdue_by_department(session: Session, today: date) -> dict[object, int]:
    """Department id (as stored, hex text; None: none) → 七日立案期限 clocks overdue on ``today``, exactly as
    :func:`filing_clocks` and ``queues.with_departments`` would count them (the statistics' 超期 figures),
    without a clock per case: the undecided complaints grouped by the day their period starts and the
    department (the case's, else its judge's, else the owner's — the reviewer, else who received it)."""
    from sqlalchemy import String, type_coerce
    from sqlalchemy.orm import aliased

    from baihe_desk.models import User

    latest_round = (select(func.max(ComplaintReview.round_no)).where(ComplaintReview.case_id == Case.id)
                    .correlate(Case).scalar_subquery())
    judge, owner = aliased(User), aliased(User)
    start = func.coalesce(ComplaintReview.materials_received_on, Case.received_on)
    dept = func.coalesce(Case.department_id, judge.department_id, owner.department_id)
    q = (select(type_coerce(start, String), type_coerce(dept, String), func.count())
         .select_from(Case)
         .outerjoin(ComplaintReview, and_(ComplaintReview.case_id == Case.id,
                                          ComplaintReview.round_no == latest_round))
         .outerjoin(judge, judge.id == Case.judge_id)
         .outerjoin(owner, owner.id == func.coalesce(ComplaintReview.reviewer_id, Case.created_by_id))
         .where(Case.stage.in_([Stage.RECEIVED, Stage.CORRECTION]), ComplaintReview.finished_at.is_(None),
                # waiting for 补正 with no review recorded: no clock (see filing_clocks)
                or_(Case.stage == Stage.RECEIVED, ComplaintReview.id.is_not(None)))
         .group_by(start, dept))
    out: dict[object, int] = {}
    for received, dept_id, n in session.execute(q):
        day = received if isinstance(received, date) else date.fromisoformat(received)
        if _filing_due(day)[0] < today:
            out[dept_id] = out.get(dept_id, 0) + n
    return out
