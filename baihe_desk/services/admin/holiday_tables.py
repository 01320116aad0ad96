"""节假日安排录入 — the administrator adds a year's official schedule (国务院办公厅通知) as data.

The schedule is typed as the notice reads, one festival per line::

    元旦 2027-01-01
    春节 2027-02-06 至 2027-02-13

(ranges with 至, ~ or ..; dates also as 2027年2月6日 or 2027/2/6). Working weekend days (调休上班) go in
a second list the same way. The result is merged into the ``holidays.extra`` setting through the settings
registry (validated by :func:`baihe_desk.services.deadlines.holidays.parse_extra_years`, audited before → after).
A year typed here replaces a shipped year of the same number (a correction) — the screen says so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from baihe_desk.errors import ValidationError, ValidationErrors
from baihe_desk.services.admin import settings
from baihe_desk.services.common.actor import Actor
from baihe_desk.services.common.permissions import Perm, require
from baihe_desk.services.common.validation import normalize_text, to_halfwidth
from baihe_desk.services.deadlines.holidays import (
    EXTRA_SETTING_KEY,
    HolidayTable,
    YearSchedule,
    builtin_table,
    parse_extra_years,
    table_with_extra,
)

FIELD_HOLIDAYS = "放假日期"
FIELD_WORKDAYS = "调休上班日期"
MAX_RANGE_DAYS = 31
_DATE = r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?"
_RANGE = re.compile(_DATE + r"(?:\s*(?:至|到|~|～|\.\.|—|–)\s*(?:" + _DATE + r"))?")


@dataclass(frozen=True)
class YearInfo:
    year: int
    source: str
    entered: bool  # typed by the administrator (else shipped with the program)
    replaces_builtin: bool
    holidays: int
    workdays: int
    inferred: bool = False  # 按放假办法推算，待国务院通知 (no notice entered yet)


def _date(parts: Sequence[str], field: str, line: str, errors: list[ValidationError]) -> date | None:
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        errors.append(ValidationError(field, f"“{line}”中的日期 {'-'.join(parts)} 不存在"))
        return None


def parse_lines(text: str, field: str, default_name: str) -> list[dict[str, str]]:
    """Lines "名称 日期[ 至 日期][, 日期…]" → [{"date": "YYYY-MM-DD", "name": 名称}, …] (errors collected)."""
    errors: list[ValidationError] = []
    out: list[dict[str, str]] = []
    for raw in to_halfwidth(normalize_text(text)).splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        matches = list(_RANGE.finditer(line))
        if not matches:
            errors.append(ValidationError(field, f"“{line}”中没有日期（格式如 2027-02-06 或 2027-02-06 至 2027-02-13）"))
            continue
        name = line[:matches[0].start()].strip(" :：,，、") or default_name
        for m in matches:
            first = _date(m.group(1, 2, 3), field, line, errors)
            last = _date(m.group(4, 5, 6), field, line, errors) if m.group(4) else first
            if first is None or last is None:
                continue
            if last < first or (last - first).days >= MAX_RANGE_DAYS:
                errors.append(ValidationError(field, f"“{line}”的日期范围 {first} 至 {last} 有误"))
                continue
            d = first
            while d <= last:
                out.append({"date": d.isoformat(), "name": name})
                d += timedelta(days=1)
    if errors:
        raise ValidationErrors(errors)
    return out


def schedule_body(year: int, holidays_text: str, workdays_text: str, source: str = "") -> dict:
    """The ``holidays.extra`` entry of one year from the typed lists; validated (raises ValidationErrors)."""
    errors: list[ValidationError] = []
    hol: list[dict[str, str]] = []
    work: list[dict[str, str]] = []
    for text, field, default, target in ((holidays_text, FIELD_HOLIDAYS, "法定节假日", hol),
                                         (workdays_text, FIELD_WORKDAYS, "调休", work)):
        try:
            target.extend(parse_lines(text, field, default))
        except ValidationErrors as exc:
            errors.extend(exc.errors)
    if not hol and not errors:
        errors.append(ValidationError(FIELD_HOLIDAYS, f"请填写 {year} 年的放假日期"))
    if errors:
        raise ValidationErrors(errors)
    body = {"holidays": hol, "workdays": work,
            "source": source.strip() or f"国务院办公厅关于{year}年部分节假日安排的通知（管理员录入）"}
    parse_extra_years({str(year): body})  # the holiday module's own checks (year, overlap, 调休 on weekdays …)
    return body


def _ranges(mapping: dict[date, str]) -> list[str]:
    lines: list[str] = []
    items = sorted(mapping.items())
    i = 0
    while i < len(items):
        start, name = items[i]
        end = start
        while i + 1 < len(items) and items[i + 1][1] == name and items[i + 1][0] == end + timedelta(days=1):
            i += 1
            end = items[i][0]
        lines.append(f"{name} {start.isoformat()}" + (f" 至 {end.isoformat()}" if end != start else ""))
        i += 1
    return lines


def schedule_text(sched: YearSchedule) -> tuple[str, str]:
    """A year as the two typed lists (consecutive days of one festival as a range), for editing."""
    return "\n".join(_ranges(dict(sched.holidays))), "\n".join(_ranges(dict(sched.workdays)))


def current_extra(session: Session | None) -> dict[str, dict]:
    return dict(settings.get(session, EXTRA_SETTING_KEY) or {})


def table(session: Session | None) -> HolidayTable:
    """The holiday table in force: shipped years plus the administrator's."""
    return table_with_extra(current_extra(session))


def add_year(session: Session, actor: Actor, year: int, holidays_text: str, workdays_text: str,
             source: str = "") -> YearSchedule:
    """Add (or replace) one year's schedule; audited as a change of ``holidays.extra``."""
    require(session, actor, Perm.SETTINGS_EDIT)  # first: a refusal says nothing about the text
    body = schedule_body(year, holidays_text, workdays_text, source)
    extra = current_extra(session)
    extra[str(year)] = body
    settings.set_value(session, actor, EXTRA_SETTING_KEY, extra)
    return table(session).years[year]


def remove_year(session: Session, actor: Actor, year: int) -> None:
    """Remove an administrator-entered year (a shipped year of that number applies again)."""
    require(session, actor, Perm.SETTINGS_EDIT)  # first: a refusal says nothing about which years exist
    extra = current_extra(session)
    if str(year) not in extra:
        raise ValidationError("节假日设置", f"{year} 年不是管理员录入的年份，不能删除")
    del extra[str(year)]
    settings.set_value(session, actor, EXTRA_SETTING_KEY, extra)


def years_info(session: Session | None, through_year: int | None = None) -> list[YearInfo]:
    """Published years, newest first; with ``through_year``, also the later years up to it that are only
    inferred from the 放假办法 (marked ``inferred``; the published table replaces them once entered)."""
    extra = current_extra(session)
    shipped = builtin_table().years
    current = table(session)
    out = []
    last = max([*current.years, 0])
    for year in range(max(through_year or 0, last), last, -1):
        sched = current.schedule(year)
        if sched is not None and sched.inferred:
            out.append(YearInfo(year, sched.source, False, False, len(sched.holidays), 0, inferred=True))
    for year, sched in sorted(current.years.items(), reverse=True):
        entered = str(year) in extra
        out.append(YearInfo(year, sched.source, entered, entered and year in shipped,
                            len(sched.holidays), len(sched.workdays)))
    return out
