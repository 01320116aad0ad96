"""Adding a year's holiday schedule as the notice reads; the deadline warning for an uncovered year goes away.

The 2027 schedule below is TEST DATA shaped like a State Council notice, not the official schedule.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from baihe_desk.errors import PermissionDenied, ValidationError, ValidationErrors
from baihe_desk.models import AuditRecord, Role, Setting
from baihe_desk.services.admin import holiday_tables as sh
from baihe_desk.services.deadlines.holidays import builtin_table, table_with_extra
from baihe_desk.services.deadlines.periods import add_days

HOLIDAYS_2027 = """元旦 2027-01-01 至 2027-01-03
春节 2027年2月6日 至 2027年2月13日
清明节 2027/4/3～2027/4/5
劳动节 2027-05-01 至 2027-05-05
端午节 2027-06-09 至 2027-06-11
中秋节 2027-09-15 至 2027-09-17
国庆节 2027-10-01 至 2027-10-07
"""
WORKDAYS_2027 = "春节 2027-02-14\n春节 2027-02-20\n劳动节 2027-04-25\n国庆节 2027-09-26, 2027-10-09"


def test_lines_with_ranges_and_chinese_dates():
    items = sh.parse_lines("春节 2027年2月6日 至 2027年2月8日\n2027-01-01\n# 注释\n\n元旦：2027/1/2", "放假日期", "法定节假日")
    assert items == [{"date": "2027-02-06", "name": "春节"}, {"date": "2027-02-07", "name": "春节"},
                     {"date": "2027-02-08", "name": "春节"}, {"date": "2027-01-01", "name": "法定节假日"},
                     {"date": "2027-01-02", "name": "元旦"}]


@pytest.mark.parametrize("text, words", [
    ("春节", "没有日期"),
    ("春节 2027-02-30", "不存在"),
    ("春节 2027-02-13 至 2027-02-06", "日期范围"),
    ("春节 2027-01-01 至 2027-03-01", "日期范围"),
])
def test_bad_lines_are_refused_naming_the_field(text, words):
    with pytest.raises(ValidationErrors) as info:
        sh.parse_lines(text, "放假日期", "法定节假日")
    assert info.value.errors[0].field == "放假日期" and words in info.value.message


def test_a_year_is_checked_as_a_whole():
    with pytest.raises(ValidationErrors) as info:
        sh.schedule_body(2027, "元旦 2027-01-01\n春节 2026-02-17", "元旦 2027-01-04")
    text = info.value.message
    assert "不在 2027 年内" in text
    with pytest.raises(ValidationErrors) as info:
        sh.schedule_body(2027, "元旦 2027-01-01", "元旦 2027-01-04")  # a Monday
    assert "调休工作日只能是星期六或星期日" in info.value.message
    with pytest.raises(ValidationErrors, match="请填写 2027 年的放假日期"):
        sh.schedule_body(2027, "", "")


def test_schedule_text_round_trips():
    body = sh.schedule_body(2027, HOLIDAYS_2027, WORKDAYS_2027, "测试数据")
    sched = table_with_extra({"2027": body}).years[2027]
    hol, work = sh.schedule_text(sched)
    assert hol.splitlines()[1] == "春节 2027-02-06 至 2027-02-13"
    again = sh.schedule_body(2027, hol, work, "测试数据")
    assert table_with_extra({"2027": again}).years[2027] == sched


def test_adding_2027_makes_the_deadline_warning_disappear(udb, uusers):
    start = date(2026, 12, 2)  # 30 days later is Friday 2027-01-01
    with udb.session() as s:
        before = add_days(start, 30, table=sh.table(s))
    assert before.due == date(2027, 1, 4)  # 元旦 counts already: inferred from the 放假办法
    assert any("2027 年按放假办法推算，待国务院通知" in w for w in before.warnings)
    with udb.session() as s:
        pending = {i.year: i for i in sh.years_info(s, through_year=2027)}
    assert pending[2027].inferred and "按放假办法推算，待国务院通知" in pending[2027].source

    with udb.transaction() as s:
        sched = sh.add_year(s, uusers[Role.ADMIN], 2027, HOLIDAYS_2027, WORKDAYS_2027, "测试用安排")
    assert sched.holidays[date(2027, 2, 10)] == "春节"
    with udb.session() as s:
        after = add_days(start, 30, table=sh.table(s))
        info = {i.year: i for i in sh.years_info(s)}
        rec = s.scalars(select(AuditRecord).where(AuditRecord.action == "setting.set")).one()
    assert after.due == date(2027, 1, 4)  # 元旦 rolls the last day to the first working day after it
    assert after.warnings == ()
    assert info[2027].entered and not info[2027].replaces_builtin and info[2027].holidays == 32
    assert not info[2027].inferred
    assert not info[2026].entered
    assert rec.entity_id == "holidays.extra" and rec.before["value"] is None and "2027" in rec.after["value"]


def test_a_typed_year_replaces_a_shipped_one_and_can_be_removed(udb, uusers):
    admin = uusers[Role.ADMIN]
    shipped = builtin_table().years[2026]
    hol, work = sh.schedule_text(shipped)
    with udb.transaction() as s:
        sh.add_year(s, admin, 2026, hol + "\n补充 2026-12-31", work, "更正")
    with udb.session() as s:
        assert sh.table(s).years[2026].holidays[date(2026, 12, 31)] == "补充"
        assert {i.year: i for i in sh.years_info(s)}[2026].replaces_builtin
    with udb.transaction() as s:
        sh.remove_year(s, admin, 2026)
    with udb.session() as s:
        assert sh.table(s).years[2026] == shipped
        assert s.get(Setting, "holidays.extra").value == {}
    with pytest.raises(ValidationError, match="不是管理员录入的年份"), udb.transaction() as s:
        sh.remove_year(s, admin, 2025)


def test_only_the_administrator_adds_a_year(udb, uusers):
    with pytest.raises(PermissionDenied), udb.transaction() as s:
        sh.add_year(s, uusers[Role.FILING_CLERK], 2027, HOLIDAYS_2027, WORKDAYS_2027)
    with udb.session() as s:
        assert s.get(Setting, "holidays.extra") is None
