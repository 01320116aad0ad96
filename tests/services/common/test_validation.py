"""Tests for baihe_desk.services.common.validation (输入校验): generated 身份证号 and 统一社会信用代码, phones, names."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from baihe_desk.errors import ValidationError
from baihe_desk.services.common.validation import (
    IdNumberInfo,
    normalize_text,
    strip_control_chars,
    to_halfwidth,
    validate_credit_code,
    validate_id_number,
    validate_landline,
    validate_mobile,
    validate_name,
    validate_phone,
    validate_postcode,
)

FAST = settings(max_examples=300, deadline=None)

# ----------------------------------------------------------------------------------------- generators

# Plausible county-level codes (incl. 延边/白山 in Jilin) and the 港澳台居民居住证 codes.
REGIONS = (
    "110101 110105 120101 130102 140105 150102 210102 220102 220104 220602 222401 222403 "
    "222406 222424 230102 310101 320102 330106 340102 350102 360102 370102 410102 420102 "
    "430102 440103 450102 460105 500101 510104 520102 530102 540102 610102 620102 630102 "
    "640104 650102 810000 820000 830000"
).split()
_ID_WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]


def id_check_digit(first17: str) -> str:
    """ISO 7064 MOD 11-2, computed independently of the code under test."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return "10X98765432"[total % 11]


def make_id(region: str, born: date, seq: int) -> str:
    first17 = f"{region}{born:%Y%m%d}{seq:03d}"
    return first17 + id_check_digit(first17)


id_numbers = st.builds(
    make_id,
    st.sampled_from(REGIONS),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2025, 12, 31)),
    st.integers(0, 999),
)

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]


def uscc_check(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


credit_codes = st.builds(
    lambda head, region, org: head + region + org + uscc_check(head + region + org),
    st.text(USCC_ALPHABET, min_size=2, max_size=2),
    st.text("0123456789", min_size=6, max_size=6),
    st.text(USCC_ALPHABET, min_size=9, max_size=9),
)


def _substitutions(value: str, alphabet: str) -> list[str]:
    """Every string that differs from ``value`` in exactly one position (characters from ``alphabet``)."""
    return [value[:i] + ch + value[i + 1 :] for i in range(len(value)) for ch in alphabet if ch != value[i]]


def _accepted(func, candidates: list[str]) -> list[str]:
    """The candidates ``func`` accepts (ValidationError = rejected)."""
    accepted = []
    for candidate in candidates:
        try:
            func(candidate)
        except ValidationError:
            continue
        accepted.append(candidate)
    return accepted


ALL_VALIDATORS = [
    validate_id_number,
    validate_credit_code,
    validate_mobile,
    validate_landline,
    validate_phone,
    validate_postcode,
    validate_name,
]

# -------------------------------------------------------------------------------------------- 身份证号


def test_known_numbers() -> None:
    info = validate_id_number("11010519491231002X")
    assert info == IdNumberInfo("11010519491231002X", date(1949, 12, 31), "女", "110105")
    assert info.province_code == "11"
    assert info.age_on(date(2026, 1, 1)) == 76
    assert info.age_on(date(2025, 12, 30)) == 75


@FAST
@given(id_numbers)
def test_generated_id_numbers_pass(number: str) -> None:
    info = validate_id_number(number)
    assert info.number == number
    assert info.birth_date == date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    assert info.sex == ("男" if int(number[16]) % 2 == 1 else "女")
    assert info.region_code == number[:6]
    assert validate_id_number(number, birth_date=info.birth_date, sex=info.sex) == info


@FAST
@given(id_numbers)
def test_every_single_substitution_of_an_id_number_fails(number: str) -> None:
    assert _accepted(validate_id_number, _substitutions(number, "0123456789X")) == []


@FAST
@given(id_numbers, st.integers(0, 17), st.characters(exclude_categories=["Cs"]))
def test_any_character_substitution_fails(number: str, pos: int, ch: str) -> None:
    changed = number[:pos] + ch + number[pos + 1 :]
    # A change that normalises back to the same number (x→X, full-width digit) is no change at all.
    assume(to_halfwidth(changed).upper() != number)
    with pytest.raises(ValidationError):
        validate_id_number(changed)


@FAST
@given(id_numbers, st.integers(0, 16))
def test_adjacent_transposition_fails(number: str, pos: int) -> None:
    assume(number[pos] != number[pos + 1])
    swapped = number[:pos] + number[pos + 1] + number[pos] + number[pos + 2 :]
    with pytest.raises(ValidationError):
        validate_id_number(swapped)


@FAST
@given(id_numbers)
def test_id_number_normalisation(number: str) -> None:
    fullwidth = "".join(chr(ord(c) + 0xFEE0) for c in number.lower())
    assert validate_id_number(f"\u3000 {fullwidth}\t").number == number
    spaced = f"{number[:6]} {number[6:14]} {number[14:]}"
    assert validate_id_number(spaced).number == number


def test_x_check_digit_lower_and_fullwidth() -> None:
    for text in ("11010519491231002x", "11010519491231002Ｘ", "11010519491231002ｘ"):
        assert validate_id_number(text).number == "11010519491231002X"


def _err(func, *args, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as exc:
        func(*args, **kwargs)
    return exc.value


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "请填写身份证号"),
        ("   ", "请填写身份证号"),
        ("110105491231002", "15位的第一代身份证"),
        ("1101051949123100", "应为18位，现在是16位"),
        ("11010519491231002XX", "应为18位，现在是19位"),
        ("11010519491231002A", "第18位“A”不符合要求"),
        ("1101051949123X0021", "第14位“X”不符合要求"),
        ("990105194912310021", "前两位“99”不是有效的省级行政区划代码"),
        ("110105194902300021", "出生日期“19490230”不是有效日期"),
        ("110105190002290021", "出生日期“19000229”不是有效日期"),  # 1900 was not a leap year
        ("110105194912310021", "校验码不正确"),
    ],
)
def test_id_number_messages(text: str, fragment: str) -> None:
    err = _err(validate_id_number, text)
    assert err.field == "身份证号"
    assert fragment in err.reason
    assert err.message.startswith("身份证号：")


def test_id_number_future_birth_date() -> None:
    number = make_id("220102", date(2099, 1, 1), 1)
    assert "晚于今天" in _err(validate_id_number, number).reason


def test_id_number_cross_checks() -> None:
    number = make_id("222406", date(1990, 1, 2), 123)  # 17th digit 3 → 男
    assert validate_id_number(number, birth_date=date(1990, 1, 2), sex="男").sex == "男"
    assert validate_id_number(number, birth_date=datetime(1990, 1, 2, 8, 0), sex="男性").sex == "男"
    err = _err(validate_id_number, number, birth_date=date(1990, 2, 1))
    assert err.reason == "出生日期与身份证号不符：号码显示为1990年1月2日"
    err = _err(validate_id_number, number, sex="女")
    assert err.reason == "性别与身份证号不符：号码显示为男性"
    with pytest.raises(ValueError):
        validate_id_number(number, sex="未知")


def test_custom_field_label() -> None:
    err = _err(validate_id_number, "123", field="原告身份证号")
    assert err.field == "原告身份证号"
    assert err.message.startswith("原告身份证号：")


# ---------------------------------------------------------------------------------- 统一社会信用代码


def test_known_credit_code() -> None:
    assert validate_credit_code("91110000600037341L") == "91110000600037341L"
    assert validate_credit_code(" ９１１１００００６０００３７３４１ｌ ") == "91110000600037341L"
    assert validate_credit_code("9111-0000-6000-3734-1L") == "91110000600037341L"


@FAST
@given(credit_codes)
def test_generated_credit_codes_pass(code: str) -> None:
    assert validate_credit_code(code) == code
    assert validate_credit_code(code.lower()) == code


@FAST
@given(credit_codes)
def test_every_single_substitution_of_a_credit_code_fails(code: str) -> None:
    assert _accepted(validate_credit_code, _substitutions(code, USCC_ALPHABET + "IOZSV")) == []


def test_credit_code_with_letter_authority_code() -> None:
    code = "N2220102" + "MA0000001"
    code += uscc_check(code)
    assert validate_credit_code(code) == code  # 农村集体经济组织 codes start with N


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "请填写统一社会信用代码"),
        ("9111000060003734", "应为18位，现在是16位"),
        ("91110000600037341O", "第18位“O”不符合要求"),
        ("911100A0600037341L", "第7位“A”不符合要求：第3至8位是行政区划码"),
        ("91110000600037342L", "校验码不正确"),
    ],
)
def test_credit_code_messages(text: str, fragment: str) -> None:
    err = _err(validate_credit_code, text)
    assert err.field == "统一社会信用代码"
    assert fragment in err.reason


# ------------------------------------------------------------------------------------ 电话、邮编


@pytest.mark.parametrize(
    "text",
    [
        "13912345678",
        "139 1234 5678",
        "139-1234-5678",
        "+86 139 1234 5678",
        "+8613912345678",
        "0086-13912345678",
        "(+86)13912345678",
        "１３９１２３４５６７８",
        " 13912345678\u3000",
    ],
)
def test_mobile_variants(text: str) -> None:
    assert validate_mobile(text) == "13912345678"
    assert validate_phone(text) == "13912345678"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("1391234567", "应为11位数字，现在是10位"),
        ("12912345678", "第二位是3至9"),
        ("1391234567a", "“a”不是数字"),
        ("", "请填写手机号码"),
    ],
)
def test_mobile_errors(text: str, fragment: str) -> None:
    err = _err(validate_mobile, text)
    assert err.field == "手机号码"
    assert fragment in err.reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0433-1234567", "0433-1234567"),
        ("04331234567", "0433-1234567"),
        ("0433 1234567", "0433-1234567"),
        ("(0433)1234567", "0433-1234567"),
        ("（０４３３）１２３４５６７", "0433-1234567"),
        ("０４３３－１２３４５６７", "0433-1234567"),
        ("+86 433 1234567", "0433-1234567"),
        ("010-12345678", "010-12345678"),
        ("01012345678", "010-12345678"),
        ("021 2345 6789", "021-23456789"),
        ("0433-1234567-801", "0433-1234567转801"),
        ("0433-1234567转801", "0433-1234567转801"),
        ("0433-1234567 ext. 801", "0433-1234567转801"),
    ],
)
def test_landline_variants(text: str, expected: str) -> None:
    assert validate_landline(text) == expected
    assert validate_phone(text) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("1234567", "缺少区号"),
        ("0433-123456", "格式不正确"),
        ("0123-1234567", "区号“0123”不正确"),
        ("0433-0234567", "格式不正确"),
    ],
)
def test_landline_errors(text: str, fragment: str) -> None:
    assert fragment in _err(validate_landline, text).reason


def test_phone_errors_name_field() -> None:
    err = _err(validate_phone, "abc")
    assert err.field == "联系电话"
    assert "手机号码或带区号的固定电话" in err.reason
    assert _err(validate_phone, "", field="代理人电话").message == "代理人电话：请填写代理人电话"


@pytest.mark.parametrize("text", ["133000", " 133000 ", "１３３０００", "133 000"])
def test_postcode_variants(text: str) -> None:
    assert validate_postcode(text) == "133000"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("13300", "现在是5位"),
        ("1330000", "现在是7位"),
        ("13300a", "只能包含数字"),
        ("１３３０", "现在是4位"),
        ("", "请填写邮政编码"),
    ],
)
def test_postcode_errors(text: str, fragment: str) -> None:
    err = _err(validate_postcode, text)
    assert err.field == "邮政编码"
    assert fragment in err.reason


# --------------------------------------------------------------------------------------------- 姓名


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("张三", "张三"),
        (" 王堃 ", "王堃"),
        ("刘䶮", "刘䶮"),
        ("𠇔𠀀", "𠇔𠀀"),  # CJK Ext-B (outside the BMP)
        ("阿依古丽·买买提", "阿依古丽·买买提"),
        ("阿依古丽•买买提", "阿依古丽·买买提"),
        ("阿依古丽・买买提", "阿依古丽·买买提"),
        ("张  三", "张三"),
        ("\u3000李四\u3000", "李四"),
        ("John  Smith", "John Smith"),
        ("\ufeff王五", "王五"),
        ("某某（北京）有限公司", "某某（北京）有限公司"),
    ],
)
def test_name_variants(text: str, expected: str) -> None:
    assert validate_name(text) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "请填写姓名"),
        ("\u3000 ", "请填写姓名"),
        ("张\n三", "控制字符"),
        ("张\x00三", "控制字符"),
        ("张\u200d三", "控制字符"),
        ("一" * 51, "不能超过50个字，现在是51个字"),
        ("123", "应包含文字"),
        ("·张三", "间隔号"),
        ("张三·", "间隔号"),
        ("阿依古丽··买买提", "间隔号"),
    ],
)
def test_name_errors(text: str, fragment: str) -> None:
    err = _err(validate_name, text)
    assert err.field == "姓名"
    assert fragment in err.reason


def test_name_length_and_label() -> None:
    assert validate_name("一" * 50) == "一" * 50
    assert validate_name("𠇔" * 50) == "𠇔" * 50  # counted as 50 characters, not 100 UTF-16 units
    err = _err(validate_name, "x" * 101, field="单位名称", max_length=100)
    assert err.message.startswith("单位名称：不能超过100个字")


# ----------------------------------------------------------------------------------- text helpers


def test_to_halfwidth() -> None:
    assert to_halfwidth("ＡＢＣ１２３！（）～\u3000") == "ABC123!()~ "
    assert to_halfwidth("中文。、「」，") == "中文。、「」,"  # only U+FF01–FF5E (incl. ，) is converted
    assert to_halfwidth(None) == ""


def test_strip_control_chars() -> None:
    assert strip_control_chars("a\x00b\x07c\td\ne\x1ff\x7fg\x85h") == "abc\td\nefgh"
    assert strip_control_chars("a\r\nb\rc") == "a\nb\nc"
    assert strip_control_chars("x\ud800y\ufffez") == "xyz"
    # bidi overrides and isolates go (a name shown reversed); the zero-width joiner of a rare glyph stays
    assert strip_control_chars("王\u202e玥\u202a\u2066喆\u2069\u200d") == "王玥喆\u200d"


def test_normalize_text() -> None:
    assert normalize_text("\u3000 正文\n第二行 \t") == "正文\n第二行"
    assert normalize_text("\ufeff\u200b ＡＢ１ ", halfwidth=True) == "AB1"
    assert normalize_text("ＡＢ１") == "ＡＢ１"
    assert normalize_text(None) == ""


# ------------------------------------------------------------------------------------- robustness


@settings(max_examples=500, deadline=None)
@given(st.text(), st.sampled_from(ALL_VALIDATORS))
def test_arbitrary_text_only_raises_validation_error(text: str, func) -> None:
    try:
        func(text)
    except ValidationError as err:
        assert err.reason and err.field


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet="0123456789Xx０１２３４５６７８９ -+()（）转#\u3000", max_size=30),
    st.sampled_from(ALL_VALIDATORS),
)
def test_near_miss_text_only_raises_validation_error(text: str, func) -> None:
    try:
        func(text)
    except ValidationError:
        pass


@pytest.mark.parametrize("func", ALL_VALIDATORS)
@pytest.mark.parametrize("text", ["1" * 10_000, "张" * 10_000, "\x00\x01\x02" * 3000, "²³" * 9, "٣" * 18])
def test_long_and_odd_input(func, text: str) -> None:
    with pytest.raises(ValidationError):
        func(text)


def test_age_turns_on_the_birthday_itself():
    """周岁: a person born 1985-03-14 is 40 on 2026-03-13 and 41 on 2026-03-14 (民法典第十八条 counts 周岁)."""
    from baihe_desk.services.common.validation import IdNumberInfo

    info = IdNumberInfo("220222198503140011", date(1985, 3, 14), "男", "220222")
    assert (info.age_on(date(2026, 3, 13)), info.age_on(date(2026, 3, 14)), info.age_on(date(2026, 3, 15))) == \
        (40, 41, 41)
    assert info.age_on(date(2026, 1, 1)) == 40 and info.age_on(date(2026, 12, 31)) == 41


def test_quote_shows_input_short_and_visible():
    """How a refusal quotes what was typed: printable text as is, an ordinary space kept, anything invisible
    by its code point, and at most ``limit`` characters of what is shown, then “…”."""
    from baihe_desk.services.common.validation import quote

    assert quote("王堃 吉7502") == "王堃 吉7502"
    assert quote("a\x00b\tc\u200bd", 30) == "aU+0000bU+0009cU+200Bd"
    assert quote("a\x00b\tc\u200bd") == "aU+0000bU+0009c…"  # 15 shown; U+200B would make 21
    assert quote("x" * 20) == "x" * 20 and quote("x" * 21) == "x" * 20 + "…"
    assert quote("王" * 5, 3) == "王王王…" and quote("ab", 1) == "a…" and quote("", 5) == ""
    assert quote("\x00" * 3, 12) == "U+0000U+0000…"  # two code points fill the 12 shown characters
    assert quote("a\x00", 6) == "a…"  # U+0000 would need 6 more


@pytest.mark.parametrize("text,result", [
    ("1234567", "缺少区号，请加上区号，例如0433-1234567"),  # 7 or 8 digits without 0: the area code is missing
    ("12345678", "缺少区号，请加上区号，例如0433-1234567"),
    ("123456789", "格式不正确：应为区号加7至8位号码，例如0433-1234567"),
    ("0123456", "格式不正确：应为区号加7至8位号码，例如0433-1234567"),
    ("0000-1234567", "区号“0000”不正确：区号为010、02X或0开头的4位数字"),
    ("-0433-5822110-", "0433-5822110"), ("0433 5822110", "0433-5822110"), ("+86 433 5822110", "0433-5822110"),
    ("(0433)5822110", "0433-5822110"),
])
def test_landline_worked_examples(text, result):
    """固定电话: area code 010, 02X or 0 + 3 digits, then 7–8 digits; +86 drops the area code's 0."""
    from baihe_desk.services.common.validation import validate_landline, validate_phone

    if result[0].isdigit():
        assert validate_landline(text) == result and validate_phone(text, field="联系电话") == result
        return
    with pytest.raises(ValidationError) as info:
        validate_landline(text, field="单位电话")
    assert (info.value.field, info.value.message) == ("单位电话", f"单位电话：{result}")
    with pytest.raises(ValidationError) as info:
        validate_phone(text, field="联系电话")
    assert info.value.field == "联系电话" and info.value.message.startswith("联系电话：")


def test_phone_names_its_field_for_a_wrong_mobile_too():
    from baihe_desk.services.common.validation import validate_phone

    assert validate_phone("139 0433 0001", field="联系电话") == "13904330001"
    with pytest.raises(ValidationError) as info:
        validate_phone("1390433000", field="联系电话")  # ten digits
    assert info.value.field == "联系电话"
    with pytest.raises(ValidationError) as info:
        validate_phone("abc", field="联系电话")
    assert info.value.message == "联系电话：应填写11位手机号码或带区号的固定电话，例如13912345678或0433-1234567"


# -- worked refusals and names (mutation survivors, round 2) -----------------------------------------------------

def _with_check_digit(first17: str) -> str:
    """GB 11643-1999 §8.2, by hand: Σ aᵢ·Wᵢ (Wᵢ = 2^(18−i) mod 11) mod 11 → "10X98765432"[r]."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return first17 + "10X98765432"[sum(int(a) * w for a, w in zip(first17, weights, strict=True)) % 11]


def _refusal(call, text, **kw):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as e:
        call(text, **kw)
    return e.value.field, e.value.message


def test_an_id_number_born_today_is_accepted_and_one_born_tomorrow_is_not():
    from baihe_desk.services.common.validation import validate_id_number
    from tests.fake_today import travel_to

    with travel_to(date(2026, 12, 5)):
        assert validate_id_number(_with_check_digit("22050220261205001")).birth_date == date(2026, 12, 5)
        assert _refusal(validate_id_number, _with_check_digit("22050220261206001")) == (
            "身份证号", "身份证号：号码中的出生日期2026年12月6日晚于今天，请核对号码")
    assert _refusal(validate_id_number, "220502198001011") == (
        "身份证号", "身份证号：这是15位的第一代身份证号码，请填写18位号码")


def test_phone_refusals_word_by_word():
    from baihe_desk.services.common.validation import (
        validate_landline,
        validate_mobile,
        validate_phone,
        validate_postcode,
    )

    assert _refusal(validate_mobile, "12345678901") == ("手机号码", "手机号码：手机号码应以1开头，第二位是3至9，请核对")
    assert _refusal(validate_mobile, "1391234567A") == ("手机号码", "手机号码：“A”不是数字，手机号码只能是11位数字")
    assert _refusal(validate_postcode, "13300A") == ("邮政编码", "邮政编码：只能包含数字，应为6位数字，例如133000")
    assert _refusal(validate_landline, "") == ("固定电话", "固定电话：请填写固定电话")
    assert validate_landline("+86-433-1234567") == "0433-1234567"  # +86, a hyphen, the trunk 0 dropped
    assert _refusal(validate_mobile, "+86X13912345678") == ("手机号码", "手机号码：“X”不是数字，手机号码只能是11位数字")
    landline_format = "联系电话：格式不正确：应为区号加7至8位号码，例如0433-1234567"
    assert _refusal(validate_landline, "X0433-1234567")[1] == "固定电话：格式不正确：应为区号加7至8位号码，例如0433-1234567"
    for text in ("433-1234567", "0433-abc", "(0433)12ab"):  # looks like a landline: the landline's own words
        assert _refusal(validate_phone, text) == ("联系电话", landline_format), text
    for text in ("-", "abc"):  # looks like nothing
        assert _refusal(validate_phone, text) == (
            "联系电话", "联系电话：应填写11位手机号码或带区号的固定电话，例如13912345678或0433-1234567"), text


@pytest.mark.parametrize("text,position,shown", [
    ("张😀三", 2, "😀"), ("张\ufe00三", 2, "\ufe00"), ("张\ufe0f三", 2, "\ufe0f"), ("张\U000e0100三", 2, "\U000e0100"),
    ("张\U000e01ef三", 2, "\U000e01ef"), ("1\u20e3张", 2, "\u20e3"), ("张!三", 2, "!"), ("张三☆", 3, "☆"),
])
def test_symbols_emoji_selectors_and_stray_punctuation_are_refused_where_they_stand(text, position, shown):
    assert _refusal(validate_name, text) == ("姓名", f"姓名：不能包含表情符号或特殊符号（第{position}个字符{shown}）；"
                                                   "姓名、名称只能由文字、数字和常用标点组成")


def test_names_spaces_dots_and_what_counts_as_text():
    assert _refusal(validate_name, "张\t三") == ("姓名", "姓名：不能包含换行、制表符或不可见的控制字符（第2个字符U+0009）")
    assert [validate_name(t) for t in ("张 三", "阿依古丽 ·买买提", "Li 张", "a张 李", "张 b")] == [
        "张三", "阿依古丽·买买提", "Li 张", "a张李", "张 b"]
    assert validate_name("\u0378") == "\u0378" and validate_name("\ue000") == "\ue000"  # unassigned, private use
    assert _refusal(validate_name, "123") == ("姓名", "姓名：应包含文字，不能只有数字或符号")
    assert _refusal(validate_name, "·张三") == ("姓名", "姓名：间隔号“·”不能出现在开头、结尾或连续出现")


def test_id_number_refusals_word_by_word():
    valid = _with_check_digit("11010119800101001")  # born 1980-01-01, 17th digit odd: 男
    wrong_check = valid[:17] + ("1" if valid[17] != "1" else "2")
    assert _refusal(validate_id_number, wrong_check) == (
        "身份证号", "身份证号：最后一位校验码不正确，号码中可能有数字抄错，请逐位核对")
    assert validate_id_number(_with_check_digit("11010118800101001")).birth_date == date(1880, 1, 1)
    assert _refusal(validate_id_number, _with_check_digit("11010118791231001")) == (
        "身份证号", "身份证号：号码中的出生年份1879年不合理，请核对号码")
    assert _refusal(validate_id_number, valid, birth_date=date(1980, 1, 2)) == (
        "身份证号", "身份证号：出生日期与身份证号不符：号码显示为1980年1月1日")
    assert _refusal(validate_id_number, valid, sex="女") == ("身份证号", "身份证号：性别与身份证号不符：号码显示为男性")
    with pytest.raises(ValueError, match="^sex must be '男' or '女', got 'x'$"):
        validate_id_number(valid, sex="x")


@pytest.mark.parametrize("code,message", [
    ("91A200000000000000", "第3位“A”不符合要求：第3至8位是行政区划码，只能是数字"),
    ("9122000A0000000000", "第8位“A”不符合要求：第3至8位是行政区划码，只能是数字"),
    ("912I00000000000000", "第4位“I”不符合要求：只能包含数字和大写字母，且不使用字母I、O、Z、S、V"),
])
def test_credit_code_region_digits_from_the_third_to_the_eighth(code, message):
    assert _refusal(validate_credit_code, code) == ("统一社会信用代码", f"统一社会信用代码：{message}")


def test_a_credit_code_with_a_wrong_check_character():
    # GB 32100-2015 附录: C18 = 31 − (Σ Cᵢ·Wᵢ mod 31), Wᵢ = 3^(i−1) mod 31, over the 31-character alphabet
    alphabet, weights = "0123456789ABCDEFGHJKLMNPQRTUWXY", [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    first17 = "91220101MA0Y12345"
    check = alphabet[(31 - sum(alphabet.index(c) * w for c, w in zip(first17, weights, strict=True)) % 31) % 31]
    assert validate_credit_code(first17 + check) == first17 + check
    wrong = first17 + ("0" if check != "0" else "1")
    assert _refusal(validate_credit_code, wrong) == (
        "统一社会信用代码", "统一社会信用代码：最后一位校验码不正确，代码中可能有字符抄错，请逐位核对")
