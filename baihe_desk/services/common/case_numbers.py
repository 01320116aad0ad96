"""案号 (case numbers): parse, validate and format, e.g. ``（2026）吉7502民初123号``.

Format (法〔2015〕137号, amended by 法〔2018〕335号): “（收案年度）” + 法院代字 + optional 专门审判代字
(one character) + 类型代字 + 案件编号 + “号”. The known 类型代字 and 法院代字 prefixes are data in
``resources/case_types.toml``. No Qt, no database: assigning the next number is done elsewhere.

Choices made here:
- Old-style numbers with “字第” (before 2016, e.g. “（2015）吉75民初字第12号”) are **rejected** with a message
  that the current format has no “字第”; store such numbers as free text if they must be recorded.
- A missing final “号” is accepted on input; :meth:`CaseNumber.format` always writes it.
- A 专门审判代字 is any single CJK ideograph that is not the first character of a known 类型代字 (so
  “民执” is not read as 民 + 执) nor one of 号字第之; the SPC's list of such characters is not in DOMAIN.md.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from baihe_desk.errors import ValidationError
from baihe_desk.services.common.validation import normalize_text, quote, to_halfwidth

__all__ = [
    "CaseNumber",
    "CaseType",
    "MAX_SERIAL",
    "MAX_YEAR",
    "MIN_YEAR",
    "court_prefixes",
    "load_case_types",
    "normalize_case_number",
    "parse_case_number",
    "validate_court_code",
]

MIN_YEAR = 1949
MAX_YEAR = 2100
MAX_SERIAL = 9_999_999
_MAX_TYPE_LEN = 4
EXAMPLE = "（2026）吉7502民初123号"

_FIELD = "案号"
_BRACKETS = str.maketrans(
    {"〔": "(", "〕": ")", "[": "(", "]": ")", "【": "(", "】": ")", "﹙": "(", "﹚": ")"}
)
_DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class CaseType:
    """案件类型代字 and its description from ``case_types.toml``."""

    code: str
    label: str
    category: str
    basis: str
    confirmed: bool = True


def _is_cjk(ch: str) -> bool:
    return 0x4E00 <= ord(ch) <= 0x9FFF or 0x3400 <= ord(ch) <= 0x4DBF


@cache
def _data() -> dict[str, Any]:
    path = resources.files("baihe_desk.resources") / "case_types.toml"
    with path.open("rb") as fh:
        return tomllib.load(fh)


@cache
def load_case_types() -> dict[str, CaseType]:
    """案件类型代字表: code → :class:`CaseType`, read once from ``resources/case_types.toml``."""
    data = _data()
    result: dict[str, CaseType] = {}
    for code, entry in data["types"].items():
        if not code or not all(_is_cjk(c) for c in code):
            raise ValueError(f"case_types.toml: type code {code!r} must be Chinese characters")
        if len(code) > _MAX_TYPE_LEN or (len(code) > 3 and not entry.get("over_length", False)):
            raise ValueError(f"case_types.toml: type code {code!r} is longer than allowed")
        result[code] = CaseType(
            code=code,
            label=str(entry["label"]),
            category=str(entry.get("category", "")),
            basis=str(entry.get("basis", "")),
            confirmed=bool(entry.get("confirmed", True)),
        )
    return result


@cache
def court_prefixes() -> tuple[str, frozenset[str]]:
    """(最高法代字, the one-character province-level prefixes accepted in 法院代字)."""
    courts = _data()["court_codes"]
    provinces = frozenset(courts["provinces"]) | frozenset(courts.get("unconfirmed_provinces", ()))
    return str(courts["supreme"]), provinces


@cache
def _type_initials() -> frozenset[str]:
    return frozenset(code[0] for code in load_case_types())


def _court_code_problem(code: str) -> str | None:
    """Why ``code`` cannot be a 法院代字, or None if it can."""
    supreme, provinces = court_prefixes()
    if code == supreme:
        return None
    if not code:
        return "不能为空"
    if code[0] not in provinces:
        return f"应以“{supreme}”或省级简称（如“吉”）开头，“{quote(code[0])}”不是"
    digits = code[1:]
    if digits and not _DIGITS.fullmatch(digits):
        return "省级简称后只能是数字"
    if len(digits) not in (0, 2, 4):
        return f"省级简称后应为2位（中级法院）或4位（基层法院）数字，现在是{len(digits)}位"
    if digits[:2] == "00" or digits[2:] == "00":
        return f"数字部分“{digits}”不是有效的法院编码"
    return None


def validate_court_code(code: str | None, field: str = "法院代字") -> str:
    """校验法院代字: “最高法”, or a province-level abbreviation plus nothing, 2 or 4 digits (e.g. 吉7502)."""
    text = "".join(to_halfwidth(normalize_text(code)).split())
    if not text:
        raise ValidationError(field, f"请填写{field}，例如“吉7502”")
    problem = _court_code_problem(text)
    if problem:
        raise ValidationError(field, f"“{quote(text)}”无法组成案号：{problem}")
    return text


def _special_ok(ch: str) -> bool:
    return len(ch) == 1 and _is_cjk(ch) and ch not in _type_initials() and ch not in "号字第之"


@dataclass(frozen=True)
class CaseNumber:
    """案号: 收案年度, 法院代字, 类型代字, 案件编号, optional 专门审判代字 (one character)."""

    year: int
    court_code: str
    type_code: str
    serial: int
    special: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.year, int) or not MIN_YEAR <= self.year <= MAX_YEAR:
            raise ValidationError(_FIELD, f"收案年度应在{MIN_YEAR}年至{MAX_YEAR}年之间，现在是{self.year}")
        problem = _court_code_problem(self.court_code) if isinstance(self.court_code, str) else "不是文字"
        if problem:
            raise ValidationError(_FIELD, f"法院代字“{quote(self.court_code)}”不正确：{problem}")
        if self.type_code not in load_case_types():
            raise ValidationError(_FIELD, f"类型代字“{quote(self.type_code)}”不是已知的案件类型代字")
        if self.special and not _special_ok(self.special):
            raise ValidationError(_FIELD, f"专门审判代字“{quote(self.special)}”应为一个汉字")
        if not isinstance(self.serial, int) or not 1 <= self.serial <= MAX_SERIAL:
            raise ValidationError(_FIELD, f"案件编号应为1至{MAX_SERIAL}之间的整数，现在是{self.serial}")

    @property
    def case_type(self) -> CaseType:
        return load_case_types()[self.type_code]

    def format(self) -> str:
        """规范写法, full-width brackets and 号: ``（2026）吉7502民初123号``."""
        return f"（{self.year}）{self.court_code}{self.special}{self.type_code}{self.serial}号"

    def __str__(self) -> str:
        return self.format()


def _fail(message: str) -> ValidationError:
    return ValidationError(_FIELD, message)


def _split_court(rest: str) -> tuple[str, str]:
    """Split the 法院代字 off the text after “（年度）”; returns (court code, remainder)."""
    supreme, provinces = court_prefixes()
    if rest.startswith(supreme):
        court, rest = supreme, rest[len(supreme) :]
        if rest[:1].isdigit():
            raise _fail(f"法院代字“{supreme}”后面不应有数字")
        return court, rest
    if not rest:
        raise _fail(f"括号后缺少法院代字，格式如{EXAMPLE}")
    if rest[0] not in provinces:
        raise _fail(f"法院代字应以“{supreme}”或省级简称（如“吉”）开头，“{quote(rest[0])}”不是，格式如{EXAMPLE}")
    m = _DIGITS.match(rest, 1)
    court = rest[: m.end()] if m else rest[0]
    problem = _court_code_problem(court)
    if problem:
        raise _fail(f"法院代字“{quote(court)}”不正确：{problem}")
    return court, rest[len(court) :]


def _split_type(middle: str) -> tuple[str, str]:
    """Read (专门审判代字, 类型代字) from the text between 法院代字 and 案件编号."""
    types = load_case_types()
    if not middle:
        raise _fail(f"缺少类型代字（如“民初”），格式如{EXAMPLE}")
    if middle in types:  # the whole run first, so 民辖终 is never read as anything shorter
        return "", middle
    if len(middle) > 1 and middle[1:] in types and _special_ok(middle[0]):
        return middle[0], middle[1:]
    if middle.endswith("第"):
        raise _fail("现行案号的编号前没有“第”，格式如" + EXAMPLE)
    raise _fail(f"类型代字“{quote(middle)}”不是已知的案件类型代字（如民初、民终、执），请核对")


def parse_case_number(text: str | None) -> CaseNumber:
    """解析案号: accepts （）() 〔〕 [] 【】, full-width digits, spaces and a missing final “号”."""
    raw = normalize_text(text)
    t = "".join(to_halfwidth(raw).translate(_BRACKETS).split())
    if not t:
        raise _fail(f"请填写案号，格式如{EXAMPLE}")
    if "字第" in t:
        raise _fail(f"这是2016年以前的旧式案号（含“字第”）；现行案号不含“字第”，格式如{EXAMPLE}")
    if t[0] != "(":
        raise _fail(f"案号应以括号中的收案年度开头，格式如{EXAMPLE}")
    close = t.find(")")
    if close < 0:
        raise _fail(f"收案年度缺少右括号，格式如{EXAMPLE}")
    year_text = t[1:close]
    if not (len(year_text) == 4 and _DIGITS.fullmatch(year_text)):
        raise _fail(f"括号中应为4位数字的收案年度，“{quote(year_text, 10)}”不是")
    year = int(year_text)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _fail(f"收案年度{year}不在{MIN_YEAR}年至{MAX_YEAR}年之间")
    court, rest = _split_court(t[close + 1 :])
    if re.search(r"号之[一二三四五六七八九十0-9]+$", rest):
        raise _fail("“号”后的“之一”等是裁判文书的编号，不属于案号，请删去")
    if rest.endswith("号"):
        rest = rest[:-1]
    if not rest:
        raise _fail(f"法院代字后缺少类型代字和案件编号，格式如{EXAMPLE}")
    m = re.search(r"[0-9]+$", rest)
    if m is None:
        if re.search(r"[0-9]", rest):
            raise _fail("案件编号之后只能是“号”，请删去多余的文字")
        raise _fail(f"缺少案件编号（类型代字后的数字），格式如{EXAMPLE}")
    middle, serial_text = rest[: m.start()], m.group()
    if re.search(r"[0-9]", middle):
        raise _fail(f"“{quote(middle)}”中夹有数字，无法识别类型代字，格式如{EXAMPLE}")
    special, type_code = _split_type(middle)
    if serial_text.startswith("0"):
        raise _fail("案件编号应为正整数，不能以0开头")
    if len(serial_text) > len(str(MAX_SERIAL)):
        raise _fail(f"案件编号“{quote(serial_text, 12)}”过长")
    return CaseNumber(
        year=year, court_code=court, type_code=type_code, serial=int(serial_text), special=special
    )


def normalize_case_number(text: str | None) -> str:
    """规范化案号: parse and write back in the canonical form."""
    return parse_case_number(text).format()
