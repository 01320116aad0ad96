"""审理程序建议: small-claims thresholds, exclusions of art. 166 / 解释 art. 257, overrides with a note."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from baihe_desk.errors import KnownError, ValidationError
from baihe_desk.models import AuditRecord, Case, PartyKind, PartyRole, Procedure, Role, Setting
from baihe_desk.services.filing import procedure as pr
from baihe_desk.services.filing.intake import CaseInput, PartyInput, create_case

T = pr.SmallClaimsThreshold(Decimal("87222"), 2022)


def facts(amount: str | None, **kw) -> pr.ProcedureFacts:
    return pr.ProcedureFacts(amount=Decimal(amount) if amount is not None else None, cause_code="4.10.70",
                             cause_name="买卖合同纠纷", **kw)


def test_default_threshold_is_marked_unconfirmed():
    t = pr.default_threshold()
    assert (t.annual_wage, t.wage_year, t.confirmed) == (Decimal("87222"), 2022, False)
    assert t.small_limit == Decimal("43611.00") and t.agreement_limit == Decimal("174444.00")
    assert "未经确认" in pr.suggest_procedure(facts("1000")).warnings[0]


@pytest.mark.parametrize("amount, agree, expected", [
    ("43611.00", False, Procedure.SMALL_CLAIMS),  # 百分之五十以下 includes the figure itself
    ("43611.01", False, Procedure.SIMPLE),
    ("43611.01", True, Procedure.SMALL_CLAIMS),
    ("174444.00", True, Procedure.SMALL_CLAIMS),
    ("174444.01", True, Procedure.SIMPLE),
])
def test_small_claims_thresholds(amount, agree, expected):
    s = pr.suggest_procedure(facts(amount, parties_agree_small_claims=agree), T)
    assert s.procedure is expected
    if expected is Procedure.SMALL_CLAIMS:
        assert "一审终审" in s.reason and s.basis[0].startswith("《中华人民共和国民事诉讼法》第一百六十五条")
        assert s.basis[0].endswith("第二款" if agree and Decimal(amount) > T.small_limit else "第一款")


@pytest.mark.parametrize("kw, text", [
    (dict(foreign_related=True), "涉外"),
    (dict(needs_appraisal=True), "鉴定"),
    (dict(party_whereabouts_unknown=True), "下落不明"),
    (dict(counterclaim=True), "反诉"),
    (dict(money_claim=False), "金钱给付"),
    (dict(other_unsuitable="案情涉及多笔交易"), "第六项"),
])
def test_article_166_exclusions(kw, text):
    s = pr.suggest_procedure(facts("5000", **kw), T)
    assert s.procedure is Procedure.SIMPLE and Procedure.SMALL_CLAIMS not in s.allowed
    assert text in s.reason


def test_personal_relation_and_property_title_causes():
    divorce = pr.suggest_procedure(pr.ProcedureFacts(amount=None, cause_code="2.2.14", cause_name="离婚纠纷"), T)
    assert divorce.procedure is Procedure.SIMPLE and "人身关系" in divorce.reason
    title = pr.suggest_procedure(pr.ProcedureFacts(amount=Decimal("9000"), cause_code="3.5.38.1",
                                                   cause_name="所有权确认纠纷"), T)
    assert "财产确权" in title.reason and title.procedure is Procedure.SIMPLE
    maintenance = pr.suggest_procedure(pr.ProcedureFacts(amount=Decimal("9000"), cause_code="2.2.24",
                                                         cause_name="赡养纠纷"), T)
    assert maintenance.procedure is Procedure.SMALL_CLAIMS  # 赡养费 is a money claim, not a status case


def test_simple_procedure_exclusions_lead_to_ordinary():
    s = pr.suggest_procedure(facts("5000", defendant_whereabouts_unknown=True), T)
    assert s.procedure is Procedure.ORDINARY and s.allowed == [Procedure.ORDINARY]
    assert "第二百五十七条第一项" in s.reason
    third = pr.suggest_procedure(pr.ProcedureFacts(amount=None, cause_code="12.58", cause_name="第三人撤销之诉"), T)
    assert third.procedure is Procedure.ORDINARY
    contested = pr.suggest_procedure(facts("500000", simple_facts=False), T)
    assert contested.procedure is Procedure.ORDINARY and Procedure.SIMPLE in contested.allowed


@given(amount=st.one_of(st.none(), st.decimals(min_value=0, max_value=10_000_000, places=2)),
       flags=st.fixed_dictionaries({k: st.booleans() for k in (
           "simple_facts", "foreign_related", "needs_appraisal", "party_whereabouts_unknown",
           "defendant_whereabouts_unknown", "counterclaim", "parties_agree_small_claims", "parties_agree_simple",
           "remanded", "numerous_parties", "retrial", "public_interest")}))
def test_suggestion_is_always_allowed_and_lawful(amount, flags):
    s = pr.suggest_procedure(pr.ProcedureFacts(amount=amount, cause_code="4.10.70", **flags), T)
    assert s.procedure in s.allowed and Procedure.ORDINARY in s.allowed and s.reason and s.basis
    if Procedure.SMALL_CLAIMS in s.allowed:
        assert amount is not None and amount <= T.agreement_limit
        assert amount <= T.small_limit or flags["parties_agree_small_claims"]
        assert not any(flags[k] for k in ("foreign_related", "needs_appraisal", "party_whereabouts_unknown",
                                           "counterclaim", "defendant_whereabouts_unknown"))
    if any(flags[k] for k in ("defendant_whereabouts_unknown", "remanded", "numerous_parties", "retrial",
                              "public_interest")):
        assert s.procedure is Procedure.ORDINARY and s.allowed == [Procedure.ORDINARY]


@pytest.fixture
def case_id(udb, uusers):
    data = CaseInput(cause_name="民间借贷纠纷", claim_amount="50000", claims="请求判令被告偿还借款50000元",
                     received_on=date(2026, 11, 2), parties=[
                         PartyInput(role=PartyRole.PLAINTIFF, kind=PartyKind.NATURAL, name="王堃"),
                         PartyInput(role=PartyRole.DEFENDANT, kind=PartyKind.NATURAL, name="李玥")])
    with udb.transaction() as s:
        return create_case(s, uusers[Role.FILING_CLERK], data, court_code="吉7502").id


def test_court_setting_changes_the_threshold_and_override_needs_a_note(udb, uusers, case_id):
    clerk = uusers[Role.FILING_CLERK]
    with udb.transaction() as s:
        case = s.get(Case, case_id)
        assert pr.suggest_for_case(s, case).procedure is Procedure.SIMPLE  # 50,000 > 43,611
        s.add(Setting(key=pr.WAGE_SETTING, value="104000"))
        s.add(Setting(key=pr.WAGE_YEAR_SETTING, value=2025))
        s.flush()
        sug = pr.suggest_for_case(s, case)
        assert sug.procedure is Procedure.SMALL_CLAIMS and sug.threshold.wage_year == 2025 and not sug.warnings
        with pytest.raises(ValidationError, match="须填写理由"):
            pr.set_procedure(s, clerk, case, Procedure.SIMPLE)
        pr.set_procedure(s, clerk, case, Procedure.SIMPLE, "原告申请调取银行流水，事实需进一步查明")
        assert case.procedure is Procedure.SIMPLE
        with pytest.raises(KnownError, match="不能适用小额诉讼"):
            pr.set_procedure(s, clerk, case, Procedure.SMALL_CLAIMS, "试试",
                             facts=pr.facts_from_case(case, counterclaim=True))
        pr.set_procedure(s, clerk, case, Procedure.SMALL_CLAIMS)
    with udb.session() as s:
        recs = s.scalars(select(AuditRecord).where(AuditRecord.action == "case.set_procedure")
                         .order_by(AuditRecord.seq)).all()
        assert [(r.before["procedure"], r.after["procedure"]) for r in recs] == [
            (None, "simple"), ("simple", "small_claims")]
        assert recs[0].after["note"].startswith("原告申请") and recs[0].after["suggested"] == "small_claims"
        assert recs[0].after["wage"] == "104000"
