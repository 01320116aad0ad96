"""The one injectable clock of the tests: travel to a day (10:00 in Beijing, the clock ticking).

time-machine patches ``date.today()``, ``datetime.now()`` and ``time.time()`` at C level, so the production
code's own "today" (``clocks.today_local()``, ``referral.today()`` …) moves with it. Nesting works: a test
that travels inside a session run with ``--fake-today`` (tests/conftest.py) goes to its own day and back.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine

BEIJING = ZoneInfo("Asia/Shanghai")


def travel_to(day: date, hour: int = 10) -> time_machine.travel:
    """A context manager (or decorator) that makes ``day`` today."""
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, 0, tzinfo=BEIJING), tick=True)
