"""调解期限 — the 30-day period of a pre-litigation mediation, its extensions and 鉴定/评估 suspensions.

Rules:

- 委派调解 (before filing) lasts **30 days**, “自特邀调解组织或者特邀调解员签字接收法院移交材料之日起计算”
  (特邀调解规定第二十七条; 在线调解规则第二十四条: from the mediator's confirmation). The days are counted
  by :mod:`services.deadlines.periods` (民事诉讼法第八十五条): the acceptance day itself is not counted, and a last day
  that is a rest day moves to the next working day.
- The length is the court setting ``documents.mediation_notice.days`` (the same figure the 诉前调解告知书
  tells the party; default 30).
- Extensions: only with every party's recorded consent (“双方当事人同意延长调解期限的，不受此限”); their days
  are added to the period.
- 鉴定/评估: “鉴定评估期限不计入调解期限” (在线调解规则第二十六条). A suspension from the day the 鉴定/评估 is
  commissioned to the day its opinion is received takes ``received − commissioned`` days out of the period —
  the same rule as the trial limit's 鉴定期间 (:mod:`services.deadlines.excluded_days`, where the reasons are
  written down: the commissioning day is not counted in the span, 民事诉讼法第八十五条第二款); overlapping
  suspensions count once; while one is open, the days up to today are out, so the due date moves with it and
  the display says 暂停.

Pure functions over a :class:`MediationCase`; :func:`refresh_due` stores the due date (for lists and the
overdue query).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from baihe_desk.models.mediation import MediationCase, MediationStatus
from baihe_desk.services.deadlines.excluded_days import days_not_counted
from baihe_desk.services.deadlines.holidays import EXTRA_SETTING_KEY, HolidayTable, table_with_extra
from baihe_desk.services.deadlines.periods import add_days, days_left
from baihe_desk.services.filing.complaint_review import setting

PERIOD_SETTING = "documents.mediation_notice.days"
DEFAULT_PERIOD_DAYS = 30
BASIS_PERIOD = ("《最高人民法院关于人民法院特邀调解的规定》第二十七条：人民法院委派调解的案件，调解期限为30日。"
                "但是双方当事人同意延长调解期限的，不受此限。调解期限自特邀调解组织或者特邀调解员签字接收法院移交材料之日起计算。")
BASIS_ONLINE = "《人民法院在线调解规则》第二十四条：立案前在线调解期限为三十日。各方当事人同意延长的，不受此限。"
BASIS_APPRAISAL = "《人民法院在线调解规则》第二十六条：立案前调解需要鉴定评估的……鉴定评估期限不计入调解期限。"


def period_days(session: Session | None) -> int:
    """The court's mediation period in days (1–365; default 30)."""
    if session is None:
        return DEFAULT_PERIOD_DAYS
    for key in (PERIOD_SETTING,):
        value = setting(session, key, None)
        if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 365:
            return value
    return DEFAULT_PERIOD_DAYS


def holiday_table(session: Session | None) -> HolidayTable:
    return table_with_extra(setting(session, EXTRA_SETTING_KEY, None) if session is not None else None)


@dataclass(frozen=True)
class PeriodState:
    accepted_on: date | None
    base_days: int
    extension_days: int
    suspended_days: int
    suspended_now: bool
    due: date | None
    days_left: int | None  # 0 on the due date, negative once passed
    overdue: bool
    running: bool  # accepted and not closed
    steps: tuple[str, ...] = ()
    basis: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """Short display: 剩余 N 日 / 今日到期 / 已超期 N 日 / 暂停（鉴定评估中）."""
        if self.due is None:
            return "未起算"
        if not self.running:
            return f"到期日 {self.due.isoformat()}"
        if self.suspended_now:
            return "暂停（鉴定评估中）"
        assert self.days_left is not None
        if self.days_left > 0:
            return f"剩余 {self.days_left} 日"
        if self.days_left == 0:
            return "今日到期"
        return f"已超期 {-self.days_left} 日"


def state(m: MediationCase, *, today: date, table: HolidayTable | None = None) -> PeriodState:
    """The period of ``m`` as of ``today`` (with the reasoning steps)."""
    base = m.period_days or DEFAULT_PERIOD_DAYS
    ext = sum(e.days for e in m.extensions)
    susp, open_now = days_not_counted([(s.started_on, s.ended_on) for s in m.suspensions], today)
    running = m.status is MediationStatus.IN_PROGRESS
    if m.accepted_on is None:
        return PeriodState(None, base, ext, susp, open_now, None, None, False, False)
    total = base + ext + susp
    deadline = add_days(m.accepted_on, total, table=table, label="诉前调解期限")
    steps = [f"调解员于 {m.accepted_on.isoformat()} 签收移交材料，调解期限自次日起算", f"调解期限 {base} 日"]
    if ext:
        steps.append(f"经各方当事人同意延长 {ext} 日（共 {len(m.extensions)} 次）")
    if susp:
        steps.append(f"鉴定、评估期间 {susp} 日不计入调解期限" + ("（鉴定评估尚未结束，暂计至今日）" if open_now else ""))
    if ext or susp:
        steps.append(f"合计 {total} 日")
    steps += list(deadline.steps[1:])
    left = days_left(deadline.due, today)
    basis = [BASIS_PERIOD, BASIS_ONLINE, *([BASIS_APPRAISAL] if susp else []), *deadline.basis]
    overdue = running and not open_now and left < 0
    return PeriodState(m.accepted_on, base, ext, susp, open_now, deadline.due, left, overdue, running,
                       tuple(steps), tuple(basis), deadline.warnings)


def refresh_due(session: Session, m: MediationCase, *, today: date) -> PeriodState:
    """Recompute and store ``m.due_on`` (call after acceptance, an extension or a suspension change)."""
    st = state(m, today=today, table=holiday_table(session))
    m.due_on = st.due
    return st
