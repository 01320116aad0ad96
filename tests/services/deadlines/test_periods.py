"""期间计算 (baihe_desk.services.deadlines.periods) and the holiday table (baihe_desk.services.deadlines.holidays).

The 2026 schedule is checked against DOMAIN.md §13, the shipped files against the chinesecalendar package,
and the calculator against CPL art. 85 / 民法典 art. 202 with worked examples and hypothesis properties.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baihe_desk.errors import ValidationError, ValidationErrors
from baihe_desk.services.deadlines.holidays import (
    builtin_table,
    covered_years,
    extra_years_to_setting,
    parse_extra_years,
    parse_year_toml,
    table_with_extra,
)
from baihe_desk.services.deadlines.periods import (
    add_days,
    add_months,
    add_working_days,
    add_years,
    days_left,
    deadline_text,
    format_deadline,
    parse_date,
    statutory_deadline,
    working_days_between,
)

FAST = settings(max_examples=300, deadline=None)
D = date.fromisoformat
INFERRED_2027 = ("2027 年按放假办法推算，待国务院通知：法定节假日及补假已计入，调休上班日尚不能确定；"
                 "国务院通知发布后请管理员录入并核对")

# DOMAIN.md §13, copied literally.
DOMAIN_2026_WEEKDAY_REST = (
    ["2026-01-01", "2026-01-02"]
    + [f"2026-02-{d}" for d in (16, 17, 18, 19, 20, 23)]
    + ["2026-04-06", "2026-05-01", "2026-05-04", "2026-05-05", "2026-06-19", "2026-09-25"]
    + ["2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07"]
)
DOMAIN_2026_WEEKEND_WORK = [
    "2026-01-04",
    "2026-02-14",
    "2026-02-28",
    "2026-05-09",
    "2026-09-20",
    "2026-10-10",
]


def _days(year: int):
    d = date(year, 1, 1)
    while d.year == year:
        yield d
        d += timedelta(days=1)


# ----------------------------------------------------------------------------------------- holiday table


def test_2026_table_matches_domain_13_exactly():
    t = builtin_table()
    weekday_rest = sorted(d.isoformat() for d in _days(2026) if d.weekday() < 5 and t.is_rest_day(d))
    weekend_work = sorted(d.isoformat() for d in _days(2026) if d.weekday() >= 5 and t.is_working_day(d))
    assert weekday_rest == sorted(DOMAIN_2026_WEEKDAY_REST)
    assert weekend_work == sorted(DOMAIN_2026_WEEKEND_WORK)
    # 春节 02-15..02-23 and 国庆 10-01..10-07 are whole blocks, weekends included.
    assert all(t.holiday_name(D("2026-02-15") + timedelta(days=i)) == "春节" for i in range(9))
    assert all(t.holiday_name(D("2026-10-01") + timedelta(days=i)) == "国庆节" for i in range(7))


def test_chinesecalendar_2026_matches_domain_13():
    import chinese_calendar as cc  # a test dependency: the seed the shipped tables were generated from
    weekday_rest = sorted(d.isoformat() for d in _days(2026) if d.weekday() < 5 and not cc.is_workday(d))
    weekend_work = sorted(d.isoformat() for d in _days(2026) if d.weekday() >= 5 and cc.is_workday(d))
    assert weekday_rest == sorted(DOMAIN_2026_WEEKDAY_REST)
    assert weekend_work == sorted(DOMAIN_2026_WEEKEND_WORK)


def test_shipped_files_match_chinesecalendar_every_year():
    import chinese_calendar as cc  # a test dependency: the seed the shipped tables were generated from
    t = builtin_table()
    for year in t.covered_years():
        for d in _days(year):
            assert t.is_working_day(d) == cc.is_workday(d), d


def test_covered_years():
    years = covered_years()
    assert 2026 in years and 2025 in years
    assert 2027 not in years
    assert years == sorted(years)
    assert "国务院办公厅" in builtin_table().source(2026)


def test_rest_reasons():
    t = builtin_table()
    assert t.rest_reason(D("2026-10-01")) == "法定休假日（国庆节）"
    assert t.rest_reason(D("2026-03-07")) == "休息日（星期六）"
    assert t.rest_reason(D("2026-10-10")) is None  # 调休 working Saturday
    assert t.workday_name(D("2026-10-10")) == "国庆节"
    assert t.next_working_day(D("2026-10-01")) == D("2026-10-08")


# ----------------------------------------------------------------------------------------- art. 85 examples


def test_period_ending_in_national_day_moves_to_first_working_day_after():
    dl = add_days(D("2026-09-21"), 10)
    assert dl.nominal == D("2026-10-01")
    assert dl.due == D("2026-10-08")
    assert builtin_table().is_working_day(D("2026-10-08"))
    assert all(builtin_table().is_rest_day(D("2026-10-01") + timedelta(days=i)) for i in range(7))
    assert "起算日 2026-09-21 不计入（民事诉讼法第八十五条第二款），自 2026-09-22 起算" in dl.steps
    assert (
        "期间届满日 2026-10-01 为法定休假日（国庆节），顺延至休假日后的第一个工作日 2026-10-08（第八十五条第三款）"
        in dl.steps
    )
    assert dl.warnings == ()
    assert any("第八十五条第三款" in b for b in dl.basis)


def test_period_ending_on_tiaoxiu_working_saturday_stays():
    dl = add_days(D("2026-09-30"), 10)
    assert dl.due == dl.nominal == D("2026-10-10")
    assert dl.due.weekday() == 5
    assert any("调休上班日" in s and "不顺延" in s for s in dl.steps)


def test_period_ending_on_ordinary_weekend_moves_to_monday():
    dl = add_days(D("2026-03-06"), 1)
    assert (dl.nominal, dl.due) == (D("2026-03-07"), D("2026-03-09"))
    assert any("休息日（星期六）" in s for s in dl.steps)


def test_month_period_from_jan_31_ends_feb_28():
    dl = add_months(D("2026-01-31"), 1)
    assert dl.nominal == D("2026-02-28")
    # 2026-02-28 is a Saturday worked by 调休 (春节), so it stays.
    assert dl.due == D("2026-02-28")
    assert any("没有对应日" in s and "民法典第二百零二条" in s for s in dl.steps)
    assert add_months(D("2025-01-31"), 1).due == D("2025-02-28")  # a Friday
    assert add_months(D("2026-03-31"), 1).nominal == D("2026-04-30")
    assert add_months(D("2026-01-15"), 1).nominal == D("2026-02-15")  # 春节 → moved
    assert add_months(D("2026-01-15"), 1).due == D("2026-02-24")
    assert add_months(D("2026-11-30"), 3).nominal == D("2027-02-28")


def test_month_period_in_leap_year_ends_feb_29_with_inferred_warning():
    dl = add_months(D("2028-01-31"), 1)
    assert dl.nominal == dl.due == D("2028-02-29")
    assert len(dl.warnings) == 1 and dl.warnings[0].startswith("2028 年按放假办法推算，待国务院通知")


def test_years_period():
    dl = add_years(D("2024-02-29"), 1)
    assert dl.nominal == D("2025-02-28")
    assert dl.unit == "年" and dl.count == 1


def test_deadline_in_2027_warns():
    dl = add_days(D("2026-12-20"), 15)
    assert dl.nominal == D("2027-01-04")
    assert INFERRED_2027 in dl.warnings
    text = format_deadline(dl)
    assert f"注意：{INFERRED_2027}" in text
    assert add_days(D("2026-12-01"), 15).warnings == ()


def test_appeal_against_judgment_15_days():
    dl = statutory_deadline("appeal_judgment", D("2026-03-02"))
    assert dl.due == D("2026-03-17")
    assert dl.label == "对第一审判决提起上诉"
    assert "第一百七十一条第一款" in dl.basis[0]
    # Served 2026-09-16: day 15 is 10-01 (国庆) → 10-08.
    assert statutory_deadline("appeal_judgment", D("2026-09-16")).due == D("2026-10-08")


def test_appeal_against_ruling_10_days_across_spring_festival():
    dl = statutory_deadline("appeal_ruling", D("2026-02-06"))
    assert (dl.nominal, dl.due) == (D("2026-02-16"), D("2026-02-24"))


def test_filing_decision_7_days_across_labour_day():
    dl = statutory_deadline("filing_decision", D("2026-04-28"))
    assert (dl.nominal, dl.due) == (D("2026-05-05"), D("2026-05-06"))
    assert "第一百二十六条" in dl.basis[0]
    assert statutory_deadline("filing_decision", D("2026-03-02")).due == D("2026-03-09")  # nominal Mon 03-09


def test_enforcement_application_two_years_notes_interruption():
    dl = statutory_deadline("enforcement_application", D("2026-03-01"))
    assert dl.nominal == D("2028-03-01")
    assert any("中止、中断" in w for w in dl.warnings)
    with pytest.raises(ValidationError):
        statutory_deadline("no_such_period", D("2026-03-01"))


def test_working_days_across_spring_festival():
    # 02-13 Fri (1), 02-14 Sat 调休 (2), 02-15..02-23 春节, 02-24 (3), 02-25 (4), 02-26 (5).
    dl = add_working_days(D("2026-02-12"), 5)
    assert dl.due == D("2026-02-26")
    assert any("春节（2026-02-15 至 2026-02-23）" in s for s in dl.steps)
    assert any("2026-02-14" in s and "调休" in s for s in dl.steps)
    assert working_days_between(D("2026-02-12"), D("2026-02-26")) == 5
    assert working_days_between(D("2026-02-26"), D("2026-02-12")) == -5
    assert working_days_between(D("2026-02-14"), D("2026-02-24")) == 1


def test_days_left():
    assert days_left(D("2026-10-08"), D("2026-10-01")) == 7
    assert days_left(D("2026-10-08"), D("2026-10-08")) == 0
    assert days_left(D("2026-10-08"), D("2026-10-09")) == -1


def test_bad_counts_are_refused_in_chinese():
    for bad in (0, -1, True, 1.5, "3"):
        with pytest.raises(ValidationError) as exc:
            add_days(D("2026-01-05"), bad)  # type: ignore[arg-type]
        assert "期间天数" in exc.value.message
    with pytest.raises(ValidationError):
        add_months(D("2026-01-05"), 0)
    with pytest.raises(ValidationError):
        add_days(D("9999-12-01"), 100)


def test_datetime_start_is_taken_as_its_date():
    assert add_days(datetime(2026, 9, 21, 16, 30), 10).due == D("2026-10-08")


# ----------------------------------------------------------------------------------------- CLI text


def test_deadline_text_last_line():
    text = deadline_text("2026-09-21", days=10)
    assert text.splitlines()[-1] == "due: 2026-10-08"
    assert deadline_text("2026/1/31", months=1).splitlines()[-1] == "due: 2026-02-28"
    assert deadline_text(D("2026-02-12"), working_days=5).splitlines()[-1] == "due: 2026-02-26"
    assert "第八十五条" in text


def test_deadline_text_needs_exactly_one_period():
    with pytest.raises(ValidationError):
        deadline_text("2026-09-21")
    with pytest.raises(ValidationError):
        deadline_text("2026-09-21", days=3, months=1)


def test_parse_date():
    assert parse_date("2026年9月21日") == D("2026-09-21")
    assert parse_date(" 2026-9-1 ") == D("2026-09-01")
    for bad in ("2026-02-30", "21/09/2026", "", "明天"):
        with pytest.raises(ValidationError) as exc:
            parse_date(bad)
        assert exc.value.field == "起算日"


# ----------------------------------------------------------------------------------------- admin extension


EXTRA_2027 = {
    "2027": {
        "holidays": ["2027-01-01", "2027-01-02", "2027-01-03", {"date": "2027-10-01", "name": "国庆节"}],
        "workdays": [{"date": "2027-09-26", "name": "国庆节"}],
    }
}


def test_extra_years_extend_the_table_and_silence_the_warning():
    t = table_with_extra(EXTRA_2027)
    assert 2027 in t.covered_years()
    assert t.source(2027) == "管理员录入"
    dl = add_days(D("2026-12-20"), 12, table=t)  # day 12 = 2027-01-01
    assert dl.nominal == D("2027-01-01") and dl.due == D("2027-01-04")
    assert dl.warnings == ()
    assert "法定休假日（国庆节）" == t.rest_reason(D("2027-10-01"))
    assert t.is_working_day(D("2027-09-26"))  # a Sunday worked by 调休
    # Round trip through the JSON form the admin UI stores.
    again = table_with_extra(extra_years_to_setting(parse_extra_years(EXTRA_2027)))
    assert again.years[2027] == t.years[2027]


def test_extra_year_replaces_builtin_year():
    t = table_with_extra({2026: {"holidays": ["2026-10-01"], "workdays": []}})
    assert t.is_working_day(D("2026-10-02"))
    assert builtin_table().is_rest_day(D("2026-10-02"))  # the built-in table is untouched


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        ({2027: {"holidays": ["2027-02-06"], "workdays": ["2027-02-06"]}}, "同时被列为节假日和调休工作日"),
        ({2027: {"holidays": ["2027-01-01"], "workdays": ["2027-02-03"]}}, "本来就是工作日"),
        ({2027: {"holidays": ["2026-10-01"]}}, "不在 2027 年内"),
        ({2027: {"holidays": ["2027-13-01"]}}, "不是有效日期"),
        ({"二〇二七": {"holidays": ["2027-01-01"]}}, "年份"),
        ({2027: {"holidays": []}}, "没有列出任何节假日"),
        ({2027: {"holiday": ["2027-01-01"]}}, "只能包含"),
        ({2027: {"holidays": "2027-01-01"}}, "日期列表"),
        ({2027: {"holidays": [f"2027-03-{d:02d}" for d in range(1, 32)] + ["2027-04-01"]}}, "连续超过"),
    ],
)
def test_extra_years_are_validated_in_chinese(extra, fragment):
    with pytest.raises(ValidationErrors) as exc:
        parse_extra_years(extra)
    assert fragment in exc.value.message
    assert all(e.field == "节假日设置" for e in exc.value.errors)


def test_empty_extra_is_the_builtin_table():
    assert parse_extra_years(None) == [] and parse_extra_years({}) == []
    assert table_with_extra(None).covered_years() == covered_years()


def test_year_file_is_validated():
    with pytest.raises(ValidationErrors):
        parse_year_toml('year = 2027\n[[holidays]]\nname = "春节"\ndates = [2027-02-06]\n'
                        '[[workdays]]\nname = "春节"\ndates = [2027-02-06]\n')  # fmt: skip


# ----------------------------------------------------------------------------------------- properties

starts = st.dates(min_value=date(2005, 1, 1), max_value=date(2026, 12, 31))


def _check(dl):
    t = builtin_table()
    assert dl.due >= dl.nominal
    assert t.is_working_day(dl.due)
    d = dl.nominal
    while d < dl.due:  # everything skipped is a rest day
        assert t.is_rest_day(d)
        d += timedelta(days=1)
    assert format_deadline(dl).splitlines()[-1] == f"due: {dl.due.isoformat()}"
    if t.uncovered_years(dl.start, dl.due):
        assert any("尚未录入" in w for w in dl.warnings)
    else:
        assert not any("尚未录入" in w for w in dl.warnings)


@FAST
@given(starts, st.integers(1, 400))
def test_days_properties(start, n):
    dl = add_days(start, n)
    _check(dl)
    assert dl.nominal == start + timedelta(days=n)
    assert add_days(start, n + 1).due >= dl.due  # monotone in n


@FAST
@given(starts, st.integers(1, 36))
def test_months_properties(start, n):
    dl = add_months(start, n)
    _check(dl)
    assert dl.nominal.day == min(start.day, calendar.monthrange(dl.nominal.year, dl.nominal.month)[1])
    assert (dl.nominal.year - start.year) * 12 + dl.nominal.month - start.month == n
    assert add_months(start, n + 1).due >= dl.due


@FAST
@given(starts, st.integers(1, 250))
def test_working_days_properties(start, n):
    dl = add_working_days(start, n)
    _check(dl)
    assert dl.due == dl.nominal
    assert working_days_between(start, dl.due) == n
    assert add_working_days(start, n + 1).due > dl.due
