"""可执行性检查: each common gap of draft terms is found, explained in Chinese and based on 解释第四百六十一条."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from baihe_desk.models.enforcement import TermKind
from baihe_desk.services.enforcement.enforceability import (
    ART461_CONTENT,
    ART461_CONTINUE,
    ART461_SUBJECT,
    CPL250,
    GAP,
    HINT,
    MEDIATION8,
    Instalment,
    PartyData,
    TermData,
    blocking,
    check_terms,
    split_names,
    summary,
)

PARTIES = [PartyData("王堃", "原告", "220222198503140118"), PartyData("李喆玥", "被告", "22022219900101002X"),
           PartyData("刘䶮", "被告", ""), PartyData("白河林海商贸有限公司", "担保人", "91222426MA0Y3B5K7X")]


def loan(**kw) -> TermData:
    """A clean 民间借贷 settlement term: nothing to flag."""
    base = dict(seq=1, kind=TermKind.MONEY, text="被告李喆玥于2027年12月31日前偿还原告王堃借款本金12万元及利息。",
                obligors="李喆玥", obligees="王堃", amount=Decimal("120000"), has_interest=True,
                interest_basis="以未偿还本金为基数", interest_rate="按年利率3.65%", interest_start="自2026年1月1日起",
                interest_end="至实际清偿之日止", perform_by="2027年12月31日前", perform_manner="转账至原告王堃指定账户")
    base.update(kw)
    return TermData(**base)


def codes(terms, parties=PARTIES, kind="settlement"):
    return [g.code for g in check_terms(terms, parties, terms_kind=kind)]


def test_a_clean_term_has_nothing_to_flag():
    assert codes([loan()]) == []
    assert summary([]) == "未发现常见的可执行性问题"


def test_no_terms_at_all():
    gaps = check_terms([], PARTIES)
    assert [g.code for g in gaps] == ["no_terms"] and gaps[0].term_seq is None and gaps[0].where() == "整体"


def test_missing_interest_period_and_start_date():
    gaps = check_terms([loan(interest_start="", interest_end="  ")], PARTIES)
    assert [g.code for g in gaps] == ["interest_start_missing", "interest_end_missing"]
    g = gaps[0]
    assert g.severity == GAP and g.field == "interest_start" and "利息起算日" in g.message
    assert ART461_CONTENT in g.basis and "第四百六十一条" in g.basis[0]
    assert codes([loan(interest_basis="", interest_rate="")]) == ["interest_basis_missing", "interest_rate_missing"]


def test_interest_rate_by_reference_to_the_contract_is_not_a_rate():
    assert "interest_rate_vague" in codes([loan(interest_rate="按约定")])
    gaps = check_terms([loan(interest_rate="按中国人民银行同期同类贷款利率")], PARTIES)
    assert [(g.code, g.severity) for g in gaps] == [("interest_rate_benchmark", HINT)]


def test_unnamed_obligor():
    gaps = check_terms([loan(obligors="")], PARTIES)
    assert gaps[0].code == "obligors_missing" and gaps[0].basis == (ART461_SUBJECT,)
    assert "义务人" in gaps[0].message


def test_ambiguous_obligor_with_two_defendants():
    gaps = check_terms([loan(obligors="被告")], PARTIES)
    assert gaps[0].code == "obligors_ambiguous"
    assert "本案有2名被告" in gaps[0].message
    one_defendant = [PARTIES[0], PARTIES[1]]
    assert "obligors_ambiguous" not in codes([loan(obligors="被告")], one_defendant)
    assert "obligors_ambiguous" in codes([loan(obligors="对方")], one_defendant)


def test_obligor_not_among_the_parties_and_missing_identity():
    assert codes([loan(obligors="李喆月")]) == ["obligors_unknown"]
    gaps = check_terms([loan(obligors="刘䶮")], PARTIES)
    assert [(g.code, g.severity) for g in gaps] == [("obligor_identity", HINT)]


def test_joint_liability_without_wording():
    gaps = check_terms([loan(obligors="李喆玥、刘䶮")], PARTIES)
    assert "joint_wording_missing" in [g.code for g in gaps]
    g = next(g for g in gaps if g.code == "joint_wording_missing")
    assert "连带责任还是按份责任" in g.message and "李喆玥、刘䶮" in g.message
    assert "joint_wording_missing" not in codes([loan(obligors="李喆玥、刘䶮", liability="joint")])
    assert "several_shares_missing" in codes([loan(obligors="李喆玥、刘䶮", liability="several")])
    assert "several_shares_missing" not in codes(
        [loan(obligors="李喆玥、刘䶮", liability="several", liability_wording="李喆玥负担8万元，刘䶮负担4万元")])


def test_instalments_without_an_acceleration_clause():
    inst = [Instalment(date(2026, 12, 31), Decimal("40000")), Instalment(date(2027, 6, 30), Decimal("40000")),
            Instalment(date(2027, 12, 31), Decimal("40000"))]
    gaps = check_terms([loan(instalments=inst)], PARTIES)
    assert [g.code for g in gaps] == ["acceleration_missing"]
    g = gaps[0]
    assert "加速到期" in g.message and CPL250 in g.basis and MEDIATION8 in g.basis
    fixed = loan(instalments=inst, acceleration="任何一期未按期足额履行的，原告有权就全部未付款项一并申请执行。")
    assert codes([fixed]) == []
    # a judgment does not cite the mediation rules
    assert MEDIATION8 not in check_terms([loan(instalments=inst)], PARTIES, terms_kind="judgment")[0].basis


def test_instalments_must_add_up_and_have_dates():
    inst = [Instalment(date(2026, 12, 31), Decimal("40000")), Instalment(None, Decimal("40000"))]
    assert "instalment_incomplete" in codes([loan(instalments=inst, acceleration="任何一期逾期，全部到期")])
    inst = [Instalment(date(2026, 12, 31), Decimal("40000")), Instalment(date(2027, 6, 30), Decimal("40000"))]
    gaps = check_terms([loan(instalments=inst, acceleration="任何一期逾期，全部到期")], PARTIES)
    assert [g.code for g in gaps] == ["instalment_sum"] and "80,000.00" in gaps[0].message


def test_settlement_may_not_send_the_parties_back_to_a_judgment():
    inst = [Instalment(date(2026, 12, 31), Decimal("120000"))]
    bad = loan(instalments=inst, acceleration="被告不履行的，原告可以请求人民法院对本案作出判决")
    assert "acceleration_forbidden" in codes([bad])
    assert "acceleration_forbidden" not in codes([bad], kind="judgment")


def test_guarantor_without_mode_or_scope():
    gaps = check_terms([loan(guarantor="白河林海商贸有限公司")], PARTIES)
    assert [(g.code, g.severity) for g in gaps] == [("guarantee_mode_missing", GAP), ("guarantee_scope_missing", HINT)]
    assert "连带责任保证还是一般保证" in gaps[0].message
    ok = loan(guarantor="白河林海商贸有限公司", guarantee_mode="joint", guarantee_scope="本金、利息及实现债权的费用")
    assert codes([ok]) == []
    assert "guarantor_unknown" in codes([loan(guarantor="赵某", guarantee_mode="joint", guarantee_scope="全部")])


def test_unspecified_object():
    term = TermData(seq=1, kind=TermKind.DELIVERY, text="被告交付木材。", obligors="李喆玥", obligees="王堃",
                    perform_by="2026年12月31日前", perform_manner="在白河林场货场交付")
    assert codes([term]) == ["object_missing"]
    term.object_desc = "红松原木"
    assert codes([term]) == ["object_quantity"]
    term.object_desc = "红松原木30立方米（径级30厘米以上）"
    assert codes([term]) == []


def test_performance_time_missing_or_vague():
    assert codes([loan(perform_by="")]) == ["perform_time_missing"]
    gaps = check_terms([loan(perform_by="尽快")], PARTIES)
    assert gaps[0].code == "perform_time_vague" and "尽快" in gaps[0].message and CPL250 in gaps[0].basis
    # with instalments the dates of the instalments are the performance time
    inst = [Instalment(date(2026, 12, 31), Decimal("120000"))]
    assert codes([loan(perform_by="", instalments=inst, acceleration="逾期则全部到期")]) == []


def test_continue_performance_without_specifics():
    term = TermData(seq=2, kind=TermKind.CONTINUE, text="双方继续履行合同。", obligors="李喆玥", obligees="王堃",
                    perform_by="2026年12月31日前")
    gaps = check_terms([term], PARTIES)
    assert [g.code for g in gaps] == ["continue_unspecified"]
    assert gaps[0].basis == (ART461_CONTINUE,) and gaps[0].term_seq == 2
    term.act_content = "被告于2026年12月31日前向原告交付剩余的红松原木20立方米"
    assert codes([term]) == []


def test_every_gap_is_explained_and_based():
    terms = [loan(obligors="被告", interest_rate="", instalments=[Instalment(None, None)], guarantor="某人"),
             TermData(seq=2, kind=TermKind.ACT), TermData(seq=3, kind=TermKind.DELIVERY)]
    gaps = check_terms(terms, PARTIES)
    assert len(gaps) >= 10
    for g in gaps:
        assert g.message and all("\u4e00" <= ch <= "\u9fff" for ch in g.message[:2])
        assert g.basis and g.severity in (GAP, HINT)
    assert blocking(gaps) and summary(gaps).endswith("处提示")


def test_name_splitting_keeps_names_whole():
    assert split_names("李喆玥、刘䶮，王和平") == ["李喆玥", "刘䶮", "王和平"]
    assert split_names(" ") == []


@given(st.text(max_size=40), st.text(max_size=40), st.text(max_size=20))
def test_the_checker_never_crashes_on_any_text(obligors, rate, when):
    gaps = check_terms([loan(obligors=obligors, interest_rate=rate, perform_by=when)], PARTIES)
    assert all(g.term_seq == 1 for g in gaps)
