"""送达地址与送达 at service level: sources, verification, 送达风险, e-service consent, the attempts log."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from baihe_desk.errors import KnownError, ValidationError
from baihe_desk.models import AuditRecord, Base, Case, PartyKind, PartyRole, Procedure, Role
from baihe_desk.models.service_address import (
    AddressSource,
    ServedDocument,
    ServiceAddress,
    ServiceAttempt,
    ServiceMethod,
    ServiceResult,
    VerificationMethod,
    VerificationResult,
)
from baihe_desk.services.admin import demo_data as dd
from baihe_desk.services.filing import service_address as sa
from baihe_desk.services.filing.intake import CaseInput, PartyInput, create_case
from baihe_desk.services.filing.service_date import served_on

ID_WANG = dd.make_id_number(random.Random(3), "222426", date(1986, 4, 12), male=True)
CREDIT = dd.make_credit_code(random.Random(4), "222426")
DAY = date(2026, 11, 2)


@pytest.fixture
def sdb(udb, uusers):
    import baihe_desk.models.review  # noqa: F401
    import baihe_desk.models.service_address  # noqa: F401

    Base.metadata.create_all(udb.engine)
    return udb


@pytest.fixture
def case_id(sdb, uusers):
    data = CaseInput(cause_name="买卖合同纠纷", claim_amount="30000", claims="请求判令被告支付货款30000元", facts="……",
                     received_on=DAY, parties=[
                         PartyInput(role=PartyRole.PLAINTIFF, kind=PartyKind.NATURAL, name="王堃", id_number=ID_WANG,
                                    domicile="吉林省安图县二道白河镇白山大街1号", postcode="133613", phone="13943301234"),
                         PartyInput(role=PartyRole.DEFENDANT, kind=PartyKind.ORGANISATION, name="白河林业物业服务有限公司",
                                    credit_code=CREDIT, domicile="吉林省安图县二道白河镇池北大街8号"),
                         PartyInput(role=PartyRole.DEFENDANT, kind=PartyKind.NATURAL, name="李玥",
                                    domicile="吉林省安图县松江镇河南街3号"),
                     ])
    with sdb.transaction() as s:
        case = create_case(s, uusers[Role.FILING_CLERK], data, court_code="吉7502")
        sa.import_intake_addresses(s, uusers[Role.FILING_CLERK], case)
        return case.id


def _parties(case):
    plaintiff = next(p for p in case.parties if p.role is PartyRole.PLAINTIFF)
    company = next(p for p in case.parties if p.kind is PartyKind.ORGANISATION)
    person = next(p for p in case.parties if p.role is PartyRole.DEFENDANT and p.kind is PartyKind.NATURAL)
    return plaintiff, company, person


def _attempt(**kw) -> sa.AttemptInput:
    base = dict(method=ServiceMethod.POST, document=ServedDocument.COMPLAINT_COPY, attempted_on=DAY,
                result=ServiceResult.SIGNED)
    base.update(kw)
    return sa.AttemptInput(**base)


def test_intake_addresses_get_their_ladder_source(sdb, uusers, case_id):
    with sdb.transaction() as s:
        case = s.get(Case, case_id)
        plaintiff, company, person = _parties(case)
        assert [a.source for a in sa.addresses_of(s, plaintiff)] == [AddressSource.OWN_FILING]
        assert sa.addresses_of(s, plaintiff)[0].postcode == "133613"
        assert [a.source for a in sa.addresses_of(s, person)] == [AddressSource.COMPLAINT]
        assert sa.import_intake_addresses(s, uusers[Role.FILING_CLERK], case) == []  # idempotent
        risks = sa.address_risks(case)
        assert risks.flagged and {p.name for p in risks.parties} == {"白河林业物业服务有限公司", "李玥"}
        assert all(m.startswith("送达风险：") for m in risks.messages())


def test_company_verified_through_business_registration_is_not_a_risk(sdb, uusers, case_id):
    clerk = uusers[Role.FILING_CLERK]
    with sdb.transaction() as s:
        case = s.get(Case, case_id)
        _, company, person = _parties(case)
        hint = next(p for p in sa.address_risks(case).parties if p.name == company.name).hints[0]
        assert "企业信用信息公示系统" in hint
        reg = sa.add_address(s, clerk, company, AddressSource.BUSINESS_REGISTRATION, "吉林省安图县二道白河镇池北大街8号")
        sa.verify_address(s, clerk, reg, VerificationMethod.ENTERPRISE_QUERY, VerificationResult.CONFIRMED, DAY,
                          note="国家企业信用信息公示系统：登记住所一致，存续")
        assert [p.name for p in sa.address_risks(case).parties] == ["李玥"]
        with pytest.raises(ValidationError, match="只适用于自然人"):
            sa.add_address(s, clerk, company, AddressSource.HOUSEHOLD, "吉林省安图县某地")
        with pytest.raises(ValidationError, match="只适用于法人"):
            sa.add_address(s, clerk, person, AddressSource.BUSINESS_REGISTRATION, "吉林省安图县某地")
        with pytest.raises(ValidationError, match="企业信用信息公示系统"):
            sa.verify_address(s, clerk, sa.addresses_of(s, person)[0], VerificationMethod.ENTERPRISE_QUERY,
                              VerificationResult.CONFIRMED, DAY)


def test_natural_person_whose_address_fails_is_flagged(sdb, uusers, case_id):
    clerk = uusers[Role.FILING_CLERK]
    with sdb.transaction() as s:
        case = s.get(Case, case_id)
        _, _, person = _parties(case)
        addr = sa.addresses_of(s, person)[0]
        sa.verify_address(s, clerk, addr, VerificationMethod.PHONE, VerificationResult.CONFIRMED, DAY)
        assert "李玥" not in {p.name for p in sa.address_risks(case).parties}
        sa.verify_address(s, clerk, addr, VerificationMethod.GRID_WORKER, VerificationResult.NOT_FOUND,
                          DAY + timedelta(days=1), verifier_name="网格员刘某")
        risk = next(p for p in sa.address_risks(case).parties if p.name == "李玥")
        assert "查无此人" in risk.reasons[0] and "起诉状所列地址" in risk.reasons[0]
        assert any("户籍" in h for h in risk.hints)
    with sdb.session() as s:
        assert s.scalars(select(AuditRecord).where(AuditRecord.action == "service_address.verify")).all()


def test_ladder_sources_within_one_year_only(sdb, uusers, case_id):
    clerk = uusers[Role.FILING_CLERK]
    with sdb.transaction() as s:
        _, _, person = _parties(s.get(Case, case_id))
        with pytest.raises(ValidationError, match="须填写"):
            sa.add_address(s, clerk, person, AddressSource.OTHER_PROCEEDINGS, "吉林省敦化市某地")
        with pytest.raises(ValidationError, match="一年以内"):
            sa.add_address(s, clerk, person, AddressSource.OTHER_PROCEEDINGS, "吉林省敦化市某地",
                           source_date=date(2025, 11, 1), as_of=DAY)
        a = sa.add_address(s, clerk, person, AddressSource.OTHER_PROCEEDINGS, "吉林省敦化市某地",
                           source_date=date(2025, 11, 2), source_detail="（2025）吉7502民初88号", as_of=DAY)
        assert a.source.rank == 3


def test_e_service_needs_a_signed_confirmation(sdb, uusers, case_id):
    clerk = uusers[Role.FILING_CLERK]
    with sdb.transaction() as s:
        case = s.get(Case, case_id)
        plaintiff, _, person = _parties(case)
        with pytest.raises(KnownError, match="送达地址确认书"):
            sa.add_address(s, clerk, person, AddressSource.COMPLAINT, "吉林省安图县某地", e_mobile="13943300001")
        with pytest.raises(KnownError, match="电子送达须经受送达人同意"):
            sa.record_confirmation(s, clerk, plaintiff, sa.ConfirmationInput(
                text="吉林省安图县二道白河镇白山大街1号", confirmed_on=DAY, signed=False, e_service_consent=True,
                e_mobile="13943301234"))
        with pytest.raises(KnownError, match="电子送达须经受送达人同意"):
            sa.record_attempt(s, clerk, case, person, _attempt(method=ServiceMethod.ELECTRONIC,
                                                               result=ServiceResult.SENT, e_channel="mobile"))
        with pytest.raises(ValidationError, match="未勾选同意电子送达"):
            sa.record_confirmation(s, clerk, plaintiff, sa.ConfirmationInput(
                text="吉林省安图县二道白河镇白山大街1号", confirmed_on=DAY, e_mobile="13943301234"))
        conf = sa.record_confirmation(s, clerk, plaintiff, sa.ConfirmationInput(
            text="吉林省安图县二道白河镇白山大街1号", postcode="133613", phone="13943301234", confirmed_on=DAY,
            e_service_consent=True, e_mobile="13943301234", e_wechat="wangkun86"))
        with pytest.raises(KnownError, match="电子送达须经受送达人同意"):  # consented channels only
            sa.record_attempt(s, clerk, case, plaintiff, _attempt(method=ServiceMethod.ELECTRONIC,
                                                                  result=ServiceResult.SENT, e_channel="email"))
        att = sa.record_attempt(s, clerk, case, plaintiff, _attempt(
            method=ServiceMethod.ELECTRONIC, result=ServiceResult.SENT, e_channel="mobile",
            document=ServedDocument.RESPONSE_NOTICE, attempted_on=DAY + timedelta(days=1)))
        assert att.address_id == conf.id
        served = served_on(att)
        assert served.served and served.on == DAY + timedelta(days=1) and not served.deemed
        assert any("第九十条" in b for b in served.basis)
        data = sa.address_confirmation_data(s, case, plaintiff)
        assert data["signed"] and data["e_service_consent"] and data["e_channels"]["wechat"] == "wangkun86"
        assert data["id_type"] == "居民身份证" and data["id_number"] == ID_WANG and data["postcode"] == "133613"
        blank = sa.address_confirmation_data(s, case, person)
        assert not blank["signed"] and blank["address"] == "吉林省安图县松江镇河南街3号" and blank["e_channels"] == {}
        # a written change replaces the old confirmation
        new = sa.record_confirmation(s, clerk, plaintiff, sa.ConfirmationInput(
            text="吉林省安图县二道白河镇长白山大街9号", confirmed_on=DAY + timedelta(days=2)))
        assert sa.signed_confirmation(s, plaintiff).id == new.id and not conf.active
        assert conf.superseded_by_id == new.id


def test_public_notice_refused_in_simple_procedure(sdb, uusers, case_id):
    clerk = uusers[Role.CLERK]
    with sdb.transaction() as s:
        case = s.get(Case, case_id)
        _, _, person = _parties(case)
        case.procedure = Procedure.SIMPLE
        notice = _attempt(method=ServiceMethod.PUBLIC_NOTICE, result=ServiceResult.PUBLISHED,
                          document=ServedDocument.SUMMONS, note="被告下落不明，经户籍查询、网格员走访均未找到")
        with pytest.raises(KnownError, match="第一百四十条") as exc:
            sa.record_attempt(s, clerk, case, person, notice)
        assert "普通程序" in exc.value.message
        case.procedure = Procedure.ORDINARY
        with pytest.raises(ValidationError, match="原因和经过"):
            sa.record_attempt(s, clerk, case, person, _attempt(method=ServiceMethod.PUBLIC_NOTICE,
                                                               result=ServiceResult.PUBLISHED))
        with pytest.raises(KnownError, match="调解书"):
            sa.record_attempt(s, clerk, case, person, _attempt(
                method=ServiceMethod.PUBLIC_NOTICE, result=ServiceResult.PUBLISHED, document="mediation_document",
                note="下落不明"))
        att = sa.record_attempt(s, clerk, case, person, notice)
        served = served_on(att)
        assert served.deemed and served.on >= DAY + timedelta(days=30) and served.on <= DAY + timedelta(days=40)
        assert any("第九十五条" in b for b in served.basis)


def test_mediation_document_cannot_be_left_and_leaving_needs_a_witness(sdb, uusers, case_id):
    clerk = uusers[Role.CLERK]
    with sdb.transaction() as s:
        case = s.get(Case, case_id)
        _, _, person = _parties(case)
        with pytest.raises(KnownError, match="第一百三十三条"):
            sa.record_attempt(s, clerk, case, person, _attempt(
                method=ServiceMethod.LEFT, result=ServiceResult.LEFT_AT_RESIDENCE,
                document=ServedDocument.MEDIATION_DOCUMENT, witnesses="村委会主任张某"))
        with pytest.raises(ValidationError, match="拍照、录像"):
            sa.record_attempt(s, clerk, case, person, _attempt(
                method=ServiceMethod.LEFT, result=ServiceResult.LEFT_AT_RESIDENCE, document=ServedDocument.JUDGMENT))
        att = sa.record_attempt(s, clerk, case, person, _attempt(
            method=ServiceMethod.LEFT, result=ServiceResult.LEFT_AT_RESIDENCE, document=ServedDocument.JUDGMENT,
            media_record="执法记录仪视频 2026-11-02", receipt_ref="送达回证第12号"))
        served = served_on(att)
        assert served.deemed and served.on == DAY and "第八十九条" in served.basis[0]
        with pytest.raises(ValidationError, match="不能登记为"):
            sa.record_attempt(s, clerk, case, person, _attempt(method=ServiceMethod.LEFT, result=ServiceResult.SIGNED))


def test_returned_mail_counts_only_at_a_confirmed_address(sdb, uusers, case_id):
    clerk = uusers[Role.CLERK]
    with sdb.transaction() as s:
        case = s.get(Case, case_id)
        plaintiff, _, person = _parties(case)
        with pytest.raises(ValidationError, match="单号"):
            sa.record_attempt(s, clerk, case, person, _attempt())
        unverified = sa.addresses_of(s, person)[0]
        returned = dict(result=ServiceResult.NO_SUCH_PERSON, returned_on=DAY + timedelta(days=4),
                        tracking_number="EMS1100000001")
        att = sa.record_attempt(s, clerk, case, person, _attempt(address_id=unverified.id, **returned))
        served = served_on(att)
        assert not served.served and "未经受送达人确认" in served.reasoning
        assert any("李玥" == p.name and "查无此人" in p.reasons[0] for p in sa.address_risks(case).parties)
        conf = sa.record_confirmation(s, clerk, plaintiff, sa.ConfirmationInput(
            text="吉林省安图县二道白河镇白山大街1号", confirmed_on=DAY))
        att2 = sa.record_attempt(s, clerk, case, plaintiff, _attempt(address_id=conf.id, **returned))
        served = served_on(att2)
        assert served.served and served.deemed and served.on == DAY + timedelta(days=4)
        assert "第十一条" in served.basis[0] and served.warnings
        signed = sa.record_attempt(s, clerk, case, plaintiff, _attempt(
            address_id=conf.id, tracking_number="EMS1100000002", signed_on=DAY + timedelta(days=2)))
        assert served_on(signed).on == DAY + timedelta(days=2)
    with sdb.session() as s:
        assert len(s.scalars(select(ServiceAttempt)).all()) == 3
        assert len(s.scalars(select(AuditRecord).where(AuditRecord.action == "service.attempt")).all()) == 3
        assert s.scalars(select(ServiceAddress).where(ServiceAddress.source == AddressSource.CONFIRMATION)).one()


def test_permissions_for_addresses(sdb, uusers, case_id):
    from baihe_desk.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        with sdb.transaction() as s:
            _, _, person = _parties(s.get(Case, case_id))
            sa.add_address(s, uusers[Role.ENFORCEMENT], person, AddressSource.HOUSEHOLD, "吉林省安图县某地")
