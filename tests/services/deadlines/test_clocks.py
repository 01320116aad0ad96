"""期限 (clocks): the provider registry and each workflow's clocks against the workflow's own rules."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from baihe_desk.models import Case, PartyRole, Procedure, Role, Stage
from baihe_desk.models.enforcement import ConsultStatus, EnforcementConsultation
from baihe_desk.models.explanation import DecisionKind, JudgmentRecord, JudgmentService
from baihe_desk.models.mediation import MediationCase, MediationOrganisation, MediationStatus, Mediator
from baihe_desk.models.review import ComplaintReview, ReviewOutcome
from baihe_desk.models.service_address import ServedDocument, ServiceAttempt, ServiceMethod, ServiceResult
from baihe_desk.services.deadlines import clocks
from baihe_desk.services.deadlines.clocks import Clock, case_clocks, collect, register_clock_provider
from baihe_desk.services.filing import complaint_review
from tests.fake_today import travel_to
from tests.services.deadlines.clock_world import add_case, build_world

# Wednesday 2026-11-18; the expected dates below are counted by hand from it (CPL art. 85: the first day
# is not counted, a period ending on a rest day ends on the next working day).
TODAY = date(2026, 11, 18)


@pytest.fixture(autouse=True)
def _on_a_wednesday():
    with travel_to(TODAY):
        yield


@pytest.fixture
def world(udb, uusers):
    return build_world(udb, uusers)


def _by_kind(items, kind):
    return [c for c in items if c.kind == kind]


def test_builtin_providers_are_registered_and_a_workflow_can_add_its_own(world):
    names = set(clocks.providers())
    assert {"filing", "mediation", "enforcement", "appeal", "explanation", "public_notice", "trial_limit"} <= names
    with world.db.transaction() as s:
        case = add_case(s, received_on=TODAY, stage=Stage.FILED)
        case_id = case.id

    def extra(session, scope):
        if scope.case_ids is None or case_id in scope.case_ids:
            yield Clock("custom", "测试期限", case_id, "custom.step", TODAY + timedelta(days=2), 2, duty=True,
                        basis=("测试依据",))

    register_clock_provider(extra, name="test.extra")
    try:
        with world.db.session() as s:
            found = _by_kind(case_clocks(s, case_id), "custom")
        assert len(found) == 1 and found[0].basis == ("测试依据",) and found[0].urgency(3) == "near"
    finally:
        clocks.unregister_clock_provider("test.extra")
    assert "test.extra" not in clocks.providers()


def test_filing_clocks_follow_complaint_review_filing_clock(world):
    clerk = world.users[Role.FILING_CLERK]
    with world.db.transaction() as s:
        old = add_case(s, received_on=TODAY - timedelta(days=20), created_by_id=clerk.id)
        fresh = add_case(s, received_on=TODAY, created_by_id=clerk.id)
        corrected = add_case(s, received_on=TODAY - timedelta(days=30), stage=Stage.CORRECTION)
        first = ComplaintReview(case_id=corrected.id, round_no=1, checklist_version="t",
                                materials_received_on=corrected.received_on, reviewer_id=clerk.id,
                                finished_at=clocks_now(), outcome=ReviewOutcome.CORRECTION,
                                decided_on=TODAY - timedelta(days=28), correction_days=15,
                                correction_deadline=TODAY - timedelta(days=13))
        s.add(first)
        s.flush()
        s.add(ComplaintReview(case_id=corrected.id, round_no=2, checklist_version="t", previous_review_id=first.id,
                              materials_received_on=TODAY - timedelta(days=2), reviewer_id=clerk.id))
        waiting = add_case(s, received_on=TODAY - timedelta(days=5), stage=Stage.CORRECTION)
        s.add(ComplaintReview(case_id=waiting.id, round_no=1, checklist_version="t",
                              materials_received_on=waiting.received_on, finished_at=clocks_now(),
                              outcome=ReviewOutcome.CORRECTION, decided_on=TODAY - timedelta(days=4),
                              correction_days=15, correction_deadline=TODAY + timedelta(days=11)))
        ids = [old.id, fresh.id, corrected.id, waiting.id]
    with world.db.session() as s:
        got = {c.case_id: c for c in collect(s, case_ids=ids) if c.kind in ("filing_decision", "correction")}
        for cid in ids:
            expected = complaint_review.filing_clock(s.get(Case, cid), today=TODAY)
            c = got[cid]
            if expected.state == "running":
                assert (c.kind, c.due, c.days_left, c.overdue) == ("filing_decision", expected.due,
                                                                   expected.days_left, expected.overdue)
                assert list(c.basis) == expected.basis
                assert list(c.warnings) == expected.warnings
            else:
                assert expected.state == "waiting_correction"
                assert (c.kind, c.due) == ("correction", expected.correction_deadline)
        assert got[old.id].overdue and got[old.id].team is Role.FILING_CLERK and clerk.id in got[old.id].owner_ids
        assert "先行立案" in got[old.id].detail
        assert not got[fresh.id].overdue and got[fresh.id].days_left == 7  # 11-18 + 7 = 11-25 (Wed)
        assert got[corrected.id].warnings and "补正期限" in got[corrected.id].warnings[-1]
        assert not got[waiting.id].duty and got[waiting.id].days_left == 11
        # all open items at once give the same clocks
        everything = {(c.case_id, c.kind, c.due) for c in collect(s) if c.case_id in ids}
        assert everything == {(c.case_id, c.kind, c.due) for c in got.values()}


def clocks_now():
    from baihe_desk.models import utcnow

    return utcnow()


def _mediation(s, world, *, accepted_on, status=MediationStatus.IN_PROGRESS):
    org = s.scalar(select(MediationOrganisation)) or MediationOrganisation(name="诉非联动服务站", kind="station")
    s.add(org)
    s.flush()
    mediator = s.scalar(select(Mediator)) or Mediator(organisation_id=org.id,
                                                     user_id=world.users[Role.MEDIATOR].id, name="董秀兰")
    s.add(mediator)
    s.flush()
    case = add_case(s, received_on=accepted_on - timedelta(days=3), stage=Stage.PRE_MEDIATION)
    m = MediationCase(case_id=case.id, status=status, mediator_id=mediator.id, organisation_id=org.id,
                      accepted_on=accepted_on, period_days=30, assigned_on=accepted_on)
    s.add(m)
    s.flush()
    return m


def test_mediation_clock_is_the_mediation_period_state_on_the_mediators_queue(world):
    with world.db.transaction() as s:
        m = _mediation(s, world, accepted_on=TODAY - timedelta(days=40))
        waiting = _mediation(s, world, accepted_on=TODAY - timedelta(days=1), status=MediationStatus.ASSIGNED)
        ids = [m.case_id, waiting.case_id]
    with world.db.session() as s:
        items = collect(s, case_ids=ids)
        clock = _by_kind(items, "mediation")[0]
        # accepted 10-09: + 30 = 11-08 (Sunday) → Monday 11-09, nine days before 11-18
        assert (clock.due, clock.days_left, clock.detail) == (date(2026, 11, 9), -9, "已超期 9 日")
        assert clock.overdue and world.users[Role.MEDIATOR].id in clock.owner_ids
        assert any("第二十七条" in b for b in clock.basis)
        todo = _by_kind(items, "mediation_accept")[0]
        assert todo.due is None and todo.urgency(3) == "none"


def test_enforcement_reply_clock_is_on_the_bureaus_queue_and_the_judge_waits(world):
    judge = world.users[Role.JUDGE]
    sent = TODAY - timedelta(days=30)  # Monday 10-19
    # 15 working days after it: 10-20..23 (4), 10-26..30 (9), 11-02..06 (14), Monday 11-09 (15)
    due = date(2026, 11, 9)
    with world.db.transaction() as s:
        case = add_case(s, received_on=sent - timedelta(days=40), stage=Stage.IN_TRIAL, filed_on=sent - timedelta(days=35),
                        procedure=Procedure.ORDINARY, judge_id=judge.id)
        s.add(EnforcementConsultation(case_id=case.id, status=ConsultStatus.SENT, number="（2026）吉7502执咨1号",
                                      created_by_id=judge.id, sent_by_id=judge.id, sent_on=sent, reply_days=15,
                                      reply_due=due, due_steps=["起算"]))
        case_id = case.id
    with world.db.session() as s:
        clock = _by_kind(collect(s, case_ids=[case_id]), "consult_reply")[0]
    assert clock.team is Role.ENFORCEMENT and judge.id in clock.watcher_ids and clock.due == due
    assert clock.overdue and "已逾期" in clock.detail and "本院工作规范" in clock.basis[0]


def test_appeal_clock_per_party_from_its_own_service(world):
    judge = world.users[Role.JUDGE]
    served = TODAY - timedelta(days=3)
    with world.db.transaction() as s:
        case = add_case(s, received_on=TODAY - timedelta(days=100), stage=Stage.JUDGED,
                        filed_on=TODAY - timedelta(days=95), procedure=Procedure.SIMPLE, judge_id=judge.id)
        plaintiff = next(p for p in case.parties if p.role is PartyRole.PLAINTIFF)
        j = JudgmentRecord(case_id=case.id, kind=DecisionKind.JUDGMENT, pronounced_on=served)
        j.services = [JudgmentService(party_id=plaintiff.id, served_on=served)]
        s.add(j)
        case_id = case.id
    with world.db.session() as s:
        items = _by_kind(collect(s), "appeal")
    mine = [c for c in items if c.case_id == case_id]
    running = [c for c in mine if c.due is not None][0]
    assert running.due == date(2026, 11, 30)  # 11-15 + 15 = 11-30 (Mon) and not running.duty and judge.id in running.watcher_ids
    assert any("第一百七十一条" in b for b in running.basis)
    todo = [c for c in mine if c.due is None][0]  # the defendant has no service date yet
    assert todo.state == "todo" and "被告" in todo.party


def test_public_notice_clock_ends_when_the_document_is_deemed_served(world):
    with world.db.transaction() as s:
        case = add_case(s, received_on=TODAY - timedelta(days=60), stage=Stage.IN_TRIAL,
                        filed_on=TODAY - timedelta(days=55), procedure=Procedure.ORDINARY,
                        judge_id=world.users[Role.JUDGE].id)
        defendant = next(p for p in case.parties if p.role is PartyRole.DEFENDANT)
        s.add(ServiceAttempt(case_id=case.id, party_id=defendant.id, method=ServiceMethod.PUBLIC_NOTICE,
                             document=ServedDocument.COMPLAINT_COPY, attempted_on=TODAY - timedelta(days=10),
                             result=ServiceResult.PUBLISHED, notice_days=30, note="下落不明"))
        case_id = case.id
    with world.db.session() as s:
        items = collect(s, case_ids=[case_id])
    notice = _by_kind(items, "public_notice")[0]
    assert notice.due == date(2026, 12, 8)  # 11-08 + 30 = 12-08 (Tue) and "第九十五条" in notice.basis[0]
    trial = _by_kind(items, "trial_limit")[0]
    assert any("第二百四十三条" in w and "扣除审限" in w for w in trial.warnings)  # said, never deducted silently


def test_case_clocks_are_sorted_overdue_first(world):
    with world.db.transaction() as s:
        case = add_case(s, received_on=TODAY - timedelta(days=400), stage=Stage.IN_TRIAL,
                        filed_on=TODAY - timedelta(days=400), procedure=Procedure.SIMPLE)
        case_id = case.id

    def soon(session, scope):
        yield Clock("custom", "近期", case_id, "x", TODAY + timedelta(days=1), 1, duty=True)

    register_clock_provider(soon, name="test.soon")
    try:
        with world.db.session() as s:
            got = case_clocks(s, case_id)
    finally:
        clocks.unregister_clock_provider("test.soon")
    assert [c.kind for c in got] == ["trial_limit", "custom"] and got[0].overdue


def test_a_deleted_or_unknown_case_has_no_clocks(world):
    with world.db.session() as s:
        assert case_clocks(s, uuid.uuid4()) == []
        assert s.scalar(select(Case).limit(1)) is None
