"""Normalise and validate what a clerk types (输入校验): 身份证号, 统一社会信用代码, 电话, 邮编, 姓名.

Pure functions, no Qt and no database. Every validator accepts any ``str`` (or ``None``) and either
returns the normalised value or raises :class:`~baihe_desk.errors.ValidationError` naming the field in
Chinese; callers may pass their own field label through ``field=``.

Notes on python-stdnum: only the check-character arithmetic of ``stdnum.cn.ric`` / ``stdnum.cn.uscc`` is
used. ``stdnum.cn.ric.validate`` also requires the 6-digit county code to exist in its own table in the
birth year (and raises a bare ``KeyError`` for some unknown codes), which would reject real, older numbers;
``stdnum.cn.uscc.validate`` requires the first 8 characters to be digits, which rejects real codes such
as those of 农村集体经济组织 (registration-authority code ``N``). Both checks are done here instead.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from stdnum.cn import ric as _ric
from stdnum.cn import uscc as _uscc

from baihe_desk.errors import ValidationError
from baihe_desk.storage.text_columns import strip_control_chars

__all__ = [
    "IdNumberInfo",
    "normalize_text",
    "strip_control_chars",
    "to_halfwidth",
    "validate_credit_code",
    "validate_id_number",
    "validate_landline",
    "validate_mobile",
    "validate_name",
    "validate_phone",
    "validate_postcode",
]

# ---------------------------------------------------------------------------------------------------------
# Text normalisation (文本规范化)

# Full-width ASCII block U+FF01..U+FF5E -> U+0021..U+007E, and the ideographic space U+3000 -> " ".
_HALFWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_HALFWIDTH[0x3000] = 0x20

# Invisible characters that arrive at the edges of pasted text (BOM, zero-width space/joiners, word joiner).
_EDGE_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"

_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def to_halfwidth(s: str | None) -> str:
    """全角转半角: full-width ASCII digits, letters and punctuation (U+FF01–FF5E) and U+3000 to half-width."""
    return (s or "").translate(_HALFWIDTH)


def normalize_text(s: str | None, *, halfwidth: bool = False) -> str:
    """规范化文本: remove control characters and strip surrounding whitespace (incl. U+3000, BOM).

    With ``halfwidth=True`` (for identifiers: numbers, codes) full-width ASCII is converted to half-width.
    """
    text = strip_control_chars(s)
    if halfwidth:
        text = to_halfwidth(text)
    return text.strip().strip(_EDGE_INVISIBLE).strip()


def _identifier(s: str | None) -> str:
    """Normalised identifier: half-width, no whitespace at all, ASCII letters upper-cased."""
    text = normalize_text(s, halfwidth=True)
    return "".join(text.split()).translate(_ASCII_UPPER)


def _is_ascii_digits(s: str) -> bool:
    # str.isdigit() accepts e.g. "²" and Arabic-Indic digits, which int() may reject or misread.
    return s != "" and all("0" <= c <= "9" for c in s)


def _first_bad(text: str, allowed) -> tuple[int, str] | None:
    for i, ch in enumerate(text, start=1):
        if not allowed(i, ch):
            return i, ch
    return None


def _show(ch: str) -> str:
    """A character as it can be shown inside “…” (invisible ones by code point)."""
    if ch.isprintable() and not ch.isspace():
        return ch
    return f"U+{ord(ch):04X}"


def _cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


# ---------------------------------------------------------------------------------------------------------
# 居民身份证号 (GB 11643-1999)

# Province-level codes (first two digits). 71 台湾, 81 香港, 82 澳门, 83 台湾居民居住证 (same number format).
_PROVINCE_CODES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 "
    "61 62 63 64 65 71 81 82 83".split()
)
_EARLIEST_BIRTH_YEAR = 1880  # deceased parties (e.g. 继承纠纷) can be very old


@dataclass(frozen=True)
class IdNumberInfo:
    """校验通过的身份证号及其所含信息 (birth date, sex from the 17th digit, 6-digit region code)."""

    number: str
    birth_date: date
    sex: str  # "男" / "女"
    region_code: str

    @property
    def province_code(self) -> str:
        return self.region_code[:2]

    def age_on(self, day: date) -> int:
        """周岁 on ``day``."""
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years


def validate_id_number(
    s: str | None,
    *,
    birth_date: date | None = None,
    sex: str | None = None,
    field: str = "身份证号",
) -> IdNumberInfo:
    """校验18位居民身份证号 (GB 11643, ISO 7064 MOD 11-2 校验码); optionally cross-check 出生日期/性别."""
    number = _identifier(s)
    if not number:
        raise ValidationError(field, f"请填写{field}")
    if len(number) == 15 and _is_ascii_digits(number):
        raise ValidationError(field, "这是15位的第一代身份证号码，请填写18位号码")
    if len(number) != 18:
        raise ValidationError(field, f"应为18位，现在是{len(number)}位")
    bad = _first_bad(number, lambda i, c: "0" <= c <= "9" or (i == 18 and c == "X"))
    if bad:
        pos, ch = bad
        raise ValidationError(field, f"第{pos}位“{_show(ch)}”不符合要求：前17位只能是数字，最后一位是数字或X")
    if number[:2] not in _PROVINCE_CODES:
        raise ValidationError(field, f"前两位“{number[:2]}”不是有效的省级行政区划代码，请核对号码")
    digits = number[6:14]
    try:
        born = date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise ValidationError(field, f"第7至14位的出生日期“{digits}”不是有效日期，请核对号码") from None
    if born > date.today():
        raise ValidationError(field, f"号码中的出生日期{_cn_date(born)}晚于今天，请核对号码")
    if born.year < _EARLIEST_BIRTH_YEAR:
        raise ValidationError(field, f"号码中的出生年份{born.year}年不合理，请核对号码")
    if number[17] != _ric.calc_check_digit(number):
        raise ValidationError(field, "最后一位校验码不正确，号码中可能有数字抄错，请逐位核对")
    info = IdNumberInfo(
        number=number,
        birth_date=born,
        sex="男" if int(number[16]) % 2 else "女",
        region_code=number[:6],
    )
    if birth_date is not None:
        given = birth_date.date() if isinstance(birth_date, datetime) else birth_date
        if given != born:
            raise ValidationError(field, f"出生日期与身份证号不符：号码显示为{_cn_date(born)}")
    if sex is not None:
        given_sex = sex.strip().removesuffix("性")
        if given_sex not in ("男", "女"):
            raise ValueError(f"sex must be '男' or '女', got {sex!r}")
        if given_sex != info.sex:
            raise ValidationError(field, f"性别与身份证号不符：号码显示为{info.sex}性")
    return info


# ---------------------------------------------------------------------------------------------------------
# 统一社会信用代码 (GB 32100-2015)

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I O Z S V


def validate_credit_code(s: str | None, field: str = "统一社会信用代码") -> str:
    """校验18位统一社会信用代码 (GB 32100): 第1–2位登记管理部门/机构类别, 第3–8位行政区划码, 末位校验码."""
    code = _identifier(s).replace("-", "")
    if not code:
        raise ValidationError(field, f"请填写{field}")
    if len(code) != 18:
        raise ValidationError(field, f"应为18位，现在是{len(code)}位")
    bad = _first_bad(code, lambda i, c: c in _USCC_ALPHABET and (not 3 <= i <= 8 or "0" <= c <= "9"))
    if bad:
        pos, ch = bad
        if 3 <= pos <= 8 and ch in _USCC_ALPHABET:
            reason = "第3至8位是行政区划码，只能是数字"
        else:
            reason = "只能包含数字和大写字母，且不使用字母I、O、Z、S、V"
        raise ValidationError(field, f"第{pos}位“{_show(ch)}”不符合要求：{reason}")
    if code[17] != _uscc.calc_check_digit(code[:17]):
        raise ValidationError(field, "最后一位校验码不正确，代码中可能有字符抄错，请逐位核对")
    return code


# ---------------------------------------------------------------------------------------------------------
# 电话号码、邮政编码

_PHONE_SEPARATORS = re.compile(r"[\-‐‑‒–—―.·]+")
_MOBILE_RE = re.compile(r"1[3-9][0-9]{9}")
_AREA_RE = re.compile(r"010|02[0-9]|0[3-9][0-9]{2}")
_LANDLINE_RE = re.compile(
    r"\(?(?P<area>0[0-9]{2,3})\)?-?(?P<local>[1-9][0-9]{6,7})"
    r"(?:(?:-?(?:转|分机|ext|x|#)-?|-)(?P<ext>[0-9]{1,6}))?",
    re.IGNORECASE,
)
_PHONE_EXAMPLE = "例如13912345678或0433-1234567"


def _phone_text(s: str | None) -> tuple[str, bool]:
    """Half-width text without whitespace and without a +86/0086 prefix; and whether it had one."""
    text = "".join(normalize_text(s, halfwidth=True).split())
    for prefix in ("(+86)", "+86", "0086"):
        if text.startswith(prefix):
            return text[len(prefix) :].lstrip("-"), True
    return text, False


def validate_mobile(s: str | None, field: str = "手机号码") -> str:
    """校验手机号码: 11 digits 1[3-9]…; accepts +86/0086 and spaces/hyphens; returns the 11 digits."""
    text = _PHONE_SEPARATORS.sub("", _phone_text(s)[0])
    if not text:
        raise ValidationError(field, f"请填写{field}")
    bad = _first_bad(text, lambda _i, c: "0" <= c <= "9")
    if bad:
        raise ValidationError(field, f"“{_show(bad[1])}”不是数字，手机号码只能是11位数字")
    if len(text) != 11:
        raise ValidationError(field, f"手机号码应为11位数字，现在是{len(text)}位")
    if not _MOBILE_RE.fullmatch(text):
        raise ValidationError(field, "手机号码应以1开头，第二位是3至9，请核对")
    return text


def validate_landline(s: str | None, field: str = "固定电话") -> str:
    """校验固定电话: 区号 (010, 02X or 0XXX) + 7–8 digit number, optional 分机.

    Returns ``0433-1234567``, or ``0433-1234567转801`` with an extension.
    """
    text, international = _phone_text(s)
    if not text:
        raise ValidationError(field, f"请填写{field}")
    if international and text[:1] in "123456789":
        text = "0" + text  # the international form drops the trunk prefix: +86 433 1234567
    compact = _PHONE_SEPARATORS.sub("-", text).strip("-")
    if _is_ascii_digits(compact) and len(compact) in (7, 8) and compact[0] != "0":
        raise ValidationError(field, "缺少区号，请加上区号，例如0433-1234567")
    if _is_ascii_digits(compact) and compact.startswith("0"):
        # No separator ("04331234567"): 010 and 02X are 3-digit area codes, all others 4 digits.
        area_len = 3 if compact[:2] in ("01", "02") else 4
        compact = f"{compact[:area_len]}-{compact[area_len:]}"
    m = _LANDLINE_RE.fullmatch(compact)
    if m is None:
        raise ValidationError(field, "格式不正确：应为区号加7至8位号码，例如0433-1234567")
    area, local = m["area"], m["local"]
    if not _AREA_RE.fullmatch(area):
        raise ValidationError(field, f"区号“{area}”不正确：区号为010、02X或0开头的4位数字")
    result = f"{area}-{local}"
    if m["ext"]:
        result += f"转{m['ext']}"
    return result


def validate_phone(s: str | None, field: str = "联系电话") -> str:
    """校验联系电话: a mobile number (returns 11 digits) or a landline (returns ``0433-1234567``)."""
    text, _international = _phone_text(s)
    if not text:
        raise ValidationError(field, f"请填写{field}")
    digits = _PHONE_SEPARATORS.sub("", text)
    if digits.startswith("1"):
        return validate_mobile(s, field=field)
    try:
        return validate_landline(s, field=field)
    except ValidationError:
        if not (digits.startswith(("0", "(")) or _is_ascii_digits(digits)):
            raise ValidationError(field, f"应填写11位手机号码或带区号的固定电话，{_PHONE_EXAMPLE}") from None
        raise


def validate_postcode(s: str | None, field: str = "邮政编码") -> str:
    """校验邮政编码: exactly 6 digits."""
    text = "".join(normalize_text(s, halfwidth=True).split())
    if not text:
        raise ValidationError(field, f"请填写{field}")
    if not _is_ascii_digits(text):
        raise ValidationError(field, "只能包含数字，应为6位数字，例如133000")
    if len(text) != 6:
        raise ValidationError(field, f"应为6位数字，现在是{len(text)}位")
    return text


# ---------------------------------------------------------------------------------------------------------
# 姓名 / 名称

# Look-alikes of the 间隔号 "·" (U+00B7) used in ethnic-minority and foreign names.
_MIDDLE_DOTS = str.maketrans({c: "·" for c in "\u2022\u2027\u30fb\uff65\u22c5\u2219\u0387\u16eb\u2e31"})
_SPACE_RUN = re.compile(r"\s+")
_BAD_NAME_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
# Punctuation a person's or a company's name may carry (间隔号, brackets of a branch, "A&B", "No.3" …);
# any other punctuation and every symbol (emoji, ☆, ※, ™, currency, arrows …) is refused: a court notice once
# printed a company name with 😀 in it.
_NAME_PUNCTUATION = frozenset(" ·.,，、。()（）[]【】〔〕-－—_'’‘\"“”&＆/／:：;；#＃+＋")


def _name_char_ok(ch: str) -> bool:
    cat = unicodedata.category(ch)
    if cat[0] == "S" or "\ufe00" <= ch <= "\ufe0f" or "\U000e0100" <= ch <= "\U000e01ef" or ch == "\u20e3":
        return False  # symbols, emoji and their variation selectors / keycap
    if cat[0] == "P":
        return ch in _NAME_PUNCTUATION
    return True


def _is_cjk(ch: str) -> bool:
    return ch == "·" or (unicodedata.east_asian_width(ch) == "W" and ch.isalpha()) or ord(ch) >= 0x20000


def validate_name(s: str | None, field: str = "姓名", *, max_length: int = 50) -> str:
    """校验姓名/名称: not empty, at most ``max_length`` characters, no control characters.

    Rare characters (堃, 䶮, Ext-B 𠇔 …, even ones newer than this Python's Unicode tables) are kept.
    Middle-dot look-alikes become the 间隔号 “·”; runs of spaces become one space, and a space between
    two Chinese characters is removed (“张 三” → “张三”). Length counts Unicode characters, not UTF-16 units.
    """
    text = (s or "").strip().strip(_EDGE_INVISIBLE).strip()
    if not text:
        raise ValidationError(field, f"请填写{field}")
    bad = _first_bad(text, lambda _i, c: unicodedata.category(c) not in _BAD_NAME_CATEGORIES)
    if bad:
        raise ValidationError(
            field, f"不能包含换行、制表符或不可见的控制字符（第{bad[0]}个字符{_show(bad[1])}）"
        )
    text = _SPACE_RUN.sub(" ", text.translate(_MIDDLE_DOTS))
    bad = _first_bad(text, lambda _i, c: _name_char_ok(c))
    if bad:
        raise ValidationError(field, f"不能包含表情符号或特殊符号（第{bad[0]}个字符{_show(bad[1])}）；"
                                     "姓名、名称只能由文字、数字和常用标点组成")
    text = "".join(
        ch
        for i, ch in enumerate(text)
        if not (ch == " " and 0 < i < len(text) - 1 and _is_cjk(text[i - 1]) and _is_cjk(text[i + 1]))
    )
    if len(text) > max_length:
        raise ValidationError(field, f"不能超过{max_length}个字，现在是{len(text)}个字")
    if not any(unicodedata.category(c)[0] == "L" or unicodedata.category(c) in ("Cn", "Co") for c in text):
        raise ValidationError(field, "应包含文字，不能只有数字或符号")
    if text.startswith("·") or text.endswith("·") or "··" in text:
        raise ValidationError(field, "间隔号“·”不能出现在开头、结尾或连续出现")
    return text


def quote(text: str, limit: int = 20) -> str:
    """Input as it can be quoted in a message: invisible characters by code point, at most ``limit`` shown."""
    shown: list[str] = []
    used = 0
    for c in text:
        piece = _show(c) if not (c.isprintable() and not c.isspace()) and c != " " else c
        if used + len(piece) > limit:  # the budget is what is shown: U+XXXXX counts as its length
            return "".join(shown) + "…"
        shown.append(piece)
        used += len(piece)
    return "".join(shown)
