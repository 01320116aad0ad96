"""Opening the database at start: back up, migrate, refuse a database from a newer version."""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from baihe_desk.config import LocalSettings, Paths, database_url
from baihe_desk.errors import DatabaseError, SchemaTooNew
from baihe_desk.storage.db import Database, translate_db_error

if TYPE_CHECKING:
    from baihe_desk.storage.retention import RetentionPolicy

log = logging.getLogger(__name__)


def open_database(paths: Paths, settings: LocalSettings | None = None, *, migrate: bool = True,
                  backup: bool = True, startup_backup: bool = False) -> Database:
    """Open (and create or upgrade) the database the settings point at.

    SQLite: a pre-migration backup is made when a migration is pending (``backup``). No whole-file
    copy otherwise: a command or a start costs no copy of a file of gigabytes (the daily backup runs
    in the background some minutes after the start, ``StartupBackup``; ``startup_backup=True`` makes it here, in the foreground,
    when none was made today). A database written by a newer Baihe Desk is refused, untouched.
    """
    from baihe_desk.storage import migrate as mig

    paths.ensure()
    url = database_url(paths, settings)
    db = Database(url)
    from baihe_desk.storage.private_files import secure

    secure(paths)  # 0700 folders, 0600 files (POSIX); again below once the file exists
    try:
        current = mig.current_revision(db.engine)
        head = mig.head_revision()
        if current is not None and current not in mig.known_revisions():
            db.dispose()
            raise SchemaTooNew(
                f"该数据库由更新版本的白河工作台创建（结构版本 {current}），本程序无法安全打开。"
                "请安装最新版本后再试；数据未做任何改动。"
            )
        if current is None and mig.has_any_table(db.engine):
            db.dispose()
            raise DatabaseError("该数据库不是白河工作台的数据库（缺少结构版本信息），为避免损坏数据，程序未打开它。")
        if backup and db.sqlite_path is not None and db.sqlite_path.exists() and current is not None:
            from baihe_desk.storage import backup as bk

            if startup_backup and bk.daily_backup_due(paths):
                bk.backup_database(db, paths, reason="daily")
            if current != head:
                bk.backup_database(db, paths, reason=f"pre-migration-{current}")
            bk.prune(paths, settings or LocalSettings())
        if migrate and current != head:
            log.info("migrating database from %s to %s", current, head)
            mig.upgrade(db.engine)
        if db.sqlite_path is not None and migrate:
            _ensure_chain_key(db)
        if db.sqlite_path is not None and db.sqlite_path.exists():
            from baihe_desk.storage.presence import watch_file

            secure(paths)
            watch_file(db.engine, db.sqlite_path)  # a restore by another desk stops this one at once
    except (SchemaTooNew, DatabaseError):
        raise
    except Exception as exc:
        calm = translate_db_error(exc)
        db.dispose()
        if calm is not None:
            raise calm from exc
        raise
    return db


def _ensure_chain_key(db: Database) -> None:
    """The audit chain's key and anchor (storage.audit_key) exist from the first open on."""
    from sqlalchemy import text

    from baihe_desk.storage import audit_key

    assert db.sqlite_path is not None
    with db.engine.connect() as con:
        row = con.execute(text("SELECT seq, hash FROM audit_record ORDER BY seq DESC LIMIT 1")).first()
    audit_key.ensure_key(db.sqlite_path, (int(row[0]), str(row[1])) if row else None)


def lower_this_thread_priority() -> bool:
    """The calling thread at background priority: the daily copy yields the cores (and on Windows the
    disk) to the clerk and to everything else (issue 21: court PCs run antivirus scans too).
    Linux: the thread's nice value (``setpriority`` on its thread id); Windows:
    ``THREAD_MODE_BACKGROUND_BEGIN`` (lower CPU and I/O priority). False where neither applies."""
    import sys

    try:
        if sys.platform.startswith("linux"):
            import os

            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
            return True
        if sys.platform == "win32":
            import ctypes

            kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
            return bool(kernel32.SetThreadPriority(kernel32.GetCurrentThread(), 0x00010000))
    except (OSError, AttributeError):
        pass
    return False


class StartupBackup:
    """The daily backup, on a thread of its own, never at start-up: it waits ``delay_s`` after the
    desk started (the clerk logs in and works first), then, at background priority
    (``lower_this_thread_priority``), makes the day's copy if none exists yet: a free-space check
    first (``retention.check_free_space``: a calm refusal, nothing copied), then SQLite's backup API
    copies one consistent snapshot while the program's writes go on (WAL), then the retention rule
    (``retention.apply`` with ``policy()``, the court's setting) removes the copies it no longer
    keeps. ``result`` stays None when today's backup already exists; ``error`` holds a refusal.
    ``now`` is the clock (tests simulate days with it).
    ``cancel()`` (closing the program) ends the wait, or interrupts the integrity check of the copy;
    a copy cut off by the end of the process stays a ``*.partial`` file, removed by a later run."""

    def __init__(self, db: Database, paths: Paths, settings: LocalSettings | None = None, *,
                 delay_s: float = 0.0, policy: Callable[[], RetentionPolicy] | None = None,
                 now: Callable[[], datetime] = datetime.now, low_priority: bool = False,
                 disk_usage: Callable[[Path], Any] | None = None):
        self.db, self.paths, self.settings = db, paths, settings or LocalSettings()
        self.delay_s, self.policy, self.now, self.low_priority = delay_s, policy, now, low_priority
        self.disk_usage = disk_usage
        self.result: Path | None = None
        self.error: BaseException | None = None
        self.copying = False
        self._target: sqlite3.Connection | None = None
        self._cancelled = threading.Event()
        self._thread = threading.Thread(target=self._run, name="daily-backup", daemon=True)

    def start(self) -> StartupBackup:
        if self.db.sqlite_path is not None:
            self._thread.start()
        return self

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def wait(self, timeout: float | None = None) -> bool:
        if self._thread.is_alive():
            self._thread.join(timeout)
        return not self._thread.is_alive()

    def cancel(self) -> None:
        self._cancelled.set()
        target = self._target
        if target is not None:
            try:
                target.interrupt()
            except sqlite3.ProgrammingError:  # already closed
                pass

    def _checkpoint(self, connection: sqlite3.Connection) -> None:
        self._target = connection
        if self._cancelled.is_set():
            raise sqlite3.OperationalError("interrupted")

    def _run(self) -> None:
        from baihe_desk.storage import backup as bk
        from baihe_desk.storage import retention

        if self.delay_s > 0 and self._cancelled.wait(self.delay_s):
            return  # closed before the time came: nothing copied
        try:
            if self.low_priority:
                lower_this_thread_priority()
            bk.remove_stale_partials(self.paths)
            now = self.now()
            if bk.daily_backup_due(self.paths, today=now.strftime("%Y%m%d")):
                assert self.db.sqlite_path is not None
                if self.disk_usage is not None:
                    retention.check_free_space(self.db.sqlite_path, self.paths.backups, self.disk_usage)
                else:
                    retention.check_free_space(self.db.sqlite_path, self.paths.backups)
                self.copying = True
                out = bk._stamped(self.paths, "daily", now.strftime("%Y%m%d-%H%M%S"))
                self.result = bk.backup_database(self.db, self.paths, reason="daily", out=out,
                                                 checkpoint=self._checkpoint)
            retention.apply(self.paths.backups, self.policy() if self.policy else retention.RetentionPolicy())
            bk.prune(self.paths, self.settings)  # ``startup`` copies of older versions
        except BaseException as exc:  # reported by the window's status bar and the log
            self.error = exc
            if not self._cancelled.is_set():
                log.warning("daily backup failed: %s", exc)
        finally:
            self.copying = False
            self._target = None
