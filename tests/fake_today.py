"""The one injectable clock of the tests: travel to a day (10:00 in Beijing, the clock ticking).

time-machine patches ``date.today()``, ``datetime.now()`` and ``time.time()`` at C level, so the production
code's own "today" (``clocks.today_local()``, ``referral.today()`` …) moves with it. Nesting works: a test
that travels inside a session run with ``--fake-today`` (tests/conftest.py) goes to its own day and back.

A Python child process a test starts (``subprocess`` with ``sys.executable``, ``multiprocessing`` spawn) is
on the test's clock only through :func:`child_env` / :func:`children_on_this_clock`: they carry "now" to
the child's start-up (``tests/child_clock/sitecustomize.py``). Every test that starts a Python child uses
one of them. Files a test writes get the real disk time: a test that compares mtimes with "now" sets them
with :func:`touch_now`.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import time_machine

BEIJING = ZoneInfo("Asia/Shanghai")
CHILD_CLOCK = Path(__file__).resolve().with_name("child_clock")  # holds the children's sitecustomize.py
ENV_OFFSET = "BAIHE_TEST_CLOCK_OFFSET"  # read by tests/child_clock/sitecustomize.py only, never by the product


def travel_to(day: date, hour: int = 10) -> time_machine.travel:
    """A context manager (or decorator) that makes ``day`` today."""
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, 0, tzinfo=BEIJING), tick=True)


def _clock_vars(env: Mapping[str, str]) -> dict[str, str | None]:
    """The variables that put a child on this process's clock (None: remove), when the clock is faked."""
    if not time_machine.escape_hatch.is_travelling():
        return {ENV_OFFSET: None}
    offset = time.time() - time_machine.escape_hatch.time.time()  # the fake clock minus the real one
    path = [p for p in (env.get("PYTHONPATH") or "").split(os.pathsep) if p and p != str(CHILD_CLOCK)]
    return {ENV_OFFSET: repr(offset), "PYTHONPATH": os.pathsep.join([str(CHILD_CLOCK), *path])}


def child_env(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for a Python child a test starts (``env``, default ``os.environ``): its clock is the
    test's, to the moment (the offset of the fake clock from the real one travels; its ``TZ`` comes with the
    environment: time-machine sets it when travelling)."""
    out = dict(os.environ if env is None else env)
    for key, value in _clock_vars(out).items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = value
    return out


@contextmanager
def children_on_this_clock() -> Iterator[None]:
    """For ``multiprocessing`` children (they take ``os.environ``): processes started inside the block run
    on the test's clock (as it was set when the block was entered)."""
    saved = {key: os.environ.get(key) for key in (ENV_OFFSET, "PYTHONPATH")}
    try:
        for key, value in _clock_vars(os.environ).items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def touch_now(*paths: Path, ago_s: float = 0.0) -> None:
    """Set the files' modification time to the test's "now" (minus ``ago_s``): the disk stamps real time."""
    when = time.time() - ago_s
    for path in paths:
        os.utime(path, (when, when))
