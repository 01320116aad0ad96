"""调解期限: 30 days from acceptance (the day itself not counted), extensions, 鉴定/评估 not counted."""

from __future__ import annotations

from datetime import date

from baihe_desk.models.mediation import (
    MediationCase,
    MediationExtension,
    MediationStatus,
    MediationSuspension,
    SuspensionKind,
)
from baihe_desk.services.deadlines.excluded_days import days_not_counted
from baihe_desk.services.deadlines.holidays import builtin_table
from baihe_desk.services.mediation.period import state

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
    assert st_.extension_days == 10 and st_.suspended_days == 9  # 11th..19th: the 10th itself is counted
    assert st_.due == date(2026, 4, 20)  # 03-02 + 30 + 10 + 9 = 04-20 (a Monday, no holiday; 清明 was 04-04..06)
    assert any("鉴定" in s for s in st_.steps) and any("第二十六条" in b for b in st_.basis)


def test_open_appraisal_freezes_the_period():
    start = date(2026, 3, 2)
    m = case(start, susp=[(date(2026, 3, 20), None)])
    st_ = state(m, today=date(2026, 4, 20), table=TABLE)
    assert st_.suspended_now and not st_.overdue and st_.text == "暂停（鉴定评估中）"
    assert st_.suspended_days == 31  # 03-21..04-20


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
    days, open_ = days_not_counted([(date(2026, 3, 1), date(2026, 3, 10)), (date(2026, 3, 5), date(2026, 3, 12)),
                                    (date(2026, 3, 20), date(2026, 3, 20))], date(2026, 4, 1))
    assert (days, open_) == (11, False)  # 03-02 … 03-12; a same-day span takes nothing
