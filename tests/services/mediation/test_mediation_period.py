"""调解期限: 30 days from acceptance (the day itself not counted), extensions, 鉴定/评估 not counted."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from baihe_desk.models.mediation import (
    MediationCase,
    MediationExtension,
    MediationStatus,
    MediationSuspension,
    SuspensionKind,
)
from baihe_desk.services.deadlines.holidays import builtin_table
from baihe_desk.services.mediation.period import merged_suspension_days, state

TABLE = builtin_table()


def case(accepted: date, *, ext=(), susp=()) -> MediationCase:  # type: ignore[no-untyped-def]
    m = MediationCase(status=MediationStatus.IN_PROGRESS, accepted_on=accepted, period_days=30)
    m.extensions = [MediationExtension(days=d, agreed_on=accepted, consents=[]) for d in ext]
    m.suspensions = [MediationSuspension(kind=SuspensionKind.APPRAISAL, started_on=s, ended_on=e) for s, e in susp]
    return m


def test_thirty_days_from_the_day_after_acceptance():
    # accepted Monday 2026-03-02 → day 30 is Wednesday 2026-04-01 (a working day)
    st_ = state(case(date(2026, 3, 2)), today=date(2026, 3, 2), table=TABLE)
    assert st_.due == date(2026, 4, 1)
    assert st_.days_left == 30 and not st_.overdue and st_.text == "剩余 30 日"
    assert any("第二十七条" in b for b in st_.basis)


def test_last_day_on_a_holiday_moves_to_the_next_working_day():
    # accepted 2026-09-05 → day 30 = 2026-10-05 (国庆) → first working day after the holiday
    st_ = state(case(date(2026, 9, 5)), today=date(2026, 9, 5), table=TABLE)
    assert st_.due == date(2026, 10, 8)  # 国庆 10-01..07; Thursday 10-08 is the first working day


def test_extension_and_appraisal_push_the_due_date():
    start = date(2026, 3, 2)
    st_ = state(case(start, ext=[10], susp=[(date(2026, 3, 10), date(2026, 3, 19))]), today=date(2026, 3, 25),
                table=TABLE)
    assert st_.extension_days == 10 and st_.suspended_days == 10  # 10th..19th, both ends not counted
    assert st_.due == date(2026, 4, 21)  # 03-02 + 30 + 10 + 10 = 04-21 (Tuesday, after 清明 04-04..06)
    assert any("鉴定" in s for s in st_.steps) and any("第二十六条" in b for b in st_.basis)


def test_open_appraisal_freezes_the_period():
    start = date(2026, 3, 2)
    m = case(start, susp=[(date(2026, 3, 20), None)])
    st_ = state(m, today=date(2026, 4, 20), table=TABLE)
    assert st_.suspended_now and not st_.overdue and st_.text == "暂停（鉴定评估中）"
    assert st_.suspended_days == 32  # 03-20..04-20


def test_overdue_once_the_due_date_has_passed():
    st_ = state(case(date(2026, 3, 2)), today=date(2026, 4, 2), table=TABLE)
    assert st_.overdue and st_.days_left == -1 and st_.text == "已超期 1 日"
    assert state(case(date(2026, 3, 2)), today=date(2026, 4, 1), table=TABLE).text == "今日到期"


def test_not_started_before_acceptance():
    m = MediationCase(status=MediationStatus.ASSIGNED)
    m.extensions, m.suspensions = [], []
    st_ = state(m, today=date(2026, 3, 2), table=TABLE)
    assert st_.due is None and st_.text == "未起算" and not st_.overdue


def test_overlapping_suspensions_count_once():
    days, open_ = merged_suspension_days([(date(2026, 3, 1), date(2026, 3, 10)), (date(2026, 3, 5), date(2026, 3, 12)),
                                          (date(2026, 3, 20), date(2026, 3, 20))], date(2026, 4, 1))
    assert (days, open_) == (13, False)


@given(st.lists(st.tuples(st.dates(date(2026, 1, 1), date(2026, 6, 30)), st.integers(0, 40)), max_size=5))
def test_merged_days_equal_the_set_of_covered_days(spans):
    intervals = [(s, s + timedelta(days=n)) for s, n in spans]
    covered = {s + timedelta(days=i) for s, e in intervals for i in range((e - s).days + 1)}
    assert merged_suspension_days(intervals, date(2026, 12, 31))[0] == len(covered)
