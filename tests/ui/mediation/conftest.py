"""Every mediation UI test runs on Wednesday 2026-11-18 (see test_mediation_support.TODAY)."""

import pytest

from tests.fake_today import travel_to
from tests.ui.mediation.test_mediation_support import TODAY


@pytest.fixture(autouse=True)
def _on_a_wednesday():
    with travel_to(TODAY):
        yield
