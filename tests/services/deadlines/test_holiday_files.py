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
