"""期间 worked by hand — the cases mutation testing (tools/mutation.py) found unchecked: every statutory period
with its label, basis and a date counted from the 2026 State Council schedule; the year rule; the command
text; the exact refusal messages; and that a caller's holiday table is really used.

Rest days (resources/holidays/cn-2026.toml): 春节 02-15..23 with Saturday 02-28 worked; 国庆 10-01..07.
"""

from __future__ import annotations

from datetime import date

import pytest

from baihe_desk.errors import ValidationError
from baihe_desk.services.deadlines import periods
from baihe_desk.services.deadlines.holidays import HolidayTable

D = date.fromisoformat
NO_HOLIDAYS = HolidayTable(infer=False)  # a table that knows no year and infers none: only weekends rest


@pytest.mark.parametrize("key,start,due,label,article", [
    # served Wed 09-23: + 15 = 10-08 (国庆 ends 10-07)
    ("appeal_judgment", "2026-09-23", "2026-10-08", "对第一审判决提起上诉", "第一百七十一条第一款"),
    # 09-28 + 10 = 10-08
    ("appeal_ruling", "2026-09-28", "2026-10-08", "对第一审裁定提起上诉", "第一百七十一条第二款"),
    # Mon 11-16 + 7 = Mon 11-23
    ("filing_decision", "2026-11-16", "2026-11-23", "立案或者裁定不予受理", "第一百二十六条"),
    # 11-02 + 15 = Tue 11-17
    ("answer", "2026-11-02", "2026-11-17", "被告提出答辩状", "第一百二十八条第一款"),
    # 02-10 + 7 = 02-17 (春节) → Tue 02-24
    ("fee_payment", "2026-02-10", "2026-02-24", "交纳案件受理费", "第二十二条第一款"),
    # 2024-02-29 + 2 years: no 02-29 in 2026 → 02-28, a Saturday worked for 春节 (调休): due that day
    ("enforcement_application", "2024-02-29", "2026-02-28", "申请执行", "第二百五十条"),
])
def test_every_statutory_period(key, start, due, label, article):
    d = periods.statutory_deadline(key, D(start))
    assert (d.due, d.label) == (D(due), label)
    assert any(article in b for b in d.basis)
    if key == "enforcement_application":
        assert (d.count, d.unit) == (2, "年")
        assert any("中止、中断" in w for w in d.warnings + d.steps)


def test_a_statutory_period_uses_the_table_it_is_given():
    # without 春节 in the table, 02-10 + 7 = Tuesday 02-17 stands
    assert periods.statutory_deadline("fee_payment", D("2026-02-10"), table=NO_HOLIDAYS).due == D("2026-02-17")
    assert periods.statutory_deadline("enforcement_application", D("2024-02-20"), table=NO_HOLIDAYS).due == \
        D("2026-02-20")  # Friday
    # with the shipped table 2026-02-20 is 春节: the first working day after it is Tuesday 02-24
    assert periods.statutory_deadline("enforcement_application", D("2024-02-20")).due == D("2026-02-24")


def test_an_unknown_period_is_named():
    with pytest.raises(ValidationError) as info:
        periods.statutory_deadline("appeal", D("2026-09-23"))
    assert info.value.field == "期间类型" and info.value.message == "期间类型：未知的期间类型“appeal”"


def test_years():
    assert periods.add_years(D("2024-02-29"), 1).due == D("2025-02-28")  # Friday
    d = periods.add_years(D("2025-02-15"), 1, label="测试期间", basis="测试依据")
    assert d.due == D("2026-02-24") and d.label == "测试期间" and "测试依据" in d.basis  # 02-15 is 春节
    assert periods.add_years(D("2025-02-15"), 1, table=NO_HOLIDAYS).due == D("2026-02-16")  # Sunday → Monday
    assert periods.add_years(D("2000-01-03"), 100).due.year == 2100  # the longest period allowed
    with pytest.raises(ValidationError) as info:
        periods.add_years(D("2000-01-03"), 101)
    assert info.value.field == "期间年数" and "1 至 100 之间的整数" in info.value.message


def test_period_end_gives_the_due_day_and_the_warnings():
    assert periods.period_end(D("2026-09-30"), 7) == (D("2026-10-08"), [])
    # 01-29 + 7 = 02-05, 除夕 of 2027's 春节 as the 放假办法 infers it (02-05..02-08, 补假 02-09 and 02-10 for
    # the Saturday and Sunday): the first working day is Thursday 02-11; the warning says 2027 is inferred
    due, warnings = periods.period_end(D("2027-01-29"), 7)
    assert due == D("2027-02-11") and len(warnings) == 1 and "2027" in warnings[0]


@pytest.mark.parametrize("text", ["2026-09-21", "2026/9/21", "2026年9月21日", " 2026 - 09 - 21 "])
def test_parse_date_accepts_the_ways_dates_are_written(text):
    assert periods.parse_date(text) == D("2026-09-21")


@pytest.mark.parametrize("text,shown", [("abc", "abc"), ("", ""), (None, ""), ("2026-02-30", "2026-02-30")])
def test_parse_date_refusal_names_the_field_and_quotes_the_input(text, shown):
    with pytest.raises(ValidationError) as info:
        periods.parse_date(text, "送达日")
    assert info.value.field == "送达日"
    assert info.value.message == f"送达日：“{shown}”不是有效日期（格式应为 YYYY-MM-DD）"


def test_the_deadline_command_text():
    lines = periods.deadline_text("2026-09-30", days="7").splitlines()
    assert lines[0] == "期间：7 日，起算日 2026-09-30" and lines[-1] == "due: 2026-10-08"
    assert periods.deadline_text(D("2026-01-31"), months=1).splitlines()[-1] == "due: 2026-02-28"  # worked Sat
    assert periods.deadline_text("2026-09-30", working_days=1).splitlines()[-1] == "due: 2026-10-08"
    assert periods.deadline_text("2026-02-10", days=7, table=NO_HOLIDAYS).splitlines()[-1] == "due: 2026-02-17"
    for kw in ({}, {"days": 7, "months": 1}):
        with pytest.raises(ValidationError) as info:
            periods.deadline_text("2026-09-30", **kw)
        assert info.value.message == "期间：天数、月数、工作日数应指定且只指定一项"
    with pytest.raises(ValidationError, match="起算日"):
        periods.deadline_text("明天", days=7)


def test_working_days_across_guoqing_counted_and_explained():
    """5 working days after Wed 2026-09-30: 国庆 10-01..07 not counted; Thu 10-08 (1), Fri 10-09 (2), Sat 10-10
    worked for 国庆 (3), Sun 10-11 rests, Mon 10-12 (4), Tue 10-13 (5)."""
    d = periods.add_working_days(D("2026-09-30"), 5, label="回复期限", basis="本院工作规范")
    assert (d.due, d.label, d.count, d.unit) == (D("2026-10-13"), "回复期限", 5, "个工作日")
    assert d.steps[:5] == ("起算日 2026-09-30 不计入，自次日起只计工作日",
                           "期间内的法定节假日不计入：国庆节（2026-10-01 至 2026-10-07）",
                           "期间内 1 个星期六、星期日休息日不计入",
                           "调休上班日计为工作日：2026-10-10（星期六，国庆节调休）",
                           "第 5 个工作日为 2026-10-13（星期二）")
    assert d.basis[0] == "本院工作规范" and "只计工作日" in d.basis[1]
    assert periods.add_working_days(D("2026-09-30"), 5, table=NO_HOLIDAYS).due == D("2026-10-07")
    with pytest.raises(ValidationError) as info:
        periods.add_working_days(D("2026-09-30"), 10_001)
    assert info.value.field == "工作日数"


# -- months, the edges of the calendar, and the table a caller gives (mutation survivors, round 2) ---------------

def test_one_month_from_01_31_ends_on_the_worked_saturday_02_28():
    """民法典第二百零二条: February has no 31st, so its last day; 2026-02-28 is a Saturday worked for 春节 (调休)."""
    d = periods.add_months(D("2026-01-31"), 1, label="测试期间", basis="测试依据")
    assert (d.label, d.count, d.unit, d.nominal, d.due) == ("测试期间", 1, "个月", D("2026-02-28"), D("2026-02-28"))
    assert d.steps == (
        "起算日 2026-01-31 不计入（民事诉讼法第八十五条第二款），自 2026-02-01 起算",
        "期间 1 个月，到期月为 2026 年 2 月，该月没有对应日（31 日），以月末日 2026-02-28（星期六）为期间的最后一日"
        "（民法典第二百零二条）",
        "期间届满日 2026-02-28 虽为星期六，但为调休上班日（春节调休），是工作日，不顺延",
        "到期日：2026-02-28（星期六）",
    )
    assert d.basis[0] == "测试依据"
    # the caller's table is used: without the 2026 schedule the Saturday rests and the period ends on Monday
    plain = periods.add_months(D("2026-01-31"), 1, table=NO_HOLIDAYS)
    assert plain.due == D("2026-03-02") and None not in plain.basis


def test_the_28th_has_a_corresponding_day_in_february():
    d = periods.add_months(D("2026-01-28"), 1)
    assert d.steps[1] == ("期间 1 个月，到期月为 2026 年 2 月，对应日 2026-02-28（星期六）为期间的最后一日"
                          "（民法典第二百零二条）")


def test_the_last_computable_months_and_the_first_that_is_not():
    # 9999-06-15 + 6 个月 = 9999-12-15, a Wednesday: still computable
    assert periods.add_months(D("9999-06-15"), 6, table=NO_HOLIDAYS).due == D("9999-12-15")
    with pytest.raises(ValidationError) as e:
        periods.add_months(D("9999-12-15"), 1)  # would be in the year 10000
    assert (e.value.field, e.value.message) == ("期间月数", "期间月数：自 9999-12-15 起的期间超出可计算的日期范围")
    with pytest.raises(ValidationError) as e:
        periods.add_days(D("9999-12-30"), 5)
    assert (e.value.field, e.value.message) == ("期间天数", "期间天数：自 9999-12-30 起的期间超出可计算的日期范围")


@pytest.mark.parametrize("call,field,limit", [(periods.add_days, "期间天数", 36600),
                                              (periods.add_months, "期间月数", 1200)])
def test_a_count_of_zero_is_refused_naming_the_field(call, field, limit):
    with pytest.raises(ValidationError) as e:
        call(D("2026-11-02"), 0)
    assert (e.value.field, e.value.message) == (field, f"{field}：应为 1 至 {limit} 之间的整数，收到“0”")


def test_a_single_holiday_in_a_working_day_count_is_named_with_its_day():
    # start Tue 10-06 (国庆); 10-07 is the last day of 国庆; Thu 10-08 is the first working day
    d = periods.add_working_days(D("2026-10-06"), 1)
    assert d.steps == ("起算日 2026-10-06 不计入，自次日起只计工作日", "期间内的法定节假日不计入：国庆节（2026-10-07）",
                       "第 1 个工作日为 2026-10-08（星期四）", "到期日：2026-10-08（星期四）")


def test_working_days_between_the_same_day_and_backwards_with_the_callers_table():
    assert periods.working_days_between(D("2026-10-09"), D("2026-10-09")) == 0
    # 10-01..10-09 backwards: weekends only → Thu 1, Fri 2, Mon 5 … Fri 9 = 7 working days; with 国庆: 08, 09 = 2
    assert periods.working_days_between(D("2026-10-09"), D("2026-09-30"), table=NO_HOLIDAYS) == -7
    assert periods.working_days_between(D("2026-10-09"), D("2026-09-30")) == -2


def test_a_statutory_period_in_months(monkeypatch):
    """No shipped period is in months yet; 简易程序 审限 three months (民事诉讼法第一百六十四条) would be."""
    from baihe_desk.services.deadlines.period_law import StatutoryPeriod

    monkeypatch.setitem(periods.STATUTORY_PERIODS, "simple_trial", StatutoryPeriod(
        "简易程序审理期限", 3, "months", "民事诉讼法第一百六十四条：应当在立案之日起三个月内审结"))
    d = periods.statutory_deadline("simple_trial", D("2026-11-16"))  # + 3 个月 = Tue 2027-02-16
    assert (d.count, d.unit, d.nominal, d.label) == (3, "个月", D("2027-02-16"), "简易程序审理期限")


def test_working_days_across_zhongqiu_and_guoqing_with_both_worked_weekend_days():
    # from Sat 09-19: Sun 09-20 worked (1), 09-21..24 (2–5), 中秋 09-25..27, 09-28..30 (6–8), 国庆 10-01..07,
    # 10-08, 10-09 (9, 10), Sat 10-10 worked (11)
    d = periods.add_working_days(D("2026-09-19"), 11)
    assert d.steps == (
        "起算日 2026-09-19 不计入，自次日起只计工作日",
        "期间内的法定节假日不计入：中秋节（2026-09-25 至 2026-09-27）、国庆节（2026-10-01 至 2026-10-07）",
        "调休上班日计为工作日：2026-09-20（星期日，国庆节调休）、2026-10-10（星期六，国庆节调休）",
        "第 11 个工作日为 2026-10-10（星期六）",
        "到期日：2026-10-10（星期六）",
    )
    assert None not in d.basis


def test_plain_weekends_in_a_working_day_count_are_counted():
    # Fri 11-06: Sat 07 and Sun 08 rest; Mon 09 … Fri 13 are the five working days
    d = periods.add_working_days(D("2026-11-06"), 5)
    assert d.steps[1:3] == ("期间内 2 个星期六、星期日休息日不计入", "第 5 个工作日为 2026-11-13（星期五）")
    with pytest.raises(ValidationError) as e:
        periods.add_working_days(D("9999-12-30"), 5)
    assert (e.value.field, e.value.message) == ("工作日数", "工作日数：自 9999-12-30 起的期间超出可计算的日期范围")


def test_two_years_without_a_table_and_two_inferred_years_are_listed_together():
    d = periods.add_days(D("2026-12-20"), 30, table=NO_HOLIDAYS)  # → Tue 2027-01-19
    assert (d.due, d.warnings) == (D("2027-01-19"), ("2026、2027 年的节假日与调休安排尚未录入，到期日按普通周末计算，请人工核对",))
    inferred = periods.add_days(D("2027-12-20"), 30)  # 2027 and 2028: no State Council notice shipped
    assert ("2027、2028 年按放假办法推算，待国务院通知：法定节假日及补假已计入，调休上班日尚不能确定；"
            "国务院通知发布后请管理员录入并核对") in inferred.warnings


def test_the_printed_deadline_numbers_its_steps_from_one_under_its_label():
    lines = periods.format_deadline(periods.add_working_days(D("2026-10-06"), 1, label="测试期间")).split("\n")
    assert lines[:3] == ["测试期间：1 个工作日，起算日 2026-10-06", "  1. 起算日 2026-10-06 不计入，自次日起只计工作日",
                         "  2. 期间内的法定节假日不计入：国庆节（2026-10-07）"]
    assert "依据：" in lines and lines[-1] == "due: 2026-10-08"
    assert periods.format_deadline(periods.add_days(D("2026-11-02"), 15)).startswith("期间：15 日，起算日 2026-11-02")


def test_a_period_ending_on_a_weekend_and_one_ending_on_a_working_day():
    # Mon 11-02 + 5 = Sat 11-07 → Mon 11-09, Saturday and Sunday named; + 6 = Sun 11-08 → Mon 11-09, one day
    sat = periods.add_days(D("2026-11-02"), 5)
    assert sat.steps[2:] == (
        "期间届满日 2026-11-07 为休息日（星期六），顺延至休假日后的第一个工作日 2026-11-09（第八十五条第三款）",
        "2026-11-07 至 2026-11-08 均为休息日", "到期日：2026-11-09（星期一）")
    sun = periods.add_days(D("2026-11-02"), 6)
    assert sun.steps[2:] == (
        "期间届满日 2026-11-08 为休息日（星期日），顺延至休假日后的第一个工作日 2026-11-09（第八十五条第三款）",
        "到期日：2026-11-09（星期一）")
    tue = periods.add_days(D("2026-11-02"), 15)
    assert tue.steps[2:] == ("期间届满日 2026-11-17（星期二）为工作日，不顺延", "到期日：2026-11-17（星期二）")
    # the last-day rule (art. 85(3)) is cited for calendar periods, not for a count of working days
    assert any("第八十五条第三款" in b for b in tue.basis)
    assert not any("第八十五条第三款" in b for b in periods.add_working_days(D("2026-11-02"), 5).basis)


def test_each_year_of_the_window_names_its_holiday_source():
    d = periods.add_days(D("2026-12-20"), 30)  # 2026 shipped, 2027 inferred
    assert [b for b in d.basis if "年节假日与调休：" in b] == [
        "2026 年节假日与调休：国务院办公厅关于2026年部分节假日安排的通知（由 chinesecalendar 1.11.0 生成）",
        "2027 年节假日与调休：按放假办法推算，待国务院通知（《全国年节及纪念日放假办法》第二条；调休上班日未知）"]
    within = periods.add_days(D("2026-11-02"), 15)
    assert [b for b in within.basis if "年节假日与调休：" in b] == [
        "2026 年节假日与调休：国务院办公厅关于2026年部分节假日安排的通知（由 chinesecalendar 1.11.0 生成）"]
    plain = periods.add_days(D("2026-12-20"), 30, table=NO_HOLIDAYS)
    assert [b for b in plain.basis if "年节假日与调休：" in b] == []


def test_a_start_that_is_not_a_date_is_refused_naming_the_field():
    with pytest.raises(ValidationError) as e:
        periods.add_days("2026-11-02", 5)  # type: ignore[arg-type]
    assert (e.value.field, e.value.message) == ("起算日", "起算日：应为日期")
