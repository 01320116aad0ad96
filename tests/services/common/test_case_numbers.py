"""Tests for baihe_desk.services.common.case_numbers (案号) and resources/case_types.toml."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baihe_desk.errors import ValidationError
from baihe_desk.services.common.case_numbers import (
    MAX_SERIAL,
    CaseNumber,
    CaseType,
    court_prefixes,
    load_case_types,
    normalize_case_number,
    parse_case_number,
    validate_court_code,
)

FAST = settings(max_examples=400, deadline=None)

BRIEF_CODES = (
    "民初 民终 民申 民监 民抗 民再 民撤 民特 民催 民督 民破 民算 民他 民辖 民辖终 民辖监 民诉前调 诉前调确 "
    "诉前调书 财保 行保 证保 执 执恢 执保 执异 执复 执监 执协 执他"
).split()
PROVINCES = "京津沪渝冀晋辽吉黑苏浙皖闽赣鲁豫鄂湘粤琼川贵云陕甘青台蒙桂藏宁新港澳内军兵黔"
TYPE_INITIALS = {code[0] for code in load_case_types()}

# ------------------------------------------------------------------------------------------ data file


def test_data_file_has_the_codes() -> None:
    types = load_case_types()
    assert set(BRIEF_CODES) <= set(types)
    assert all(
        isinstance(t, CaseType) and t.code == code and t.label and t.basis for code, t in types.items()
    )
    assert {code for code, t in types.items() if not t.confirmed} == {"行保", "证保"}
    assert {code for code in types if len(code) > 3} == {"民诉前调", "诉前调确", "诉前调书"}
    assert load_case_types() is types  # cached


def test_data_file_version_and_courts() -> None:
    import tomllib
    from importlib import resources

    data = tomllib.loads((resources.files("baihe_desk.resources") / "case_types.toml").read_text("utf-8"))
    assert data["version"]
    supreme, provinces = court_prefixes()
    assert supreme == "最高法"
    assert set(PROVINCES) == provinces


# ------------------------------------------------------------------------------------------ generators


def _court_digits(n: int) -> st.SearchStrategy[str]:
    pair = st.integers(1, 99).map(lambda i: f"{i:02d}")
    if n == 0:
        return st.just("")
    if n == 2:
        return pair
    return st.tuples(pair, pair).map("".join)


court_codes = st.one_of(
    st.just("最高法"),
    st.tuples(st.sampled_from(PROVINCES), st.sampled_from([0, 2, 4]).flatmap(_court_digits)).map("".join),
)
specials = st.one_of(
    st.just(""),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF).filter(
        lambda c: c not in TYPE_INITIALS and c not in "号字第之"
    ),
)
case_numbers = st.builds(
    CaseNumber,
    year=st.integers(1949, 2100),
    court_code=court_codes,
    type_code=st.sampled_from(sorted(load_case_types())),
    serial=st.integers(1, MAX_SERIAL),
    special=specials,
)

_FULLWIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


@st.composite
def written_forms(draw, cn: CaseNumber) -> str:
    """The ways a clerk may type ``cn``: bracket styles, full-width digits, spaces, no final 号."""
    opening, closing = draw(st.sampled_from(["（）", "()", "〔〕", "[]", "【】"]))
    body = f"{cn.court_code}{cn.special}{cn.type_code}{cn.serial}"
    text = f"{opening}{cn.year}{closing}{body}" + draw(st.sampled_from(["号", "号", ""]))
    if draw(st.booleans()):
        text = text.translate(_FULLWIDTH_DIGITS)
    if draw(st.booleans()):
        pos = draw(st.integers(0, len(text)))
        text = text[:pos] + draw(st.sampled_from([" ", "\u3000", "  "])) + text[pos:]
    return draw(st.sampled_from(["", " ", "\u3000", "\t"])) + text + draw(st.sampled_from(["", " ", "\n"]))


# ------------------------------------------------------------------------------------------ properties


@FAST
@given(case_numbers)
def test_round_trip(cn: CaseNumber) -> None:
    canonical = cn.format()
    assert canonical.startswith(f"（{cn.year}）") and canonical.endswith("号")
    assert parse_case_number(canonical) == cn
    assert parse_case_number(canonical).format() == canonical
    assert str(cn) == canonical


@FAST
@given(case_numbers.flatmap(lambda cn: st.tuples(st.just(cn), written_forms(cn))))
def test_written_forms_parse_to_canonical(pair: tuple[CaseNumber, str]) -> None:
    cn, text = pair
    assert parse_case_number(text) == cn
    assert normalize_case_number(text) == cn.format()


@FAST
@given(st.text())
def test_random_text_only_raises_validation_error(text: str) -> None:
    try:
        cn = parse_case_number(text)
    except ValidationError as err:
        assert err.field == "案号" and err.reason
    else:
        assert parse_case_number(cn.format()) == cn


@FAST
@given(case_numbers, st.integers(0, 40), st.text(max_size=2), st.integers(0, 2))
def test_mutated_numbers_only_raise_validation_error(
    cn: CaseNumber, pos: int, insert: str, drop: int
) -> None:
    text = cn.format()
    pos = min(pos, len(text))
    mutated = text[:pos] + insert + text[pos + drop :]
    try:
        parsed = parse_case_number(mutated)
    except ValidationError as err:
        assert err.field == "案号"
    else:
        assert parse_case_number(parsed.format()) == parsed


# ------------------------------------------------------------------------------------------ examples


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("（2026）吉7502民初123号", CaseNumber(2026, "吉7502", "民初", 123)),
        ("(2024)吉7502民初22号", CaseNumber(2024, "吉7502", "民初", 22)),
        ("〔２０２６〕吉７５０２执１号", CaseNumber(2026, "吉7502", "执", 1)),
        ("[2020]最高法民终12号", CaseNumber(2020, "最高法", "民终", 12)),
        ("（2026）吉民终5号", CaseNumber(2026, "吉", "民终", 5)),
        ("（2026）吉75民辖终5号", CaseNumber(2026, "吉75", "民辖终", 5)),
        ("（2026）吉75民辖5号", CaseNumber(2026, "吉75", "民辖", 5)),
        ("（2026）吉7502执恢5号", CaseNumber(2026, "吉7502", "执恢", 5)),
        ("（2021）川0104民诉前调801号", CaseNumber(2021, "川0104", "民诉前调", 801)),
        ("（2026）吉7502诉前调确3号", CaseNumber(2026, "吉7502", "诉前调确", 3)),
        ("（2023）粤0604财保12号", CaseNumber(2023, "粤0604", "财保", 12)),
        ("（2019）内01知民初3号", CaseNumber(2019, "内01", "民初", 3, special="知")),
        ("（2019）黔01民终3号", CaseNumber(2019, "黔01", "民终", 3)),
        ("（2026）吉7502民初123", CaseNumber(2026, "吉7502", "民初", 123)),
        (" （ 2026 ） 吉 7502 民初 123 号 ", CaseNumber(2026, "吉7502", "民初", 123)),
    ],
)
def test_parse_examples(text: str, expected: CaseNumber) -> None:
    assert parse_case_number(text) == expected


def test_format_uses_fullwidth_brackets() -> None:
    assert CaseNumber(2026, "吉7502", "民初", 123).format() == "（2026）吉7502民初123号"
    assert CaseNumber(2019, "内01", "民初", 3, special="知").format() == "（2019）内01知民初3号"
    assert CaseNumber(2026, "吉7502", "民初", 1).case_type.label == "民事一审案件"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "请填写案号"),
        ("（2015）吉75民初字第12号", "旧式案号（含“字第”）"),
        ("2026吉7502民初1号", "括号中的收案年度开头"),
        ("（2026吉7502民初1号", "缺少右括号"),
        ("（26）吉7502民初1号", "4位数字的收案年度"),
        ("（1948）吉7502民初1号", "不在1949年至2100年之间"),
        ("（2101）吉7502民初1号", "不在1949年至2100年之间"),
        ("（2026）X7502民初1号", "省级简称"),
        ("（2026）吉750民初1号", "现在是3位"),
        ("（2026）吉00民初1号", "不是有效的法院编码"),
        ("（2026）最高法1民初1号", "后面不应有数字"),
        ("（2026）吉7502", "缺少类型代字和案件编号"),
        ("（2026）吉7502号", "缺少类型代字和案件编号"),
        ("（2026）吉7502民初号", "缺少案件编号"),
        ("（2026）吉75021号", "现在是5位"),  # digits run on: read as a 5-digit court code
        ("（2026）吉7502民出1号", "类型代字“民出”不是已知"),
        ("（2026）吉7502民执1号", "类型代字“民执”不是已知"),
        ("（2026）吉7502民初第1号", "编号前没有“第”"),
        ("（2026）吉7502民初012号", "不能以0开头"),
        ("（2026）吉7502民初0号", "不能以0开头"),
        ("（2026）吉7502民初123456789号", "过长"),
        ("（2026）吉7502民初1号之一", "不属于案号"),
        ("（2026）吉7502民初1号号", "只能是“号”"),
        ("（2026）吉7502民1初1号", "夹有数字"),
    ],
)
def test_parse_messages(text: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as exc:
        parse_case_number(text)
    assert exc.value.field == "案号"
    assert fragment in exc.value.reason, exc.value.reason


@pytest.mark.parametrize("text", ["（2026）吉7502民初1号" * 500, "\x00" * 10_000, "（" * 10_000, "٣" * 50])
def test_long_and_odd_input(text: str) -> None:
    with pytest.raises(ValidationError):
        parse_case_number(text)


# ------------------------------------------------------------------------------------------ court codes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("吉7502", "吉7502"),
        (" 吉７５０２ ", "吉7502"),
        ("吉75", "吉75"),
        ("吉", "吉"),
        ("最高法", "最高法"),
        ("兵0101", "兵0101"),
        ("内01", "内01"),
    ],
)
def test_valid_court_codes(text: str, expected: str) -> None:
    assert validate_court_code(text) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("吉750", "现在是3位"),
        ("吉75021", "现在是5位"),
        ("X75", "省级简称"),
        ("吉7a", "只能是数字"),
        ("吉0000", "不是有效的法院编码"),
        ("吉7500", "不是有效的法院编码"),
        ("最高法01", "省级简称"),
    ],
)
def test_invalid_court_codes(text: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as exc:
        validate_court_code(text)
    assert exc.value.field == "法院代字"
    assert "无法组成案号" in exc.value.reason and fragment in exc.value.reason
    with pytest.raises(ValidationError) as exc:
        validate_court_code(text, field="本院代字")
    assert exc.value.field == "本院代字"


def test_empty_court_code() -> None:
    with pytest.raises(ValidationError) as exc:
        validate_court_code(" ")
    assert exc.value.reason == "请填写法院代字，例如“吉7502”"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"year": 1948, "court_code": "吉7502", "type_code": "民初", "serial": 1},
        {"year": 2026, "court_code": "吉750", "type_code": "民初", "serial": 1},
        {"year": 2026, "court_code": "吉7502", "type_code": "民出", "serial": 1},
        {"year": 2026, "court_code": "吉7502", "type_code": "民初", "serial": 0},
        {"year": 2026, "court_code": "吉7502", "type_code": "民初", "serial": MAX_SERIAL + 1},
        {"year": 2026, "court_code": "吉7502", "type_code": "民初", "serial": 1, "special": "民"},
        {"year": 2026, "court_code": "吉7502", "type_code": "民初", "serial": 1, "special": "知识"},
    ],
)
def test_case_number_constructor_refuses_invalid_parts(kwargs: dict) -> None:
    with pytest.raises(ValidationError):
        CaseNumber(**kwargs)
