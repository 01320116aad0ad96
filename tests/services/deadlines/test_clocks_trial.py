"""审理期限: the computation (民事诉讼法第一百五十二条、第一百六十四条、第一百六十八条; 民法典第二百零二条),
and extensions / periods not counted recorded with approver and basis, audited, never silently."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from baihe_desk.errors import PermissionDenied, ValidationError
from baihe_desk.models import AuditRecord, Procedure, Role, Setting, Stage
from baihe_desk.models.clock import ApproverLevel, SuspensionKind, TrialLimitExtension, TrialLimitSuspension
from baihe_desk.services.deadlines import clocks
from baihe_desk.services.deadlines import clocks_trial as ct
from baihe_desk.services.deadlines import clocks_trial_records as rec
from baihe_desk.services.deadlines.holidays import builtin_table
from tests.services.deadlines.clock_world import add_case, build_world

TABLE = builtin_table()
TODAY = clocks.today_local()


def ext(months, level=ApproverLevel.PRESIDENT, procedure=Procedure.ORDINARY, on=date(2026, 1, 10)):
    return TrialLimitExtension(procedure=procedure, months=months, approver_level=level, approved_by_name="院长 吴德华",
                               approved_on=on, reason="案情复杂")


def susp(start, end, kind=SuspensionKind.APPRAISAL):
    return TrialLimitSuspension(kind=kind, started_on=start, ended_on=end, approved_by_name="庭长", approved_on=start)


def test_base_limits_by_procedure_and_the_month_rule():
    small = ct.compute(date(2026, 3, 2), Procedure.SMALL_CLAIMS, [], [], today=date(2026, 3, 2), table=TABLE)
    assert small.due == date(2026, 5, 2) and small.days_left == 61
    simple = ct.compute(date(2025, 11, 30), Procedure.SIMPLE, [], [], today=date(2026, 1, 1), table=TABLE)
    assert simple.nominal == date(2026, 2, 28)  # no 30 February: the month's last day (民法典第二百零二条)
    assert any("月末日" in s for s in simple.steps)
    ordinary = ct.compute(date(2026, 1, 15), Procedure.ORDINARY, [], [], today=date(2026, 1, 15), table=TABLE)
    assert ordinary.due == date(2026, 7, 15) and "第一百五十二条" in ordinary.basis[0]


def test_rest_day_is_not_rolled_over_unless_the_court_says_so():
    # 2026-10-01 … 10-07 National Day: 3 months after 2026-07-03 is Saturday 10-03
    strict = ct.compute(date(2026, 7, 3), Procedure.SIMPLE, [], [], today=date(2026, 7, 3), table=TABLE)
    assert strict.due == date(2026, 10, 3) and any("不顺延" in w for w in strict.warnings)
    rolled = ct.compute(date(2026, 7, 3), Procedure.SIMPLE, [], [], today=date(2026, 7, 3), table=TABLE, rollover=True)
    assert rolled.due == date(2026, 10, 8) and any("第八十五条第三款" in s for s in rolled.steps)


def test_extensions_run_on_from_the_previous_end_and_only_under_the_current_procedure():
    tl = ct.compute(date(2025, 8, 31), Procedure.ORDINARY, [ext(6)], [], today=date(2026, 1, 1), table=TABLE)
    assert tl.due == date(2026, 8, 28)  # 02-28 (no 31st) + 6 months = 08-28, not 08-31
    assert tl.extension_months == 6
    moved = ct.compute(date(2026, 1, 5), Procedure.ORDINARY, [ext(1, procedure=Procedure.SIMPLE)], [],
                       today=date(2026, 2, 1), table=TABLE)
    assert moved.due == date(2026, 7, 5) and moved.extension_months == 0
    assert any("不再计入" in s for s in moved.steps)


def test_periods_not_counted_add_days_and_an_open_one_pauses():
    done = ct.compute(date(2026, 1, 5), Procedure.ORDINARY, [], [susp(date(2026, 2, 1), date(2026, 2, 11))],
                      today=date(2026, 3, 1), table=TABLE)
    assert done.suspended_days == 10 and done.nominal == date(2026, 7, 15)
    overlapping = [susp(date(2026, 2, 1), date(2026, 2, 11)), susp(date(2026, 2, 5), date(2026, 2, 21))]
    assert ct.compute(date(2026, 1, 5), Procedure.ORDINARY, [], overlapping, today=date(2026, 3, 1),
                      table=TABLE).suspended_days == 20
    open_ = ct.compute(date(2025, 1, 5), Procedure.SIMPLE, [], [susp(date(2025, 2, 1), None)],
                       today=date(2026, 1, 1), table=TABLE)
    assert open_.suspended_now and not open_.overdue and "中止计算" in open_.text
    voided = susp(date(2026, 2, 1), date(2026, 2, 11))
    voided.voided_at = clocks_now()
    assert ct.compute(date(2026, 1, 5), Procedure.ORDINARY, [], [voided], today=date(2026, 3, 1),
                      table=TABLE).suspended_days == 0


def clocks_now():
    from baihe_desk.models import utcnow

    return utcnow()


@given(st.dates(date(2024, 1, 1), date(2026, 12, 31)), st.sampled_from(list(Procedure)),
       st.integers(0, 40), st.integers(0, 60))
def test_due_never_before_the_base_limit_and_grows_with_every_day_not_counted(filed, procedure, gap, length):
    base = ct.compute(filed, procedure, [], [], today=filed, table=TABLE)
    start = filed + timedelta(days=gap)
    more = ct.compute(filed, procedure, [], [susp(start, start + timedelta(days=length))], today=filed, table=TABLE)
    assert (more.nominal - base.nominal).days == length
    assert base.nominal > filed


@pytest.fixture
def world(udb, uusers):
    return build_world(udb, uusers)


def _trial_case(world, *, procedure=Procedure.SIMPLE, filed_days_ago=30, judge=None):
    with world.db.transaction() as s:
        filed = TODAY - timedelta(days=filed_days_ago)
        return add_case(s, received_on=filed, stage=Stage.IN_TRIAL, filed_on=filed, procedure=procedure,
                        judge_id=(judge or world.users[Role.JUDGE]).id).id


def _due(world, case_id):
    with world.db.session() as s:
        return [c for c in clocks.case_clocks(s, case_id) if c.kind == "trial_limit"][0]


def test_president_extension_is_recorded_with_approver_and_audited(world):
    case_id = _trial_case(world)
    before = _due(world, case_id).due
    judge = world.users[Role.JUDGE]
    with world.db.transaction() as s:
        result = rec.record_extension(s, judge, case_id, months=1, approver_level="president",
                                      approved_by_name="院长 吴德华", approved_on=TODAY, reason="需调取银行流水",
                                      approval_ref="延审〔2026〕3号")
    after = _due(world, case_id)
    assert after.due == ct.months_later(before, 1)[0] and result.after.due == after.due
    assert any("吴德华" in s and "延审〔2026〕3号" in s for s in after.steps)
    with world.db.session() as s:
        row = s.scalar(select(TrialLimitExtension))
        assert (row.due_before, row.due_after, row.recorded_by_id) == (before, after.due, judge.id)
        audit = s.scalar(select(AuditRecord).where(AuditRecord.action == "trial_limit.extend"))
        assert audit.before["due"] == before.isoformat() and audit.after["due"] == after.due.isoformat()
        assert audit.after["approved_by_name"] == "院长 吴德华"
    with world.db.transaction() as s, pytest.raises(ValidationError, match="第一百六十四条"):
        rec.record_extension(s, judge, case_id, months=1, approver_level="president", approved_by_name="院长",
                             approved_on=TODAY, reason="再延")


def test_ordinary_goes_to_the_higher_court_only_after_the_presidents_six_months(world):
    case_id = _trial_case(world, procedure=Procedure.ORDINARY, filed_days_ago=200)
    chief = world.users[Role.DIVISION_CHIEF]
    kw = dict(approved_by_name="延边林区中级法院", approved_on=TODAY, reason="疑难复杂")
    with world.db.transaction() as s, pytest.raises(ValidationError, match="先经本院院长批准"):
        rec.record_extension(s, chief, case_id, months=3, approver_level="higher_court", **kw)
    with world.db.transaction() as s:
        first = rec.record_extension(s, chief, case_id, months=6, approver_level="president",
                                     approved_by_name="院长", approved_on=TODAY, reason="疑难复杂")
        assert first.warnings and "届满前" in first.warnings[0]  # the limit ran out 200 − 181 days ago
        rec.record_extension(s, chief, case_id, months=3, approver_level="higher_court", **kw)
    small = _trial_case(world, procedure=Procedure.SMALL_CLAIMS)
    with world.db.transaction() as s, pytest.raises(ValidationError, match="上级人民法院"):
        rec.record_extension(s, chief, small, months=1, approver_level="higher_court", **kw)


def test_suspension_with_basis_ends_and_can_be_voided_but_not_deleted(world):
    case_id = _trial_case(world, procedure=Procedure.ORDINARY)
    base = _due(world, case_id).due
    clerk = world.users[Role.CLERK]
    with world.db.transaction() as s:
        r = rec.record_suspension(s, clerk, case_id, kind="appraisal", started_on=TODAY - timedelta(days=10),
                                  ended_on=None, approved_by_name="庭长 周建国", approved_on=TODAY - timedelta(days=10),
                                  reason="委托司法鉴定")
        sid = r.record.id
        assert "第二百四十三条" in r.record.basis
    paused = _due(world, case_id)
    assert paused.state == "paused" and not paused.overdue and paused.urgency(3) == "none"
    with world.db.transaction() as s:
        rec.end_suspension(s, clerk, sid, TODAY - timedelta(days=2))
    assert _due(world, case_id).due == base + timedelta(days=8)
    with world.db.transaction() as s, pytest.raises(ValidationError, match="法律依据"):
        rec.record_suspension(s, clerk, case_id, kind="other", started_on=TODAY, ended_on=None,
                              approved_by_name="院长", approved_on=TODAY, reason="其他")
    with world.db.transaction() as s:
        rec.void(s, clerk, sid, "录入错误")
    assert _due(world, case_id).due == base
    with world.db.session() as s:
        row = s.get(TrialLimitSuspension, sid)
        assert row.voided_at is not None and row.void_reason == "录入错误"
        actions = list(s.scalars(select(AuditRecord.action).where(AuditRecord.action.like("trial_limit.%"))))
        assert actions == ["trial_limit.suspend", "trial_limit.suspension_end", "trial_limit.void"]


def test_who_may_record_is_checked_and_a_refusal_is_audited(world):
    case_id = _trial_case(world)
    kw = dict(months=1, approver_level="president", approved_by_name="院长", approved_on=TODAY, reason="复杂")
    with world.db.transaction() as s, pytest.raises(PermissionDenied):
        rec.record_extension(s, world.users[Role.FILING_CLERK], case_id, **kw)
    with world.db.transaction() as s, pytest.raises(PermissionDenied, match="本人承办"):
        rec.record_extension(s, world.judge2, case_id, **kw)
    with world.db.session() as s:
        denied = list(s.scalars(select(AuditRecord).where(AuditRecord.action == "permission.denied")))
        assert len(denied) == 2 and s.scalar(select(TrialLimitExtension)) is None


def test_rollover_setting_changes_the_clock(world):
    with world.db.transaction() as s:
        case_id = add_case(s, received_on=date(2026, 7, 1), stage=Stage.IN_TRIAL, filed_on=date(2026, 7, 3),
                           procedure=Procedure.SIMPLE).id
    assert _due(world, case_id).due == date(2026, 10, 3)  # default: the earlier date
    with world.db.transaction() as s:
        s.add(Setting(key=ct.ROLLOVER_KEY, value=True))
    assert _due(world, case_id).due == date(2026, 10, 8)  # after the National Day holiday
    from baihe_desk.services.admin import settings

    assert settings.definition(ct.ROLLOVER_KEY).confirmed is False


def test_grouped_counts_for_statistics_agree_with_the_clocks(world):
    judge = world.users[Role.JUDGE]
    ids = []
    with world.db.transaction() as s:
        for days, procedure in ((10, Procedure.SIMPLE), (89, Procedure.SIMPLE), (89, Procedure.SIMPLE),
                                (100, Procedure.SIMPLE), (200, Procedure.ORDINARY), (50, Procedure.SMALL_CLAIMS)):
            filed = TODAY - timedelta(days=days)
            ids.append(add_case(s, received_on=filed, stage=Stage.IN_TRIAL, filed_on=filed, procedure=procedure,
                                judge_id=judge.id).id)
        ids.append(add_case(s, received_on=TODAY, stage=Stage.FILED, filed_on=TODAY, procedure=Procedure.SIMPLE,
                            judge_id=world.judge2.id).id)
    with world.db.transaction() as s:  # an extension and an open suspension change two of them
        rec.record_extension(s, judge, ids[3], months=1, approver_level="president", approved_by_name="院长",
                             approved_on=TODAY, reason="复杂")
        rec.record_suspension(s, judge, ids[4], kind="appraisal", started_on=TODAY - timedelta(days=5), ended_on=None,
                              approved_by_name="庭长", approved_on=TODAY, reason="鉴定")
    with world.db.session() as s:
        table = clocks.holiday_table(s)
        got = ct.limit_counts(s, today=TODAY, table=table, near_days=3)
        items = [c for c in clocks.collect(s) if c.kind == "trial_limit"]
    expected = {}
    for c in items:
        key = next(iter(c.owner_ids)).hex
        e = expected.setdefault(key, [0, 0, 0])
        e[0] += 1
        e[1] += c.overdue
        e[2] += c.urgency(3) == "near"
    assert {j: [v.running, v.overdue, v.near] for (j, _d), v in got.items()} == expected
    assert sum(v.running for v in got.values()) == 7
