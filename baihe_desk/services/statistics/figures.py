"""统计分析的数据 — the period (周/月/季度/年), rates and rows of a statistics report, as plain dataclasses.

Filled by the queries of :mod:`baihe_desk.services.statistics.parts`, composed by
:func:`baihe_desk.services.statistics.report.compute`, read by the UI and the 周通报 / 月分析 documents.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from baihe_desk.errors import ValidationError

PERIOD_KINDS = {"week": "周", "month": "月", "quarter": "季度", "year": "年"}
QUARTERS = "一二三四"
NOTES = (
    "收件按收到起诉材料日期统计；立案、结案为民初案件，按立案日期、结案日期统计；同比为与上年同期相比。",
    "部门按案件所属部门（未登记的按承办法官所在部门）统计；承办人为承办法官。",
    "诉前调解成功率 = 本期调解成功件数 ÷ 本期调结（成功与终结）件数；补正率 = 首轮立案审查通知补正件数 ÷ 首轮审查已作决定件数。",
    "收件至首次成功送达：被告签收、留置送达、电子送达发送成功或公告期满之日（公告按发出日加公告期计算，未按休息日顺延）。",
    "超期件数为统计当日仍未办结且已超过期限的事项；超审限结案按登记的延长审限和扣除审限计算。",
)


@dataclass(frozen=True)
class Period:
    kind: str  # week / month / quarter / year
    start: date
    end: date

    @property
    def key(self) -> str:
        if self.kind == "week":
            y, w, _ = self.start.isocalendar()
            return f"{y}-W{w:02d}"
        if self.kind == "month":
            return f"{self.start.year}-{self.start.month:02d}"
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return str(self.start.year)

    @property
    def label(self) -> str:
        s, e = self.start, self.end
        if self.kind == "week":
            y, w, _ = s.isocalendar()
            return f"{y}年第{w}周（{s.month}月{s.day}日至{e.month}月{e.day}日）"
        if self.kind == "month":
            return f"{s.year}年{s.month}月"
        if self.kind == "quarter":
            return f"{s.year}年第{QUARTERS[(s.month - 1) // 3]}季度"
        return f"{s.year}年"

    @property
    def title(self) -> str:
        """The label without the dates of a week: 2026年第48周 / 2026年11月 / 2026年第四季度 / 2026年."""
        if self.kind == "week":
            y, w, _ = self.start.isocalendar()
            return f"{y}年第{w}周"
        return self.label

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def year_before(self) -> Period:
        """The same period one year earlier (同比): ISO week of the previous year, same month, quarter, year."""
        if self.kind == "week":
            y, w, _ = self.start.isocalendar()
            weeks = date(y - 1, 12, 28).isocalendar()[1]
            start = date.fromisocalendar(y - 1, min(w, weeks), 1)
            return Period("week", start, start + timedelta(days=6))
        if self.kind == "month":
            return period_of("month", date(self.start.year - 1, self.start.month, 1))
        if self.kind == "quarter":
            return period_of("quarter", date(self.start.year - 1, self.start.month, 1))
        return period_of("year", date(self.start.year - 1, 1, 1))


def period_of(kind: str, day: date) -> Period:
    """The week (Monday–Sunday), month, quarter or year containing ``day``."""
    if kind == "week":
        start = day - timedelta(days=day.weekday())
        return Period(kind, start, start + timedelta(days=6))
    if kind == "month":
        return Period(kind, day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1]))
    if kind == "quarter":
        first = 3 * ((day.month - 1) // 3) + 1
        last = first + 2
        return Period(kind, date(day.year, first, 1), date(day.year, last, calendar.monthrange(day.year, last)[1]))
    if kind == "year":
        return Period(kind, date(day.year, 1, 1), date(day.year, 12, 31))
    raise ValidationError("统计期间", f"应为{'、'.join(PERIOD_KINDS.values())}之一")


@dataclass(frozen=True)
class Rate:
    num: int
    den: int

    @property
    def value(self) -> float | None:
        return self.num / self.den if self.den else None

    @property
    def text(self) -> str:
        return "—" if self.value is None else f"{self.value * 100:.1f}%"


def change_text(now: int, before: int) -> str:
    """同比: "+12.5%", "-3.0%", "持平", or "—" when the year before had none."""
    if before == 0:
        return "—" if now == 0 else "新增"
    pct = (now - before) * 100 / before
    return "持平" if abs(pct) < 0.05 else f"{pct:+.1f}%"


def days_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


@dataclass
class DeptRow:
    department_id: object
    name: str
    received: int = 0
    received_prev: int = 0
    filed: int = 0
    filed_prev: int = 0
    closed: int = 0
    closed_over_limit: int = 0
    open_overdue: int = 0

    @property
    def filed_change(self) -> str:
        return change_text(self.filed, self.filed_prev)


@dataclass
class PersonRow:
    user_id: object
    name: str
    department: str = ""
    filed: int = 0
    closed: int = 0
    closed_over_limit: int = 0
    open_cases: int = 0
    open_overdue: int = 0
    open_near: int = 0


@dataclass
class MediatorRow:
    name: str
    opened: int = 0
    succeeded: int = 0
    failed: int = 0

    @property
    def rate(self) -> Rate:
        return Rate(self.succeeded, self.succeeded + self.failed)


@dataclass
class Report:
    period: Period
    previous: Period
    today: date
    generated_at: datetime
    received: int = 0
    received_prev: int = 0
    filed: int = 0
    filed_prev: int = 0
    closed: int = 0
    mediation_opened: int = 0
    mediation_succeeded: int = 0
    mediation_failed: int = 0
    corrections: Rate = Rate(0, 0)
    days_to_filing: float | None = None
    filed_measured: int = 0
    days_to_service: float | None = None
    served_measured: int = 0
    consult_sent: int = 0
    consult_replied: int = 0
    consult_waiting: int = 0
    consult_overdue: int = 0
    consult_adoption: Rate = Rate(0, 0)
    explanation_requests: int = 0
    explanation_outcomes: dict[str, int] = field(default_factory=dict)
    explanation_accepted: Rate = Rate(0, 0)
    overdue_now: dict[str, int] = field(default_factory=dict)  # kind label → open items overdue today
    closed_over_limit: int = 0
    filed_late: int = 0
    by_department: list[DeptRow] = field(default_factory=list)
    by_judge: list[PersonRow] = field(default_factory=list)
    by_mediator: list[MediatorRow] = field(default_factory=list)
    notes: tuple[str, ...] = NOTES

    @property
    def mediation_rate(self) -> Rate:
        return Rate(self.mediation_succeeded, self.mediation_succeeded + self.mediation_failed)

    @property
    def received_change(self) -> str:
        return change_text(self.received, self.received_prev)

    @property
    def filed_change(self) -> str:
        return change_text(self.filed, self.filed_prev)

    @property
    def overdue_total(self) -> int:
        return sum(self.overdue_now.values())


Progress = Callable[[int, int, str], None]
