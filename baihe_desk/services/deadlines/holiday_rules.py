"""按放假办法推算的节假日 — a year's statutory holidays inferred from 《全国年节及纪念日放假办法》 (2024).

Used for a year whose State Council 调休 notice is not (yet) in the table, e.g. 2027 before the notice is
published: the holidays themselves are certain, only the 调休 working weekends are not. Such a year is
marked ``INFERRED_SOURCE`` ("按放假办法推算，待国务院通知") wherever the desk names a year's source, and an
administrator's published table for the year always replaces it (:mod:`services.deadlines.holidays`).

The rules (国务院令第798号, in force 2025-01-01; shared/law/holidays-measures-2024.md), 第二条 全体公民放假的节日:

- 元旦 1 day (1 月 1 日); 春节 4 days (农历除夕、正月初一至初三); 清明节 1 day (农历清明当日);
  劳动节 2 days (5 月 1 日、2 日); 端午节 1 day (农历五月初五); 中秋节 1 day (农历八月十五);
  国庆节 3 days (10 月 1 日至 3 日).
- 补假: "全体公民放假的假日，如果适逢星期六、星期日，应当在工作日补假". The text fixes that a working day is
  given, not which one; the desk takes, for each such weekend holiday in date order, the first day after it
  that is Monday–Friday and neither a holiday nor already a 补假 day (so 国庆 Sat–Mon gives 补假 on Tuesday
  and Wednesday). This is how the State Council's notices have placed 补假 under these rules (2025, 2026
  checked against the chinesecalendar tables by tests); the real notice may still move it, hence the mark.
- 调休 working weekends cannot be inferred: none are listed, so such a weekend stays a rest day.

The lunar dates (除夕 = the day before 正月初一, 端午, 中秋) and the solar term 清明 come from ``lunar-python``
(6tail, MIT, pure Python, no data files): a maintained calendar library giving both the lunisolar calendar
and the 24 solar terms, so the desk does not carry astronomy of its own. Only years from 2025 (the first year
of the 2024 rules) are inferred; earlier years followed other rules and must come from a published table.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

__all__ = ["FIRST_RULE_YEAR", "INFERRED_SOURCE", "LAST_RULE_YEAR", "can_infer", "statutory_days", "inferred_days"]

INFERRED_SOURCE = "按放假办法推算，待国务院通知（《全国年节及纪念日放假办法》第二条；调休上班日未知）"
FIRST_RULE_YEAR = 2025  # 国务院令第798号 takes effect 2025-01-01
LAST_RULE_YEAR = 2100  # the desk's MAX_YEAR
MAKE_UP_SUFFIX = "补假"


def can_infer(year: int) -> bool:
    return FIRST_RULE_YEAR <= year <= LAST_RULE_YEAR


def _lunar_to_solar(year: int, month: int, day: int) -> date:
    from lunar_python import Lunar  # lazy: only needed for a year without a published table

    s = Lunar.fromYmd(year, month, day).getSolar()
    return date(s.getYear(), s.getMonth(), s.getDay())


def _qingming(year: int) -> date:
    from lunar_python import Solar

    # The 节气 table of the lunar year that contains 10 April holds that Gregorian year's 清明 (4–6 April).
    s = Solar.fromYmd(year, 4, 10).getLunar().getJieQiTable()["清明"]
    return date(s.getYear(), s.getMonth(), s.getDay())


def statutory_days(year: int) -> dict[date, str]:
    """第二条's holidays of ``year``, without 补假: {date: festival name as the State Council writes it}."""
    if not can_infer(year):
        raise ValueError(f"{year} is outside the years of the 2024 rules")
    new_year = _lunar_to_solar(year, 1, 1)  # 正月初一 of the lunar year that begins in this Gregorian year
    days: dict[date, str] = {date(year, 1, 1): "元旦"}
    for i in range(-1, 3):  # 除夕 (the eve, whatever the length of the twelfth month) to 初三
        days[new_year + timedelta(days=i)] = "春节"
    days[_qingming(year)] = "清明节"
    days[date(year, 5, 1)] = days[date(year, 5, 2)] = "劳动节"
    days[_lunar_to_solar(year, 5, 5)] = "端午节"
    for d in (1, 2, 3):
        days[date(year, 10, d)] = "国庆节"
    mid_autumn = _lunar_to_solar(year, 8, 15)
    # 中秋 on 10-01..10-03 (e.g. 2028-10-03) is one day off, not two: the rules give no extra day for that.
    days[mid_autumn] = "国庆节、中秋节" if mid_autumn in days else "中秋节"
    return dict(sorted(days.items()))


@lru_cache(maxsize=128)
def _inferred(year: int) -> tuple[tuple[date, str], ...]:
    days = statutory_days(year)
    out = dict(days)
    for d, name in days.items():
        if d.weekday() < 5:
            continue
        cur = d
        while True:
            cur += timedelta(days=1)
            if cur.weekday() < 5 and cur not in out:
                out[cur] = f"{name}{MAKE_UP_SUFFIX}"
                break
    return tuple(sorted(out.items()))


def inferred_days(year: int) -> dict[date, str]:
    """Statutory holidays plus 补假 days of ``year`` (e.g. 2027-05-03 "劳动节补假"); cached per year."""
    return dict(_inferred(year))
