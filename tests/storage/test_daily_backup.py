"""The daily backup (issue 21): never at start-up, one copy a day at low priority, the court's retention
rule (7 daily + 4 weekly by default) and a free-space check before copying. Days are simulated with
the job's injected clock."""

from __future__ import annotations

import os
import sys
import threading
from collections import namedtuple
from datetime import date, datetime, timedelta

import pytest

from baihe_desk.config import Paths
from baihe_desk.storage.backup import backup_database, list_backups
from baihe_desk.storage.retention import NotEnoughSpace, RetentionPolicy, needed_bytes
from baihe_desk.storage.startup import StartupBackup, lower_this_thread_priority

Usage = namedtuple("Usage", "total used free")


def _run(db, paths: Paths, day: datetime, **options) -> StartupBackup:
    job = StartupBackup(db, paths, now=lambda: day, **options).start()
    assert job.wait(60)
    return job


def _daily_days(paths: Paths) -> list[str]:
    return sorted(b.day for b in list_backups(paths) if b.reason == "daily")


def test_a_month_of_days_keeps_seven_daily_and_four_weekly(udb_sqlite, udata):
    manual = backup_database(udb_sqlite, udata, reason="manual")
    first = date(2026, 11, 1)
    for n in range(30):  # 2026-11-01 (a Sunday) … 2026-11-30 (a Monday), one start a day at 09:00
        day = datetime.combine(first + timedelta(days=n), datetime.min.time()).replace(hour=9)
        job = _run(udb_sqlite, udata, day)
        assert job.error is None and job.result is not None and job.result.name.startswith(day.strftime("baihe-desk-%Y%m%d"))
        again = _run(udb_sqlite, udata, day.replace(hour=15))  # a second start that day copies nothing
        assert again.error is None and again.result is None
    # by hand: the last 7 days are 11-24 … 11-30; the 4 newest calendar weeks (Mon–Sun) are
    # 11-30 (week of 11-30), 11-23…11-29 (newest 11-29), 11-16…11-22 (11-22), 11-09…11-15 (11-15)
    assert _daily_days(udata) == ["20261115", "20261122", "20261124", "20261125", "20261126", "20261127",
                                  "20261128", "20261129", "20261130"]
    assert manual.exists()  # manual backups are never pruned
    kept = {b.path.name for b in list_backups(udata)}
    manifests = {p.name[: -len(".manifest.json")] for p in udata.backups.glob("*.manifest.json")}
    assert manifests == kept  # a removed backup takes its manifest with it


def test_the_policy_comes_from_the_caller_each_time(udb_sqlite, udata):
    days = [datetime(2026, 12, d, 8, 30) for d in (1, 2, 3, 4)]  # Tue … Fri of one week
    for day in days:
        _run(udb_sqlite, udata, day, policy=lambda: RetentionPolicy(daily=2, weekly=0))
    assert _daily_days(udata) == ["20261203", "20261204"]


def test_not_enough_free_space_refuses_calmly_and_copies_nothing(udb_sqlite, udata):
    need = needed_bytes(udb_sqlite.sqlite_path)
    tight = _run(udb_sqlite, udata, datetime(2026, 12, 7, 9), disk_usage=lambda folder: Usage(10**12, 10**12, need))
    assert isinstance(tight.error, NotEnoughSpace) and tight.result is None
    assert "备份盘剩余空间不足" in tight.error.message and "数据库未受影响" in tight.error.message
    assert list_backups(udata) == [] and not list(udata.backups.glob("*.partial"))
    roomy = _run(udb_sqlite, udata, datetime(2026, 12, 7, 10), disk_usage=lambda folder: Usage(10**12, 0, 10**11))
    assert roomy.error is None and roomy.result is not None


def test_nothing_is_copied_at_start_up_and_closing_before_the_time_copies_nothing(udb_sqlite, udata):
    job = StartupBackup(udb_sqlite, udata, delay_s=30.0).start()
    assert job.running and not job.copying
    assert list_backups(udata) == []
    job.cancel()  # the desk closed within the first minutes
    assert job.wait(5)
    assert job.error is None and job.result is None and list_backups(udata) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="thread nice values are a Linux notion")
def test_the_copy_thread_runs_at_background_priority():
    seen = {}

    def probe() -> None:
        seen["lowered"] = lower_this_thread_priority()
        seen["nice"] = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    thread = threading.Thread(target=probe)
    thread.start()
    thread.join()
    assert seen == {"lowered": True, "nice": 19}
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) < 19  # this (the UI) thread is untouched


def test_a_desk_that_missed_yesterday_backs_up_after_half_a_minute(udb_sqlite, udata):
    """A desk opened for a few minutes a day never lived to the 5-minute mark: once yesterday has no daily
    copy either, the next start waits half a minute instead."""
    from baihe_desk.services.admin.backups import DAILY_BACKUP_CATCH_UP_S, DAILY_BACKUP_DELAY_S, daily_backup

    def delay(day: datetime) -> float:
        return daily_backup(udb_sqlite, udata, now=lambda: day).delay_s

    assert (DAILY_BACKUP_DELAY_S, DAILY_BACKUP_CATCH_UP_S) == (300.0, 30.0)
    assert delay(datetime(2026, 12, 7, 9)) == 30.0  # no copy at all yet
    _run(udb_sqlite, udata, datetime(2026, 12, 7, 9))  # Monday's copy
    assert delay(datetime(2026, 12, 7, 15)) == 300.0  # (and Monday's second start copies nothing anyway)
    assert delay(datetime(2026, 12, 8, 9)) == 300.0  # Tuesday: Monday's copy is yesterday's
    assert delay(datetime(2026, 12, 9, 9)) == 30.0  # Wednesday: Tuesday was missed
