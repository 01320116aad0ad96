"""Tests only: a Python child started by a test lives on the test's clock.

``tests.fake_today.child_env()`` (and ``children_on_this_clock()``) put this folder first on PYTHONPATH and
the offset of the test's fake clock from the real one (seconds) in ``BAIHE_TEST_CLOCK_OFFSET``; Python
imports ``sitecustomize`` at start-up, so the child travels by that offset with time-machine before any of
its own code runs, the clock ticking: parent and child read the same time. The time zone comes with the
environment (time-machine sets ``TZ`` when travelling). Nothing in the product reads this variable: the
product's day cannot be moved from outside.
"""

from __future__ import annotations

import os

_offset = os.environ.get("BAIHE_TEST_CLOCK_OFFSET")
if _offset:
    import time

    import time_machine

    time_machine.travel(time.time() + float(_offset), tick=True).start()
    del time, time_machine
del os, _offset
