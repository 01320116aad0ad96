"""备份与恢复 from the desk and the command line: the permission check and the audit record around the
mechanics of :mod:`baihe_desk.storage.backup` (which knows files and SQLite, not users).

``backup_now`` (立即备份) and ``restore_database`` need ``Perm.BACKUP``, from the app and from the command
line alike (the CLI logs the administrator in first, :mod:`baihe_desk.cli_door`). A refusal is audited by
``require``; a done backup or restore is recorded in the audit trail with the file's SHA-256 (a restore
in the database it replaces as well as in the restored one).

A backup of another court, or of a database with another identity (its 法院信息 record is not this
database's: a different court, or another installation that merely typed the same name), replaces the
court's data with someone else's; ``restore_database`` refuses it unless the administrator retypes the
court's name (``confirm_court``; the window asks for it, the CLI takes ``--confirm-court``).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from baihe_desk.config import LocalSettings, Paths, is_server_url
from baihe_desk.errors import KnownError
from baihe_desk.models import User
from baihe_desk.services.common import audit
from baihe_desk.services.common.permissions import Perm, require
from baihe_desk.storage.backup import backup_database, check_backup, replace_database_file, sha256_file
from baihe_desk.storage.db import Database
from baihe_desk.storage.presence import describe, other_desks
from baihe_desk.storage.retention import RetentionPolicy
from baihe_desk.storage.startup import StartupBackup, open_database

DAILY_BACKUP_DELAY_S = 300.0  # the daily copy starts 5 minutes after the desk: never at start-up (issue 21)
# ... or after half a minute when yesterday has no copy either: a desk opened for a few minutes a day
# (closed before the 5 minutes every time) would otherwise never be backed up
DAILY_BACKUP_CATCH_UP_S = 30.0


@dataclass(frozen=True)
class ForeignBackup:
    """The backup is not of this database: ``reason`` says how; ``required`` is the name to retype."""

    backup_court: str
    current_court: str
    reason: str

    @property
    def required(self) -> str:
        return self.backup_court or self.current_court


class CourtConfirmationNeeded(KnownError):
    title = "请确认法院名称"

    def __init__(self, message: str, foreign: ForeignBackup):
        super().__init__(message)
        self.foreign = foreign


class _Unreadable(Exception):
    pass


def _court_of_file(path: Path) -> tuple[str, str] | None:
    """(id, name) of the first 法院信息 record of a SQLite file, read-only; None when it has none.
    Raises _Unreadable for a file that is no database of this program (``check_backup`` says so)."""
    from baihe_desk.storage.encrypted import errors as db_errors
    from baihe_desk.storage.encrypted import raw_connect

    if not Path(path).exists():
        return None
    try:
        con = raw_connect(Path(path), read_only=True)
        try:
            row = con.execute("SELECT id, name FROM court_profile ORDER BY created_at LIMIT 1").fetchone()
        finally:
            con.close()
    except db_errors() as exc:
        raise _Unreadable from exc
    return (str(row[0]), str(row[1] or "")) if row else None


def _norm(name: str | None) -> str:
    return "".join(unicodedata.normalize("NFKC", name or "").split())


def foreign_backup(database: Path, backup: Path) -> ForeignBackup | None:
    """None when ``backup`` is of the database at ``database`` (the same 法院信息 record) or the current
    database has no court yet (a new desk being set up from a backup); else how it differs."""
    try:
        current = _court_of_file(database)
        if current is None:
            return None
        other = _court_of_file(backup)
    except _Unreadable:
        return None  # a damaged current file may be replaced; a bad backup is refused by check_backup
    if other is not None and other[0] == current[0]:
        return None
    backup_name = other[1] if other else ""
    if other is not None and _norm(other[1]) != _norm(current[1]):
        reason = f"该备份属于另一法院（备份：{other[1]}；当前：{current[1]}）"
    elif other is not None:
        reason = f"该备份来自另一个数据库（法院名称同为“{current[1]}”，但不是本数据库的备份）"
    else:
        reason = f"该备份没有法院信息，不是本院（{current[1]}）数据库的备份"
    return ForeignBackup(backup_name, current[1], reason)


@dataclass(frozen=True)
class RestoreResult:
    target: Path
    source: Path
    safety_copy: Path | None  # the database as it was just before (a before-restore backup or a damaged-… copy)
    revision: str  # the schema revision of the backup (migrated forward if older)


def restore_database(paths: Paths, backup: Path, *, settings: LocalSettings | None = None,
                     actor: User | None = None, db: Database | None = None,
                     confirm_court: str | None = None) -> RestoreResult:
    """恢复数据库 from the app (``db`` open, ``actor`` the user: needs Perm.BACKUP) or the CLI (no ``db``).

    ``db`` is checked for the permission (a refusal is audited) and then disposed: the caller must not
    use it again (the app restarts). The restored file is migrated forward and gets a
    ``database.restore`` audit record naming the file, its SHA-256 and where the replaced database went.
    """
    backup = Path(backup)
    if settings is not None and is_server_url(settings.database_url):
        raise KnownError("本工作台连接的是院内数据库服务器：服务器数据库由数据库管理员用 pg_restore 恢复"
                         "（见说明书“院内服务器”一节），工作台不复制或替换服务器的文件。")
    if db is not None:
        with db.transaction() as s:
            require(s, actor, Perm.BACKUP)
    others = other_desks(paths.database)
    if others:
        raise KnownError(f"另有工作台正在使用该数据库：{describe(others)}。请先在这些工作台上退出程序，再恢复备份；"
                         "当前数据库未做任何改动。")
    revision = check_backup(backup)
    digest = sha256_file(backup)
    foreign = foreign_backup(paths.database, backup)
    if foreign is not None and _norm(confirm_court) != _norm(foreign.required):
        if db is not None:
            with db.transaction() as s:
                audit.record(s, actor, "database.restore_refused", entity="database", entity_id=backup.name[:40],
                             after={"from": str(backup.resolve()), "sha256": digest, "reason": foreign.reason,
                                    "typed": bool(confirm_court)})
        typed = "输入的法院名称不符。" if confirm_court else ""
        raise CourtConfirmationNeeded(f"{foreign.reason}。{typed}如确需用它替换本数据库，请输入法院名称"
                                      f"“{foreign.required}”以确认；当前数据库未做任何改动。", foreign)
    if db is not None:
        with db.transaction() as s:  # kept in the replaced database (saved as the before-restore copy)
            audit.record(s, actor, "database.restore_start", entity="database", entity_id=backup.name[:40],
                         after={"from": str(backup.resolve()), "sha256": digest, "revision": revision})
        db.dispose()
    target = paths.database
    safety = replace_database_file(paths, backup, target)
    restored = open_database(paths, settings, backup=False)
    try:
        with restored.transaction() as s:
            audit.record(s, actor, "database.restore", entity="database", entity_id=backup.name[:40],
                         after={"from": backup.name, "sha256": digest, "revision": revision,
                                "safety_copy": safety.name if safety else None,
                                "by": actor.username if actor else "命令行",
                                "other_court": foreign.reason if foreign else None})
    finally:
        restored.dispose()
    return RestoreResult(target, backup, safety, revision)


def backup_now(db: Database, paths: Paths, actor: User | None, *, out: Path | None = None) -> Path:
    """立即备份 from the app or ``baihe-desk backup``: needs Perm.BACKUP; recorded in the audit trail with where
    the copy went (``out``: a file of the administrator's choice, else the backups folder). The SQLite file
    is copied through SQLite's backup API; a server database is dumped with ``pg_dump``
    (storage/server_backup.py)."""
    with db.transaction() as s:
        require(s, actor, Perm.BACKUP)
    if db.is_sqlite:
        out = backup_database(db, paths, reason="manual", out=out)
    else:
        from baihe_desk.storage.server_backup import default_name, dump_server

        out = dump_server(db.url, out or paths.backups / default_name(), engine=db.engine).file
    with db.transaction() as s:
        audit.record(s, actor, "database.backup", entity="database", entity_id=out.name[:40],
                     after={"file": out.name, "path": str(Path(out).resolve()), "sha256": sha256_file(out),
                            "size": out.stat().st_size})
    return out


def retention_policy(db: Database) -> RetentionPolicy:
    """The court's retention rule for the daily backups (系统管理 › 规则与期限 › 数据备份)."""
    from baihe_desk.services.admin import settings as court_settings

    with db.session() as s:
        return RetentionPolicy(daily=court_settings.get(s, "backup.keep_daily"),
                               weekly=court_settings.get(s, "backup.keep_weekly"))


def daily_backup(db: Database, paths: Paths, settings: LocalSettings | None = None, *,
                 delay_s: float | None = None, **options: Any) -> StartupBackup:
    """The desk's daily backup job (not started): some minutes after the start (half a minute when
    yesterday's copy is missing too), at low priority, with the free-space check and the court's
    retention rule (read when the copy is made). ``options``: ``now``, ``disk_usage`` (tests)."""
    if delay_s is None:
        from datetime import datetime, timedelta

        from baihe_desk.storage.backup import list_backups

        yesterday = (options.get("now", datetime.now)() - timedelta(days=1)).strftime("%Y%m%d")
        recent = any(b.reason == "daily" and b.day >= yesterday for b in list_backups(paths))
        delay_s = DAILY_BACKUP_DELAY_S if recent else DAILY_BACKUP_CATCH_UP_S
    return StartupBackup(db, paths, settings, delay_s=delay_s, policy=lambda: retention_policy(db),
                         low_priority=True, **options)
