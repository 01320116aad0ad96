"""The filing service tests use worked dates in November 2026 (RECEIVED, DAY …) that must lie in the past:
they run on Tuesday 2026-12-01 whatever the calendar says (tests/fake_today.py), so a run with
``--fake-today`` before November, or on a machine with a wrong clock, cannot turn them into future dates."""

from datetime import date

import pytest

from tests.fake_today import travel_to


@pytest.fixture(autouse=True)
def _on_a_fixed_day():
    with travel_to(date(2026, 12, 1)):
        yield
