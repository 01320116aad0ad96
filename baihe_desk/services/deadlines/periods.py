"""期间计算 (deadline calculator): the one place every deadline of the desk is computed.

Rules (民事诉讼法 2023 第八十五条; 民法典第二百零二条):

- the day the period starts (送达日、立案日 …) is not counted (第八十五条第二款);
- a period in days ends on the n-th day after the start day;
- a period in months or years ends on the corresponding day of the due month, or on that month's last day
  if it has no corresponding day (民法典第二百零二条: 01-31 + 1 个月 → 02-28, or 02-29 in a leap year);
- if the last day is a rest day, the period ends on the first working day after it (第八十五条第三款).
  Rest day = statutory holiday, or Saturday/Sunday not worked by 调休; a 调休 working Saturday/Sunday is a
  working day and does not move the deadline. (法定休假日 is read, as courts do, to include 公休日.)
- a period in working days counts only working days after the start day, by the same table.

Holidays come from :mod:`baihe_desk.services.deadlines.holidays` (data, extendable by an administrator). When the
window from the start day to the due date touches a year without a published schedule, the result carries a
warning: from 2025 on the year's statutory holidays and 补假 are inferred from the 2024 放假办法
("按放假办法推算，待国务院通知"; only 调休 working weekends are unknown); an earlier year counts weekends only.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta

from baihe_desk.errors import ValidationError
from baihe_desk.services.common.validation import quote as _quote
from baihe_desk.services.deadlines.holidays import HolidayTable, builtin_table, weekday_name
from baihe_desk.services.deadlines.period_law import (
    BASIS_LAST_DAY,
    BASIS_MONTHS,
    BASIS_REST,
    BASIS_START,
    BASIS_TRANSIT,
    BASIS_WORKING,
    STATUTORY_PERIODS,
    Deadline,
    StatutoryPeriod,
)

__all__ = [
    "STATUTORY_PERIODS",
    "Deadline",
    "StatutoryPeriod",
    "add_days",
    "add_months",
    "add_working_days",
    "add_years",
    "days_left",
    "deadline_text",
    "format_deadline",
    "parse_date",
    "statutory_deadline",
    "working_days_between",
]


# Upper bounds that catch typing mistakes (and keep date arithmetic inside date.max).
MAX_DAYS, MAX_MONTHS, MAX_WORKING_DAYS = 36_600, 1_200, 10_000


# ---------------------------------------------------------------------------------------------------------
# Input checks


def _check_start(start: date) -> date:
    if isinstance(start, datetime):
        return start.date()
    if not isinstance(start, date):
        raise ValidationError("起算日", "应为日期")
    return start


def _check_count(n: object, field: str, limit: int) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= limit:
        raise ValidationError(field, f"应为 1 至 {limit} 之间的整数，收到“{_quote(str(n))}”")
    return n


def _window_overflow(start: date, field: str) -> ValidationError:
    return ValidationError(field, f"自 {start.isoformat()} 起的期间超出可计算的日期范围")


_DATE_RE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


def parse_date(text: str, field: str = "起算日") -> date:
    """Parse "2026-09-21", "2026/9/21" or "2026年9月21日"; otherwise a ValidationError naming ``field``."""
    m = _DATE_RE.match(text or "")
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            pass
    raise ValidationError(field, f"“{_quote(str(text or ''))}”不是有效日期（格式应为 YYYY-MM-DD）")


# ---------------------------------------------------------------------------------------------------------
# The calculator


def _d(d: date) -> str:
    return d.isoformat()


def _coverage(start: date, due: date, table: HolidayTable) -> tuple[list[str], list[str]]:
    """(basis lines naming each covered year's source, warnings for uncovered years) of the window."""
    missing = table.uncovered_years(start, due)
    warnings = []
    if missing:
        years = "、".join(str(y) for y in missing)
        warnings.append(f"{years} 年的节假日与调休安排尚未录入，到期日按普通周末计算，请人工核对")
    inferred = table.inferred_years(start, due)
    if inferred:
        warnings.append(inferred_warning(inferred))
    sources = [
        f"{y} 年节假日与调休：{table.source(y)}"
        for y in range(start.year, due.year + 1)
        if table.schedule(y) is not None
    ]
    return sources, warnings


def inferred_warning(years: list[int]) -> str:
    """The warning of a window touching years counted by the 放假办法 only (no State Council notice yet)."""
    listed = "、".join(str(y) for y in years)
    return (f"{listed} 年按放假办法推算，待国务院通知：法定节假日及补假已计入，调休上班日尚不能确定；"
            "国务院通知发布后请管理员录入并核对")


def _finish(
    start: date,
    count: int,
    unit: str,
    nominal: date,
    steps: list[str],
    basis: list[str],
    table: HolidayTable,
    label: str | None,
    note: str | None = None,
    roll: bool = True,
) -> Deadline:
    due = nominal
    reason = table.rest_reason(nominal) if roll else None
    work = table.workday_name(nominal)
    if reason is not None:
        due = table.next_working_day(nominal)
        steps.append(
            f"期间届满日 {_d(nominal)} 为{reason}，顺延至休假日后的第一个工作日 {_d(due)}（第八十五条第三款）"
        )
        if due - nominal > timedelta(days=1):
            steps.append(f"{_d(nominal)} 至 {_d(due - timedelta(days=1))} 均为休息日")
    elif roll and work is not None:
        steps.append(
            f"期间届满日 {_d(nominal)} 虽为{weekday_name(nominal)}，但为调休上班日（{work}调休），是工作日，不顺延"
        )
    elif roll:
        steps.append(f"期间届满日 {_d(nominal)}（{weekday_name(nominal)}）为工作日，不顺延")
    steps.append(f"到期日：{_d(due)}（{weekday_name(due)}）")
    sources, warnings = _coverage(start, due, table)
    if note:
        warnings.append(note)
    basis += [*([BASIS_LAST_DAY] if roll else []), BASIS_REST, BASIS_TRANSIT, *sources]
    return Deadline(start, count, unit, nominal, due, tuple(steps), tuple(basis), tuple(warnings), label)


def _start_step(start: date) -> str:
    return f"起算日 {_d(start)} 不计入（民事诉讼法第八十五条第二款），自 {_d(start + timedelta(days=1))} 起算"


def add_days(
    start: date,
    n: int,
    *,
    table: HolidayTable | None = None,
    label: str | None = None,
    basis: str | None = None,
) -> Deadline:
    """A period of ``n`` days (日) from ``start`` (the day of service, filing …, not counted)."""
    start = _check_start(start)
    n = _check_count(n, "期间天数", MAX_DAYS)
    table = table or builtin_table()
    try:
        nominal = start + timedelta(days=n)
    except OverflowError:
        raise _window_overflow(start, "期间天数") from None
    steps = [_start_step(start), f"期间 {n} 日，第 {n} 日为 {_d(nominal)}（{weekday_name(nominal)}）"]
    return _finish(start, n, "日", nominal, steps, [*([basis] if basis else []), BASIS_START], table, label)


def period_end(start: date, days: int) -> tuple[date, list[str]]:
    """Last day of a period of ``days`` days starting the day after ``start`` (民事诉讼法第八十五条), moved
    past 法定节假日, with the warnings of :func:`add_days` (a year whose holiday table is missing)."""
    deadline = add_days(start, days)
    return deadline.due, list(deadline.warnings)


def _months_later(start: date, n: int) -> tuple[date, bool]:
    """(the last day under 民法典第二百零二条, whether the due month has a corresponding day)."""
    y, m = divmod(start.month - 1 + n, 12)
    year, month = start.year + y, m + 1
    if year > 9999:
        raise _window_overflow(start, "期间月数")
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(start.day, last)), start.day <= last


def _months_period(
    start: date, months: int, count: int, unit: str, table: HolidayTable | None, label, basis, note=None
) -> Deadline:
    start = _check_start(start)
    table = table or builtin_table()
    nominal, corresponding = _months_later(start, months)
    head = f"期间 {count} {unit}，到期月为 {nominal.year} 年 {nominal.month} 月"
    if corresponding:
        head += f"，对应日 {_d(nominal)}（{weekday_name(nominal)}）为期间的最后一日（民法典第二百零二条）"
    else:
        head += (
            f"，该月没有对应日（{start.day} 日），以月末日 {_d(nominal)}（{weekday_name(nominal)}）"
            "为期间的最后一日（民法典第二百零二条）"
        )
    steps = [_start_step(start), head]
    bases = [*([basis] if basis else []), BASIS_START, BASIS_MONTHS]
    return _finish(start, count, unit, nominal, steps, bases, table, label, note)


def add_months(
    start: date,
    n: int,
    *,
    table: HolidayTable | None = None,
    label: str | None = None,
    basis: str | None = None,
) -> Deadline:
    """A period of ``n`` months (月): corresponding day of the due month, else its last day."""
    n = _check_count(n, "期间月数", MAX_MONTHS)
    return _months_period(start, n, n, "个月", table, label, basis)


def add_years(
    start: date,
    n: int,
    *,
    table: HolidayTable | None = None,
    label: str | None = None,
    basis: str | None = None,
) -> Deadline:
    """A period of ``n`` years (年) = 12·n months under the same rule (02-29 + 1 年 → 02-28)."""
    n = _check_count(n, "期间年数", MAX_MONTHS // 12)
    return _months_period(start, 12 * n, n, "年", table, label, basis)


def _holiday_runs(days: list[date], table: HolidayTable) -> list[str]:
    """Consecutive holiday dates grouped by festival: ["春节（2026-02-15 至 2026-02-23）", ...]."""
    runs: list[tuple[str, date, date]] = []
    for d in days:
        name = table.holiday_name(d) or ""
        if runs and runs[-1][0] == name and runs[-1][2] + timedelta(days=1) == d:
            runs[-1] = (name, runs[-1][1], d)
        else:
            runs.append((name, d, d))
    return [f"{n}（{_d(a)}）" if a == b else f"{n}（{_d(a)} 至 {_d(b)}）" for n, a, b in runs]


def add_working_days(
    start: date,
    n: int,
    *,
    table: HolidayTable | None = None,
    label: str | None = None,
    basis: str | None = None,
) -> Deadline:
    """A period of ``n`` working days (工作日): only working days after ``start`` are counted."""
    start = _check_start(start)
    n = _check_count(n, "工作日数", MAX_WORKING_DAYS)
    table = table or builtin_table()
    cur, counted, holidays, weekends, worked = start, 0, [], 0, []
    try:
        while counted < n:
            cur += timedelta(days=1)
            if table.is_working_day(cur):
                counted += 1
                if cur.weekday() >= 5:
                    worked.append(cur)
            elif table.holiday_name(cur) is not None:
                holidays.append(cur)
            else:
                weekends += 1
    except OverflowError:
        raise _window_overflow(start, "工作日数") from None
    steps = [f"起算日 {_d(start)} 不计入，自次日起只计工作日"]
    if holidays:
        steps.append("期间内的法定节假日不计入：" + "、".join(_holiday_runs(holidays, table)))
    if weekends:
        steps.append(f"期间内 {weekends} 个星期六、星期日休息日不计入")
    if worked:
        listed = "、".join(f"{_d(d)}（{weekday_name(d)}，{table.workday_name(d)}调休）" for d in worked)
        steps.append(f"调休上班日计为工作日：{listed}")
    steps.append(f"第 {n} 个工作日为 {_d(cur)}（{weekday_name(cur)}）")
    bases = [*([basis] if basis else []), BASIS_WORKING]
    # The n-th counted day is a working day, so art. 85(3) never moves it.
    return _finish(start, n, "个工作日", cur, steps, bases, table, label, roll=False)


def working_days_between(start: date, end: date, *, table: HolidayTable | None = None) -> int:
    """Working days d with start < d ≤ end (start not counted); negative if ``end`` is before ``start``.

    ``working_days_between(s, add_working_days(s, n).due) == n``. Uncovered years count weekends only;
    check ``table.uncovered_years(start, end)`` to warn.
    """
    start, end = _check_start(start), _check_start(end)
    if end < start:
        return -working_days_between(end, start, table=table)
    table = table or builtin_table()
    return sum(table.is_working_day(start + timedelta(days=i)) for i in range(1, (end - start).days + 1))


def days_left(due: date, today: date) -> int:
    """Calendar days from ``today`` to ``due``: 0 on the due date itself, negative once it has passed."""
    return (_check_start(due) - _check_start(today)).days


def statutory_deadline(key: str, start: date, *, table: HolidayTable | None = None) -> Deadline:
    """A named statutory period (see ``STATUTORY_PERIODS``), e.g. ``statutory_deadline("appeal_judgment", 送达日)``."""
    try:
        p = STATUTORY_PERIODS[key]
    except KeyError:
        raise ValidationError("期间类型", f"未知的期间类型“{_quote(str(key))}”") from None
    if p.unit == "days":
        return add_days(start, p.count, table=table, label=p.label, basis=p.basis)
    months, unit = (12 * p.count, "年") if p.unit == "years" else (p.count, "个月")
    return _months_period(start, months, p.count, unit, table, p.label, p.basis, p.note)


# ---------------------------------------------------------------------------------------------------------
# Text for the CLI (``baihe-desk deadline``) and for printing


def format_deadline(deadline: Deadline) -> str:
    """Reasoning, basis and warnings in Chinese; the LAST line is exactly ``due: YYYY-MM-DD``."""
    d = deadline
    title = f"{d.label}：" if d.label else "期间："
    lines = [f"{title}{d.count} {d.unit}，起算日 {_d(d.start)}"]
    lines += [f"  {i}. {s}" for i, s in enumerate(d.steps, 1)]
    lines.append("依据：")
    lines += [f"  - {b}" for b in d.basis]
    lines += [f"注意：{w}" for w in d.warnings]
    lines.append(f"due: {_d(d.due)}")
    return "\n".join(lines)


def deadline_text(
    start: str | date,
    *,
    days: int | None = None,
    months: int | None = None,
    working_days: int | None = None,
    table: HolidayTable | None = None,
) -> str:
    """``baihe-desk deadline --from DATE (--days N | --months N | --working-days N)`` → printable text."""
    given = [
        (k, v)
        for k, v in (("days", days), ("months", months), ("working_days", working_days))
        if v is not None
    ]
    if len(given) != 1:
        raise ValidationError("期间", "天数、月数、工作日数应指定且只指定一项")
    begin = parse_date(start) if isinstance(start, str) else start
    kind, n = given[0]
    if isinstance(n, str) and re.fullmatch(r"[0-9]{1,6}", n.strip()):
        n = int(n)
    fn = {"days": add_days, "months": add_months, "working_days": add_working_days}[kind]
    return format_deadline(fn(begin, n, table=table))
