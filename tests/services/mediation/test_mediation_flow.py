"""诉前调解 from the window to the outcome, through the services, checked in the database."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from baihe_desk.errors import KnownError, NotFound, PermissionDenied, ValidationError
from baihe_desk.models import AuditRecord, Case, GeneratedDocument, Party, Role, Stage
from baihe_desk.models.mediation import MediationCase, MediationOutcome, MediationStatus, OrganisationKind
from baihe_desk.services.common import audit
from baihe_desk.services.filing.service_address import ConfirmationInput
from baihe_desk.services.mediation import query as mediation_query
from baihe_desk.services.mediation import referral as mediation
from baihe_desk.services.mediation import roster as mediation_roster
from baihe_desk.services.mediation import station as mediation_station
from baihe_desk.services.mediation.outcome import OutcomeInput, mediation_document_fee, record_outcome
from baihe_desk.services.mediation.station import Consent, SessionInput
from tests.services.mediation.test_mediation_support import (
    TODAY,
    add_case,
    create_tables,
    days_ago,
    referred,
    roster,
)


@pytest.fixture
def world(udb, uusers, udata):
    create_tables(udb)
    orgs, first, other = roster(udb, uusers)
    return udb, uusers, orgs, first, other, udata


def test_window_recommends_hands_out_and_party_agrees(world):
    db, users, orgs, first, _other, paths = world
    clerk = users[Role.FILING_CLERK]
    case = add_case(db, "2026收00001")
    with db.transaction() as s:
        m = mediation.recommend(s, clerk, case.id, on=days_ago(2))
        assert (m.status, m.suggestion, m.suggested_channel, m.overridden) == (
            MediationStatus.SUGGESTED, "suggest", "bank", False)
        with pytest.raises(KnownError, match="先发放告知书"):
            mediation.record_choice(s, clerk, m.id, "agree", days_ago(1))
        docs = mediation.hand_out_notice(s, clerk, m.id, paths=paths, given_on=days_ago(2))
        assert {d.format for d in docs} == {"pdf", "docx"}
        assert (paths.documents / docs[0].relpath).is_file()
        mediation.record_choice(s, clerk, m.id, "agree", days_ago(1))
    with db.session() as s:
        m = s.get(MediationCase, m.id)
        assert m.status is MediationStatus.AWAITING_ASSIGNMENT
        assert m.mediation_number == f"（{days_ago(1).year}）吉7502民诉前调1号"
        assert s.get(GeneratedDocument, m.notice_document_id).kind == "mediation-notice"
        c = s.get(Case, case.id)
        # while mediated, the case is known by its 民诉前调 number (replaced by 民初 on filing)
        assert (c.stage, c.case_number, c.number_type) == (Stage.PRE_MEDIATION, m.mediation_number, "民诉前调")
        actions = [a.action for a in s.scalars(select(AuditRecord).order_by(AuditRecord.seq))]
        assert {"mediation.recommend", "mediation.notice", "mediation.choice", "document.generate"} <= set(actions)


def test_refusal_goes_straight_back_to_filing(world):
    db, users, *_ = world
    clerk = users[Role.FILING_CLERK]
    case = add_case(db, "2026收00002")
    with db.transaction() as s:
        m = mediation.recommend(s, clerk, case.id, on=TODAY)
        m.status, m.notice_given_on = MediationStatus.NOTICE_GIVEN, TODAY
        s.get(Case, case.id).stage = Stage.PRE_MEDIATION  # e.g. set by the complaint review's 引导诉前调解
        with pytest.raises(ValidationError, match="签名日期"):
            mediation.record_choice(s, clerk, m.id, "refuse", days_ago(1))  # before the notice was given
        mediation.record_choice(s, clerk, m.id, "refuse", TODAY)
    with db.session() as s:
        m = s.get(MediationCase, m.id)
        assert m.status is MediationStatus.DECLINED and m.mediation_number is None
        assert s.get(Case, case.id).stage is Stage.RECEIVED


def test_override_needs_a_reason_and_excluded_cases_cannot_be_referred(world):
    db, users, *_ = world
    clerk = users[Role.FILING_CLERK]
    bank = add_case(db, "2026收00003")
    status = add_case(db, "2026收00004", cause_code="2.2.21.1", cause_name="确认亲子关系纠纷", amount=None)
    other = add_case(db, "2026收00005", cause_code="4.10.120.3", cause_name="建设工程施工合同纠纷")
    with db.transaction() as s:
        with pytest.raises(ValidationError, match="改变建议的理由"):
            mediation.recommend(s, clerk, bank.id, refer=False)
        m = mediation.recommend(s, clerk, bank.id, refer=False, override_reason="原告明确表示不愿调解")
        assert m.status is MediationStatus.NOT_REFERRED and m.overridden
        with pytest.raises(KnownError, match="不得调解"):
            mediation.recommend(s, clerk, status.id, refer=True, override_reason="双方愿意")
        m2 = mediation.recommend(s, clerk, other.id, refer=True, override_reason="双方当事人均愿意调解")
        assert m2.status is MediationStatus.SUGGESTED and m2.overridden and m2.suggestion == "none"


def test_only_the_window_refers_and_only_the_assigned_mediator_records(world):
    db, users, orgs, first, other, _paths = world
    case = add_case(db, "2026收00006")
    with db.transaction() as s, pytest.raises(PermissionDenied):
        mediation.recommend(s, users[Role.MEDIATOR], case.id)
    m = referred(db, users, case, orgs[OrganisationKind.STATION], first, accepted_days_ago=5)
    with db.transaction() as s, pytest.raises(PermissionDenied, match="没有委派给您"):
        mediation_station.add_session(s, users["mediator2"], m.id, SessionInput(TODAY, "双方当事人", agreed="x"))
    with db.session() as s:
        denied = s.scalars(select(AuditRecord).where(AuditRecord.action == "permission.denied")).all()
        assert any(a.entity == "mediation_case" for a in denied)
        # the query service, not the UI, hides other mediators' cases
        assert [r.id for r in mediation_query.visible_mediations(s, users[Role.MEDIATOR])] == [m.id]
        assert mediation_query.visible_mediations(s, users["mediator2"]) == []
        with pytest.raises(NotFound):
            mediation_query.mediation_detail(s, users["mediator2"], m.id)
        assert mediation_query.mediation_detail(s, users[Role.MEDIATOR], m.id).id == m.id
        assert len(mediation_query.visible_mediations(s, users[Role.FILING_CLERK])) == 1


def test_assignment_uses_the_roster(world):
    db, users, orgs, first, other, _paths = world
    clerk, admin = users[Role.FILING_CLERK], users[Role.ADMIN]
    case = add_case(db, "2026收00007")
    with db.transaction() as s:
        change = mediation_roster.set_mediator_active(s, admin, other.id, False)
        assert change.open_cases == 0
        m = mediation.recommend(s, clerk, case.id, on=TODAY)
        m.status, m.notice_given_on = MediationStatus.NOTICE_GIVEN, TODAY
        mediation.record_choice(s, clerk, m.id, "agree", TODAY)
        with pytest.raises(ValidationError, match="调解员"):
            mediation.assign(s, clerk, m.id, orgs[OrganisationKind.STATION].id, other.id)
        with pytest.raises(ValidationError, match="调解员"):  # a mediator of another organisation
            mediation.assign(s, clerk, m.id, orgs[OrganisationKind.BANK].id, first.id)
        with pytest.raises(PermissionDenied):
            mediation_roster.add_organisation(s, clerk, "某调解委员会", "other")
        with pytest.raises(ValidationError, match="调解员"):  # only users with role 调解员 go on the roster
            mediation_roster.add_mediator(s, admin, orgs[OrganisationKind.BANK].id, clerk.id)


def test_sessions_extension_with_every_consent_and_agreement_to_judicial_confirmation(world):
    db, users, orgs, first, _other, _paths = world
    med = users[Role.MEDIATOR]
    case = add_case(db, "2026收00008", defendants=("王堃", "李喆玥"))
    m = referred(db, users, case, orgs[OrganisationKind.STATION], first, accepted_days_ago=20)
    with db.transaction() as s:
        mediation_station.add_session(s, med, m.id, SessionInput(days_ago(15), "原告代理人、被告王堃、李喆玥",
                                                                 place="服务站", agreed="本金数额无异议", disputed="利息"))
        mediation_station.add_session(s, med, m.id, SessionInput(days_ago(3), "原告代理人、被告王堃、李喆玥",
                                                                 agreed="分三期还款"))
        parties = s.scalars(select(Party).where(Party.case_id == case.id)).all()
        some = [Consent(p.id, days_ago(2)) for p in parties[:2]]
        with pytest.raises(ValidationError, match="李喆玥"):
            mediation_station.extend(s, med, m.id, 15, some, agreed_on=days_ago(2), today_=TODAY)
        mediation_station.extend(s, med, m.id, 15, [Consent(p.id, days_ago(2), "当面签字") for p in parties],
                                 agreed_on=days_ago(2), reason="需要时间筹款", today_=TODAY)
        row = s.get(MediationCase, m.id)
        assert row.due_on == mediation_station.refresh_due(s, row, today=TODAY).due
        assert len(row.extensions[0].consents) == 3
        with pytest.raises(ValidationError, match="共同申请"):
            record_outcome(s, med, m.id, OutcomeInput(MediationOutcome.CONFIRMATION, TODAY, agreement_text="分三期还款"),
                           today_=TODAY)
    with db.transaction() as s:
        result = record_outcome(s, med, m.id, OutcomeInput(
            MediationOutcome.CONFIRMATION, TODAY, agreement_text="被告于三个月内分三期偿还本金50000元",
            joint_application=True), today_=TODAY)
        assert result.number == f"（{TODAY.year}）吉7502诉前调确1号"
        assert result.confirmation_deadline.start == TODAY
    with db.session() as s:
        row = s.get(MediationCase, m.id)
        assert (row.status, row.outcome, row.fee_total) == (MediationStatus.SUCCEEDED, MediationOutcome.CONFIRMATION,
                                                             Decimal("0"))
        assert "第八条" in row.fee_steps[0] and len(row.sessions) == 2
        c = s.get(Case, case.id)
        assert c.stage is Stage.CLOSED and c.case_number == row.mediation_number  # 诉前调确 is on the record
        assert audit.verify_chain(s) == []


def test_mediation_document_costs_half_the_fee(world):
    db, users, orgs, first, _other, _paths = world
    case = add_case(db, "2026收00009", amount="50000")
    m = referred(db, users, case, orgs[OrganisationKind.STATION], first)
    with db.session() as s:
        fee = mediation_document_fee(s, s.get(Case, case.id))
        assert (fee.full_fee, fee.total, fee.halved) == (Decimal("1050.00"), Decimal("525.00"), True)
    with db.transaction() as s:
        result = record_outcome(s, users[Role.MEDIATOR], m.id, OutcomeInput(
            MediationOutcome.MEDIATION_DOCUMENT, TODAY, agreement_text="被告一次性偿还45000元"), today_=TODAY)
        assert result.number.endswith("诉前调书1号") and result.fee.total == Decimal("525.00")
    with db.session() as s:
        row = s.get(MediationCase, m.id)
        assert row.fee_total == Decimal("525.00") and any("减半" in x for x in row.fee_steps)


def test_divorce_agreement_cannot_be_judicially_confirmed(world):
    db, users, orgs, first, _other, _paths = world
    case = add_case(db, "2026收00010", cause_code="2.2.14", cause_name="离婚纠纷", amount=None,
                    plaintiff="张秀梅")
    m = referred(db, users, case, orgs[OrganisationKind.STATION], first)
    with db.transaction() as s, pytest.raises(KnownError, match="第三百五十五条"):
        record_outcome(s, users[Role.MEDIATOR], m.id, OutcomeInput(
            MediationOutcome.CONFIRMATION, TODAY, agreement_text="双方自愿离婚", joint_application=True), today_=TODAY)


def test_expiry_files_the_same_case_with_its_parties_and_confirmation(world):
    db, users, orgs, first, _other, _paths = world
    med, clerk = users[Role.MEDIATOR], users[Role.FILING_CLERK]
    case = add_case(db, "2026收00011")
    # 30 days + the longest run of rest days (春节, 9) + 1: past on any day of the year (31 days ago is not
    # past on a Monday whose day 30 was the Sunday before; test_calendar_table.py holds those days)
    m = referred(db, users, case, orgs[OrganisationKind.STATION], first, accepted_days_ago=40)
    with db.session() as s:
        party_ids = [p.id for p in s.scalars(select(Party).where(Party.case_id == case.id))]
    with db.transaction() as s:
        mediation_station.record_address_confirmation(s, med, m.id, party_ids[1], ConfirmationInput(
            text="吉林省安图县二道白河镇白山大街8号", confirmed_on=days_ago(20), phone="13904330002"))
        with pytest.raises(PermissionDenied):  # the window cannot record an agreement
            record_outcome(s, clerk, m.id, OutcomeInput(MediationOutcome.SELF_PERFORMANCE, TODAY, agreement_text="x"))
        with pytest.raises(ValidationError, match="无争议事实"):
            record_outcome(s, med, m.id, OutcomeInput(MediationOutcome.EXPIRED, TODAY), today_=TODAY)
    with db.transaction() as s:
        st_ = mediation_station.refresh_due(s, s.get(MediationCase, m.id), today=TODAY)
        assert st_.overdue
        result = record_outcome(s, clerk, m.id, OutcomeInput(
            MediationOutcome.EXPIRED, TODAY, undisputed_facts="借款50000元及借款日期双方无争议"), today_=TODAY)
        assert result.number == f"（{TODAY.year}）吉7502民初1号"
        assert result.carried.parties == ["原告 吉林白河农村商业银行股份有限公司", "被告 王堃"]
        assert result.carried.confirmations == ["王堃"]
    with db.session() as s:
        c, row = s.get(Case, case.id), s.get(MediationCase, m.id)
        assert (c.stage, c.case_number, c.number_type, c.filed_on) == (Stage.FILED, result.number, "民初", TODAY)
        assert [p.id for p in s.scalars(select(Party).where(Party.case_id == case.id))] == party_ids
        assert row.mediation_number.endswith("民诉前调1号") and row.filed_case_number == result.number
        assert row.status is MediationStatus.ENDED and row.undisputed_facts


def test_expiry_cannot_be_recorded_before_the_period_runs_out(world):
    db, users, orgs, first, _other, _paths = world
    case = add_case(db, "2026收00012")
    m = referred(db, users, case, orgs[OrganisationKind.STATION], first, accepted_days_ago=10)
    with db.transaction() as s, pytest.raises(ValidationError, match="届满"):
        record_outcome(s, users[Role.MEDIATOR], m.id, OutcomeInput(MediationOutcome.EXPIRED, TODAY,
                                                                    undisputed_facts="无"), today_=TODAY)
    with db.transaction() as s:  # a refusal ends it at once
        result = record_outcome(s, users[Role.MEDIATOR], m.id, OutcomeInput(
            MediationOutcome.REFUSED, TODAY, undisputed_facts="无", note="被告表示不愿继续调解"), today_=TODAY)
        assert "民初" in result.number


def test_extension_after_expiry_is_refused(world):
    db, users, orgs, first, _other, _paths = world
    case = add_case(db, "2026收00013")
    m = referred(db, users, case, orgs[OrganisationKind.STATION], first, accepted_days_ago=40)
    with db.transaction() as s:
        parties = s.scalars(select(Party).where(Party.case_id == case.id)).all()
        with pytest.raises(KnownError, match="届满"):
            mediation_station.extend(s, users[Role.MEDIATOR], m.id, 10, [Consent(p.id, TODAY) for p in parties],
                                     agreed_on=TODAY, today_=TODAY)


def test_appraisal_suspends_and_resumes(world):
    db, users, orgs, first, _other, _paths = world
    med = users[Role.MEDIATOR]
    case = add_case(db, "2026收00014", cause_code="10.35.411", cause_name="机动车交通事故责任纠纷")
    m = referred(db, users, case, orgs[OrganisationKind.STATION], first, accepted_days_ago=28)
    with db.transaction() as s:
        before = s.get(MediationCase, m.id).due_on
        row = mediation_station.start_suspension(s, med, m.id, "appraisal", days_ago(20), institution="某司法鉴定所",
                                                 today_=TODAY)
        with pytest.raises(KnownError, match="尚未结束"):
            mediation_station.start_suspension(s, med, m.id, "valuation", days_ago(5), today_=TODAY)
        mediation_station.end_suspension(s, med, row.id, days_ago(11), today_=TODAY)
        after = s.get(MediationCase, m.id).due_on
        assert after > before  # ten days (20th to 11th ago) not counted


def test_statistics_count_diverted_succeeded_failed_and_average_days(world):
    db, users, orgs, first, _other, _paths = world
    med, clerk = users[Role.MEDIATOR], users[Role.FILING_CLERK]
    ok = referred(db, users, add_case(db, "2026收00015"), orgs[OrganisationKind.STATION], first, accepted_days_ago=10)
    bad = referred(db, users, add_case(db, "2026收00016"), orgs[OrganisationKind.STATION], first, accepted_days_ago=6)
    declined = add_case(db, "2026收00017")
    with db.transaction() as s:
        record_outcome(s, med, ok.id, OutcomeInput(MediationOutcome.SELF_PERFORMANCE, TODAY, agreement_text="当场还款"),
                       today_=TODAY)
        record_outcome(s, med, bad.id, OutcomeInput(MediationOutcome.UNREACHABLE, TODAY, undisputed_facts="无"),
                       today_=TODAY)
        d = mediation.recommend(s, clerk, declined.id, on=TODAY)
        d.status, d.notice_given_on = MediationStatus.NOTICE_GIVEN, TODAY
        mediation.record_choice(s, clerk, d.id, "refuse", TODAY)
    with db.session() as s:
        stats = mediation_query.statistics(s, users[Role.ADMIN], days_ago(60), TODAY)
        assert (stats.recommended, stats.declined, stats.diverted, stats.succeeded, stats.failed) == (3, 1, 2, 1, 1)
        assert stats.failed_by_reason == {"无法联系当事人": 1}
        assert stats.average_days == Decimal("8.0") and stats.success_rate == Decimal("50.0")
        assert mediation_query.statistics(s, users["mediator2"], days_ago(60), TODAY).diverted == 0


def test_a_case_numbered_for_mediation_before_keeps_its_number(world):
    """Imported or demo cases may already carry a 民诉前调 number in Case.case_number: it is adopted."""
    db, users, *_ = world
    clerk = users[Role.FILING_CLERK]
    case = add_case(db, "2026收00018")
    with db.transaction() as s:
        c = s.get(Case, case.id)
        c.case_number, c.number_year, c.number_type, c.number_serial = "（2026）吉7502民诉前调77号", 2026, "民诉前调", 77
        c.stage = Stage.PRE_MEDIATION
    with db.session() as s:
        assert case.id in [r.case_id for r in mediation_query.window_cases(s, clerk)]
    with db.transaction() as s:
        m = mediation.recommend(s, clerk, case.id, on=TODAY)
        m.status, m.notice_given_on = MediationStatus.NOTICE_GIVEN, TODAY
        mediation.record_choice(s, clerk, m.id, "agree", TODAY)
        assert m.mediation_number == "（2026）吉7502民诉前调77号"
