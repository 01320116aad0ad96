"""我的待办 and the dashboard: who sees which clock, in which order, and counts that match the data."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from baihe_desk.models import Procedure, Role, Setting, Stage
from baihe_desk.models.enforcement import ConsultStatus, EnforcementConsultation
from baihe_desk.services.deadlines import clocks, queues
from tests.fake_today import travel_to
from tests.services.deadlines.clock_world import add_case, build_world

# A Wednesday of an ordinary week; every date below is counted by hand from it (no calendar luck: the
# same scenario on holidays and weekends is in test_calendar_table.py).
TODAY = date(2026, 11, 18)


@pytest.fixture(autouse=True)
def _on_a_wednesday():
    with travel_to(TODAY):
        yield


@pytest.fixture
def world(udb, uusers):
    w = build_world(udb, uusers)
    judge, clerk = w.users[Role.JUDGE], w.users[Role.FILING_CLERK]
    with w.db.transaction() as s:
        w.fresh = add_case(s, received_on=TODAY - timedelta(days=1), created_by_id=clerk.id, plaintiff="赵一").id
        w.late = add_case(s, received_on=TODAY - timedelta(days=30), created_by_id=clerk.id, plaintiff="钱二").id
        # received 11-11: + 7 days = 11-18, due today
        w.today_due = add_case(s, received_on=date(2026, 11, 11), created_by_id=clerk.id, plaintiff="孙三").id
        # trial limits: one overdue, one near, one far — the judge's; one in the tribunal (judge2)
        w.over = add_case(s, received_on=TODAY - timedelta(days=120), stage=Stage.IN_TRIAL,
                          filed_on=TODAY - timedelta(days=100), procedure=Procedure.SIMPLE, judge_id=judge.id).id
        near_filed = date(2026, 8, 19)  # 3 months: 11-19 (Thursday), due tomorrow
        w.near = add_case(s, received_on=near_filed, stage=Stage.IN_TRIAL, filed_on=near_filed,
                          procedure=Procedure.SIMPLE, judge_id=judge.id).id
        w.far = add_case(s, received_on=TODAY - timedelta(days=5), stage=Stage.FILED, filed_on=TODAY - timedelta(days=5),
                         procedure=Procedure.ORDINARY, judge_id=judge.id).id
        w.other = add_case(s, received_on=TODAY - timedelta(days=400), stage=Stage.IN_TRIAL,
                           filed_on=TODAY - timedelta(days=400), procedure=Procedure.ORDINARY,
                           judge_id=w.judge2.id).id
        s.add(EnforcementConsultation(case_id=w.far, status=ConsultStatus.SENT, number="（2026）吉7502执咨1号",
                                      created_by_id=judge.id, sent_by_id=judge.id, sent_on=TODAY - timedelta(days=2),
                                      reply_days=15, reply_due=TODAY + timedelta(days=15)))
    return w


def _queue(world, role_or_user):
    user = world.users[role_or_user] if isinstance(role_or_user, Role) else role_or_user
    with world.db.session() as s:
        return queues.my_queue(s, user)


def test_clerks_queue_shows_the_overdue_filing_decision_first(world):
    q = _queue(world, Role.FILING_CLERK)
    assert [e.case_id for e in q] == [world.late, world.today_due, world.fresh]
    first = q[0]
    assert first.urgency == "overdue" and first.step == "filing.review" and first.relation in ("mine", "team")
    assert first.parties == "钱二 诉 李喆玥" and first.department == "立案庭"
    assert q[1].urgency == "near" and 0 <= q[1].days_left <= 3


def test_judge_sees_own_trial_limits_and_waits_for_the_bureau(world):
    q = _queue(world, Role.JUDGE)
    kinds = [(e.case_id, e.clock.kind, e.urgency, e.relation) for e in q]
    assert kinds[0] == (world.over, "trial_limit", "overdue", "mine")
    assert kinds[1] == (world.near, "trial_limit", "near", "mine")
    assert (world.far, "consult_reply", "ok", "waiting") in kinds
    assert world.other not in {e.case_id for e in q}
    assert [e.case_id for e in _queue(world, world.judge2)] == [world.other]
    bureau = _queue(world, Role.ENFORCEMENT)
    assert [(e.case_id, e.relation, e.step) for e in bureau] == [(world.far, "team", "enforcement.reply")]


def test_assistant_sees_the_departments_trial_side_and_mediator_sees_nothing_here(world):
    q = _queue(world, Role.JUDGE_ASSISTANT)
    assert {e.case_id for e in q} == {world.over, world.near, world.far}
    assert all(e.relation == "department" for e in q)
    assert _queue(world, Role.MEDIATOR) == []


def test_dashboard_counts_match_the_data_and_the_chief_gets_the_department_list(world):
    with world.db.session() as s:
        d = queues.dashboard(s, world.users[Role.DIVISION_CHIEF])
        vp = queues.dashboard(s, world.users[Role.VICE_PRESIDENT])
        clerk = queues.dashboard(s, world.users[Role.FILING_CLERK])
    assert d.near_days == 3 and d.mine == [] and d.counts.total == 0
    [trial] = d.departments
    assert trial.name == "民事审判庭"
    assert (trial.counts.total, trial.counts.overdue, trial.counts.near) == (4, 1, 1)  # 3 limits + the reply
    assert [e.case_id for e in trial.entries][:2] == [world.over, world.near]
    assert [dl.name for dl in vp.departments] == ["民事审判庭"]
    assert (clerk.counts.total, clerk.counts.overdue, clerk.counts.near) == (3, 1, 1)
    assert clerk.by_kind["filing_decision"].total == 3 and clerk.departments == []


def test_near_due_days_is_the_court_setting(world):
    with world.db.transaction() as s:
        s.add(Setting(key=clocks.NEAR_DUE_KEY, value=7))
    with world.db.session() as s:
        d = queues.dashboard(s, world.users[Role.FILING_CLERK])
    # 赵一 received 11-17: + 7 = 11-24, 6 days left — near with 7 days, not with 3
    assert d.near_days == 7 and (d.counts.overdue, d.counts.near) == (1, 2)
    with world.db.transaction() as s:
        s.get(Setting, clocks.NEAR_DUE_KEY).value = "bad"
    with world.db.session() as s:
        assert clocks.near_due_days(s) == 3


def test_admin_sees_every_department(world):
    with world.db.session() as s:
        d = queues.dashboard(s, world.users[Role.ADMIN])
    names = [dl.name for dl in d.departments]
    assert names == ["立案庭", "民事审判庭", "长白山保护区人民法庭", "执行局"]
    tribunal = d.departments[2]
    assert [e.case_id for e in tribunal.entries] == [world.other] and tribunal.counts.overdue == 1
