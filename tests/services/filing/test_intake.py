"""收件登记 service: validation of every field, all errors at once, audit, permissions, search."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from baihe_desk.errors import PermissionDenied, ValidationErrors
from baihe_desk.models import AuditRecord, Case, PartyKind, PartyRole, Role
from baihe_desk.services.admin import demo_data as dd
from baihe_desk.services.common.case_query import count_cases, search_cases
from baihe_desk.services.filing.intake import AgentInput, CaseInput, PartyInput, create_case

ID_WANG = dd.make_id_number(__import__("random").Random(3), "222426", date(1986, 4, 12), male=True)
CREDIT = dd.make_credit_code(__import__("random").Random(4), "222426")


def _input(**over) -> CaseInput:
    data = CaseInput(
        cause_name="物业服务合同纠纷", claim_amount="12,800.50", claims="请求判令被告退还物业费12800.50元",
        facts="……", received_on=date(2026, 11, 20),
        parties=[
            PartyInput(role=PartyRole.PLAINTIFF, kind=PartyKind.NATURAL, name=" 王堃 ", id_number=ID_WANG,
                       domicile="吉林省安图县二道白河镇白山大街1号", phone="139 4330 1234",
                       agents=[AgentInput(name="赵喆", phone="13943300000", special_authority=True)]),
            PartyInput(role=PartyRole.DEFENDANT, kind=PartyKind.ORGANISATION, name="白河林业物业服务有限公司",
                       credit_code=CREDIT.lower(), legal_rep_name="李玥", legal_rep_title="总经理",
                       domicile="吉林省安图县二道白河镇池北大街8号"),
        ],
    )
    for k, v in over.items():
        setattr(data, k, v)
    return data


def test_create_case_writes_rows_and_audit(udb, uusers):
    clerk = uusers[Role.FILING_CLERK]
    with udb.transaction() as s:
        case = create_case(s, clerk, _input(), court_code="吉7502")
        case_id = case.id
    with udb.session() as s:
        case = s.get(Case, case_id)
        assert case.receipt_number == "2026收00001"
        assert case.claim_amount == Decimal("12800.50")
        assert case.cause_catalogue == "2025"
        p, d = case.parties
        assert (p.name, p.sex, p.birth_date, p.id_number) == ("王堃", "男", date(1986, 4, 12), ID_WANG)
        assert p.phone == "13943301234"
        assert p.agents[0].name == "赵喆" and p.agents[0].special_authority
        assert p.addresses[0].text.startswith("吉林省安图县")
        assert d.credit_code == CREDIT and d.kind is PartyKind.ORGANISATION
        rec = s.scalars(select(AuditRecord).where(AuditRecord.action == "case.create")).one()
        assert rec.entity_id == str(case_id) and rec.after["parties"][0]["name"] == "王堃"
        assert [r.number for r in search_cases(s, "王堃")] == ["2026收00001"]
        assert count_cases(s, "wk") == 1  # pinyin initials
        assert count_cases(s, "池北大街") == 1  # address
        assert count_cases(s, "不存在的人") == 0


def test_all_field_errors_come_back_at_once(udb, uusers):
    bad = _input(claims="", claim_amount="12.345")
    bad.parties[0].id_number = ID_WANG[:-1] + ("0" if ID_WANG[-1] != "0" else "1")
    bad.parties[1].credit_code = "91220000MA00000000"
    with pytest.raises(ValidationErrors) as exc:
        with udb.transaction() as s:
            create_case(s, uusers[Role.FILING_CLERK], bad, court_code="吉7502")
    keys = {e.key for e in exc.value.errors}
    assert keys == {"claims", "claim_amount", "party0.id_number", "party1.credit_code"}
    assert all(e.field and e.reason for e in exc.value.errors)
    with udb.session() as s:
        assert s.scalars(select(Case)).all() == []


def test_missing_defendant_and_cause(udb, uusers):
    data = _input(cause_name="不是案由")
    data.parties = data.parties[:1]
    with pytest.raises(ValidationErrors) as exc:
        with udb.transaction() as s:
            create_case(s, uusers[Role.FILING_CLERK], data, court_code="吉7502")
    msgs = [e.message for e in exc.value.errors]
    assert any("被告" in m for m in msgs) and any(m.startswith("案由") for m in msgs)


@pytest.mark.parametrize("role", [r for r in Role if r not in (Role.FILING_CLERK, Role.ADMIN)])
def test_only_filing_clerk_and_admin_create_cases(udb, uusers, role):
    with pytest.raises(PermissionDenied):
        with udb.transaction() as s:
            create_case(s, uusers[role], _input(), court_code="吉7502")
    with udb.session() as s:
        assert s.scalars(select(Case)).all() == []
        assert s.scalars(select(AuditRecord.username).where(AuditRecord.action == "permission.denied")).all() == [
            uusers[role].username]
