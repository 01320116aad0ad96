"""The desk on awkward days: the same scenarios over a table of dates, every expected date counted by hand.

Each row is one "today" — a Monday after a weekend, the first working day after 国庆, inside 春节 (a year the
holiday table covers, and 2027 which it does not yet), a 调休 Saturday, 12-31 → 01-01, 02-28/02-29 of a leap
year — with, for the 7-day filing period (民事诉讼法第一百二十六条) and the 30-day 诉前调解 period, one start
whose period ends exactly today (or is still running over the holiday) and one whose period ran out.

Counting (民事诉讼法第八十五条): the start day is not counted; if the last day is a rest day the period ends on
the first working day after it. Rest days: resources/holidays/cn-YYYY.toml (2026 國务院 schedule: 元旦
01-01..03 with Sunday 01-04 worked; 春节 02-15..23; 国庆 10-01..07 with Saturday 10-10 worked); a year not in
the table (2027, 2028) has only Saturdays and Sundays as rest days, with a warning.

The database scenario travels to the row's day (tests/fake_today.py) and lets the production code read its
own "today": nothing passes ``today=`` to the clocks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest

from baihe_desk.models import Case, Party, PartyKind, PartyRole, Role
from baihe_desk.models.mediation import MediationStatus, OrganisationKind
from baihe_desk.services.deadlines import clocks, queues
from baihe_desk.services.deadlines.periods import add_days
from baihe_desk.services.mediation import referral as mediation
from baihe_desk.services.mediation import station as mediation_station
from tests.fake_today import travel_to
from tests.services.mediation.test_mediation_support import create_tables, roster

D = date.fromisoformat


@dataclass(frozen=True)
class Row:
    today: date
    received_on_time: date  # filing: received on …
    filing_due: date  # … so the 7 days end on (counted by hand)
    received_late: date  # filing: received on …
    filing_late_days: int  # … so today it is this many days overdue
    accepted_on_time: date  # mediation: materials accepted on …
    mediation_due: date  # … so the 30 days end on
    accepted_late: date
    mediation_late_days: int


ROWS = {
    # 11-23 is a Monday: 11-16 + 7 = 11-23; 10-23 + 30 = 11-22 (Sunday) → 11-23. 11-13 + 7 = 11-20 (Friday).
    "monday-after-weekend": Row(D("2026-11-23"), D("2026-11-16"), D("2026-11-23"), D("2026-11-13"), 3,
                                D("2026-10-23"), D("2026-11-23"), D("2026-10-21"), 3),
    # 10-08 (Thursday) is the first working day after 国庆 10-01..07: 09-30 + 7 = 10-07 → 10-08;
    # 09-01 + 30 = 10-01 → 10-08; 09-22 + 7 = 09-29 (Tuesday); 08-31 + 30 = 09-30 (Wednesday).
    "after-guoqing": Row(D("2026-10-08"), D("2026-09-30"), D("2026-10-08"), D("2026-09-22"), 9,
                         D("2026-09-01"), D("2026-10-08"), D("2026-08-31"), 8),
    # 02-18 is inside 春节 02-15..23: 02-11 + 7 = 02-18 → 02-24; 01-16 + 30 = 02-15 → 02-24 (6 days left);
    # 02-05 + 7 = 02-12 (Thursday); 01-14 + 30 = 02-13 (Friday).
    "inside-chunjie-2026": Row(D("2026-02-18"), D("2026-02-11"), D("2026-02-24"), D("2026-02-05"), 6,
                               D("2026-01-16"), D("2026-02-24"), D("2026-01-14"), 5),
    # 2027 has no published table: 放假办法 art. 2 gives 春节 from 除夕 02-05 (Friday) to 02-08, and the
    # Saturday 02-06 and Sunday 02-07 are made up on 02-09 and 02-10 (补假); work resumes Thursday 02-11.
    # 02-01 + 7 = 02-08 → 02-11; 01-07 + 30 = 02-06 → 02-11; 01-28 + 7 = 02-04 (Thursday); 01-05 + 30 = 02-04.
    "inside-chunjie-2027": Row(D("2027-02-08"), D("2027-02-01"), D("2027-02-11"), D("2027-01-28"), 4,
                               D("2027-01-07"), D("2027-02-11"), D("2027-01-05"), 4),
    # Saturday 10-10 is worked (调休 for 国庆): 10-03 + 7 = 10-10; 09-10 + 30 = 10-10; 10-02 + 7 = 10-09.
    "tiaoxiu-saturday": Row(D("2026-10-10"), D("2026-10-03"), D("2026-10-10"), D("2026-10-02"), 1,
                            D("2026-09-10"), D("2026-10-10"), D("2026-09-09"), 1),
    # 12-31: 12-24 + 7 = 12-31; 12-01 + 30 = 12-31; 12-23 + 7 = 12-30; 11-30 + 30 = 12-30.
    "new-years-eve": Row(D("2025-12-31"), D("2025-12-24"), D("2025-12-31"), D("2025-12-23"), 1,
                         D("2025-12-01"), D("2025-12-31"), D("2025-11-30"), 1),
    # 01-01 (元旦 01-01..03, Sunday 01-04 worked): 12-25 + 7 = 01-01 → 01-04; 12-02 + 30 = 01-01 → 01-04.
    "new-years-day": Row(D("2026-01-01"), D("2025-12-25"), D("2026-01-04"), D("2025-12-24"), 1,
                         D("2025-12-02"), D("2026-01-04"), D("2025-11-30"), 2),
    # 2028 is a leap year (not in the table): 02-21 + 7 = 02-28 (Monday); 01-29 + 30 = 02-28;
    # 02-18 + 7 = 02-25 (Friday); 01-26 + 30 = 02-25.
    "feb-28-leap": Row(D("2028-02-28"), D("2028-02-21"), D("2028-02-28"), D("2028-02-18"), 3,
                       D("2028-01-29"), D("2028-02-28"), D("2028-01-26"), 3),
    # 02-22 + 7 = 02-29; 01-30 + 30 = 02-29; 02-21 + 7 = 02-28; 01-29 + 30 = 02-28.
    "feb-29": Row(D("2028-02-29"), D("2028-02-22"), D("2028-02-29"), D("2028-02-21"), 1,
                  D("2028-01-30"), D("2028-02-29"), D("2028-01-29"), 1),
}


@pytest.mark.parametrize("row", ROWS.values(), ids=ROWS.keys())
def test_the_calculator_counts_the_hand_counted_dates(row):
    assert add_days(row.received_on_time, 7).due == row.filing_due
    assert add_days(row.accepted_on_time, 30).due == row.mediation_due
    assert (row.today - add_days(row.received_late, 7).due).days == row.filing_late_days
    assert (row.today - add_days(row.accepted_late, 30).due).days == row.mediation_late_days


def _case(s, receipt: str, received_on: date) -> Case:
    case = Case(receipt_number=receipt, received_on=received_on, cause_code="4.10.108.1", cause_name="金融借款合同纠纷",
                claim_amount=Decimal("50000"), claims="请求判令被告偿还借款本金及利息", facts="被告借款到期未还")
    case.parties = [Party(role=PartyRole.PLAINTIFF, kind=PartyKind.ORGANISATION, name="吉林白河农村商业银行股份有限公司",
                          sort_order=0),
                    Party(role=PartyRole.DEFENDANT, kind=PartyKind.NATURAL, name="王堃", sort_order=1,
                          domicile="吉林省安图县二道白河镇白山大街8号")]
    s.add(case)
    s.flush()
    return case


def _mediated(db, users, org, mediator, receipt: str, accepted_on: date):
    """Through the window and accepted on ``accepted_on`` (each step dated before it), the services' own today."""
    clerk, start = users[Role.FILING_CLERK], accepted_on - timedelta(days=3)
    with db.transaction() as s:
        case = _case(s, receipt, start - timedelta(days=2))
        m = mediation.recommend(s, clerk, case.id, on=start)
        m.status, m.notice_given_on = MediationStatus.NOTICE_GIVEN, start
        mediation.record_choice(s, clerk, m.id, "agree", start)
        mediation.assign(s, clerk, m.id, org.id, mediator.id, on=start + timedelta(days=1))
    with db.transaction() as s:
        mediation_station.accept(s, users[Role.MEDIATOR], m.id, accepted_on=accepted_on)
    return case.id


@pytest.mark.parametrize("udb", ["sqlite"], indirect=True)  # the dates, not the backend, are under test here
@pytest.mark.parametrize("row", ROWS.values(), ids=ROWS.keys())
def test_the_desk_on_that_day(row, udb, uusers):
    create_tables(udb)
    orgs, first, _ = roster(udb, uusers, second_mediator=False)
    with travel_to(row.today):
        assert clocks.today_local() == row.today and mediation.today() == row.today
        with udb.transaction() as s:
            on_time = _case(s, "收D00001", row.received_on_time).id
            late = _case(s, "收D00002", row.received_late).id
        m_on_time = _mediated(udb, uusers, orgs[OrganisationKind.STATION], first, "收D00003", row.accepted_on_time)
        m_late = _mediated(udb, uusers, orgs[OrganisationKind.STATION], first, "收D00004", row.accepted_late)
        with udb.session() as s:
            got = {(c.case_id, c.kind): c for c in clocks.collect(s)}
            clerk_queue = queues.my_queue(s, uusers[Role.FILING_CLERK])
            mediator_queue = queues.my_queue(s, uusers[Role.MEDIATOR])
    left = (row.filing_due - row.today).days
    assert (got[on_time, "filing_decision"].due, got[on_time, "filing_decision"].days_left) == (row.filing_due, left)
    assert got[late, "filing_decision"].days_left == -row.filing_late_days
    m_left = (row.mediation_due - row.today).days
    assert (got[m_on_time, "mediation"].due, got[m_on_time, "mediation"].days_left) == (row.mediation_due, m_left)
    assert got[m_late, "mediation"].days_left == -row.mediation_late_days
    assert got[m_on_time, "mediation"].detail == ("今日到期" if m_left == 0 else f"剩余 {m_left} 日")
    # the queues: the overdue one first, and nothing lost on a holiday
    assert [e.case_id for e in clerk_queue if e.clock.kind == "filing_decision"][:2] == [late, on_time]
    urgency = {(e.case_id, e.clock.kind): e.urgency for e in clerk_queue + mediator_queue}
    assert urgency[late, "filing_decision"] == "overdue" and urgency[m_late, "mediation"] == "overdue"
    assert urgency[on_time, "filing_decision"] != "overdue" and urgency[m_on_time, "mediation"] != "overdue"
    uncovered = row.today.year not in (2025, 2026)
    assert any("按放假办法推算" in w for w in got[m_on_time, "mediation"].warnings) == uncovered  # inferred year
