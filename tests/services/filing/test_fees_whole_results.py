"""诉讼费用: whole results, every field, counted by hand from 《诉讼费用交纳办法》第十三条、第十四条.

Each case below is worked on paper (the arithmetic is in the comments); the test compares the calculator's
complete FeeResult — kind, label, amount, every step's words, article and amount, warnings, notes, the
schedule's version — and the CLI text, so a changed word, article, order or amount anywhere is caught.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from baihe_desk.errors import ValidationError
from baihe_desk.services.filing.fees import (
    FeeStep,
    calculate_fee,
    format_fee,
    parse_amount,
    parse_fee_schedule,
    validate_overrides,
)

LAW = "《诉讼费用交纳办法》"
A13_1, A13_2_2, A13_3, A13_4 = (LAW + "第十三条第（一）项", LAW + "第十三条第（二）项第2目", LAW + "第十三条第（三）项",
                                LAW + "第十三条第（四）项")
A14_2 = LAW + "第十四条第（二）项"
D = Decimal


def steps(result) -> list[tuple[str, str, Decimal | None]]:  # type: ignore[no-untyped-def]
    return [(s.text, s.basis, s.amount) for s in result.steps]


def test_personality_within_50000_pays_the_per_case_fee_only():
    # 第十三条第（二）项第2目: 每件 100–500 元; 赔偿金额不超过 5 万元的，不另行交纳. Default: the minimum, 100.
    r = calculate_fee("personality", "30000")
    assert (r.kind, r.label, r.amount, r.full_fee, r.total, r.halved) == (
        "personality", "人格权案件", D("30000"), D("100"), D("100"), False)
    assert steps(r) == [
        ("人格权案件，损害赔偿金额 30,000.00 元", A13_2_2, None),
        ("人格权案件每件按默认值 100.00 元（法定幅度 100–500 元）", A13_2_2, D("100")),
        ("损害赔偿金额不超过 5 万元，不另行交纳", A13_2_2, None),
        ("案件受理费：100.00 元", A13_2_2, D("100")),
    ]
    assert r.warnings == ("人格权案件受理费（每件）：本省的具体标准尚未核实，暂按默认值 100.00 元计算"
                          "（法定幅度 100–500 元），请管理员设置",)
    assert r.notes == () and r.schedule_version == "2026.1"
    assert format_fee(r) == "\n".join([
        "收费类型：人格权案件",
        f"  1. 人格权案件，损害赔偿金额 30,000.00 元（{A13_2_2}）",
        f"  2. 人格权案件每件按默认值 100.00 元（法定幅度 100–500 元）（{A13_2_2}）",
        f"  3. 损害赔偿金额不超过 5 万元，不另行交纳（{A13_2_2}）",
        f"  4. 案件受理费：100.00 元（{A13_2_2}）",
        "应交纳：100.00 元",
        "注意：人格权案件受理费（每件）：本省的具体标准尚未核实，暂按默认值 100.00 元计算（法定幅度 100–500 元），请管理员设置",
        "total: 100.00",
    ])


@pytest.mark.parametrize("amount,exempt_line", [("0.50", True), ("50000", True), ("0", False)])
def test_personality_exempt_line_for_amounts_up_to_and_including_50000(amount, exempt_line):
    """"不超过 5 万元" includes 5 万 itself and 5 角; with no damages claimed (0) there is nothing to exempt."""
    r = calculate_fee("personality", amount)
    assert ("损害赔偿金额不超过 5 万元，不另行交纳", A13_2_2, None) in steps(r) if exempt_line else \
        [t for t, _, _ in steps(r) if "不另行交纳" in t] == []
    assert r.total == D("100")


def test_divorce_without_property_is_the_per_case_fee():
    # 第十三条第（二）项第1目: 每件 50–300 元; no 财产总额 given: the per-case fee alone, no exemption line.
    r = calculate_fee("divorce")
    assert r.amount is None and r.total == D("50")
    assert steps(r) == [("离婚案件每件按默认值 50.00 元（法定幅度 50–300 元）", LAW + "第十三条第（二）项第1目", D("50")),
                        ("案件受理费：50.00 元", LAW + "第十三条第（二）项第1目", D("50"))]


def test_ip_with_an_amount_follows_the_property_schedule():
    # 第十三条第（三）项: 有争议金额的，按照财产案件的标准交纳. 20,000: 50 + 10,000 × 2.5% = 300.
    r = calculate_fee("ip", "20000")
    assert (r.kind, r.label, r.amount, r.total) == ("ip", "知识产权民事案件", D("20000"), D("300"))
    assert steps(r) == [
        ("知识产权民事案件，争议金额 20,000.00 元", A13_3, None),
        ("有争议金额的，按照财产案件的标准交纳", A13_3, None),
        ("诉讼请求金额不超过 1 万元（含）的部分，每件 50.00 元", A13_1, D("50")),
        ("超过 1 万元至 10 万元的部分 10,000.00 元 × 2.5% = 250.00 元", A13_1, D("250")),
        ("案件受理费：300.00 元", A13_3, D("300")),
    ]
    assert r.warnings == ()


def test_ip_without_an_amount_and_preservation_without_an_amount():
    r = calculate_fee("ip")
    assert steps(r) == [("未涉及争议金额：每件按默认值 500.00 元（法定幅度 500–1,000 元）", A13_3, D("500")),
                        ("案件受理费：500.00 元", A13_3, D("500"))]
    assert r.warnings == ("没有争议金额的知识产权民事案件受理费（每件）：本省的具体标准尚未核实，暂按默认值 500.00 元计算"
                          "（法定幅度 500–1,000 元），请管理员设置",)
    # 第十四条第（二）项: 财产数额不超过 1,000 元或者不涉及财产数额的，每件交纳 30 元.
    p = calculate_fee("preservation")
    assert steps(p) == [("未涉及实际保全的财产数额：每件 30.00 元", A14_2, D("30")), ("保全申请费：30.00 元", A14_2, D("30"))]


def test_preservation_exactly_at_the_5000_cap_shows_no_cap_step():
    # 896,000: 30 + (100,000 − 1,000) × 1% = 1,020; + 796,000 × 0.5% = 3,980 → 5,000, exactly the cap.
    r = calculate_fee("preservation", "896000")
    assert steps(r) == [
        ("保全申请费，实际保全的财产数额 896,000.00 元", A14_2, None),
        ("实际保全的财产数额不超过 1,000 元（含）的部分，每件 30.00 元", A14_2, D("30")),
        ("超过 1,000 元至 10 万元的部分 99,000.00 元 × 1% = 990.00 元", A14_2, D("990")),
        ("超过 10 万元的部分 796,000.00 元 × 0.5% = 3,980.00 元", A14_2, D("3980")),
        ("保全申请费：5,000.00 元", A14_2, D("5000")),
    ]
    # 10,000,000: 30 + 990 + 9,900,000 × 0.5% = 50,520 → 最多不超过 5,000 元.
    capped = calculate_fee("preservation", "10000000")
    assert steps(capped)[-2:] == [("按标准计算为 50,520.00 元，超过上限，按最高 5,000.00 元交纳", A14_2, D("5000")),
                                  ("保全申请费：5,000.00 元", A14_2, D("5000"))]


def test_labor_ignores_the_amount_and_says_so_first():
    r = calculate_fee("labor", "80000")
    assert r.amount is None and r.total == D("10")
    assert steps(r) == [("每件 10.00 元", A13_4, D("10")), ("案件受理费：10.00 元", A13_4, D("10"))]
    assert r.notes == ("劳动争议案件不论争议金额，每件交纳固定金额",
                       "追索劳动报酬的案件可以不预交案件受理费（《诉讼费用交纳办法》第二十条第一款）")


def test_withdrawn_property_case_is_halved_under_article_15():
    # 20,000: 300; 第十五条 申请撤诉 → 150.
    r = calculate_fee("property", "20000", withdrawn=True)
    assert steps(r)[-2:] == [("案件受理费：300.00 元", A13_1, D("300")),
                             ("当事人申请撤诉，减半交纳：300.00 ÷ 2 = 150.00 元", LAW + "第十五条", D("150"))]
    assert (r.full_fee, r.total, r.halved) == (D("300"), D("150"), True)


def test_a_fee_below_the_fen_is_rounded_once_and_says_so():
    # 10,000.01: 50 + 0.01 × 2.5% = 50.00025 → 50.00.
    r = calculate_fee("property", "10000.01")
    assert steps(r)[2:] == [
        ("超过 1 万元至 10 万元的部分 0.01 元 × 2.5% = 0.00025 元", A13_1, D("0.00025")),
        ("计算结果 50.00025 元，四舍五入保留到分：50.00 元", "舍入规则：四舍五入到分", None),
        ("案件受理费：50.00 元", A13_1, D("50")),
    ]


def test_zero_is_refused_where_an_amount_decides_the_fee():
    with pytest.raises(ValidationError) as e:
        calculate_fee("enforcement", "0")  # 执行金额 0: leave it empty for 没有执行金额的
    assert (e.value.field, e.value.message) == ("执行金额", "执行金额：应大于 0；没有金额的请不填")


# A schedule of the shape the file allows but the statute does not use: no base fee, a band from 0, a
# forbidden amount without notes, and a ranged figure the shipped file does not have.
CUSTOM = """
version = "t1"
[ranged.extra]
label = "测试幅度"
basis = "第一条"
min = "10"
max = "20"
default = "10"
confirmed = true
[schedules.from_zero]
label = "自零起算"
basis = "第二条"
case_fee = true
amount = "required"
amount_label = "金额"
bands = [{ over = "0", upto = "10000", rate = "0.01" }, { over = "10000", rate = "0.02" }]
[schedules.flat]
label = "固定收费"
basis = "第三条"
case_fee = false
amount = "forbidden"
base_ranged = "extra"
"""


def test_a_schedule_without_base_fee_starting_at_zero():
    sched = parse_fee_schedule(CUSTOM)
    r = calculate_fee("from_zero", "15000", schedule=sched)
    # 10,000 × 1% = 100; 5,000 × 2% = 100 → 200.
    assert steps(r) == [
        ("自零起算，金额 15,000.00 元", LAW + "第二条", None),
        ("每件 0.00 元", LAW + "第二条", D("0")),
        ("超过 0 元至 1 万元的部分 10,000.00 元 × 1% = 100.00 元", LAW + "第二条", D("100")),
        ("超过 1 万元的部分 5,000.00 元 × 2% = 100.00 元", LAW + "第二条", D("100")),
        ("案件受理费：200.00 元", LAW + "第二条", D("200")),
    ]
    assert r.schedule_version == "t1"


def test_a_forbidden_amount_without_notes_and_an_override_of_the_given_schedule():
    sched = parse_fee_schedule(CUSTOM)
    with pytest.raises(ValidationError) as e:
        calculate_fee("flat", "5", schedule=sched)
    assert (e.value.field, e.value.message) == ("金额", "金额：固定收费不按金额计算；")
    r = calculate_fee("flat", overrides={"extra": "15"}, schedule=sched)
    assert steps(r) == [("固定收费每件按本院设置 15.00 元（法定幅度 10–20 元）", LAW + "第三条", D("15")),
                        ("固定收费：15.00 元", LAW + "第三条", D("15"))]


def test_override_refusals_name_their_field():
    with pytest.raises(ValidationError) as e:
        validate_overrides({"nope": "1"})
    assert (e.value.field, e.value.message) == ("收费标准设置", "收费标准设置：未知的设置项“nope”")
    with pytest.raises(ValidationError) as e:
        validate_overrides({"divorce": "abc"})
    assert e.value.field == "离婚案件受理费（每件）"
    assert validate_overrides({"divorce": "50", "personality": "500"}) == {"divorce": D("50"), "personality": D("500")}


def test_parse_amount_limits_and_spaces():
    assert parse_amount("１０\u3000０００") == D("10000")  # a full-width space inside full-width digits
    assert parse_amount("10000000000000") == D("10000000000000")  # 10 万亿元 itself is allowed
    with pytest.raises(ValidationError) as e:
        parse_amount("99999999999999")  # 14 digits, above 10 万亿
    assert (e.value.field, e.value.message) == ("金额", "金额：金额 99,999,999,999,999.00 元过大，请核对")
    with pytest.raises(ValidationError) as e:
        parse_amount("100000000000000", "赔偿金额")  # 15 digits
    assert (e.value.field, e.value.message) == ("赔偿金额", "赔偿金额：“100000000000000”不是有效金额（金额过大，请核对）")
    with pytest.raises(ValidationError) as e:
        parse_amount("1,00,000", "诉讼请求金额")  # separators in the wrong place
    assert e.value.field == "诉讼请求金额"


def test_fee_step_defaults():
    assert FeeStep("x", "y") == FeeStep("x", "y", None)
