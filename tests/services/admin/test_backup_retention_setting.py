"""The daily backups' retention rule is a court setting (issue 21): 7 daily and 4 weekly unless the
administrator changes it, read by the daily backup when it runs."""

from __future__ import annotations

from datetime import datetime

import pytest

from baihe_desk.errors import KnownError
from baihe_desk.models import Role
from baihe_desk.services.admin import settings
from baihe_desk.services.admin.backups import (
    DAILY_BACKUP_CATCH_UP_S,
    DAILY_BACKUP_DELAY_S,
    daily_backup,
    retention_policy,
)
from baihe_desk.storage.backup import list_backups
from baihe_desk.storage.retention import RetentionPolicy


def test_the_court_setting_drives_the_daily_backups(udb, uusers, udata):
    assert retention_policy(udb) == RetentionPolicy(daily=7, weekly=4)
    admin = uusers[Role.ADMIN]
    with udb.transaction() as s:
        settings.set_value(s, admin, "backup.keep_daily", "3")
        settings.set_value(s, admin, "backup.keep_weekly", 0)
    assert retention_policy(udb) == RetentionPolicy(daily=3, weekly=0)
    with udb.transaction() as s, pytest.raises(KnownError):
        settings.set_value(s, admin, "backup.keep_daily", 0)  # at least one copy is kept
    job = daily_backup(udb, udata)
    # never at start-up: half a minute on a desk without yesterday's copy (none yet here), else 5 minutes
    assert job.delay_s == DAILY_BACKUP_CATCH_UP_S >= 30 and DAILY_BACKUP_DELAY_S >= 60 and job.low_priority
    if udb.sqlite_path is None:  # a server: pg_dump by its administrator, no file copy here
        assert not job.start().running
        return
    for day in range(1, 6):  # 2026-12-01 … 05
        job = daily_backup(udb, udata, delay_s=0, now=lambda day=day: datetime(2026, 12, day, 9)).start()
        assert job.wait(60) and job.error is None
    assert sorted(b.day for b in list_backups(udata) if b.reason == "daily") == ["20261203", "20261204", "20261205"]
