"""备份与恢复 from the desk and the command line: the permission check and the audit record around the
mechanics of :mod:`baihe_desk.storage.backup` (which knows files and SQLite, not users).

``backup_now`` (立即备份) and ``restore_database`` need ``Perm.BACKUP``, from the app and from the command
line alike (the CLI logs the administrator in first, :mod:`baihe_desk.cli_door`). A refusal is audited by
``require``; a done backup or restore is recorded in the audit trail with the file's SHA-256 (a restore
in the database it replaces as well as in the restored one).
"""

from __future__ import annotations

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


@dataclass(frozen=True)
class RestoreResult:
    target: Path
    source: Path
    safety_copy: Path | None  # the database as it was just before (a before-restore backup or a damaged-… copy)
    revision: str  # the schema revision of the backup (migrated forward if older)


def restore_database(paths: Paths, backup: Path, *, settings: LocalSettings | None = None,
                     actor: User | None = None, db: Database | None = None) -> RestoreResult:
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
                                "by": actor.username if actor else "命令行"})
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
                 delay_s: float = DAILY_BACKUP_DELAY_S, **options: Any) -> StartupBackup:
    """The desk's daily backup job (not started): some minutes after the start, at low priority, with
    the free-space check and the court's retention rule (read when the copy is made). ``options``:
    ``now``, ``disk_usage`` (tests)."""
    return StartupBackup(db, paths, settings, delay_s=delay_s, policy=lambda: retention_policy(db),
                         low_priority=True, **options)
