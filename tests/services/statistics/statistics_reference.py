"""The statistics as first written (``services/statistics_parts.py`` before the 1M-case speed-up, issue 9):
plain queries and the calculator case by case, and today's overdue items from the clocks themselves
(``clocks.collect`` + ``queues.with_departments``). Slow on a big court, easy to check by reading: the
reference that ``test_statistics_equivalence`` holds the fast steps to."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import String, and_, case, func, or_, select, type_coerce
from sqlalchemy.orm import Session, aliased

from baihe_desk.models import Case, Department, Party, PartyRole, User
from baihe_desk.models.review import ComplaintReview, ReviewOutcome
from baihe_desk.models.service_address import ServiceAttempt, ServiceResult

# The steps the speed-up did not change, and the plumbing, are the code's own: only the rewritten
# steps (cases, limits, filing_and_service, overdue_now, _names) are kept here as first written.
from baihe_desk.services.statistics.parts import (
    _count,
    _dept,
    _in,
    _person,
    _sort,
    _uid,
    consultations,
    day_number,
    explanations,
    mediation,
)
from baihe_desk.services.statistics.report import Period, Rate, Report
from baihe_desk.storage.raw_values import stored_id

FILED_TYPE = "民初"
UNASSIGNED = "（未分案）"


def _names(session: Session) -> tuple[dict[uuid.UUID, str], dict[uuid.UUID, tuple[str, uuid.UUID | None]], list]:
    depts = {d.id: d.name for d in session.scalars(select(Department))}
    order = [d.id for d in session.scalars(select(Department).order_by(Department.sort_order, Department.name))]
    users = {u: (n, d) for u, n, d in session.execute(select(User.id, User.display_name, User.department_id))}
    return depts, users, order


def cases(session: Session, report: Report) -> None:
    """收件、立案、结案 (and the year before) by department and judge, in one pass over the cases."""
    p, prev = report.period, report.previous
    judge = aliased(User)
    dept = func.coalesce(Case.department_id, judge.department_id)
    filed = Case.number_type == FILED_TYPE
    wanted = or_(*(_in(col, x) for col in (Case.received_on, Case.filed_on) for x in (p, prev)),
                 _in(Case.closed_on, p))  # one range per indexed column: SQLite unions the index lookups
    q = (select(dept, Case.judge_id, _count(_in(Case.received_on, p)), _count(_in(Case.received_on, prev)),
                _count(and_(filed, _in(Case.filed_on, p))), _count(and_(filed, _in(Case.filed_on, prev))),
                _count(and_(filed, _in(Case.closed_on, p))))
         .select_from(Case).outerjoin(judge, judge.id == Case.judge_id).where(wanted).group_by(dept, Case.judge_id))
    depts, users, _ = _names(session)
    for dept_id, judge_id, rec, rec_prev, fil, fil_prev, clo in session.execute(q):
        if not (rec or rec_prev or fil or fil_prev or clo):
            continue
        report.received += rec
        report.received_prev += rec_prev
        report.filed += fil
        report.filed_prev += fil_prev
        report.closed += clo
        row = _dept(report, depts, dept_id)
        row.received += rec
        row.received_prev += rec_prev
        row.filed += fil
        row.filed_prev += fil_prev
        row.closed += clo
        if judge_id is not None and (fil or clo):
            person = _person(report, users, depts, judge_id)
            person.filed += fil
            person.closed += clo
    _sort(session, report)


def limits(session: Session, report: Report) -> None:
    """超审限结案 and 逾期立案 of the period (the calculator, case by case, only for those cases)."""
    from baihe_desk.services.deadlines.clocks import holiday_table
    from baihe_desk.services.deadlines.clocks_filing import _filing_due
    from baihe_desk.services.deadlines.clocks_trial import compute as trial_limit
    from baihe_desk.services.deadlines.clocks_trial import records_of, rollover_enabled

    p = report.period
    judge = aliased(User)
    raw = lambda col: type_coerce(col, String)  # noqa: E731 - ids as stored: no UUID object per row (86k a year)
    closed = (select(raw(Case.id), Case.filed_on, Case.procedure, Case.closed_on,
                     raw(func.coalesce(Case.department_id, judge.department_id)), raw(Case.judge_id))
              .select_from(Case).outerjoin(judge, judge.id == Case.judge_id)
              .where(Case.number_type == FILED_TYPE, _in(Case.closed_on, p), Case.filed_on.is_not(None),
                     Case.procedure.is_not(None)))
    rows = session.execute(closed).all()
    if rows:
        exts, susps = records_of(session, where=[Case.number_type == FILED_TYPE, _in(Case.closed_on, p)])
        exts = {stored_id(k): v for k, v in exts.items()}
        susps = {stored_id(k): v for k, v in susps.items()}
        table, rollover = holiday_table(session), rollover_enabled(session)
        depts, users, _ = _names(session)
        plain: dict = {}  # (filed_on, procedure) → due, for the many cases without recorded extensions
        for case_id, filed_on, procedure, closed_on, dept_id, judge_id in rows:
            records = (exts.get(stored_id(case_id), []), susps.get(stored_id(case_id), []))
            if records[0] or records[1]:
                due = trial_limit(filed_on, procedure, *records, today=closed_on, table=table, rollover=rollover,
                                  running=False).due
            else:
                key = (filed_on, procedure)
                if key not in plain:
                    plain[key] = trial_limit(filed_on, procedure, [], [], today=closed_on, table=table,
                                             rollover=rollover, running=False).due
                due = plain[key]
            if closed_on > due:
                report.closed_over_limit += 1
                _dept(report, depts, _uid(dept_id)).closed_over_limit += 1
                if judge_id is not None:
                    _person(report, users, depts, _uid(judge_id)).closed_over_limit += 1
    latest = (select(func.max(ComplaintReview.materials_received_on)).where(ComplaintReview.case_id == Case.id)
              .correlate(Case).scalar_subquery())
    for received, filed_on, materials in session.execute(
            select(Case.received_on, Case.filed_on, latest).where(Case.number_type == FILED_TYPE,
                                                                   _in(Case.filed_on, p))):
        due, _ = _filing_due(materials or received)
        report.filed_late += filed_on > due


def filing_and_service(session: Session, report: Report) -> None:
    """补正率, and the average days from receipt to filing and to the first successful service."""
    p = report.period
    first = and_(ComplaintReview.round_no == 1, ComplaintReview.outcome.is_not(None),
                 _in(ComplaintReview.decided_on, p))
    decided, corrected = session.execute(
        select(_count(first), _count(and_(first, ComplaintReview.outcome == ReviewOutcome.CORRECTION)))).one()
    report.corrections = Rate(int(corrected), int(decided))
    filed = and_(Case.number_type == FILED_TYPE, _in(Case.filed_on, p))
    n, total = session.execute(select(func.count(), func.sum(day_number(session, Case.filed_on)
                                                             - day_number(session, Case.received_on)))
                               .where(filed)).one()
    report.filed_measured = n
    report.days_to_filing = float(total) / n if n else None
    a = ServiceAttempt
    success_day = case(
        (a.result == ServiceResult.SIGNED, day_number(session, a.signed_on)),
        (a.result == ServiceResult.SENT, day_number(session, func.coalesce(a.arrival_proved_on, a.attempted_on))),
        (a.result == ServiceResult.PUBLISHED, day_number(session, a.attempted_on) + a.notice_days),
        else_=day_number(session, a.attempted_on))
    succeeded = a.result.in_([ServiceResult.SIGNED, ServiceResult.LEFT_AT_RESIDENCE, ServiceResult.SENT,
                              ServiceResult.PUBLISHED])
    firsts = (select(a.case_id.label("case_id"), func.min(success_day).label("day"))
              .join(Party, Party.id == a.party_id)
              .where(succeeded, Party.role == PartyRole.DEFENDANT,
                     a.case_id.in_(select(Case.id).where(filed)))
              .group_by(a.case_id).subquery())
    n, total = session.execute(select(func.count(), func.sum(firsts.c.day - day_number(session, Case.received_on)))
                               .select_from(firsts).join(Case, Case.id == firsts.c.case_id)).one()
    report.served_measured = n
    report.days_to_service = float(total) / n if n else None


def overdue_now(session: Session, report: Report) -> None:
    """Every clock of every provider: overdue ones by kind and department; the trial limits (with a due date)
    by judge: running, overdue, near."""
    from baihe_desk.services.deadlines.clocks import collect, near_due_days
    from baihe_desk.services.deadlines.queues import KIND_LABELS, with_departments

    near = near_due_days(session)
    depts, users, _ = _names(session)
    clocks = collect(session, today=report.today)
    trial = [(c, d) for c, d in with_departments(session, clocks) if c.kind == "trial_limit"]
    for clock, dept_id in with_departments(session, [c for c in clocks if c.kind != "trial_limit"]) + trial:
        if clock.overdue:
            label = KIND_LABELS.get(clock.kind, clock.kind)
            report.overdue_now[label] = report.overdue_now.get(label, 0) + 1
            _dept(report, depts, dept_id).open_overdue += 1
        if clock.kind == "trial_limit" and clock.due is not None and clock.owner_ids:
            person = _person(report, users, depts, next(iter(clock.owner_ids)))
            person.open_cases += 1
            person.open_overdue += clock.overdue
            person.open_near += clock.urgency(near) == "near"
    _sort(session, report)


STEPS = (cases, limits, mediation, filing_and_service, consultations, explanations, overdue_now)


def compute(session: Session, period: Period, *, today: date) -> Report:
    from baihe_desk.services.deadlines.clocks import providers

    providers()
    report = Report(period, period.year_before(), today, datetime.now().astimezone())
    for step in STEPS:
        step(session, report)
    return report
