"""信访风险 with 领导包案, and the 判后答疑 statistics."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from baihe_desk.errors import KnownError, PermissionDenied, ValidationError
from baihe_desk.models import AuditRecord, Setting
from baihe_desk.models.explanation import Channel, PartyDecision, RiskFlag
from baihe_desk.services.explanation import risk, stats
from baihe_desk.services.explanation import tiers as et
from tests.services.explanation.test_explanation_support import TIER_TEXT, TODAY, build_org, judged


@pytest.fixture
def org(db, users):
    o = build_org(db, users)
    judged(db, o)
    return o


def test_flag_names_a_leader_and_is_audited(db, org):
    with db.session() as s:
        assert risk.reason_options(s) == risk.DEFAULT_REASONS
        assert [u.display_name for u in risk.leader_candidates(s)][:1] == ["吴德华"]  # 分管院长 first
    with db.transaction() as s, pytest.raises(ValidationError, match="风险原因"):
        risk.flag_risk(s, org.judge, org.case_id, reasons=[" "], leader_id=org.vice_president.id, on=TODAY)
    with db.transaction() as s, pytest.raises(ValidationError, match="不能包案"):
        risk.flag_risk(s, org.judge, org.case_id, reasons=["舆情风险"], leader_id=org.clerk.id, on=TODAY)
    with db.transaction() as s, pytest.raises(PermissionDenied):
        risk.flag_risk(s, org.clerk, org.case_id, reasons=["舆情风险"], leader_id=org.vice_president.id, on=TODAY)
    with db.transaction() as s:
        flag = risk.flag_risk(s, org.judge, org.case_id, reasons=["扬言上访、越级上访或者有过激言行"],
                              leader_id=org.vice_president.id, note="当事人称将赴省上访。", on=TODAY)
        flag_id = flag.id
    with db.transaction() as s, pytest.raises(KnownError, match="已标记"):
        risk.flag_risk(s, org.judge, org.case_id, reasons=["舆情风险"], leader_id=org.chief.id, on=TODAY)
    with db.transaction() as s:
        risk.change_leader(s, org.chief, flag_id, org.chief.id)
    with db.transaction() as s, pytest.raises(ValidationError, match="解除理由"):
        risk.clear_flag(s, org.judge, flag_id, note="")
    with db.transaction() as s:
        risk.clear_flag(s, org.judge, flag_id, note="当事人已服判息诉。", on=date(2026, 10, 9))
    with db.session() as s:
        row = s.get(RiskFlag, flag_id)
        assert (row.active, row.leader_name, row.cleared_on) == (False, "周建国", date(2026, 10, 9))
        assert risk.active_flag(s, org.case_id) is None
        actions = [a.action for a in s.scalars(select(AuditRecord).where(AuditRecord.entity_id == str(flag_id))
                                               .order_by(AuditRecord.seq))]
        assert actions == ["explanation.risk_flag", "explanation.risk_leader", "explanation.risk_clear"]


def test_reasons_and_leader_roles_are_settings(db, org):
    with db.transaction() as s:
        s.add(Setting(key=risk.REASONS_SETTING, value=["本院自定原因"]))
        s.add(Setting(key=risk.LEADER_ROLES_SETTING, value=["vice_president"]))
    with db.session() as s:
        assert risk.reason_options(s) == ["本院自定原因"]
        assert [u.display_name for u in risk.leader_candidates(s)] == ["吴德华"]
    with db.transaction() as s, pytest.raises(ValidationError, match="不能包案"):
        risk.flag_risk(s, org.judge, org.case_id, reasons=["本院自定原因"], leader_id=org.chief.id, on=TODAY)


def _run(db, org, party_id, decisions, received=date(2026, 9, 25)):  # type: ignore[no-untyped-def]
    actors = [org.judge, org.chief, org.vice_president]
    with db.transaction() as s:
        req = et.open_request(s, org.clerk, org.case_id, party_id=party_id, channel=Channel.WINDOW,
                              questions="为何如此判决？", received_on=received, on=TODAY)
        request_id, tier_id = req.id, req.tiers[0].id
    for n, decision in enumerate(decisions):
        with db.transaction() as s:
            et.record_tier(s, actors[n], tier_id, held_on=date(2026, 9, 28 + n), decision=decision, on=TODAY,
                           **TIER_TEXT)
        if decision is PartyDecision.STILL_OBJECTS and n < 2:
            with db.transaction() as s:
                tier_id = et.escalate(s, org.clerk, request_id, on=TODAY).id
    return request_id


def test_statistics_by_tier_judge_and_division(db, org):
    S, A = PartyDecision.STILL_OBJECTS, PartyDecision.ACCEPTS
    _run(db, org, org.plaintiff_id, [S, A])
    _run(db, org, org.defendant_id, [S, S, PartyDecision.WILL_APPEAL])
    _run(db, org, org.defendant_id, [A], received=date(2026, 9, 26))
    _run(db, org, org.plaintiff_id, [])  # still open at tier 1
    with db.session() as s:
        st = stats.statistics(s)
        assert (st.requests, st.open, st.closed) == (4, 1, 3)
        assert st.outcomes[A] == 2 and st.outcomes[PartyDecision.WILL_APPEAL] == 1
        assert [(t.tier_no, t.held, t.decisions[S], t.decisions[A]) for t in st.by_tier] == \
            [(1, 3, 2, 1), (2, 2, 1, 1), (3, 1, 0, 0)]
        (judge,) = st.by_judge
        assert (judge.name, judge.requests, judge.closed, judge.accepted, judge.rate_text) == ("李堃", 4, 3, 2, "66.7%")
        (division,) = st.by_division
        assert (division.name, division.rate_text) == ("民事审判庭", "66.7%")
        assert st.accepted_rate.rate_text == "66.7%"
        later = stats.statistics(s, start=date(2026, 9, 26))
        assert later.requests == 1 and later.by_judge[0].rate_text == "100.0%"
        assert stats.statistics(s, end=date(2026, 9, 1)).by_judge == []
