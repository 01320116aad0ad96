"""节假日与调休表 (holiday and make-up working day table) used to compute 期间 (CPL art. 85).

A day is a **rest day** if it is a statutory holiday of the State Council's yearly schedule
(国务院办公厅关于部分节假日安排的通知), or a Saturday/Sunday that the schedule does not turn into a
working day (调休上班). Every other day is a **working day**. For a year the table does not cover, only
Saturdays and Sundays are rest days, and callers must warn (see ``HolidayTable.uncovered_years``).

Where the data lives, and why files rather than reading ``chinesecalendar`` at run time:
the built-in years are one TOML file per year in ``baihe_desk/resources/holidays/cn-YYYY.toml``,
generated once from the chinesecalendar package (``python -m baihe_desk.services.deadlines.holidays YEAR``) and
checked (2026 against DOMAIN.md §13, the rest against the package, by tests/unit/test_periods.py).
Files are reviewable by court staff, name their source, and are pinned: a ``pip install -U`` cannot
silently move a party's deadline, and the desk does not need the package at run time. Years the
shipped files lack (e.g. 2027 before the State Council publishes it) are added by an administrator as
data — the ``holidays.extra`` setting, read with :func:`parse_extra_years` / :func:`table_with_extra` —
without a release. An extra year replaces a built-in year of the same number (a correction).

A year that neither the shipped files nor the administrator cover, from 2025 on, is **inferred** from
《全国年节及纪念日放假办法》 (:mod:`services.deadlines.holiday_rules`): its statutory holidays and 补假 days
count, its source reads "按放假办法推算，待国务院通知", and the deadlines touching it carry a warning that the
调休 working weekends are unknown. The published table, once entered, replaces the inference.
"""

from __future__ import annotations

import sys
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources

from baihe_desk.errors import KnownError, ValidationError, ValidationErrors
from baihe_desk.services.common.validation import quote as _quote

__all__ = [
    "EXTRA_SETTING_KEY",
    "HolidayTable",
    "YearSchedule",
    "builtin_table",
    "covered_years",
    "extra_years_to_setting",
    "generate_year_toml",
    "inferred_schedule",
    "parse_extra_years",
    "parse_year_toml",
    "table_with_extra",
    "weekday_name",
]

EXTRA_SETTING_KEY = "holidays.extra"
FIELD = "节假日设置"
WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
MIN_YEAR, MAX_YEAR = 1990, 2100
# A longer run of consecutive rest days is a data-entry mistake (the longest real one is 9 days).
MAX_REST_RUN = 30

# chinesecalendar's English festival names → the names used in the State Council notices.
_CN_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def weekday_name(d: date) -> str:
    return WEEKDAYS[d.weekday()]


@dataclass(frozen=True)
class YearSchedule:
    """One year's schedule: holiday dates and 调休 working weekend dates, each with its festival name."""

    year: int
    holidays: Mapping[date, str]
    workdays: Mapping[date, str]
    source: str
    inferred: bool = False  # 按放假办法推算 (no State Council notice entered for the year)


def inferred_schedule(year: int) -> YearSchedule | None:
    """The year as inferred from the 2024 放假办法, or None for a year outside its rules (before 2025)."""
    from baihe_desk.services.deadlines import holiday_rules

    if not holiday_rules.can_infer(year):
        return None
    return YearSchedule(year, holiday_rules.inferred_days(year), {}, holiday_rules.INFERRED_SOURCE, inferred=True)


@dataclass(frozen=True)
class HolidayTable:
    """The merged table. Build with :func:`builtin_table` or :func:`table_with_extra`."""

    years: Mapping[int, YearSchedule] = field(default_factory=dict)
    infer: bool = True  # False: a year without a published schedule has weekends only (worked examples, tests)

    def covered_years(self) -> list[int]:
        """Years with a published (shipped or administrator-entered) schedule."""
        return sorted(self.years)

    def is_covered(self, year: int) -> bool:
        return year in self.years

    def schedule(self, year: int) -> YearSchedule | None:
        """The published schedule of ``year``, else the one inferred from the 放假办法, else None."""
        return self.years.get(year) or (inferred_schedule(year) if self.infer else None)

    def is_inferred(self, year: int) -> bool:
        return self.infer and year not in self.years and inferred_schedule(year) is not None

    def inferred_years(self, first: date, last: date) -> list[int]:
        """Years between ``first`` and ``last`` (inclusive, any order) counted by the 放假办法 only."""
        lo, hi = sorted((first.year, last.year))
        return [y for y in range(lo, hi + 1) if self.is_inferred(y)]

    def uncovered_years(self, first: date, last: date) -> list[int]:
        """Years between ``first`` and ``last`` (inclusive, any order) with neither a table nor the rules."""
        lo, hi = sorted((first.year, last.year))
        return [y for y in range(lo, hi + 1) if self.schedule(y) is None]

    def source(self, year: int) -> str | None:
        sched = self.schedule(year)
        return sched.source if sched else None

    def holiday_name(self, d: date) -> str | None:
        sched = self.schedule(d.year)
        return sched.holidays.get(d) if sched else None

    def workday_name(self, d: date) -> str | None:
        """Festival name if ``d`` is a weekend day worked by 调休, else None."""
        sched = self.schedule(d.year)
        return sched.workdays.get(d) if sched else None

    def is_rest_day(self, d: date) -> bool:
        if self.holiday_name(d) is not None:
            return True
        return d.weekday() >= 5 and self.workday_name(d) is None

    def is_working_day(self, d: date) -> bool:
        return not self.is_rest_day(d)

    def rest_reason(self, d: date) -> str | None:
        """Why ``d`` is a rest day, in Chinese (e.g. "法定休假日（国庆节）"), or None for a working day."""
        name = self.holiday_name(d)
        if name is not None:
            return f"法定休假日（{name}）"
        if self.is_rest_day(d):
            return f"休息日（{weekday_name(d)}）"
        return None

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        cur = d
        for _ in range(MAX_REST_RUN * 3):
            cur += timedelta(days=1)
            if self.is_working_day(cur):
                return cur
        raise KnownError(f"{d.isoformat()} 之后长期没有工作日，节假日表有误，请管理员核对节假日设置")

    def with_extra(self, extra: Mapping | None) -> HolidayTable:
        """A new table with the administrator's extra years merged in (extra wins over built-in)."""
        merged = dict(self.years)
        for sched in parse_extra_years(extra):
            merged[sched.year] = sched
        return HolidayTable(merged)


# ---------------------------------------------------------------------------------------------------------
# Validation shared by the shipped files and the administrator's data


def _to_date(value: object, year: int, errors: list[ValidationError]) -> date | None:
    if isinstance(value, date) and not hasattr(value, "hour"):
        d = value
    elif isinstance(value, str):
        try:
            d = date.fromisoformat(value.strip())
        except ValueError:
            errors.append(ValidationError(FIELD, f"“{_quote(str(value))}”不是有效日期（格式应为 YYYY-MM-DD）"))
            return None
    else:
        errors.append(ValidationError(FIELD, f"“{_quote(str(value))}”不是有效日期（格式应为 YYYY-MM-DD）"))
        return None
    if d.year != year:
        errors.append(ValidationError(FIELD, f"{d.isoformat()} 不在 {year} 年内"))
        return None
    return d


def _items(raw: object, year: int, what: str, default_name: str, errors: list[ValidationError]):
    """Accepts a list of dates (date or "YYYY-MM-DD") or of {"date": ..., "name": ...}."""
    if raw is None:
        return {}
    if not isinstance(raw, list | tuple):
        errors.append(ValidationError(FIELD, f"{year} 年的{what}应为日期列表"))
        return {}
    out: dict[date, str] = {}
    for item in raw:
        name = default_name
        if isinstance(item, Mapping):
            name = str(item.get("name") or default_name).strip() or default_name
            item = item.get("date")
        d = _to_date(item, year, errors)
        if d is not None:
            out[d] = name
    return out


def _build_year(year: int, holidays: dict, workdays: dict, source: str, errors: list[ValidationError]):
    before = len(errors)
    for d in sorted(set(holidays) & set(workdays)):
        errors.append(ValidationError(FIELD, f"{d.isoformat()} 同时被列为节假日和调休工作日"))
    for d in sorted(workdays):
        if d.weekday() < 5:
            errors.append(
                ValidationError(
                    FIELD,
                    f"调休工作日 {d.isoformat()} 是{weekday_name(d)}，本来就是工作日；"
                    "调休工作日只能是星期六或星期日",
                )
            )
    if not holidays:
        errors.append(ValidationError(FIELD, f"{year} 年没有列出任何节假日"))
    if len(errors) > before:
        return None
    sched = YearSchedule(year, dict(sorted(holidays.items())), dict(sorted(workdays.items())), source)
    run, d = 0, date(year, 1, 1)
    probe = HolidayTable({year: sched})
    while d.year == year:
        run = run + 1 if probe.is_rest_day(d) else 0
        if run > MAX_REST_RUN:
            errors.append(ValidationError(FIELD, f"{year} 年有连续超过 {MAX_REST_RUN} 天的休息日，请核对"))
            return None
        d += timedelta(days=1)
    return sched


def _year_key(key: object, errors: list[ValidationError]) -> int | None:
    try:
        year = int(str(key).strip())
    except ValueError:
        year = None
    if year is None or not MIN_YEAR <= year <= MAX_YEAR:
        errors.append(ValidationError(FIELD, f"年份“{_quote(str(key))}”无效，应为 {MIN_YEAR}–{MAX_YEAR} 之间的年份"))
        return None
    return year


def parse_extra_years(extra: Mapping | None) -> list[YearSchedule]:
    """Validate the ``holidays.extra`` setting: ``{year: {"holidays": [dates], "workdays": [dates]}}``.

    Years may be ints or strings (JSON keys), dates ``date`` objects or ``"YYYY-MM-DD"``, and each date
    may instead be ``{"date": ..., "name": "春节"}``. Pure; raises :class:`ValidationErrors` listing
    every problem (in Chinese), e.g. a date that is both a holiday and a 调休 working day.
    """
    if not extra:
        return []
    errors: list[ValidationError] = []
    if not isinstance(extra, Mapping):
        raise ValidationErrors([ValidationError(FIELD, "应为“年份 → 节假日/调休工作日”的对照表")])
    out = []
    for key, body in extra.items():
        year = _year_key(key, errors)
        if year is None:
            continue
        if not isinstance(body, Mapping) or set(body) - {"holidays", "workdays", "source"}:
            errors.append(
                ValidationError(FIELD, f"{year} 年的数据只能包含 holidays（节假日）和 workdays（调休工作日）")
            )
            continue
        hol = _items(body.get("holidays"), year, "节假日", "法定节假日", errors)
        work = _items(body.get("workdays"), year, "调休工作日", "调休", errors)
        source = str(body.get("source") or "管理员录入")
        sched = _build_year(year, hol, work, source, errors)
        if sched is not None:
            out.append(sched)
    if errors:
        raise ValidationErrors(errors)
    return out


def extra_years_to_setting(years: Iterable[YearSchedule]) -> dict[str, dict]:
    """The JSON-ready form of :func:`parse_extra_years`'s input (round-trips through it)."""
    return {
        str(s.year): {
            "holidays": [{"date": d.isoformat(), "name": n} for d, n in s.holidays.items()],
            "workdays": [{"date": d.isoformat(), "name": n} for d, n in s.workdays.items()],
            "source": s.source,
        }
        for s in sorted(years, key=lambda s: s.year)
    }


# ---------------------------------------------------------------------------------------------------------
# Shipped files (resources/holidays/cn-YYYY.toml)


def parse_year_toml(text: str) -> YearSchedule:
    """Parse one shipped year file; the same validation as the administrator's data applies."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise KnownError(f"节假日数据文件格式错误：{exc}") from exc
    errors: list[ValidationError] = []
    year = _year_key(data.get("year"), errors)
    if year is None:
        raise ValidationErrors(errors)

    def groups(key: str, default: str) -> list[dict]:
        try:
            return [
                {"date": d, "name": g.get("name", default)} for g in data.get(key, []) for d in g["dates"]
            ]
        except (KeyError, TypeError, AttributeError):
            raise KnownError(
                f"节假日数据文件（{year} 年）的 {key} 格式错误：每组应有 name 和 dates"
            ) from None

    hol = _items(groups("holidays", "法定节假日"), year, "节假日", "法定节假日", errors)
    work = _items(groups("workdays", "调休"), year, "调休工作日", "调休", errors)
    sched = _build_year(year, hol, work, str(data.get("source", "")), errors)
    if errors or sched is None:
        raise ValidationErrors(errors)
    return sched


@lru_cache(maxsize=1)
def builtin_table() -> HolidayTable:
    """The years shipped in resources/holidays/ (cached; the files are read once)."""
    folder = resources.files("baihe_desk.resources").joinpath("holidays")
    years: dict[int, YearSchedule] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.startswith("cn-") and entry.name.endswith(".toml"):
            sched = parse_year_toml(entry.read_text("utf-8"))
            years[sched.year] = sched
    return HolidayTable(years)


def table_with_extra(extra: Mapping | None) -> HolidayTable:
    """Built-in years plus the administrator's ``holidays.extra`` setting value (pure, validated)."""
    return builtin_table().with_extra(extra)


def covered_years(table: HolidayTable | None = None) -> list[int]:
    return (table or builtin_table()).covered_years()


# ---------------------------------------------------------------------------------------------------------
# Generator for the shipped files (maintenance only; needs the chinesecalendar package)


def _groups_toml(key: str, mapping: Mapping) -> list[str]:
    by_name: dict[str, list[date]] = {}
    for d, name in sorted(mapping.items()):
        by_name.setdefault(_CN_NAMES.get(name, name), []).append(d)
    lines = []
    for name, dates in by_name.items():
        lines += [
            "",
            f"[[{key}]]",
            f'name = "{name}"',
            f"dates = [{', '.join(d.isoformat() for d in dates)}]",
        ]
    return lines


def generate_year_toml(year: int) -> str:
    """The TOML text of one year from chinesecalendar (review it before shipping)."""
    from importlib.metadata import version

    from chinese_calendar import constants  # maintenance-only dependency

    hol = {d: n for d, n in constants.holidays.items() if d.year == year}
    work = {d: n for d, n in constants.workdays.items() if d.year == year}
    if not hol:
        raise KnownError(f"chinesecalendar 没有 {year} 年的数据")
    source = f"国务院办公厅关于{year}年部分节假日安排的通知（由 chinesecalendar {version('chinesecalendar')} 生成）"
    lines = [
        f"# {year} 年节假日与调休安排，用于计算期间（民事诉讼法第八十五条）。",
        "# holidays：放假日期（含放假期间的周末）；workdays：调休上班的星期六、星期日。",
        f"year = {year}",
        f'source = "{source}"',
    ]
    lines += _groups_toml("holidays", hol) + _groups_toml("workdays", work)
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # python -m baihe_desk.services.deadlines.holidays 2026 > resources/holidays/cn-2026.toml
    sys.stdout.write(generate_year_toml(int(sys.argv[1])))
