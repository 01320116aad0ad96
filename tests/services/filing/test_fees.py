"""诉讼费用计算 (baihe_desk.services.filing.fees) against 《诉讼费用交纳办法》 and every worked total of DOMAIN.md §5."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baihe_desk.errors import KnownError, ValidationError
from baihe_desk.services.filing.fees import (
    calculate_fee,
    fee_kinds,
    fee_text,
    format_fee,
    parse_amount,
    parse_fee_schedule,
    ranged_settings,
    validate_overrides,
)

FAST = settings(max_examples=300, deadline=None)


def fee(kind, amount=None, **kw) -> Decimal:
    return calculate_fee(kind, amount, **kw).total


# ----------------------------------------------------------------------------------------- DOMAIN.md §5 totals


@pytest.mark.parametrize(
    ("amount", "total"),
    [
        ("100000", "2300"),
        ("200000", "4300"),
        ("500000", "8800"),
        ("1000000", "13800"),
        ("2000000", "22800"),
        ("5000000", "46800"),
        ("10000000", "81800"),
        ("20000000", "141800"),
    ],
)
def test_property_worked_totals(amount, total):
    assert fee("property", amount) == Decimal(total)


@pytest.mark.parametrize(
    ("amount", "total"), [("500000", "7400"), ("5000000", "52400"), ("10000000", "77400")]
)
def test_enforcement_worked_totals(amount, total):
    assert fee("enforcement", amount) == Decimal(total)


def test_preservation_worked_totals_and_cap():
    assert fee("preservation", "100000") == Decimal("1020")
    assert fee("preservation", "896000") == Decimal("5000")  # DOMAIN: cap reached at 896,000
    assert fee("preservation", "895000") == Decimal("4995")
    assert fee("preservation", "10000000") == Decimal("5000")
    result = calculate_fee("preservation", "10000000")
    assert any("超过上限" in s.text for s in result.steps)


# ----------------------------------------------------------------------------------------- other kinds


def test_property_small_amounts_and_band_edges():
    assert fee("property", "1") == fee("property", "10000") == Decimal("50")
    assert fee("property", "10000.01") == Decimal("50.00")  # 50.00025 → 50.00
    assert fee("property", "10020") == Decimal("50.50")
    assert fee("property", "30000000") == Decimal("191800")
    with pytest.raises(ValidationError):
        calculate_fee("property")  # amount required
    with pytest.raises(ValidationError):
        calculate_fee("property", "0")


def test_enforcement_and_preservation_without_amount():
    r = calculate_fee("enforcement")
    assert r.total == Decimal("50") and r.warnings  # ranged default, unconfirmed
    assert fee("enforcement", overrides={"enforcement_no_amount": "500"}) == Decimal("500")
    assert fee("enforcement", "10000") == Decimal("50")
    assert fee("enforcement", "20000000") == Decimal("87400")  # 77,400 + 10,000,000 × 0.1%
    assert fee("preservation") == fee("preservation", "1000") == fee("preservation", "0") == Decimal("30")
    assert fee("preservation", "1001") == Decimal("30.01")


def test_divorce():
    r = calculate_fee("divorce")
    assert r.total == Decimal("50")
    assert any("本省的具体标准尚未核实" in w for w in r.warnings)
    assert fee("divorce", "200000") == Decimal("50")  # ≤ 20 万: 不另行交纳
    assert fee("divorce", "300000") == Decimal("550")
    r = calculate_fee("divorce", "300000", overrides={"divorce": "300"})
    assert r.total == Decimal("800") and r.warnings == ()
    assert any("按本院设置 300.00 元" in s.text for s in r.steps)


def test_personality():
    assert fee("personality") == Decimal("100")
    assert fee("personality", "50000") == Decimal("100")
    assert fee("personality", "100000") == Decimal("600")
    assert fee("personality", "150000") == Decimal("850")
    assert fee("personality", "150000", overrides={"personality": "500"}) == Decimal("1250")


def test_ip_with_and_without_amount():
    assert fee("ip") == Decimal("500")
    assert fee("ip", overrides={"ip": "1000"}) == Decimal("1000")
    assert fee("ip", "100000") == Decimal("2300")  # 财产案件标准
    with pytest.raises(ValidationError):
        calculate_fee("ip", "0")


def test_labor_and_other_nonproperty():
    r = calculate_fee("labor", "80000")
    assert r.total == Decimal("10") and r.amount is None
    assert any("不预交" in n for n in r.notes)
    assert fee("labor", simple_procedure=True) == Decimal("5")
    assert fee("other_nonproperty") == Decimal("50")
    with pytest.raises(ValidationError):
        calculate_fee("other_nonproperty", "1000")


def test_unknown_kind():
    with pytest.raises(ValidationError):
        calculate_fee("criminal", "100")
    assert set(fee_kinds()) == {
        "property",
        "divorce",
        "personality",
        "ip",
        "labor",
        "other_nonproperty",
        "enforcement",
        "preservation",
    }


# ----------------------------------------------------------------------------------------- halving


def test_halving_simple_procedure_and_mediation():
    assert fee("property", "100000", simple_procedure=True) == Decimal("1150")
    assert fee("property", "100000", mediated=True) == Decimal("1150")
    assert fee("property", "100000", withdrawn=True) == Decimal("1150")
    r = calculate_fee("property", "100000", simple_procedure=True, mediated=True)
    assert r.total == Decimal("1150") and r.full_fee == Decimal("2300") and r.halved
    assert any("第二百零六条" in s.basis for s in r.steps)  # halved only once
    assert fee("property", "10020", simple_procedure=True) == Decimal("25.25")
    assert fee("property", "10060", simple_procedure=True) == Decimal("25.75")


def test_halving_refused_for_application_fees_and_conflicting_endings():
    for kind in ("enforcement", "preservation"):
        with pytest.raises(ValidationError) as exc:
            calculate_fee(kind, "1000", simple_procedure=True)
        assert "只适用于案件受理费" in exc.value.message
    with pytest.raises(ValidationError):
        calculate_fee("property", "1000", mediated=True, withdrawn=True)


# ----------------------------------------------------------------------------------------- settings


def test_ranged_settings_are_the_statutory_ranges():
    got = {s.key: (s.min, s.max) for s in ranged_settings()}
    assert got == {
        "divorce": (Decimal(50), Decimal(300)),
        "personality": (Decimal(100), Decimal(500)),
        "other_nonproperty": (Decimal(50), Decimal(100)),
        "ip": (Decimal(500), Decimal(1000)),
        "enforcement_no_amount": (Decimal(50), Decimal(500)),
    }
    for s in ranged_settings():
        assert s.min <= s.default <= s.max


@pytest.mark.parametrize("bad", [{"divorce": "301"}, {"divorce": "49.99"}, {"ip": "-1"}, {"nope": "1"}])
def test_overrides_outside_the_range_are_refused(bad):
    with pytest.raises(ValidationError) as exc:
        validate_overrides(bad)
    assert exc.value.message  # Chinese, names the setting
    with pytest.raises(ValidationError):
        calculate_fee("divorce", overrides=bad)


def test_overrides_message_names_label_and_range():
    with pytest.raises(ValidationError) as exc:
        validate_overrides({"divorce": "400"})
    assert exc.value.field == "离婚案件受理费（每件）"
    assert "50–300" in exc.value.message and "第十三条" in exc.value.message
    assert validate_overrides({"divorce": 200}) == {"divorce": Decimal("200")}


def test_schedule_file_is_validated():
    bad = """
version = "x"
[ranged]
[schedules.property]
label = "财产案件"
basis = "第十三条"
case_fee = true
amount = "required"
base_fee = "50"
base_upto = "10000"
bands = [{ over = "20000", rate = "0.025" }]
"""
    with pytest.raises(KnownError):
        parse_fee_schedule(bad)
    with pytest.raises(KnownError):
        parse_fee_schedule(bad.replace('over = "20000"', 'over = "10000"').replace('"0.025"', "0.025"))
    ok = parse_fee_schedule(bad.replace('over = "20000"', 'over = "10000"'))
    assert calculate_fee("property", "20000", schedule=ok).total == Decimal("300")


# ----------------------------------------------------------------------------------------- input and text


def test_parse_amount():
    assert parse_amount("1,000,000") == Decimal("1000000")
    assert parse_amount("１００００.５") == Decimal("10000.5")
    assert parse_amount("100元") == Decimal("100")
    assert parse_amount(Decimal("12.30")) == Decimal("12.30")
    for bad in ("-1", "1.234", "abc", "1e5", "", 1.5, True, Decimal("NaN")):
        with pytest.raises(ValidationError):
            parse_amount(bad)  # type: ignore[arg-type]


def test_format_fee_last_line_and_basis():
    text = fee_text("property", "100000")
    assert text.splitlines()[-1] == "total: 2300.00"
    assert "《诉讼费用交纳办法》第十三条第（一）项" in text
    assert fee_text("property", "100000", procedure="simple").splitlines()[-1] == "total: 1150.00"
    assert fee_text("property", "123456.78", mediated=True).splitlines()[-1] == "total: 1384.57"
    assert fee_text("labor").splitlines()[-1] == "total: 10.00"
    with pytest.raises(ValidationError):
        fee_text("property", "100", procedure="summary")
    r = calculate_fee("property", "123456.78")
    assert any("四舍五入" in s.text for s in r.steps)  # 2769.1356 → 2769.14
    assert format_fee(r).splitlines()[-1] == "total: 2769.14"
    assert all(s.basis for s in r.steps)


# ----------------------------------------------------------------------------------------- properties

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100000000"), places=2)
BANDED = ["property", "divorce", "personality", "ip", "enforcement", "preservation"]


@FAST
@given(st.sampled_from(BANDED), amounts, amounts)
def test_monotone_and_never_negative(kind, a, b):
    lo, hi = sorted((a, b))
    f_lo, f_hi = fee(kind, lo), fee(kind, hi)
    assert Decimal(0) <= f_lo <= f_hi
    assert f_lo == f_lo.quantize(Decimal("0.01"))


@FAST
@given(st.sampled_from(["property", "divorce", "personality", "ip"]), amounts, st.booleans())
def test_halving_exact_to_the_fen(kind, amount, simple):
    full = calculate_fee(kind, amount).total
    half = calculate_fee(kind, amount, simple_procedure=simple, mediated=not simple).total
    assert half == (full / 2).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert Decimal(0) <= half * 2 - full <= Decimal("0.01")
    both = calculate_fee(kind, amount, simple_procedure=True, mediated=True).total
    assert both == half  # only once (解释第二百零六条)


@FAST
@given(amounts)
def test_preservation_never_above_5000(amount):
    assert Decimal(30) <= fee("preservation", amount) <= Decimal(5000)


@FAST
@given(amounts)
def test_format_fee_total_matches(amount):
    r = calculate_fee("property", amount)
    assert format_fee(r).splitlines()[-1] == f"total: {r.total:.2f}"


def test_fee_command_text_passes_every_option_on():
    """``baihe-desk fee``: withdrawal halves (《诉讼费用交纳办法》第十五条), the court's own figure within the
    statutory range is used (第十三条: 离婚 50–300 元/件, here 200), a wrong procedure is named."""
    from baihe_desk.services.filing.fees import fee_text

    assert fee_text("property", "100000").splitlines()[-1] == "total: 2300.00"  # 2,300 worked above
    assert fee_text("property", "100000", withdrawn=True).splitlines()[-1] == "total: 1150.00"
    assert fee_text("property", "100000", procedure="simple").splitlines()[-1] == "total: 1150.00"
    assert fee_text("divorce", overrides={"divorce": "200"}).splitlines()[-1] == "total: 200.00"
    with pytest.raises(ValidationError) as exc:
        fee_text("property", "1000", procedure="普通")
    assert exc.value.field == "审理程序"
    assert exc.value.message == "审理程序：应为 ordinary（普通程序）或 simple（简易程序），收到“普通”"


@pytest.mark.parametrize("kind,amount,article,worked", [
    # 第十三条第（一）项: ≤ 1万 50 元/件; 1万–10万 2.5 %: 50 + 90,000 × 2.5 % = 2,300
    ("property", "100000", "第十三条第（一）项",
     [(None, "100,000.00 元"), ("50", "不超过 1 万元（含）的部分，每件 50.00 元"),
      ("2250", "超过 1 万元至 10 万元的部分 90,000.00 元 × 2.5% = 2,250.00 元"), ("2300", "案件受理费：2,300.00 元")]),
    # 第十三条第（二）项第1目: 50–300 元/件 (default 50); over 20万 0.5 %: 50 + 100,000 × 0.5 % = 550
    ("divorce", "300000", "第十三条第（二）项第1目",
     [(None, "300,000.00 元"), ("50", "每件按默认值 50.00 元（法定幅度 50–300 元）"),
      ("500", "超过 20 万元的部分 100,000.00 元 × 0.5% = 500.00 元"), ("550", "案件受理费：550.00 元")]),
    # 第十四条第（二）项: ≤ 1,000 30 元; 1,000–10万 1 %; over 10万 0.5 %; at most 5,000
    ("preservation", "2000000", "第十四条第（二）项",
     [(None, "2,000,000.00 元"), ("30", "不超过 1,000 元（含）的部分，每件 30.00 元"),
      ("990", "超过 1,000 元至 10 万元的部分 99,000.00 元 × 1% = 990.00 元"),
      ("9500", "超过 10 万元的部分 1,900,000.00 元 × 0.5% = 9,500.00 元"),
      (None, "按标准计算为 10,520.00 元，超过上限，按最高 5,000.00 元交纳"), ("5000", "保全申请费：5,000.00 元")]),
    # 第十四条第（一）项: ≤ 1万 50 元/件
    ("enforcement", "5000", "第十四条第（一）项",
     [(None, "5,000.00 元"), ("50", "不超过 1 万元（含）的部分，每件 50.00 元"), ("50", "执行申请费：50.00 元")]),
])
def test_each_step_of_a_worked_fee_shows_its_amount_and_article(kind, amount, article, worked):
    """The steps a clerk reads (and prints for the party): each band's amount, its words and its article."""
    steps = calculate_fee(kind, amount).steps
    assert len(steps) == len(worked)
    for step, (want_amount, words) in zip(steps, worked, strict=True):
        assert words in step.text and step.basis.endswith(article), step
        if want_amount is not None:
            assert step.amount == Decimal(want_amount), step


def test_parse_amount_worked_inputs():
    """Amounts as clerks and callers give them: a Decimal in exponent form, spaces and thousands separators,
    full-width digits and 元; a float (binary fractions) and infinity are refused, naming the field."""
    from baihe_desk.services.filing.fees import parse_amount

    assert parse_amount(Decimal("1E+3")) == Decimal("1000") and parse_amount("1 000") == Decimal("1000")
    assert parse_amount("１２，３４５．５０元") == Decimal("12345.50") == parse_amount("12,345.50 元")
    with pytest.raises(ValidationError) as info:
        parse_amount(1000.5, "诉讼请求金额")
    assert info.value.message == "诉讼请求金额：请以文字或 Decimal 传入金额，避免二进制小数误差"
    with pytest.raises(ValidationError) as info:
        parse_amount(True)
    assert info.value.field == "金额"
    with pytest.raises(ValidationError) as info:
        parse_amount(Decimal("Infinity"))
    assert info.value.message == "金额：“Infinity”不是有效金额（元，最多两位小数，不能为负数）"


@pytest.mark.parametrize("kind,amount,kw,field,message", [
    ("nope", None, {}, "案件类型", "未知的收费类型“nope”"),
    ("property", None, {}, "诉讼请求金额", "财产案件须填写诉讼请求金额"),
    ("property", "0", {}, "诉讼请求金额", "应大于 0；没有金额的请不填"),
    ("other_nonproperty", "1000", {}, "金额",
     "其他非财产案件不按金额计算；有财产性诉讼请求的，按照财产案件标准交纳（民诉法解释第二百零一条）"),
    ("property", "100", {"mediated": True, "withdrawn": True}, "结案方式", "调解结案与申请撤诉只能选择一项"),
    ("enforcement", "1000", {"simple_procedure": True}, "减半",
     "减半交纳只适用于案件受理费（第十五条、第十六条），执行申请费不适用"),
])
def test_fee_refusals_name_the_field_and_say_why(kind, amount, kw, field, message):
    with pytest.raises(ValidationError) as info:
        calculate_fee(kind, amount, **kw)
    assert (info.value.field, info.value.message) == (field, f"{field}：{message}")


def test_halving_once_is_shown_with_its_grounds_and_articles():
    """简易程序 (第十六条) and 调解结案 (第十五条) together: 2,300 ÷ 2 = 1,150 once (民诉法解释第二百零六条)."""
    *_, full, halved, once = calculate_fee("property", "100000", simple_procedure=True, mediated=True).steps
    assert (full.text, full.amount) == ("案件受理费：2,300.00 元", Decimal("2300"))
    assert halved.text == "适用简易程序审理、以调解方式结案，减半交纳：2,300.00 ÷ 2 = 1,150.00 元"
    assert halved.basis == "《诉讼费用交纳办法》第十五条、第十六条" and halved.amount == Decimal("1150")
    assert once.text == "同时符合多项减半情形的，只能减半一次" and once.basis.endswith("第二百零六条")
    only_mediated = calculate_fee("property", "100000", mediated=True).steps[-1]
    assert only_mediated.text.startswith("以调解方式结案，减半交纳") and only_mediated.basis.endswith("第十五条")
