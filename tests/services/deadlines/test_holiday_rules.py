"""A year without a published 调休 notice is pre-filled from 《全国年节及纪念日放假办法》 (2024) art. 2.

Oracles, none of them the code under test:
- the chinesecalendar package (a test dependency): the State Council's published 2025 and 2026 schedules —
  every holiday the rules give (with 补假) must be a rest day there under the same festival; and its own
  solar-term formula for 清明 in every year the rules cover;
- hand-written lunar dates for 2027–2030 taken from the Chinese lunisolar table of the `holidays` project
  (vacanza/holidays, holidays/calendars/chinese.py: LUNAR_NEW_YEAR / DRAGON_BOAT / MID_AUTUMN), e.g.
  正月初一 2027 = 2027-02-06 (new moon 2027-02-06 15:56 UTC = 23:56 Beijing time), so 除夕 = 2027-02-05;
- DOMAIN.md §13's worked example: served 2026-12-17, 15 days → 2027-01-04, not 2027-01-01 (元旦).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from baihe_desk.services.deadlines import holiday_rules
from baihe_desk.services.deadlines.holidays import builtin_table, table_with_extra
from baihe_desk.services.deadlines.periods import add_days, add_working_days, format_deadline

D = date.fromisoformat
MARK = "按放假办法推算，待国务院通知"

# (正月初一, 端午, 中秋) from vacanza/holidays' Chinese lunisolar table.
LUNAR_TABLE = {
    2027: ("2027-02-06", "2027-06-09", "2027-09-15"),
    2028: ("2028-01-26", "2028-05-28", "2028-10-03"),
    2029: ("2029-02-13", "2029-06-16", "2029-09-22"),
    2030: ("2030-02-03", "2030-06-05", "2030-09-12"),
}

CC_NAMES = {"New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节",
            "Labour Day": "劳动节", "Dragon Boat Festival": "端午节", "Mid-autumn Festival": "中秋节",
            "National Day": "国庆节"}


@pytest.mark.parametrize("year", [2025, 2026])
def test_rules_agree_with_the_published_schedules(year):
    import chinese_calendar as cc

    inferred = holiday_rules.inferred_days(year)
    assert len([n for n in inferred.values() if not n.endswith("补假")]) == 13  # 1+4+1+2+1+1+3 days
    for d, name in inferred.items():
        on_holiday, cc_name = cc.get_holiday_detail(d)
        assert on_holiday, d
        assert CC_NAMES[cc_name] == name.removesuffix("补假"), (d, name, cc_name)


def test_qingming_is_the_solar_term_in_every_year_of_the_rules():
    import chinese_calendar as cc

    for year in range(holiday_rules.FIRST_RULE_YEAR, 2100):
        terms = {name: d for d, name in cc.get_solar_terms(D(f"{year}-04-01"), D(f"{year}-04-30"))}
        assert holiday_rules.statutory_days(year)[terms["清明"]] == "清明节", year


@pytest.mark.parametrize("year", sorted(LUNAR_TABLE))
def test_lunar_festivals_match_an_independent_table(year):
    new_year, dragon, mid_autumn = (D(x) for x in LUNAR_TABLE[year])
    days = holiday_rules.statutory_days(year)
    spring = sorted(d for d, n in days.items() if n == "春节")
    assert spring == [new_year + timedelta(days=i) for i in (-1, 0, 1, 2)]  # 除夕 is the day before 初一
    assert days[dragon] == "端午节"
    assert "中秋节" in days[mid_autumn]


def test_2027_by_hand():
    t = builtin_table()
    assert not t.is_covered(2027) and t.is_inferred(2027)
    assert MARK in t.source(2027)
    days = holiday_rules.inferred_days(2027)
    assert sorted(d for d, n in days.items() if n.startswith("春节")) == [
        D("2027-02-05"), D("2027-02-06"), D("2027-02-07"), D("2027-02-08"),  # 除夕 Fri … 初三 Mon
        D("2027-02-09"), D("2027-02-10"),  # 补假 for 初一 (Sat) and 初二 (Sun)
    ]
    # 劳动节 Sat 05-01 and Sun 05-02 → 补假 Mon 05-03 and Tue 05-04.
    assert t.rest_reason(D("2027-05-03")) == "法定休假日（劳动节补假）"
    assert t.is_working_day(D("2027-05-05"))
    # 国庆 Fri–Sun → 补假 Mon 10-04 and Tue 10-05 for the weekend days.
    assert [t.is_rest_day(D(f"2027-10-0{i}")) for i in range(1, 7)] == [True] * 5 + [False]
    assert t.holiday_name(D("2027-04-05")) == "清明节" and t.holiday_name(D("2027-06-09")) == "端午节"
    assert t.holiday_name(D("2027-09-15")) == "中秋节"
    assert t.workday_name(D("2027-02-14")) is None  # 调休 working weekends are unknown until the notice


def test_mid_autumn_on_national_day_is_one_day_not_two():
    # 2028: 中秋 on Tuesday 10-03, inside 国庆; 10-01 (Sun) → 补假 10-04 only.
    days = holiday_rules.inferred_days(2028)
    assert days[D("2028-10-03")] == "国庆节、中秋节"
    assert [d for d in days if d.month == 10] == [D("2028-10-01"), D("2028-10-02"), D("2028-10-03"), D("2028-10-04")]


def test_issue_example_served_2026_12_17():
    dl = add_days(D("2026-12-17"), 15)
    assert dl.nominal == D("2027-01-01")
    assert dl.due == D("2027-01-04")  # 元旦 Fri, then Sat and Sun
    assert any(MARK in w and "调休上班日" in w for w in dl.warnings)
    assert any(w.startswith("2027 年节假日与调休：" + MARK) for w in dl.basis)
    assert "2027-01-01 为法定休假日（元旦）" in format_deadline(dl)


def test_working_days_skip_inferred_spring_festival():
    # From Thursday 2027-02-04: Fri 02-05 … Wed 02-10 are rest days, so the 2nd working day is Fri 02-12.
    assert add_working_days(D("2027-02-04"), 2).due == D("2027-02-12")


def test_published_table_overrides_the_inference():
    extra = {"2027": {"holidays": ["2027-01-01", "2027-01-02", "2027-01-03"],
                      "workdays": [{"date": "2027-02-20", "name": "春节"}], "source": "国务院办公厅通知"}}
    t = table_with_extra(extra)
    assert t.is_covered(2027) and not t.is_inferred(2027)
    assert t.source(2027) == "国务院办公厅通知"
    assert t.is_working_day(D("2027-02-05"))  # the published table is taken as it is
    assert t.is_working_day(D("2027-02-20"))
    dl = add_days(D("2026-12-17"), 15, table=t)
    assert dl.due == D("2027-01-04") and not any(MARK in w for w in dl.warnings)


def test_years_before_the_2024_rules_are_not_inferred():
    t = table_with_extra(None)
    assert t.schedule(2003) is None and t.uncovered_years(D("2003-01-01"), D("2003-12-31")) == [2003]
    assert not holiday_rules.can_infer(2024) and holiday_rules.can_infer(2025)
