"""The steps of :func:`services.statistics.compute`, one per group of figures (see its docstring for the
counting rules). Aggregates run in the database, each period figure one index range on its date column
(``received_on``, ``filed_on``, ``closed_on``), grouped by department and judge; then small queries over
the workflow tables. Only the cases closed or filed in the period are read row by row (their trial limit
and filing period need the calculator), as stored text — dates and ids are not turned into Python objects
per row, and the calculator runs once per distinct date (a month of a 1M-case court: ~7,000 rows each).
Today's open items are counted in groups too (``clocks_trial.limit_counts``,
``clocks_filing.overdue_by_department``). ``tests/unit/statistics_reference.py`` keeps the plain first
version; a test holds the two reports equal."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import String, and_, case, exists, func, literal, or_, select, type_coerce, union_all
from sqlalchemy.orm import Session

from baihe_desk.models import Case, Department, Party, PartyRole, User
from baihe_desk.models.mediation import AGREEMENTS, MediationCase, Mediator
from baihe_desk.models.review import ComplaintReview, ReviewOutcome
from baihe_desk.models.service_address import ServiceAttempt, ServiceResult
from baihe_desk.services.statistics.figures import DeptRow, MediatorRow, Period, PersonRow, Rate, Report
from baihe_desk.storage.raw_values import stored_day, stored_id

FILED_TYPE = "民初"
UNASSIGNED = "（未分案）"


def day_number(session: Session, col: Any) -> Any:
    """A date column as a day number, so that differences are days (SQLite julianday / PostgreSQL epoch)."""
    if session.get_bind().dialect.name == "sqlite":
        return func.julianday(col)
    return func.extract("epoch", col) / 86400


@lru_cache(maxsize=4096)
def _as_uuid(value: Any) -> uuid.UUID:
    """A stored id (32 hex digits, or a driver's UUID object) that is there → the UUID."""
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _uid(value: Any) -> uuid.UUID | None:
    return None if value is None else _as_uuid(value)


def _in(col: Any, p: Period) -> Any:
    return and_(col >= p.start, col <= p.end)


def _count(cond: Any) -> Any:
    return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)


def _names(session: Session) -> tuple[dict[uuid.UUID, str], dict[uuid.UUID, tuple[str, uuid.UUID | None]], list]:
    ranked = session.execute(select(Department.id, Department.name)
                             .order_by(Department.sort_order, Department.name)).all()
    depts = {d: name for d, name in ranked}
    order = [d for d, _ in ranked]
    users = {u: (n, d) for u, n, d in session.execute(select(User.id, User.display_name, User.department_id))}
    return depts, users, order


def _dept(report: Report, depts: dict, key: uuid.UUID | None) -> DeptRow:
    for row in report.by_department:
        if row.department_id == key:
            return row
    row = DeptRow(key, depts.get(key, UNASSIGNED) if key else UNASSIGNED)
    report.by_department.append(row)
    return row


def _person(report: Report, users: dict, depts: dict, key: uuid.UUID) -> PersonRow:
    for row in report.by_judge:
        if row.user_id == key:
            return row
    name, dept = users.get(key, ("（已删除的用户）", None))
    row = PersonRow(key, name, depts.get(dept, "") if dept else "")
    report.by_judge.append(row)
    return row


def _raw(col: Any) -> Any:
    """A column as stored (SQLite: ISO date text, 32-hex-digit ids): no date or UUID object per row."""
    return type_coerce(col, String)


def _key(value: Any) -> tuple[bool, str]:
    """Sort key of a raw id as the database orders a GROUP BY on it (NULL first)."""
    return (value is not None, stored_id(value) or "")


def _user_depts(session: Session) -> dict[Any, Any]:
    """User id → department id, both as stored: a case's department is its own, else its judge's — taken
    from this map rather than a join per case row (a few users, tens of thousands of rows)."""
    return dict(session.execute(select(_raw(User.id), _raw(User.department_id))).all())


def cases(session: Session, report: Report) -> None:
    """收件、立案、结案 (and the year before) by department and judge: five grouped counts, each one range of
    its date column's index (an OR of the ranges made SQLite merge the row sets: 3× slower)."""
    p, prev = report.period, report.previous
    filed = Case.number_type == FILED_TYPE
    figures = ((Case.received_on, p, ()), (Case.received_on, prev, ()), (Case.filed_on, p, (filed,)),
               (Case.filed_on, prev, (filed,)), (Case.closed_on, p, (filed,)))
    counts = union_all(*(select(literal(i), _raw(Case.department_id), _raw(Case.judge_id), func.count())
                         .where(_in(col, x), *more).group_by(Case.department_id, Case.judge_id)
                         for i, (col, x, more) in enumerate(figures)))
    user_dept = _user_depts(session)
    groups: dict[tuple[Any, Any], list[int]] = {}
    for i, dept_id, judge_id, n in session.execute(counts):
        key = (dept_id if dept_id is not None else user_dept.get(judge_id), judge_id)
        groups.setdefault(key, [0] * len(figures))[i] += n
    depts, users, _ = _names(session)
    for (dept_id, judge_id), (rec, rec_prev, fil, fil_prev, clo) in sorted(
            groups.items(), key=lambda kv: (_key(kv[0][0]), _key(kv[0][1]))):
        if not (rec or rec_prev or fil or fil_prev or clo):
            continue
        report.received += rec
        report.received_prev += rec_prev
        report.filed += fil
        report.filed_prev += fil_prev
        report.closed += clo
        row = _dept(report, depts, _uid(dept_id))
        row.received += rec
        row.received_prev += rec_prev
        row.filed += fil
        row.filed_prev += fil_prev
        row.closed += clo
        if judge_id is not None and (fil or clo):
            person = _person(report, users, depts, _as_uuid(judge_id))
            person.filed += fil
            person.closed += clo
    _sort(session, report)


def limits(session: Session, report: Report) -> None:
    """超审限结案 of the period: the cases closed in it, one row each as stored; a case without recorded
    extensions or periods not counted (a flag of the same pass) takes the due date of its filing day and
    procedure (``clocks_trial.plain_due``, once per distinct pair); the others the full calculation."""
    from baihe_desk.models import Procedure
    from baihe_desk.models.clock import TrialLimitExtension, TrialLimitSuspension
    from baihe_desk.services.deadlines.clocks import holiday_table
    from baihe_desk.services.deadlines.clocks_trial import compute as trial_limit
    from baihe_desk.services.deadlines.clocks_trial import plain_due, records_of, rollover_enabled

    p = report.period
    special = or_(exists().where(TrialLimitExtension.case_id == Case.id),
                  exists().where(TrialLimitSuspension.case_id == Case.id))
    closed = (select(_raw(Case.filed_on), _raw(Case.procedure), _raw(Case.closed_on), _raw(Case.department_id),
                     _raw(Case.judge_id), special, _raw(Case.id))
              .where(Case.number_type == FILED_TYPE, _in(Case.closed_on, p), Case.filed_on.is_not(None),
                     Case.procedure.is_not(None)))
    rows = session.connection().execute(closed).all()  # Core rows: no ORM result machinery per row
    if not rows:
        return
    table, rollover = holiday_table(session), rollover_enabled(session)
    over: list[tuple[int, Any, Any]] = []  # (row, department, judge) of each case closed after its limit
    plain: dict[tuple[str, str], str] = {}  # (filed_on, procedure) → due date (ISO text)
    recorded = []
    for i, (filed_on, procedure, closed_on, dept_id, judge_id, has_records, case_id) in enumerate(rows):
        if has_records:
            recorded.append((i, filed_on, procedure, closed_on, dept_id, judge_id, case_id))
            continue
        due = plain.get((filed_on, procedure))
        if due is None:
            due = plain[(filed_on, procedure)] = plain_due(date.fromisoformat(stored_day(filed_on)),
                                                           Procedure[procedure], table=table,
                                                           rollover=rollover).isoformat()
        if stored_day(closed_on) > due:
            over.append((i, dept_id, judge_id))
    if recorded:
        exts, susps = records_of(session, [_uid(r[-1]) for r in recorded])
        exts = {stored_id(k): v for k, v in exts.items()}
        susps = {stored_id(k): v for k, v in susps.items()}
        for i, filed_on, procedure, closed_on, dept_id, judge_id, case_id in recorded:
            closed_day = date.fromisoformat(stored_day(closed_on))
            limit_due = trial_limit(date.fromisoformat(stored_day(filed_on)), Procedure[procedure],
                                    exts.get(stored_id(case_id), []), susps.get(stored_id(case_id), []), today=closed_day,
                                    table=table, rollover=rollover, running=False).due
            if closed_day > limit_due:
                over.append((i, dept_id, judge_id))
    if over:
        depts, users, _ = _names(session)
        user_dept = _user_depts(session)
        for (dept_id, judge_id), n in Counter((d if d is not None else user_dept.get(j), j)
                                              for _, d, j in sorted(over)).items():  # rows in query order
            report.closed_over_limit += n
            _dept(report, depts, _uid(dept_id)).closed_over_limit += n
            if judge_id is not None:
                _person(report, users, depts, _as_uuid(judge_id)).closed_over_limit += n


def mediation(session: Session, report: Report) -> None:
    """进入诉前调解, 调解成功 and 调解终结 (by outcome date), by mediator."""
    p = report.period
    ok = MediationCase.outcome.in_(list(AGREEMENTS))
    concluded = and_(MediationCase.outcome.is_not(None), _in(MediationCase.outcome_on, p))
    q = (select(MediationCase.mediator_id, _count(_in(MediationCase.opened_on, p)), _count(and_(concluded, ok)),
                _count(and_(concluded, ~ok)))
         .where((_in(MediationCase.opened_on, p)) | concluded).group_by(MediationCase.mediator_id))
    names = dict(session.execute(select(Mediator.id, Mediator.name)).all())
    for mediator_id, opened, succeeded, failed in session.execute(q):
        report.mediation_opened += opened
        report.mediation_succeeded += succeeded
        report.mediation_failed += failed
        row = MediatorRow(names.get(mediator_id, "（未委派）") if mediator_id else "（未委派）", opened, succeeded, failed)
        report.by_mediator.append(row)
    report.by_mediator.sort(key=lambda r: (-r.opened, r.name))


def filing_and_service(session: Session, report: Report) -> None:
    """补正率; and in one pass over the cases filed in the period (each with two correlated lookups by case:
    its latest materials, its first successful service on a defendant): 逾期立案 and the average days from
    receipt to filing and to that service."""
    from baihe_desk.services.deadlines.clocks_filing import _filing_due

    p = report.period
    first = and_(ComplaintReview.round_no == 1, ComplaintReview.outcome.is_not(None),
                 _in(ComplaintReview.decided_on, p))
    decided, corrected = session.execute(  # the range as WHERE too: an index on decided_on can serve it
        select(_count(first), _count(and_(first, ComplaintReview.outcome == ReviewOutcome.CORRECTION)))
        .where(_in(ComplaintReview.decided_on, p))).one()
    report.corrections = Rate(int(corrected), int(decided))
    a = ServiceAttempt
    success_day = case(
        (a.result == ServiceResult.SIGNED, day_number(session, a.signed_on)),
        (a.result == ServiceResult.SENT, day_number(session, func.coalesce(a.arrival_proved_on, a.attempted_on))),
        (a.result == ServiceResult.PUBLISHED, day_number(session, a.attempted_on) + a.notice_days),
        else_=day_number(session, a.attempted_on))
    served_where = [a.case_id == Case.id, a.result.in_([ServiceResult.SIGNED, ServiceResult.LEFT_AT_RESIDENCE,
                                                        ServiceResult.SENT, ServiceResult.PUBLISHED]),
                    Party.role == PartyRole.DEFENDANT]
    first_served = (select(func.min(success_day)).select_from(a).join(Party, Party.id == a.party_id).where(*served_where)
                    .correlate(Case).scalar_subquery())
    any_served = (select(literal(1)).select_from(a).join(Party, Party.id == a.party_id).where(*served_where)
                  .correlate(Case).exists())
    latest = (select(func.max(ComplaintReview.materials_received_on)).where(ComplaintReview.case_id == Case.id)
              .correlate(Case).scalar_subquery())
    received = day_number(session, Case.received_on)
    q = (select(_raw(Case.filed_on), _raw(func.coalesce(latest, Case.received_on)),
                day_number(session, Case.filed_on) - received, any_served, first_served - received)
         .where(Case.number_type == FILED_TYPE, _in(Case.filed_on, p)))
    filed = served = 0
    to_filing: list[Any] = []
    to_service: list[Any] = []
    dues: dict[str, str] = {}  # start of the filing period → its last day (ISO text)
    for filed_on, start, filing_days, was_served, service_days in session.connection().execute(q).all():
        filed += 1
        to_filing.append(filing_days)
        due = dues.get(start)
        if due is None:
            due = dues[start] = _filing_due(date.fromisoformat(stored_day(start)))[0].isoformat()
        report.filed_late += stored_day(filed_on) > due
        if was_served:
            served += 1
            to_service.append(service_days)
    report.filed_measured = filed
    report.days_to_filing = _average(to_filing, filed)
    report.served_measured = served
    report.days_to_service = _average(to_service, served)


def _average(values: list[Any], n: int) -> float | None:
    """SUM(values) / n as the database sums (NULLs skipped); the day differences are whole numbers, so
    the sum is exact in any order."""
    if not n:
        return None
    return float(sum(v for v in values if v is not None)) / n


def consultations(session: Session, report: Report) -> None:
    from baihe_desk.services.enforcement.queries import statistics

    st = statistics(session, since=report.period.start, until=report.period.end, today=report.today)
    report.consult_sent, report.consult_replied, report.consult_waiting = st.sent, st.replied, st.waiting
    report.consult_overdue = st.overdue
    report.consult_adoption = Rate(st.adopted + st.partly, st.decided)


def explanations(session: Session, report: Report) -> None:
    from baihe_desk.models.explanation import PartyDecision
    from baihe_desk.services.explanation.stats import statistics

    st = statistics(session, start=report.period.start, end=report.period.end)
    report.explanation_requests = st.requests
    report.explanation_outcomes = {d.label: n for d, n in st.outcomes.items()}
    report.explanation_accepted = Rate(st.outcomes[PartyDecision.ACCEPTS], st.closed)


def overdue_now(session: Session, report: Report) -> None:
    """Open items overdue today by kind; per department and judge: open cases, overdue and near. The trial
    limits (``clocks_trial.limit_counts``) and the 七日立案期限 (``clocks_filing.overdue_by_department``) are
    counted in groups, the other clocks one by one (few); only the overdue ones need their department."""
    from baihe_desk.services.deadlines import clocks_filing, clocks_trial
    from baihe_desk.services.deadlines.clocks import ClockScope, holiday_table, near_due_days, providers
    from baihe_desk.services.deadlines.queues import KIND_LABELS, with_departments

    near = near_due_days(session)
    table = holiday_table(session)
    depts, users, _ = _names(session)
    scope = ClockScope(report.today, table)

    def add(label: str, dept_id: Any, n: int) -> None:
        report.overdue_now[label] = report.overdue_now.get(label, 0) + n
        _dept(report, depts, dept_id).open_overdue += n

    for name, fn in providers().items():
        if name == "trial_limit":
            continue
        if fn is clocks_filing.filing_clocks:  # the built-in provider: counted in SQL
            for dept_id, n in clocks_filing.overdue_by_department(session, report.today).items():
                add(KIND_LABELS.get("filing_decision", "filing_decision"), _uid(dept_id), n)
            continue
        overdue = [c for c in fn(session, scope) if c.overdue]
        for clock, dept_id in with_departments(session, overdue) if overdue else ():
            add(KIND_LABELS.get(clock.kind, clock.kind), dept_id, 1)
    label = KIND_LABELS["trial_limit"]
    for (judge_id, dept_id), counts in clocks_trial.limit_counts(session, today=report.today, table=table,
                                                                 near_days=near).items():
        if counts.overdue:
            add(label, _uid(dept_id), counts.overdue)
        if judge_id is not None:
            person = _person(report, users, depts, _as_uuid(judge_id))
            person.open_cases += counts.running
            person.open_overdue += counts.overdue
            person.open_near += counts.near
    _sort(session, report)


def _sort(session: Session, report: Report) -> None:
    _, _, order = _names(session)
    rank = {d: i for i, d in enumerate(order)}
    report.by_department.sort(key=lambda r: (r.department_id is None, rank.get(r.department_id, 999), r.name))
    report.by_judge.sort(key=lambda r: (-r.filed, -r.open_cases, r.name))
