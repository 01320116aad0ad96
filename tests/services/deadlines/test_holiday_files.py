"""The shipped holiday files, read afresh (not through the cached built-in table) and checked against an
independent source — the chinesecalendar package the State Council schedules are published in — and the
generator that writes them round-trips. Found by mutation testing: the cached table hid every change to the
file parser from the tests."""

from __future__ import annotations

from datetime import date
from importlib import resources

import pytest
from chinese_calendar import constants

from baihe_desk.errors import KnownError
from baihe_desk.services.deadlines.holidays import _CN_NAMES, generate_year_toml, parse_year_toml


def _files():
    folder = resources.files("baihe_desk.resources").joinpath("holidays")
    return sorted((e for e in folder.iterdir() if e.name.startswith("cn-")), key=lambda e: e.name)


def _expected(year: int, source: dict) -> dict[date, str]:
    return {d: _CN_NAMES.get(name, name) for d, name in source.items() if d.year == year}


@pytest.mark.parametrize("entry", _files(), ids=lambda e: e.name)
def test_each_file_is_that_years_schedule(entry):
    sched = parse_year_toml(entry.read_text("utf-8"))
    assert entry.name == f"cn-{sched.year}.toml"
    assert dict(sched.holidays) == _expected(sched.year, constants.holidays)
    assert dict(sched.workdays) == _expected(sched.year, constants.workdays)
    assert sched.source.startswith(f"国务院办公厅关于{sched.year}年部分节假日安排的通知")


def test_2026_by_hand():
    """DOMAIN.md §13: 国庆 10-01..07 with Sunday 09-20 and Saturday 10-10 worked; 春节 02-15..23."""
    sched = parse_year_toml(next(e for e in _files() if e.name == "cn-2026.toml").read_text("utf-8"))
    assert [d for d, n in sched.holidays.items() if n == "国庆节"] == [date(2026, 10, d) for d in range(1, 8)]
    assert [d for d, n in sched.holidays.items() if n == "春节"] == [date(2026, 2, d) for d in range(15, 24)]
    assert {d: n for d, n in sched.workdays.items() if n == "国庆节"} == {date(2026, 9, 20): "国庆节",
                                                                          date(2026, 10, 10): "国庆节"}


def test_the_generator_round_trips():
    text = generate_year_toml(2025)
    sched = parse_year_toml(text)
    assert sched.year == 2025 and dict(sched.holidays) == _expected(2025, constants.holidays)
    assert dict(sched.workdays) == _expected(2025, constants.workdays)
    assert text.splitlines()[2] == "year = 2025" and "chinesecalendar" in sched.source
    with pytest.raises(KnownError, match="没有 1990 年的数据"):
        generate_year_toml(1990)


@pytest.mark.parametrize("text,message", [
    ("year = ", "格式错误"),
    ('year = 2026\n[[holidays]]\nname = "元旦"\n', "holidays 格式错误：每组应有 name 和 dates"),
    ('year = 2026\nholidays = 3\n', "holidays 格式错误"),
])
def test_a_broken_file_is_named(text, message):
    with pytest.raises(KnownError, match=message):
        parse_year_toml(text)


def test_the_administrators_extra_years():
    """``holidays.extra``: dates without a name get 法定节假日 / 调休; every problem of every year is listed,
    each naming the setting; a value that is no table at all is named as such."""
    from baihe_desk.errors import ValidationErrors
    from baihe_desk.services.deadlines.holidays import parse_extra_years

    (y,) = parse_extra_years({"2027": {"holidays": ["2027-02-06", {"date": "2027-02-07", "name": "春节"}],
                                       "workdays": ["2027-02-20"]}})
    assert (y.year, y.source) == (2027, "管理员录入")
    assert dict(y.holidays) == {date(2027, 2, 6): "法定节假日", date(2027, 2, 7): "春节"}
    assert dict(y.workdays) == {date(2027, 2, 20): "调休"}
    with pytest.raises(ValidationErrors) as info:
        parse_extra_years(["2027-02-06"])
    assert [e.message for e in info.value.errors] == ["节假日设置：应为“年份 → 节假日/调休工作日”的对照表"]
    with pytest.raises(ValidationErrors) as info:
        parse_extra_years({"1900": {}, "2027": {"x": 1}, "2028": {"holidays": 3, "workdays": "x"},
                           "2029": {"holidays": ["2029-01-01"], "workdays": ["2029-01-01"]}})
    assert [e.message for e in info.value.errors] == [  # every year's problems, not only the first one's
        "节假日设置：年份“1900”无效，应为 1990–2100 之间的年份",
        "节假日设置：2027 年的数据只能包含 holidays（节假日）和 workdays（调休工作日）",
        "节假日设置：2028 年的节假日应为日期列表",
        "节假日设置：2028 年的调休工作日应为日期列表",
        "节假日设置：2028 年没有列出任何节假日",
        "节假日设置：2029-01-01 同时被列为节假日和调休工作日",
        "节假日设置：调休工作日 2029-01-01 是星期一，本来就是工作日；调休工作日只能是星期六或星期日",
    ]


# -- a year file written by hand (mutation survivors, round 2) ---------------------------------------------------

def test_a_hand_written_year_file_with_unnamed_groups_and_no_source():
    from baihe_desk.services.deadlines.holidays import YearSchedule

    text = ('year = 2031\n[[holidays]]\ndates = [2031-01-01]\n[[holidays]]\nname = ""\ndates = [2031-01-02]\n'
            '[[holidays]]\nname = "春节"\ndates = [2031-01-22, 2031-01-23]\n'
            '[[workdays]]\ndates = [2031-01-19]\n[[workdays]]\nname = ""\ndates = [2031-01-25]\n')
    assert parse_year_toml(text) == YearSchedule(
        2031, {date(2031, 1, 1): "法定节假日", date(2031, 1, 2): "法定节假日", date(2031, 1, 22): "春节",
               date(2031, 1, 23): "春节"},
        {date(2031, 1, 19): "调休", date(2031, 1, 25): "调休"}, "")
    # no [[workdays]] at all is a year without 调休
    only = parse_year_toml('year = 2031\nsource = "测试"\n[[holidays]]\nname = "元旦"\ndates = [2031-01-01]\n')
    assert (dict(only.workdays), only.source) == ({}, "测试")


@pytest.mark.parametrize("text,messages", [
    ('year = 1800\n', ["节假日设置：年份“1800”无效，应为 1990–2100 之间的年份"]),
    ('year = 2031\n[[holidays]]\nname = "元旦"\ndates = ["2031-02-30", 2031-01-01]\n',
     ["节假日设置：“2031-02-30”不是有效日期（格式应为 YYYY-MM-DD）"]),
    ('year = 2031\n[[holidays]]\nname = "元旦"\ndates = [2031-01-01]\n[[workdays]]\nname = "春节"\ndates = [2030-02-02]\n',
     ["节假日设置：2030-02-02 不在 2031 年内"]),
])
def test_every_problem_of_a_year_file_is_listed(text, messages):
    from baihe_desk.errors import ValidationErrors

    with pytest.raises(ValidationErrors) as info:
        parse_year_toml(text)
    assert [e.message for e in info.value.errors] == messages


def test_coverage_sources_and_the_order_of_the_setting():
    from baihe_desk.services.deadlines.holidays import (
        builtin_table,
        extra_years_to_setting,
        parse_extra_years,
    )

    assert builtin_table().is_covered(2026) and not builtin_table().is_covered(2031)
    y2031, y2030 = parse_extra_years({"2031": {"holidays": ["2031-01-01"], "source": "国务院办公厅2031年通知"},
                                      "2030": {"holidays": ["2030-01-01"]}})
    assert (y2031.source, y2030.source) == ("国务院办公厅2031年通知", "管理员录入")
    assert list(extra_years_to_setting([y2031, y2030])) == ["2030", "2031"]


def test_the_generators_groups_use_the_notices_names():
    from baihe_desk.services.deadlines.holidays import _groups_toml

    assert _groups_toml("holidays", {date(2031, 1, 23): "Spring Festival", date(2031, 1, 22): "春节",
                                     date(2031, 10, 1): "National Day"}) == [
        "", "[[holidays]]", 'name = "春节"', "dates = [2031-01-22, 2031-01-23]",
        "", "[[holidays]]", 'name = "国庆节"', "dates = [2031-10-01]"]
    assert generate_year_toml(2026).splitlines()[:2] == [
        "# 2026 年节假日与调休安排，用于计算期间（民事诉讼法第八十五条）。",
        "# holidays：放假日期（含放假期间的周末）；workdays：调休上班的星期六、星期日。"]


@pytest.mark.parametrize("value,shown", [(__import__("datetime").datetime(2031, 1, 1, 9, 0), "2031-01-01 09:00:00"),
                                         (20310101, "20310101")])
def test_a_date_with_a_time_or_a_number_is_not_a_date(value, shown):
    from baihe_desk.errors import ValidationErrors
    from baihe_desk.services.deadlines.holidays import parse_extra_years

    with pytest.raises(ValidationErrors) as info:
        parse_extra_years({"2031": {"holidays": [value, "2031-01-02"]}})
    assert [(e.field, e.message) for e in info.value.errors] == [
        ("节假日设置", f"节假日设置：“{shown}”不是有效日期（格式应为 YYYY-MM-DD）")]


def _days(first: str, last: str) -> list[str]:
    a, b = date.fromisoformat(first), date.fromisoformat(last)
    return [date.fromordinal(n).isoformat() for n in range(a.toordinal(), b.toordinal() + 1)]


def test_thirty_rest_days_in_a_row_are_allowed_and_thirty_one_are_a_typing_mistake():
    from baihe_desk.errors import ValidationErrors
    from baihe_desk.services.deadlines.holidays import parse_extra_years

    # 2031: Wed 01-01 … Thu 01-30 and Tue 07-01 … Wed 07-30, each between working days: two runs of exactly 30
    (ok,) = parse_extra_years({"2031": {"holidays": _days("2031-01-01", "2031-01-30") + _days("2031-07-01", "2031-07-30")}})
    assert len(ok.holidays) == 60
    # 2030: Tue 01-01 … Thu 01-31, and Fri 02-01 is a working day: 31 in a row
    with pytest.raises(ValidationErrors) as info:
        parse_extra_years({"2030": {"holidays": _days("2030-01-01", "2030-01-31")}})
    assert [e.message for e in info.value.errors] == ["节假日设置：2030 年有连续超过 30 天的休息日，请核对"]


def test_the_first_and_last_years_allowed():
    from baihe_desk.services.deadlines.holidays import parse_extra_years

    assert [y.year for y in parse_extra_years({"1990": {"holidays": ["1990-01-01"]},
                                               "2100": {"holidays": ["2100-01-01"]}})] == [1990, 2100]


def test_inferred_years_sources_and_a_table_without_working_days():
    from baihe_desk.errors import KnownError as Known
    from baihe_desk.services.deadlines.holidays import HolidayTable, YearSchedule, builtin_table

    assert builtin_table().schedule(2028).year == 2028 and builtin_table().schedule(2028).inferred
    assert HolidayTable(infer=False).source(2031) is None
    # a broken table: 100 rest days from 2031-03-01 (built directly, past the file checks)
    rest = {date.fromisoformat(d): "错误" for d in _days("2031-03-01", "2031-06-08")}
    broken = HolidayTable({2031: YearSchedule(2031, rest, {}, "测试")}, infer=False)
    with pytest.raises(Known) as info:
        broken.next_working_day(date(2031, 2, 28))
    assert info.value.message == "2031-02-28 之后长期没有工作日，节假日表有误，请管理员核对节假日设置"
