"""The daily backup runs beside the program (not before the window), once a day (no whole-file copy
per start or per command, issue 17), and leaves nothing half-written behind when the program is
closed during it."""

from __future__ import annotations

from datetime import datetime, timedelta

from baihe_desk.config import LocalSettings, Paths
from baihe_desk.storage.backup import check_backup, list_backups, remove_stale_partials
from baihe_desk.storage.startup import StartupBackup, open_database
from tests.fake_today import touch_now


def _start(paths: Paths) -> StartupBackup:
    db = open_database(paths, LocalSettings(), startup_backup=False)
    job = StartupBackup(db, paths).start()
    assert job.wait(60)
    db.dispose()
    return job


def test_gui_start_leaves_the_backup_to_the_background(udata: Paths):
    open_database(udata, LocalSettings()).dispose()  # create
    db = open_database(udata, LocalSettings(), startup_backup=False)
    assert list_backups(udata) == []  # nothing copied before the window could open
    job = StartupBackup(db, udata).start()
    assert job.wait(60) and job.error is None and job.result is not None
    assert sorted(b.reason for b in list_backups(udata)) == ["daily"]
    assert check_backup(job.result)  # a sound database of a known revision
    db.dispose()


def test_only_the_first_start_of_a_day_copies(udata: Paths):
    open_database(udata, LocalSettings()).dispose()
    first, second = _start(udata), _start(udata)
    assert first.result and check_backup(first.result) and second.result is None
    assert [b.reason for b in list_backups(udata)] == ["daily"]
    db = open_database(udata, LocalSettings(), startup_backup=False)
    third = StartupBackup(db, udata, now=lambda: datetime.now() + timedelta(days=1)).start()  # the next day
    assert third.wait(60)
    db.dispose()
    assert third.result and third.result != first.result
    assert [b.reason for b in list_backups(udata)] == ["daily", "daily"]


def test_closing_during_the_backup_leaves_no_backup_and_no_partial(udata: Paths):
    open_database(udata, LocalSettings()).dispose()
    db = open_database(udata, LocalSettings(), startup_backup=False)
    job = StartupBackup(db, udata)
    job.cancel()  # the program is closed before the copy is checked
    job.start()
    assert job.wait(60)
    db.dispose()
    assert job.error is not None and job.result is None
    assert not list_backups(udata)
    assert not list(udata.backups.glob("*.partial"))


def test_stale_partial_copies_are_removed(udata: Paths):
    udata.backups.mkdir(parents=True, exist_ok=True)
    old = udata.backups / "baihe-desk-20261101-080000-startup.partial"
    old_wal = udata.backups / "baihe-desk-20261101-080000-startup.partial-wal"
    new = udata.backups / "baihe-desk-20261126-080000-startup.partial"
    for p in (old, old_wal, new):
        p.write_bytes(b"half")
    # stamped by the test's clock, not the disk's (under --fake-today "now" is another day)
    touch_now(old, old_wal, ago_s=2 * 3600)
    touch_now(new, ago_s=60)
    assert sorted(remove_stale_partials(udata)) == [old, old_wal]  # a copy still being written stays
    assert new.exists() and not old.exists() and not old_wal.exists()
