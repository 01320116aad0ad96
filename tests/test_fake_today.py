"""The tests' clock reaches the Python children a test starts (tests/fake_today.py), never the product's
environment: the desk has no variable that moves its day."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from tests.fake_today import ENV_OFFSET, child_env, children_on_this_clock, touch_now, travel_to

ROOT = Path(__file__).resolve().parents[1]
PROBE = "import datetime, time; print(datetime.date.today(), time.strftime('%H'))"


def _today_in_child(queue) -> None:  # a spawned child: what day is it there?
    from baihe_desk.services.deadlines.clocks import today_local

    queue.put((date.today().isoformat(), today_local().isoformat()))


def test_a_subprocess_lives_on_the_test_day():
    with travel_to(date(2027, 2, 8), hour=9):
        out = subprocess.run([sys.executable, "-c", PROBE], env=child_env(), capture_output=True, text=True,
                             check=True, timeout=60).stdout.split()
    assert out == ["2027-02-08", "09"]  # the day and the court's hour (TZ travels with the environment)
    with travel_to(date(2026, 10, 12)):  # one test, two days: each child takes the day it starts on
        out = subprocess.run([sys.executable, "-c", PROBE], env=child_env(), capture_output=True, text=True,
                             check=True, timeout=60).stdout.split()
    assert out[0] == "2026-10-12"


def test_a_multiprocessing_child_lives_on_the_test_day():
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    with travel_to(date(2028, 1, 31)), children_on_this_clock():
        proc = ctx.Process(target=_today_in_child, args=(queue,))
        proc.start()
    try:
        assert queue.get(timeout=60) == ("2028-01-31", "2028-01-31")
    finally:
        proc.join(30)
    assert ENV_OFFSET not in os.environ  # the block put the environment back


def test_touch_now_stamps_files_with_the_test_clock(tmp_path):
    f = tmp_path / "x"
    f.write_bytes(b"")
    with travel_to(date(2030, 6, 1)):
        touch_now(f, ago_s=3600)
    assert date.fromtimestamp(f.stat().st_mtime) == date(2030, 6, 1)


def test_the_product_reads_no_clock_variable():
    """The court's day cannot be faked from outside: only tests/ know the children's variable."""
    hits = [p for p in (ROOT / "baihe_desk").rglob("*.py") if ENV_OFFSET in p.read_text(encoding="utf-8")]
    assert hits == []
