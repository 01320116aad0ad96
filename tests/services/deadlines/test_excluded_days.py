"""One rule for 鉴定 days in the mediation clock and the trial-limit clock (services.deadlines.excluded_days).

Rule (written down in the module): a span from its first day to its last takes ``last − first`` days out —
its first day is not counted (民事诉讼法第八十五条第二款), its last day is. Worked dates, counted by hand:

- 鉴定 commissioned Mon 2026-03-10, opinion received Thu 2026-03-19: 03-11 … 03-19 = 9 days.
- 诉前调解 accepted Mon 2026-03-02, 30 days + 9 = 39 days → Fri 2026-04-10 (a working day).
- 简易程序 filed Mon 2026-03-02: 3 months → 2026-06-02, + 9 days → Thu 2026-06-11.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from baihe_desk.models import Procedure
from baihe_desk.models.clock import SuspensionKind as TrialKind
from baihe_desk.models.clock import TrialLimitSuspension
from baihe_desk.models.mediation import MediationCase, MediationStatus, MediationSuspension, SuspensionKind
from baihe_desk.services.deadlines import clocks_trial as ct
from baihe_desk.services.deadlines.excluded_days import days_not_counted
from baihe_desk.services.deadlines.holidays import builtin_table
from baihe_desk.services.mediation.period import state

TABLE = builtin_table()
D = date.fromisoformat
SPAN = (D("2026-03-10"), D("2026-03-19"))


def mediation(accepted, spans):  # type: ignore[no-untyped-def]
    m = MediationCase(status=MediationStatus.IN_PROGRESS, accepted_on=accepted, period_days=30)
    m.extensions = []
    m.suspensions = [MediationSuspension(kind=SuspensionKind.APPRAISAL, started_on=s, ended_on=e) for s, e in spans]
    return m


def trial(filed, spans, today):  # type: ignore[no-untyped-def]
    susp = [TrialLimitSuspension(kind=TrialKind.APPRAISAL, started_on=s, ended_on=e, approved_by_name="庭长",
                                 approved_on=s) for s, e in spans]
    return ct.compute(filed, Procedure.SIMPLE, [], susp, today=today, table=TABLE)


def test_the_same_appraisal_takes_the_same_days_out_of_both_clocks():
    med = state(mediation(D("2026-03-02"), [SPAN]), today=D("2026-03-25"), table=TABLE)
    tl = trial(D("2026-03-02"), [SPAN], D("2026-03-25"))
    assert med.suspended_days == tl.suspended_days == 9
    assert med.due == D("2026-04-10")
    assert tl.nominal == D("2026-06-11")


def test_issue_example_three_days_not_four():
    # 鉴定 from 03-02 to 03-05: 03-03, 03-04, 03-05.
    span = (D("2026-03-02"), D("2026-03-05"))
    assert days_not_counted([span], D("2026-04-01")) == (3, False)
    med = state(mediation(D("2026-03-01"), [span]), today=D("2026-04-01"), table=TABLE)
    assert med.suspended_days == trial(D("2026-03-01"), [span], D("2026-04-01")).suspended_days == 3


def test_same_day_opinion_takes_nothing_and_an_open_one_pauses_both():
    assert days_not_counted([(D("2026-03-10"), D("2026-03-10"))], D("2026-04-01")) == (0, False)
    open_span = [(D("2026-03-10"), None)]
    med = state(mediation(D("2026-03-02"), open_span), today=D("2026-03-20"), table=TABLE)
    tl = trial(D("2026-03-02"), open_span, D("2026-03-20"))
    assert med.suspended_now and tl.suspended_now
    assert med.suspended_days == tl.suspended_days == 10  # 03-11 … 03-20 (today)


@given(st.lists(st.tuples(st.dates(date(2026, 1, 1), date(2026, 6, 30)), st.integers(0, 40)), max_size=5))
def test_days_are_the_union_of_the_days_after_each_first_day(spans):
    intervals = [(s, s + timedelta(days=n)) for s, n in spans]
    covered = {s + timedelta(days=i) for s, e in intervals for i in range(1, (e - s).days + 1)}
    assert days_not_counted(intervals, date(2026, 12, 31)) == (len(covered), False)
