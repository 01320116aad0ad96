"""审理期限 (trial limits) — computed from the filing date and the procedure, with the recorded
extensions and periods not counted (:mod:`baihe_desk.models.clock`; recorded by
:mod:`baihe_desk.services.deadlines.clocks_trial_records`).

The law (2023 民事诉讼法):

- 小额诉讼 2 months from filing, +1 month with the 院长's approval (第一百六十八条);
- 简易程序 3 months, +1 month with the 院长's approval (第一百六十四条); the extended limit may not exceed
  4 months in all (民诉法解释第二百五十八条第一款); a case moved to 普通程序 counts its limit from filing
  again (同条第三款) — so only extensions approved under the current procedure count;
- 普通程序 6 months, +6 months with the 院长's approval, further extension by the higher court (第一百五十二条);
- not counted: 公告、鉴定、双方当事人和解、管辖异议及管辖争议 periods (民诉法解释第二百四十三条) and the
  others a court records (extended mediation, 中止诉讼 …), each recorded with who approved it.

Counting: months by 民法典第二百零二条 from the filing day (not counted, 民事诉讼法第八十五条第二款);
an extension of N months runs on from the previous end (its corresponding day, else the month's last
day); the days not counted are added after that, by the one rule shared with the mediation clock
(:mod:`services.deadlines.excluded_days`: a span takes ``last − first`` days; an open one counts up to today
and pauses the clock). Whether a last day on a rest day moves to the next working day (第八十五条
第三款) for the court's own trial limit is not settled in the texts we hold, so it is the court setting
``trial_limits.rest_day_rollover`` (default **off**: the earlier date — the warning comes sooner).
"""

from __future__ import annotations

import calendar
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from baihe_desk.models import Case, Procedure, Stage
from baihe_desk.models.clock import ApproverLevel, SuspensionKind, TrialLimitExtension, TrialLimitSuspension
from baihe_desk.models.service_address import ServiceAttempt, ServiceMethod
from baihe_desk.services.deadlines.clocks import Clock, ClockScope, register_clock_provider, setting
from baihe_desk.services.deadlines.excluded_days import days_not_counted
from baihe_desk.services.deadlines.holidays import HolidayTable, weekday_name
from baihe_desk.services.deadlines.periods import inferred_warning
from baihe_desk.storage.raw_values import stored_day, stored_id

CPL = "《中华人民共和国民事诉讼法》"
JS = "《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》"
ROLLOVER_KEY = "trial_limits.rest_day_rollover"
RUNNING_STAGES = (Stage.FILED, Stage.IN_TRIAL)
HINT_DAYS = 30
SMALL_CLAIMS_LIMIT_FROM = date(2022, 1, 1)  # the 2021 amendment (in force 2022-01-01) gave small claims 2 months  # the extension hints show from this many days before the limit


@dataclass(frozen=True)
class LimitRule:
    months: int
    article: str
    basis: str
    president_months: int  # most the 院长 may add under this procedure (in all)
    higher_court: bool  # a further extension by the higher court is possible


RULES = {
    Procedure.SMALL_CLAIMS: LimitRule(2, "第一百六十八条", f"{CPL}第一百六十八条：适用小额诉讼的程序审理案件，应当在立案之日起"
                                      "两个月内审结。有特殊情况需要延长的，经本院院长批准，可以延长一个月。", 1, False),
    Procedure.SIMPLE: LimitRule(3, "第一百六十四条", f"{CPL}第一百六十四条：适用简易程序审理案件，应当在立案之日起三个月内审结。"
                                "有特殊情况需要延长的，经本院院长批准，可以延长一个月。", 1, False),
    Procedure.ORDINARY: LimitRule(6, "第一百五十二条", f"{CPL}第一百五十二条：适用普通程序审理的案件，应当在立案之日起六个月内审结。"
                                  "有特殊情况需要延长的，经本院院长批准，可以延长六个月；还需要延长的，报请上级人民法院批准。", 6, True),
}
BASIS_START = f"{CPL}第八十五条第二款：期间开始的时和日，不计算在期间内。"
BASIS_MONTHS = "《中华人民共和国民法典》第二百零二条：到期月的对应日为期间的最后一日；没有对应日的，月末日为期间的最后一日。"
BASIS_SIMPLE_TOTAL = f"{JS}第二百五十八条：简易程序延长后的审理期限累计不得超过四个月；转为普通程序的，审理期限自立案之日计算。"
BASIS_EXCLUDED = (f"{JS}第二百四十三条：审限是指从立案之日起至裁判宣告、调解书送达之日止的期间，但公告期间、鉴定期间、"
                  "双方当事人和解期间、审理当事人提出的管辖异议以及处理人民法院之间的管辖争议期间不应计算在内。")


@lru_cache(maxsize=16384)
def months_later(start: date, months: int) -> tuple[date, bool]:
    """(last day under 民法典第二百零二条, whether the due month has the corresponding day)."""
    y, m = divmod(start.month - 1 + months, 12)
    year, month = start.year + y, m + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(start.day, last)), start.day <= last


@dataclass(frozen=True)
class TrialLimit:
    procedure: Procedure
    filed_on: date
    base_months: int
    extension_months: int
    suspended_days: int
    suspended_now: bool
    nominal: date  # before any rest-day move
    due: date
    days_left: int
    running: bool
    steps: tuple[str, ...]
    basis: tuple[str, ...]
    warnings: tuple[str, ...] = ()
    hints: tuple[str, ...] = ()

    @property
    def overdue(self) -> bool:
        return self.running and not self.suspended_now and self.days_left < 0

    @property
    def text(self) -> str:
        if self.suspended_now:
            return f"审限中止计算（扣除期间未结束），目前届满日 {self.due}"
        if self.days_left > 0:
            return f"审限至 {self.due} 届满，剩余 {self.days_left} 日"
        if self.days_left == 0:
            return f"今日（{self.due}）审限届满"
        return f"已超审限 {-self.days_left} 日（审限 {self.due} 届满）"


def rollover_enabled(session: Session) -> bool:
    return setting(session, ROLLOVER_KEY, False) is True


def compute(filed_on: date, procedure: Procedure, extensions: Sequence[TrialLimitExtension],
            suspensions: Sequence[TrialLimitSuspension], *, today: date, table: HolidayTable,
            rollover: bool = False, running: bool = True) -> TrialLimit:
    """The trial limit of a case as of ``today`` (active records only; others are ignored)."""
    rule = RULES[procedure]
    end, corresponding = months_later(filed_on, rule.months)
    steps = [f"{filed_on} 立案，适用{procedure.label}，审理期限 {rule.months} 个月，立案当日不计入，自次日起算",
             f"到期月对应日 {end} 为审限的最后一日" if corresponding else
             f"到期月没有对应日（{filed_on.day} 日），以月末日 {end} 为审限的最后一日"]
    basis = [rule.basis, BASIS_START, BASIS_MONTHS]
    warnings: list[str] = []
    ext_months = 0
    for ext in sorted((e for e in extensions if e.active), key=lambda e: (e.approved_on, e.created_at)):
        if ext.procedure is not procedure:
            steps.append(f"{ext.approved_on} 按{ext.procedure.label}批准的延长 {ext.months} 个月，已因转换程序不再计入"
                         "（审限自立案之日重新计算）")
            continue
        end, _ = months_later(end, ext.months)
        ext_months += ext.months
        steps.append(f"{ext.approved_on} 经{ext.approver_level.label}（{ext.approved_by_name}）批准延长 {ext.months} 个月"
                     f"{'（' + ext.approval_ref + '）' if ext.approval_ref else ''}，延长至 {end}")
    if procedure is Procedure.SIMPLE:
        basis.append(BASIS_SIMPLE_TOTAL)
    active_susp = [s for s in suspensions if s.active]
    days, open_now = days_not_counted([(s.started_on, s.ended_on) for s in active_susp], today)
    if active_susp:
        kinds = "、".join(dict.fromkeys(s.kind.label for s in active_susp))
        end += timedelta(days=days)
        steps.append(f"不计入审限的期间共 {days} 日（{kinds}）{'，尚未结束，暂计至今日' if open_now else ''}，顺延至 {end}")
        basis.append(BASIS_EXCLUDED)
        basis.extend(dict.fromkeys(s.basis for s in active_susp if s.basis))
    nominal = end
    reason = table.rest_reason(nominal)
    if reason is not None and rollover:
        end = table.next_working_day(nominal)
        steps.append(f"届满日 {nominal} 为{reason}，按本院设置顺延至其后第一个工作日 {end}（民事诉讼法第八十五条第三款）")
    elif reason is not None:
        warnings.append(f"审限届满日 {nominal}（{weekday_name(nominal)}）为{reason}；本院设置为不顺延（从严预警），"
                        "请在此前审结或办理延长手续")
    if procedure is Procedure.SMALL_CLAIMS and filed_on < SMALL_CLAIMS_LIMIT_FROM:
        warnings.append("本案于2022年1月1日前立案；小额诉讼“二个月审结”的规定自2022年1月1日起施行（2021年修正），"
                        "此前立案的案件请按当时的规定人工核对审限。")
    inferred = table.inferred_years(filed_on, end)
    if inferred:
        warnings.append(inferred_warning(inferred))
    missing = table.uncovered_years(filed_on, end)
    if missing:
        warnings.append(f"{'、'.join(map(str, missing))} 年的节假日安排尚未录入，休息日按普通周末判断，请人工核对")
    steps.append(f"审限届满日：{end}（{weekday_name(end)}）")
    hints = _hints(procedure, rule, extensions)
    return TrialLimit(procedure, filed_on, rule.months, ext_months, days, open_now, nominal, end, (end - today).days,
                      running, tuple(steps), tuple(basis), tuple(warnings), hints)


def _hints(procedure: Procedure, rule: LimitRule, extensions: Sequence[TrialLimitExtension]) -> tuple[str, ...]:
    active = [e for e in extensions if e.active and e.procedure is procedure]
    by_president = sum(e.months for e in active if e.approver_level is ApproverLevel.PRESIDENT)
    if by_president < rule.president_months:
        return (f"有特殊情况需要延长的，可报经本院院长批准延长 {rule.president_months - by_president} 个月"
                f"（民事诉讼法{rule.article}），应在审限届满前办理。",)
    if rule.higher_court:
        return ("本院院长批准的延长已用尽；还需要延长的，应报请上级人民法院批准（民事诉讼法第一百五十二条）。",)
    if procedure is Procedure.SIMPLE:
        return ("简易程序审限已延长至四个月（民诉法解释第二百五十八条），不能再延长；案件不宜适用简易程序的，应在审限届满前"
                "裁定转为普通程序。",)
    return ("小额诉讼审限已延长一个月，不能再延长；不宜适用小额诉讼程序的，可依法转换程序（民事诉讼法第一百六十九条）。",)


def records_of(session: Session, case_ids=None, *, where=()):  # type: ignore[no-untyped-def]
    """(extensions, suspensions) by case id, active and voided (the computation skips voided ones): of the
    given case ids, or of the cases matching the ``where`` conditions on :class:`Case` (a join driven by the
    small record tables, not an IN over many cases)."""
    exts: dict[uuid.UUID, list[TrialLimitExtension]] = {}
    susps: dict[uuid.UUID, list[TrialLimitSuspension]] = {}
    qe, qs = select(TrialLimitExtension), select(TrialLimitSuspension)
    if case_ids is not None:
        ids = list(case_ids)
        qe, qs = qe.where(TrialLimitExtension.case_id.in_(ids)), qs.where(TrialLimitSuspension.case_id.in_(ids))
    if where:
        qe = qe.join(Case, Case.id == TrialLimitExtension.case_id).where(*where)
        qs = qs.join(Case, Case.id == TrialLimitSuspension.case_id).where(*where)
    for e in session.scalars(qe):
        exts.setdefault(e.case_id, []).append(e)
    for s in session.scalars(qs):
        susps.setdefault(s.case_id, []).append(s)
    return exts, susps


def trial_limit_of(session: Session, case: Case, *, today: date, table: HolidayTable) -> TrialLimit | None:
    """The trial limit of one case (None before filing or before the procedure is set)."""
    if case.filed_on is None or case.procedure is None:
        return None
    exts, susps = records_of(session, [case.id])
    return compute(case.filed_on, case.procedure, exts.get(case.id, []), susps.get(case.id, []), today=today,
                   table=table, rollover=rollover_enabled(session), running=case.stage in RUNNING_STAGES)


def trial_clocks(session: Session, scope: ClockScope) -> list[Clock]:
    q = select(Case.id, Case.filed_on, Case.procedure, Case.judge_id, Case.department_id, Case.stage).where(
        Case.stage.in_(RUNNING_STAGES), Case.filed_on.is_not(None))
    if scope.case_ids is not None:
        q = q.where(Case.id.in_(scope.case_ids))
    rows = session.execute(q).all()
    if not rows:
        return []
    if scope.case_ids is None:
        exts, susps = records_of(session, where=[Case.stage.in_(RUNNING_STAGES)])
    else:
        exts, susps = records_of(session, [r[0] for r in rows])
    rollover = rollover_enabled(session)
    plain: dict[tuple[date, Procedure], TrialLimit] = {}
    out: list[Clock] = []
    for case_id, filed_on, procedure, judge_id, dept_id, _stage in rows:
        if filed_on is None:  # the query keeps filed cases only
            continue
        owners = frozenset([judge_id]) if judge_id else frozenset()
        if procedure is None:
            out.append(Clock("trial_limit", "审理期限", case_id, "trial.limit", None, None, duty=False, state="todo",
                             detail="尚未确定审理程序：审限按程序计算（小额诉讼二个月、简易程序三个月、普通程序六个月），请尽快确定",
                             owner_ids=owners, department_id=dept_id))
            continue
        records = (exts.get(case_id, []), susps.get(case_id, []))
        if records[0] or records[1]:
            tl = compute(filed_on, procedure, *records, today=scope.today, table=scope.table, rollover=rollover)
        else:  # most cases: the same filing day and procedure give the same limit (a big court has many)
            key = (filed_on, procedure)
            if key not in plain:
                plain[key] = compute(filed_on, procedure, [], [], today=scope.today, table=scope.table,
                                     rollover=rollover)
            tl = plain[key]
        notes = tl.warnings + (tl.hints if tl.days_left <= HINT_DAYS else ())
        if scope.case_ids is not None:
            notes += _public_notice_hint(session, case_id, filed_on, susps.get(case_id, []))
        out.append(Clock("trial_limit", f"审理期限（{procedure.label}）", case_id, "trial.limit", tl.due, tl.days_left,
                         duty=True, state="paused" if tl.suspended_now else "running", detail=tl.text, basis=tl.basis,
                         steps=tl.steps, warnings=notes, owner_ids=owners, department_id=dept_id))
    return out


@dataclass
class LimitCounts:
    running: int = 0
    overdue: int = 0
    near: int = 0


def plain_due(filed_on: date, procedure: Procedure, *, table: HolidayTable, rollover: bool) -> date:
    """The due date :func:`compute` gives a case without extensions or periods not counted (most cases):
    the base months from filing, moved past a rest day only when the court rolls over. A test holds the two
    equal; the statistics use it for thousands of cases without building the steps and basis of each."""
    end, _ = months_later(filed_on, RULES[procedure].months)
    if rollover and table.rest_reason(end) is not None:
        return table.next_working_day(end)
    return end


def limit_counts(session: Session, *, today: date, table: HolidayTable,
                 near_days: int) -> dict[tuple[str | None, str | None], LimitCounts]:
    """(judge id, department id — as stored, hex text) → running / overdue / near trial limits, exactly as
    :func:`trial_clocks` judges them, without a clock per case: cases without recorded extensions or periods
    not counted are grouped by filing day and procedure in SQL (a large court has thousands open), their due
    date by :func:`plain_due`; whether a case has records is a flag of the same pass (two index probes per
    case), so the record tables are read only for those cases."""
    from sqlalchemy import String, exists, func, or_, type_coerce
    from sqlalchemy.orm import aliased

    from baihe_desk.models import User

    raw = lambda col: type_coerce(col, String)  # noqa: E731 - as stored: no date or UUID object per row
    judge = aliased(User)
    dept = func.coalesce(Case.department_id, judge.department_id)
    user_dept = {stored_id(u): stored_id(d) for u, d in session.execute(select(raw(User.id), raw(User.department_id)))}
    # ``filed_on IS NOT NULL`` is left to the loops below and the groups start with the stage: otherwise
    # SQLite walks ix_case_filed_on through every filed case (its planner cannot see that the running
    # cases are few) instead of the stage index: 100 ms at 100,000 cases instead of 10 (issue 21).
    running = [Case.stage.in_(RUNNING_STAGES), Case.procedure.is_not(None)]
    special = or_(exists().where(TrialLimitExtension.case_id == Case.id),
                  exists().where(TrialLimitSuspension.case_id == Case.id))
    rollover = rollover_enabled(session)
    out: dict[tuple[str | None, str | None], LimitCounts] = {}

    def add(key: tuple[str | None, str | None], tl: TrialLimit, n: int) -> None:
        c = out.setdefault(key, LimitCounts())
        c.running += n
        c.overdue += n * tl.overdue
        c.near += n * (not tl.suspended_now and 0 <= tl.days_left <= near_days)

    grouped = (select(raw(Case.filed_on), raw(Case.procedure), raw(Case.judge_id), raw(Case.department_id), special,
                      func.count())
               .where(*running)  # grouped by stage first: SQLite then reads the stage index, not filed_on's
               .group_by(Case.stage, Case.filed_on, Case.procedure, Case.judge_id, Case.department_id, special))
    plain: dict[tuple[str, str], tuple[bool, bool]] = {}  # (filed_on, procedure) → (overdue, near)
    any_special = False
    for filed_on, procedure, raw_judge, raw_dept, has_records, n in session.connection().execute(grouped).all():
        if filed_on is None:  # not filed (yet): no trial limit
            continue
        judge_id, dept_id = stored_id(raw_judge), stored_id(raw_dept)
        if has_records:
            any_special = True
            continue
        key = (filed_on, procedure)
        state = plain.get(key)
        if state is None:
            due = plain_due(date.fromisoformat(stored_day(filed_on)), Procedure[procedure], table=table,
                            rollover=rollover)
            left = (due - today).days
            state = plain[key] = (left < 0, 0 <= left <= near_days)
        if dept_id is None:  # the department of the case, else of its judge
            dept_id = user_dept.get(judge_id)
        c = out.get((judge_id, dept_id))
        if c is None:
            c = out[(judge_id, dept_id)] = LimitCounts()
        c.running += n
        c.overdue += n * state[0]
        c.near += n * state[1]
    if any_special:
        few = (select(Case.id, Case.filed_on, Case.procedure, raw(Case.judge_id), raw(dept))
               .select_from(Case).outerjoin(judge, judge.id == Case.judge_id).where(*running, special))
        rows = session.execute(few).all()
        exts, susps = records_of(session, [r[0] for r in rows])
        for case_id, filed_day, procedure_set, judge_id, dept_id in rows:
            if filed_day is None or procedure_set is None:  # the query keeps filed cases with a procedure only
                continue
            tl = compute(filed_day, procedure_set, exts.get(case_id, []), susps.get(case_id, []), today=today,
                         table=table, rollover=rollover)
            add((stored_id(judge_id), stored_id(dept_id)), tl, 1)
    return out



def _public_notice_hint(session: Session, case_id: uuid.UUID, filed_on: date,
                        suspensions: Sequence[TrialLimitSuspension]) -> tuple[str, ...]:
    """公告送达 after filing with no 公告期间 recorded as not counted: say so (never deduct silently)."""
    if any(s.active and s.kind is SuspensionKind.PUBLIC_NOTICE for s in suspensions):
        return ()
    found = session.scalar(select(ServiceAttempt.attempted_on).where(
        ServiceAttempt.case_id == case_id, ServiceAttempt.method == ServiceMethod.PUBLIC_NOTICE,
        ServiceAttempt.attempted_on >= filed_on).order_by(ServiceAttempt.attempted_on).limit(1))
    if found is None:
        return ()
    return (f"本案于 {found} 公告送达；公告期间依法不计入审限（民诉法解释第二百四十三条），经批准扣除的，请登记“扣除审限”。",)


register_clock_provider(trial_clocks, name="trial_limit")


def _declare_setting() -> None:
    """Declare ``trial_limits.rest_day_rollover`` for the administrator's settings screen."""
    from baihe_desk.services.admin import settings

    if not settings.is_declared(ROLLOVER_KEY):
        settings.declare(settings.SettingDef(
            ROLLOVER_KEY, "审限届满日遇休息日顺延", "periods", "bool", False,
            basis=f"{CPL}第八十五条第三款（期间届满的最后一日是法定休假日的，以法定休假日后的第一日为期间届满的日期）",
            note="该款是否适用于法院自身的审理期限，现有法规文本未明确；默认不顺延（届满日更早，预警更早）。"
                 "本院按顺延计算的，请开启。", confirmed=False))


_declare_setting()
