"""层进式答疑: 承办法官 → 庭长 → 分管院长, each tier recorded only by the person assigned to it."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from baihe_desk.errors import KnownError, PermissionDenied, ValidationError, ValidationErrors
from baihe_desk.models import AuditRecord, Department, User
from baihe_desk.models.explanation import (
    Channel,
    ExplanationRequest,
    ExplanationTier,
    PartyDecision,
    RequestStatus,
)
from baihe_desk.services.explanation import tiers as et
from tests.services.explanation.test_explanation_support import (
    DUE_DEFENDANT,
    DUE_PLAINTIFF,
    TIER_TEXT,
    TODAY,
    build_org,
    judged,
)


@pytest.fixture
def org(db, users):
    o = build_org(db, users)
    judged(db, o)
    return o


def _request(db, org, party_id=None, received=date(2026, 9, 25)):  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        req = et.open_request(s, org.clerk, org.case_id, party_id=party_id or org.defendant_id, channel=Channel.PHONE,
                              questions="借条签名不是本人所签，为何认定？", received_on=received,
                              categories=["证据采信", "没有这一类"], on=TODAY)
        return req.id, req.tiers[0].id


def _record(db, actor, tier_id, decision, held_on, **changes):  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        return et.record_tier(s, actor, tier_id, held_on=held_on, decision=decision, on=TODAY,
                              **{**TIER_TEXT, **changes})


def _escalate(db, actor, request_id):  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        return et.escalate(s, actor, request_id, on=TODAY).id


def test_tier_one_goes_to_the_judge_by_name(db, org):
    request_id, tier_id = _request(db, org)
    with db.session() as s:
        req = s.get(ExplanationRequest, request_id)
        tier = s.get(ExplanationTier, tier_id)
        assert (req.status, req.current_tier, req.requester_name, req.categories) == \
            (RequestStatus.OPEN, 1, "刘䶮", ["证据采信"])
        assert (tier.tier_no, tier.assignee_id, tier.assignee_name, tier.assignee_role) == \
            (1, org.judge.id, "李堃", "承办法官")
        assert [t.id for t in et.my_open_tiers(s, org.judge.id)] == [tier_id]


def test_escalates_to_the_chief_and_accepts_there(db, org):
    request_id, t1 = _request(db, org, party_id=org.plaintiff_id)
    _record(db, org.judge, t1, PartyDecision.STILL_OBJECTS, date(2026, 9, 28))
    with db.session() as s:
        assert s.get(ExplanationRequest, request_id).status is RequestStatus.AWAITING_ESCALATION
    t2 = _escalate(db, org.clerk, request_id)
    with db.session() as s:
        tier = s.get(ExplanationTier, t2)
        assert (tier.tier_no, tier.assignee_id, tier.assignee_role, tier.department_id) == \
            (2, org.chief.id, "庭长", org.civil_id)
    _record(db, org.chief, t2, PartyDecision.ACCEPTS, date(2026, 9, 29))
    with db.session() as s:
        req = s.get(ExplanationRequest, request_id)
        assert (req.status, req.outcome, req.closed_on) == (RequestStatus.CLOSED, PartyDecision.ACCEPTS, date(2026, 9, 29))
        days = [(t.tier_no, t.appeal_due, t.appeal_days_left) for t in req.tiers]
    assert days == [(1, DUE_PLAINTIFF, 10), (2, DUE_PLAINTIFF, 9)]  # 10-08 seen on 09-28 and 09-29
    with db.transaction() as s, pytest.raises(KnownError, match="只有本级答疑已记录且当事人仍有异议"):
        et.escalate(s, org.clerk, request_id, on=TODAY)


def test_three_tiers_then_appeal_and_the_deadline_was_right_all_along(db, org):
    request_id, t1 = _request(db, org)
    _record(db, org.judge, t1, PartyDecision.STILL_OBJECTS, date(2026, 9, 28))
    t2 = _escalate(db, org.judge, request_id)  # the tier-1 judge may offer the next tier too
    _record(db, org.chief, t2, PartyDecision.STILL_OBJECTS, date(2026, 9, 29))
    t3 = _escalate(db, org.clerk, request_id)
    with db.session() as s:
        assert s.get(ExplanationTier, t3).assignee_id == org.vice_president.id
    _record(db, org.vice_president, t3, PartyDecision.WILL_APPEAL, date(2026, 9, 30))
    with db.session() as s:
        req = s.get(ExplanationRequest, request_id)
        assert (req.status, req.outcome) == (RequestStatus.CLOSED, PartyDecision.WILL_APPEAL)
        assert [(t.assignee_role, t.appeal_due, t.appeal_days_left) for t in req.tiers] == [
            ("承办法官", DUE_DEFENDANT, 11), ("庭长", DUE_DEFENDANT, 10), ("分管院长", DUE_DEFENDANT, 9)]
        audits = s.scalars(select(AuditRecord).where(AuditRecord.entity_id.in_([str(t1), str(t2), str(t3)]))
                              .order_by(AuditRecord.seq)).all()
        assert [a.action for a in audits] == ["explanation.assign", "explanation.tier"] * 3
        assert audits[-1].after["appeal_text"] == "上诉期至2026年10月9日届满，尚余 9 日"
        assert audits[-1].after["decision"] == "will_appeal" and audits[-1].user_id == org.vice_president.id
    with db.transaction() as s, pytest.raises(KnownError):
        et.escalate(s, org.clerk, request_id, on=TODAY)


@pytest.mark.parametrize("who", ["clerk", "other_chief", "chief", "vice_president"])
def test_nobody_but_the_assignee_records_tier_one(db, org, who):
    request_id, t1 = _request(db, org)
    actor = getattr(org, who)
    with pytest.raises(PermissionDenied, match="李堃" if who != "clerk" else "无权主持判后答疑"):
        _record(db, actor, t1, PartyDecision.ACCEPTS, date(2026, 9, 28))
    with db.session() as s:
        assert s.get(ExplanationTier, t1).recorded_at is None  # nothing changed …
        last = s.scalars(select(AuditRecord).order_by(AuditRecord.seq.desc())).first()
        assert last.user_id == actor.id  # … but the refusal is on record
        if who == "clerk":
            assert last.action == "permission.denied"
        else:
            assert last.action == "explanation.tier_denied" and last.after["refused"] is True


def test_a_chief_of_another_division_cannot_record_tiers_two_and_three(db, org):
    request_id, t1 = _request(db, org)
    _record(db, org.judge, t1, PartyDecision.STILL_OBJECTS, date(2026, 9, 28))
    t2 = _escalate(db, org.clerk, request_id)
    for actor in (org.other_chief, org.judge, org.vice_president, org.clerk):
        with pytest.raises(PermissionDenied):
            _record(db, actor, t2, PartyDecision.ACCEPTS, date(2026, 9, 29))
    _record(db, org.chief, t2, PartyDecision.STILL_OBJECTS, date(2026, 9, 29))
    t3 = _escalate(db, org.clerk, request_id)
    for actor in (org.other_chief, org.chief, org.judge, org.clerk):
        with pytest.raises(PermissionDenied):
            _record(db, actor, t3, PartyDecision.ACCEPTS, date(2026, 9, 30))
    with db.session() as s:
        denials = s.scalars(select(AuditRecord).where(AuditRecord.action.in_(
            ["explanation.tier_denied", "permission.denied"]))).all()
        assert len(denials) == 8


def test_no_tier_is_ever_skipped(db, org):
    request_id, t1 = _request(db, org)
    with db.transaction() as s, pytest.raises(KnownError):  # tier 1 not recorded yet
        et.escalate(s, org.clerk, request_id, on=TODAY)
    _record(db, org.judge, t1, PartyDecision.STILL_OBJECTS, date(2026, 9, 28))
    t2 = _escalate(db, org.clerk, request_id)
    with db.transaction() as s, pytest.raises(KnownError):  # tier 2 not recorded: no tier 3
        et.escalate(s, org.clerk, request_id, on=TODAY)
    with db.session() as s:
        assert [t.tier_no for t in s.get(ExplanationRequest, request_id).tiers] == [1, 2]
    with pytest.raises(KnownError, match="已于"):  # a recorded tier is final
        _record(db, org.judge, t1, PartyDecision.ACCEPTS, date(2026, 9, 28))
    assert t2


def test_the_party_may_stop_after_a_tier(db, org):
    request_id, t1 = _request(db, org)
    _record(db, org.judge, t1, PartyDecision.STILL_OBJECTS, date(2026, 9, 28))
    with db.transaction() as s:
        et.close_request(s, org.clerk, request_id, note="当事人表示不再申请庭长答疑。", on=TODAY)
    with db.session() as s:
        req = s.get(ExplanationRequest, request_id)
        assert (req.status, req.outcome, req.close_note) == \
            (RequestStatus.CLOSED, PartyDecision.STILL_OBJECTS, "当事人表示不再申请庭长答疑。")


def test_missing_chief_or_same_person_is_a_calm_error(db, org):
    request_id, t1 = _request(db, org)
    _record(db, org.judge, t1, PartyDecision.STILL_OBJECTS, date(2026, 9, 28))
    with db.transaction() as s:
        s.get(Department, org.civil_id).chief_id = None
    with db.transaction() as s, pytest.raises(KnownError, match="民事审判庭尚未设置庭长"):
        et.escalate(s, org.clerk, request_id, on=TODAY)
    with db.transaction() as s:
        s.get(Department, org.civil_id).chief_id = org.judge.id
    with db.transaction() as s, pytest.raises(KnownError, match="同一人"):
        et.escalate(s, org.clerk, request_id, on=TODAY)


def test_decisions_must_fit_the_appeal_period(db, org):
    request_id, t1 = _request(db, org)
    with pytest.raises(ValidationError, match="尚未发生法律效力，不能申请再审"):
        _record(db, org.judge, t1, PartyDecision.RETRIAL, date(2026, 9, 28))
    with pytest.raises(ValidationErrors) as caught:
        _record(db, org.judge, t1, PartyDecision.ACCEPTS, date(2026, 10, 1), place="", end_time="08:00")
    assert {e.field for e in caught.value.errors} == {"答疑地点", "结束时间", "答疑日期"}


def test_after_the_period_an_appeal_is_no_longer_possible(db, org):
    request_id, t1 = _request(db, org)
    late = date(2026, 10, 12)
    with db.transaction() as s, pytest.raises(ValidationError, match="已不能上诉"):
        et.record_tier(s, org.judge, t1, held_on=late, decision=PartyDecision.WILL_APPEAL, on=late, **TIER_TEXT)
    with db.transaction() as s:
        tier = et.record_tier(s, org.judge, t1, held_on=late, decision=PartyDecision.RETRIAL, on=late, **TIER_TEXT)
        assert (tier.appeal_state, tier.appeal_days_left) == ("expired", -3)


def test_request_needs_a_judge_a_judgment_and_the_right_role(db, org, users):
    with db.transaction() as s, pytest.raises(PermissionDenied):
        et.open_request(s, s.get(User, org.chief.id), org.case_id, party_id=org.plaintiff_id, channel=Channel.WINDOW,
                        questions="？", on=TODAY)
    with db.transaction() as s, pytest.raises(ValidationError, match="答疑问题"):
        et.open_request(s, org.filing_clerk, org.case_id, party_id=org.plaintiff_id, channel=Channel.WINDOW,
                        questions="  ", on=TODAY)
    from baihe_desk.models import Case

    with db.transaction() as s:
        s.get(Case, org.case_id).judge_id = None
    with db.transaction() as s, pytest.raises(KnownError, match="尚未确定承办法官"):
        et.open_request(s, org.filing_clerk, org.case_id, party_id=org.plaintiff_id, channel=Channel.VISIT,
                        questions="为什么驳回？", on=TODAY)
