"""诉前调解建议规则: the data file loads strictly, and the suggestion follows 解释第一百四十三条 and the court's list."""

from __future__ import annotations

import json
from decimal import Decimal
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from baihe_desk.services.mediation.rule_files import (
    MediationRulesError,
    load_rules,
    parse_rules,
    roster_defaults,
)
from baihe_desk.services.mediation.rules import EXCLUDE, NONE, SUGGEST, covers, suggest

RULES = load_rules()
CODES = [r["code"] for r in json.loads(
    resources.files("baihe_desk.resources").joinpath("causes").joinpath("civil-causes-2025.json").read_text("utf-8"))]


def test_rules_file_loads_and_every_code_is_in_the_catalogue():
    assert RULES.version and RULES.catalogue == "2025"
    assert set(RULES.channels) == {"station", "grid", "talk_point", "bank"}
    for rule in (*RULES.exclude, *RULES.suggest):
        assert rule.reason and rule.basis
        assert all(c in CODES for c in rule.causes)
    assert {r["kind"] for r in roster_defaults()} == {"station", "talk_point", "bank", "grid"}
    assert any("长白山管委会综治中心" in r["location"] for r in roster_defaults())


@pytest.mark.parametrize(("code", "channel"), [
    ("2.2.14", "station"),  # 离婚纠纷 (family)
    ("2.3.29", "station"),  # 法定继承纠纷
    ("3.6.55.2", "grid"),  # 相邻通行纠纷 (neighbour)
    ("4.10.126", "station"),  # 物业服务合同纠纷
    ("10.35.411", "station"),  # 机动车交通事故责任纠纷
    ("4.10.142.6", "talk_point"),  # 旅游合同纠纷 → 董嫂说事点 (more specific than 服务合同)
    ("4.10.142.1", "station"),  # 电信服务合同纠纷 (consumer)
    ("7.19.205.5", "station"),  # 追索劳动报酬纠纷 (labour)
    ("4.10.108.1", "bank"),  # 金融借款合同纠纷 → 法院+银行
    ("4.10.115.2", "bank"),  # 信用卡纠纷 → 法院+银行
])
def test_suggested_causes_and_their_channel(code, channel):
    s = suggest(code, Decimal("8000"))
    assert s.kind == SUGGEST and s.channel == channel and s.referable
    assert s.reason and "第一百二十五条" in s.basis[0]


@pytest.mark.parametrize("code", [
    "11.41.448",  # 申请司法确认调解协议 (特别程序)
    "11.45.458",  # 申请支付令 (督促程序)
    "11.46.459",  # 申请公示催告
    "2.2.17",  # 婚姻无效纠纷
    "2.2.21.1",  # 确认亲子关系纠纷
    "2.2.21.2",  # 否认亲子关系纠纷
    "2.2.25.1",  # 确认收养关系纠纷
])
def test_excluded_by_interpretation_143(code):
    s = suggest(code)
    assert s.kind == EXCLUDE and not s.referable
    assert "第一百四十三条" in s.basis[0]


def test_exclusion_beats_the_family_suggestion_above_it():
    assert suggest("2.2").kind == SUGGEST  # 婚姻家庭纠纷 in general
    assert suggest("2.2.21").kind == EXCLUDE  # … but not 亲子关系


def test_small_debt_ceiling_is_the_courts_setting():
    assert suggest("4.10.108.3", Decimal("80000")).kind == SUGGEST
    above = suggest("4.10.108.3", Decimal("150000"))
    assert above.kind == NONE and "超过" in above.reason and above.referable
    assert suggest("4.10.108.3", Decimal("150000"), amount_limits={"small_debt": Decimal("200000")}).kind == SUGGEST
    unknown = suggest("4.10.108.3", None)
    assert unknown.kind == SUGGEST and "标的额未填写" in unknown.notes[0]


def test_no_suggestion_and_unknown_cause_leave_the_choice_to_the_window():
    other = suggest("4.10.120.3")  # 建设工程施工合同纠纷: not on the list
    assert other.kind == NONE and other.referable
    assert suggest("").kind == NONE


def test_divorce_and_title_confirmation_cannot_go_to_judicial_confirmation():
    assert suggest("2.2.14").no_confirmation  # 解释第三百五十五条第一款第三项
    assert suggest("3.5.38.1").no_confirmation  # 所有权确认纠纷: 第五项
    assert not suggest("4.10.108.1").no_confirmation
    assert "仲裁" in suggest("7.19.205.5").cautions[0]


def test_a_bad_rules_file_names_the_rule():
    text = resources.files("baihe_desk.resources").joinpath("mediation").joinpath("mediation-rules.toml").read_text("utf-8")
    with pytest.raises(MediationRulesError, match="99.99"):
        parse_rules(text.replace('causes = ["10.35.411", "10.35.412"]', 'causes = ["99.99"]'))
    with pytest.raises(MediationRulesError, match="nowhere"):
        parse_rules(text.replace('channel = "bank"', 'channel = "nowhere"'))
    with pytest.raises(MediationRulesError, match="basis"):
        parse_rules(text.replace('basis = ["《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第一百四十三条"]\nconfirmed = true\n\n[[exclude]]\nid = "status_confirmation"',
                                 'basis = []\nconfirmed = true\n\n[[exclude]]\nid = "status_confirmation"'))


@given(st.sampled_from(CODES), st.one_of(st.none(), st.decimals(min_value=0, max_value=10**8, places=2)))
def test_every_catalogue_cause_gets_exactly_one_answer(code, amount):
    s = suggest(code, amount)
    assert s.kind in (SUGGEST, EXCLUDE, NONE)
    assert s.reason and s.rules_version == RULES.version
    assert (s.kind == SUGGEST) == bool(s.channel)
    if any(covers(c, code) for r in RULES.exclude for c in r.causes):
        assert s.kind == EXCLUDE
    if code.startswith("11."):
        assert s.kind == EXCLUDE
