"""The judgment record and each party's appeal deadline (民事诉讼法第一百七十一条、第一百五十七条;
民诉法解释第二百四十四条), computed with the period rules (第八十五条, holidays)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from baihe_desk.errors import KnownError, PermissionDenied, ValidationError
from baihe_desk.models import AuditRecord, Case, Procedure, Stage
from baihe_desk.models.explanation import DecisionKind, JudgmentRecord, RulingType
from baihe_desk.services.explanation import appeal as ex
from tests.services.explanation.test_explanation_support import (
    DUE_DEFENDANT,
    DUE_PLAINTIFF,
    PRONOUNCED,
    SERVED_DEFENDANT,
    TODAY,
    build_org,
    judged,
)


@pytest.fixture
def org(db, users):
    return build_org(db, users)


@pytest.mark.parametrize("kind, ruling, procedure, appealable, days", [
    (DecisionKind.JUDGMENT, None, Procedure.SIMPLE, True, 15),
    (DecisionKind.JUDGMENT, None, Procedure.ORDINARY, True, 15),
    (DecisionKind.JUDGMENT, None, Procedure.SMALL_CLAIMS, False, None),  # 一审终审 (第一百六十五条)
    (DecisionKind.RULING, RulingType.NOT_ACCEPTED, Procedure.SIMPLE, True, 10),
    (DecisionKind.RULING, RulingType.JURISDICTION, Procedure.SIMPLE, True, 10),
    (DecisionKind.RULING, RulingType.DISMISSAL, Procedure.ORDINARY, True, 10),
    (DecisionKind.RULING, RulingType.OTHER, Procedure.SIMPLE, False, None),  # 第一百五十七条第二款
    (DecisionKind.RULING, RulingType.JURISDICTION, Procedure.SMALL_CLAIMS, False, None),  # 解释第二百七十六条
    (DecisionKind.RULING, RulingType.DISMISSAL, Procedure.SMALL_CLAIMS, False, None),  # 解释第二百七十七条
])
def test_appealability_follows_the_law(kind, ruling, procedure, appealable, days):
    rule = ex.appealability(kind, ruling, procedure)
    assert (rule.appealable, rule.days) == (appealable, days)
    assert "第" in rule.reason and "条" in rule.reason


def test_a_ruling_needs_its_type():
    with pytest.raises(ValidationError, match="裁定种类"):
        ex.appealability(DecisionKind.RULING, None, Procedure.SIMPLE)


def test_each_party_has_its_own_deadline_from_its_own_service(db, org):
    judged(db, org)
    with db.session() as s:
        plaintiff, defendant = ex.party_statuses(s, org.case_id, TODAY)
    # 09-20 + 15 = 10-05, a 国庆 rest day → the first working day after it, 10-08 (第八十五条第三款)
    assert (plaintiff.state, plaintiff.due, plaintiff.days_left) == ("running", DUE_PLAINTIFF, 8)
    assert any("顺延" in step for step in plaintiff.steps)
    assert (defendant.state, defendant.served_on, defendant.due, defendant.days_left) == \
        ("running", SERVED_DEFENDANT, DUE_DEFENDANT, 9)
    assert defendant.text == "上诉期至2026年10月9日届满，尚余 9 日"
    assert any("第一百七十一条" in b for b in defendant.basis)
    assert any("第三百一十八条" in r for r in defendant.reminders)
    assert any("不延长上诉期限" in r for r in defendant.reminders)
    with db.session() as s:
        _, defendant = ex.party_statuses(s, org.case_id, DUE_DEFENDANT)
        assert defendant.days_left == 0 and defendant.text == "今日（2026年10月9日）为上诉期的最后一日"
        _, defendant = ex.party_statuses(s, org.case_id, date(2026, 10, 10))
        assert defendant.state == "expired" and defendant.text == "上诉期已于2026年10月9日届满"


def test_a_ruling_gives_ten_days_from_each_service(db, org):
    judged(db, org, kind="ruling", ruling_type=RulingType.DISMISSAL)
    with db.session() as s:
        plaintiff, defendant = ex.party_statuses(s, org.case_id, TODAY)
    assert "第一百七十一条第二款" in defendant.basis[0]
    # 09-20 + 10 = 09-30, a working Wednesday: today is the last day
    assert (plaintiff.due, plaintiff.days_left) == (date(2026, 9, 30), 0)
    # 09-24 + 10 = 10-04, inside 国庆 (10-01..10-07) → 10-08
    assert (defendant.due, defendant.days_left) == (date(2026, 10, 8), 8)


def test_unserved_party_and_non_appealable_decisions(db, users):
    org = build_org(db, users, procedure=Procedure.SMALL_CLAIMS)
    with db.transaction() as s:
        ex.record_judgment(s, org.judge, org.case_id, kind=DecisionKind.JUDGMENT, pronounced_on=PRONOUNCED, on=TODAY)
    with db.session() as s:
        plaintiff, _ = ex.party_statuses(s, org.case_id, TODAY)
        assert plaintiff.state == "not_appealable" and "一审终审" in plaintiff.text
        s.get(Case, org.case_id).procedure = Procedure.SIMPLE  # read session: only for this check
        s.flush()
        plaintiff, _ = ex.party_statuses(s, org.case_id, TODAY)
        assert plaintiff.state == "not_served" and "尚未登记" in plaintiff.text


def test_recording_is_checked_and_audited(db, org):
    with db.transaction() as s:
        with pytest.raises(KnownError, match="请先登记本案的判决或裁定"):
            ex.set_service(s, org.clerk, org.case_id, org.plaintiff_id, SERVED_DEFENDANT, on=TODAY)
    with db.transaction() as s, pytest.raises(ValidationError, match="宣判日期"):
        ex.record_judgment(s, org.judge, org.case_id, kind=DecisionKind.JUDGMENT, pronounced_on=date(2026, 10, 1),
                           on=TODAY)
    judged(db, org)
    with db.transaction() as s, pytest.raises(ValidationError, match="送达日期.*不能早于宣判日期"):
        ex.set_service(s, org.clerk, org.case_id, org.plaintiff_id, date(2026, 9, 17), on=TODAY)
    with db.transaction() as s, pytest.raises(PermissionDenied):
        ex.set_service(s, org.filing_clerk, org.case_id, org.plaintiff_id, SERVED_DEFENDANT, on=TODAY)
    with db.session() as s:
        row = s.scalar(select(JudgmentRecord))
        assert row.document_number == "（2026）吉7502民初15号" and len(row.services) == 2
        assert s.get(Case, org.case_id).stage is Stage.JUDGED
        actions = [a.action for a in s.scalars(select(AuditRecord).order_by(AuditRecord.seq))]
        assert actions.count("judgment.record") == 1 and actions.count("judgment.service") == 2
        assert "case.stage" in actions and actions[-1] == "permission.denied"
        service_audit = s.scalars(select(AuditRecord).where(AuditRecord.action == "judgment.service")).first()
        assert service_audit.after["appeal_due"] == DUE_PLAINTIFF.isoformat()


def test_service_date_can_come_from_the_service_log(db, org):
    from baihe_desk.models import ServedDocument, ServiceAttempt, ServiceMethod, ServiceResult

    judged(db, org)
    with db.transaction() as s:
        s.add(ServiceAttempt(case_id=org.case_id, party_id=org.defendant_id, method=ServiceMethod.DIRECT,
                             document=ServedDocument.JUDGMENT, attempted_on=date(2026, 9, 23),
                             result=ServiceResult.SIGNED, signed_on=date(2026, 9, 23), signer="本人"))
    with db.session() as s:
        found = ex.service_dates_from_log(s, org.case_id)
    assert list(found) == [org.defendant_id] and found[org.defendant_id][0] == date(2026, 9, 23)


def test_a_third_party_gets_a_warning_about_its_right_to_appeal(db, org):
    from baihe_desk.models import Party, PartyKind, PartyRole

    with db.transaction() as s:
        third = Party(case_id=org.case_id, role=PartyRole.THIRD_PARTY, kind=PartyKind.NATURAL, name="张三", sort_order=2)
        s.add(third)
    judged(db, org)
    with db.transaction() as s:
        ex.set_service(s, org.clerk, org.case_id, third.id, SERVED_DEFENDANT, on=TODAY)
    with db.session() as s:
        statuses = ex.party_statuses(s, org.case_id, TODAY)
    assert statuses[2].due == DUE_DEFENDANT and any("第八十二条" in w for w in statuses[2].warnings)
    assert not any("第八十二条" in w for w in statuses[1].warnings)
