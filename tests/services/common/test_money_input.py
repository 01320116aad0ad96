"""Money input: a comma only as a thousands separator, in every money field (intake, fees, enforcement).

Oracle: Python's own "{:,}" formatting (and full-width forms made by shifting to U+FF01–FF5E) — an amount
formatted by Python must read back to itself; a comma anywhere else is refused with a Chinese message that
names the field, never read as another number.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from baihe_desk.errors import ValidationError
from baihe_desk.services.enforcement.enforceability import money_problem, parse_money
from baihe_desk.services.filing import fees, intake

amounts = st.decimals(min_value=0, max_value=Decimal("99999999999.99"), places=2, allow_nan=False,
                      allow_infinity=False)
FULL = {ord(c): ord(c) + 0xFEE0 for c in "0123456789,."}


def parsers():
    return [
        ("标的额", lambda t: intake.parse_amount(t, label="标的额")),
        ("诉讼请求金额", lambda t: fees.parse_amount(t, field="诉讼请求金额")),
    ]


@given(amounts, st.booleans(), st.booleans())
def test_python_formatted_amounts_read_back(value, full_width, yuan):
    text = f"{value:,}"  # e.g. "1,234,567.89" — Python places the separators, not our code
    if full_width:
        text = text.translate(FULL)
    if yuan:
        text += "元"
    for _field, parse in parsers():
        assert parse(text) == value
    assert parse_money(text) == value and money_problem(text, "给付金额") is None


def _misplaced(text: str) -> bool:
    """Independent description of a bad comma: not the shape Python's "{:,}" produces."""
    whole, _, fraction = text.partition(".")
    return "," in fraction or re.fullmatch(r"\d{1,3}(,\d{3})*", whole) is None


@given(st.from_regex(r"\A[0-9]{1,7}(,[0-9]{1,5}){1,3}(\.[0-9]{1,2}(,[0-9]{1,2})?)?\Z"))
def test_commas_elsewhere_are_refused_naming_the_field(text):
    if not _misplaced(text):
        return  # a well-formed grouping (the first test covers those)
    for field, parse in parsers():
        with pytest.raises(ValidationError) as info:
            parse(text)
        assert info.value.field == field and "千位分隔符" in info.value.message
    assert parse_money(text) is None
    assert "千位分隔符" in money_problem(text, "给付金额") and "给付金额" in money_problem(text, "给付金额")


@pytest.mark.parametrize("text", ["123,45", "12,345.6,7", "1,23,456", ",123", "1234,567", "１２３，４５", "12,345,"])
def test_the_issue_examples(text):
    with pytest.raises(ValidationError, match="标的额：.*逗号只能作千位分隔符"):
        intake.parse_amount(text)
    with pytest.raises(ValidationError, match="诉讼请求金额"):
        fees.parse_amount(text, field="诉讼请求金额")
    assert parse_money(text) is None


def test_good_examples():
    assert intake.parse_amount("1,234,567.89") == Decimal("1234567.89")
    assert intake.parse_amount("１，２３４，５６７．８９元") == Decimal("1234567.89")
    assert fees.parse_amount("1,000,000") == Decimal("1000000")
    assert parse_money("12,500.50") == Decimal("12500.50")
    assert intake.parse_amount("123") == Decimal("123.00") and intake.parse_amount("  ") is None
