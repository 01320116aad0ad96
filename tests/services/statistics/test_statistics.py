"""统计分析: periods, and every figure of a month against hand-counted data."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from baihe_desk.services.statistics import report as statistics
from baihe_desk.services.statistics.report import Period, Rate, change_text, period_of
from tests.services.deadlines.clock_world import build_world, march_data

MARCH = period_of("month", date(2026, 3, 15))


def test_periods_and_the_same_period_a_year_before():
    assert (MARCH.start, MARCH.end, MARCH.key, MARCH.label) == (date(2026, 3, 1), date(2026, 3, 31), "2026-03", "2026年3月")
    assert MARCH.year_before() == Period("month", date(2025, 3, 1), date(2025, 3, 31))
    week = period_of("week", date(2026, 11, 26))  # a Thursday
    assert (week.start, week.end, week.key) == (date(2026, 11, 23), date(2026, 11, 29), "2026-W48")
    assert week.label == "2026年第48周（11月23日至11月29日）"
    assert week.year_before().start == date(2025, 11, 24)
    q = period_of("quarter", date(2026, 11, 26))
    assert (q.start, q.end, q.label, q.key) == (date(2026, 10, 1), date(2026, 12, 31), "2026年第四季度", "2026-Q4")
    assert period_of("year", date(2024, 2, 29)).year_before() == Period("year", date(2023, 1, 1), date(2023, 12, 31))
    feb = period_of("month", date(2024, 2, 10))
    assert feb.end == date(2024, 2, 29) and feb.year_before().end == date(2023, 2, 28)


@given(st.sampled_from(list(statistics.PERIOD_KINDS)), st.dates(date(2001, 1, 1), date(2099, 12, 31)))
def test_a_period_contains_its_day_and_the_year_before_is_as_long_or_nearly(kind, day):
    p = period_of(kind, day)
    assert p.start <= day <= p.end
    before = p.year_before()
    assert before.kind == kind and before.end < p.start and abs(before.days - p.days) <= 1


def test_rates_and_changes():
    assert Rate(1, 4).text == "25.0%" and Rate(0, 0).text == "—"
    assert change_text(3, 1) == "+200.0%" and change_text(1, 2) == "-50.0%" and change_text(2, 2) == "持平"
    assert change_text(0, 0) == "—" and change_text(2, 0) == "新增"


@pytest.fixture
def world(udb, uusers):
    w = build_world(udb, uusers)
    march_data(w)
    return w


def test_a_month_counted_by_hand(world):
    with world.db.session() as s:
        steps = []
        r = statistics.compute(s, MARCH, today=date(2026, 4, 2), progress=lambda i, n, label: steps.append((i, n)))
    assert steps[0] == (0, 7) and steps[-1] == (7, 7)
    # received: a, b, late-filed, 2 unassigned, 4 reviewed, 2 mediation cases opened in March = 11
    assert (r.received, r.received_prev, r.filed, r.filed_prev, r.closed) == (11, 1, 3, 1, 2)
    assert r.received_change == "+1000.0%" and r.filed_change == "+200.0%"
    assert (r.mediation_opened, r.mediation_succeeded, r.mediation_failed, r.mediation_rate.text) == (2, 1, 1, "50.0%")
    assert r.corrections == Rate(1, 4)
    assert r.days_to_filing == pytest.approx((2 + 1 + 10) / 3) and r.filed_measured == 3
    assert r.days_to_service == pytest.approx((8 + 10) / 2) and r.served_measured == 2
    assert r.closed_over_limit == 1 and r.filed_late == 1
    rows = {row.name: row for row in r.by_department}
    trial = rows["民事审判庭"]
    assert (trial.received, trial.filed, trial.filed_prev, trial.closed, trial.closed_over_limit) == (2, 2, 1, 2, 1)
    assert rows["长白山保护区人民法庭"].filed == 1
    assert list(rows) == ["立案庭", "民事审判庭", "长白山保护区人民法庭", "（未分案）"]
    assert rows["立案庭"].open_overdue == 1  # received 25 March, undecided on 2 April (26 March: due that day)
    assert r.overdue_now == {"立案期限": 1}
    judges = {p.name: p for p in r.by_judge}
    assert (judges["测试承办法官"].filed, judges["测试承办法官"].closed) == (2, 2)
    assert judges["测试承办法官"].open_cases == 2
    assert [(m.name, m.opened, m.rate.text) for m in r.by_mediator] == [("董秀兰", 2, "50.0%")]
    assert r.consult_sent == 0 and r.explanation_requests == 0 and r.explanation_accepted.text == "—"
