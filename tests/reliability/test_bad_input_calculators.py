"""Bad input into the fee and period calculators (and the holiday setting they read): a sound result or a
ValidationError naming the field in Chinese — never another exception."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from hypothesis import example, given
from hypothesis import strategies as st

from baihe_desk.errors import KnownError
from baihe_desk.services.deadlines import holidays, periods
from baihe_desk.services.filing import fees
from tests.reliability.nasty import assert_calm, examples, nasty_text

FEE_KINDS = list(fees.fee_kinds())
amounts = st.one_of(
    st.none(), nasty_text(20), st.integers(-10**30, 10**30), st.booleans(), st.floats(allow_nan=True),
    st.decimals(allow_nan=True, allow_infinity=True), st.sampled_from([Decimal("-0"), Decimal("1E+1000"),
                                                                       Decimal("0.001"), Decimal("sNaN")]),
    st.integers(0, 10**12).map(lambda n: f"{n / 100:,.2f}"), st.integers(0, 10**12).map(str))
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), nasty_text(12),
              st.dates().map(date.isoformat)),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(nasty_text(8), inner, max_size=4)),
    max_leaves=12)
starts = st.one_of(st.dates(), st.datetimes(), st.sampled_from([date.min, date.max, date(2026, 2, 29 - 1)]),
                   st.none(), nasty_text(12), st.integers())
counts = st.one_of(st.integers(-10, 200), st.integers(-10**9, 10**9), st.booleans(), st.none(), st.floats(),
                   nasty_text(6), st.sampled_from([periods.MAX_DAYS, periods.MAX_MONTHS, periods.MAX_WORKING_DAYS]))


def _sound_fee(result: fees.FeeResult) -> None:
    assert result.total >= 0 and result.total <= result.full_fee
    assert result.total == result.total.quantize(Decimal("0.01"))
    assert result.steps and all(s.text for s in result.steps)


@examples(1500)
@given(kind=st.one_of(st.sampled_from(FEE_KINDS), nasty_text(10)), amount=amounts, simple=st.booleans(),
       mediated=st.booleans(), withdrawn=st.booleans(),
       overrides=st.one_of(st.none(), st.dictionaries(st.one_of(nasty_text(10), st.sampled_from(
           [s.key for s in fees.ranged_settings()])), json_values, max_size=3)))
@example(kind="property", amount=Decimal("1E+1000"), simple=False, mediated=False, withdrawn=False, overrides=None)
@example(kind="property", amount="1" * 10_000, simple=False, mediated=False, withdrawn=False, overrides=None)
def test_fee_calculator(kind, amount, simple, mediated, withdrawn, overrides, inputs):
    inputs.add("calculators")
    try:
        result = fees.calculate_fee(kind, amount, simple_procedure=simple, mediated=mediated, withdrawn=withdrawn,
                                    overrides=overrides)
    except KnownError as exc:
        assert_calm(exc)
        return
    _sound_fee(result)
    assert fees.format_fee(result).splitlines()[-1].startswith("total: ")


@examples(400)
@given(kind=st.one_of(st.sampled_from(FEE_KINDS), nasty_text(8)), amount=st.one_of(st.none(), nasty_text(24)),
       procedure=st.one_of(st.sampled_from(["ordinary", "simple"]), nasty_text(8)))
def test_fee_command_text(kind, amount, procedure, inputs):
    inputs.add("calculators")
    try:
        text = fees.fee_text(kind, amount, procedure=procedure)
    except KnownError as exc:
        assert_calm(exc)
        return
    assert text.splitlines()[-1].startswith("total: ")


def _sound_deadline(d: periods.Deadline, start: date) -> None:
    assert d.due > start if not isinstance(start, datetime) else d.due > start.date()
    assert d.steps and d.basis


CALCS = {"add_days": periods.add_days, "add_months": periods.add_months, "add_years": periods.add_years,
         "add_working_days": periods.add_working_days}


@examples(1500)
@given(fn=st.sampled_from(sorted(CALCS)), start=starts, n=counts)
def test_period_calculators(fn, start, n, inputs):
    inputs.add("calculators")
    try:
        d = CALCS[fn](start, n)
    except KnownError as exc:
        assert_calm(exc)
        return
    _sound_deadline(d, start)
    assert periods.format_deadline(d).splitlines()[-1].startswith("due: ")


@examples(500)
@given(key=st.one_of(st.sampled_from(sorted(periods.STATUTORY_PERIODS)), nasty_text(12)), start=starts)
def test_statutory_deadlines(key, start, inputs):
    inputs.add("calculators")
    try:
        d = periods.statutory_deadline(key, start)
    except KnownError as exc:
        assert_calm(exc)
        return
    _sound_deadline(d, start)


@examples(500)
@given(start=st.one_of(nasty_text(16), st.dates().map(str), st.dates().map(lambda d: f"{d.year}年{d.month}月{d.day}日")),
       which=st.sampled_from(["days", "months", "working_days", "none", "two"]), n=counts)
@example(start="2026-01-05", which="days", n="0" * 10_000)
@example(start="2026-01-05", which="days", n="²")
def test_deadline_command_text(start, which, n, inputs):
    inputs.add("calculators")
    kw = {} if which == "none" else {"days": n, "months": n} if which == "two" else {which: n}
    try:
        text = periods.deadline_text(start, **kw)
    except KnownError as exc:
        assert_calm(exc)
        return
    assert text.splitlines()[-1].startswith("due: ")


@examples(400)
@given(a=starts, b=starts)
def test_days_left_and_working_days_between(a, b, inputs):
    inputs.add("calculators")
    try:
        left = periods.days_left(a, b)
        between = periods.working_days_between(a, b) if abs(left) < 4000 else None
    except KnownError as exc:
        assert_calm(exc)
        return
    assert isinstance(left, int) and (between is None or abs(between) <= abs(left))


@examples(300)
@given(extra=st.one_of(json_values, st.dictionaries(st.integers(1990, 2100).map(str), json_values, max_size=3)),
       start=st.dates(date(2020, 1, 1), date(2030, 12, 31)), n=st.integers(1, 60))
def test_holiday_setting_of_any_shape(extra, start, n, inputs):
    """The administrator's ``holidays.extra`` value is JSON from the database: any shape must be handled."""
    inputs.add("calculators")
    try:
        table = holidays.table_with_extra(extra)
    except KnownError as exc:
        assert_calm(exc)
        return
    d = periods.add_working_days(start, n, table=table)
    assert d.due - start >= timedelta(days=n)
