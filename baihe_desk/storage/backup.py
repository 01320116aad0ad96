"""备份与恢复 — consistent copies through SQLite's online backup API, with a retention rule.

A backup of a database in use is consistent (the backup API copies a snapshot page by page).
Kinds: ``startup`` (each start), ``daily`` (first start of a day), ``pre-migration-*`` (before
every migration, never pruned), ``manual``. Retention: the newest ``backup_keep_startup``
startup backups and ``backup_keep_daily`` daily backups are kept.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from baihe_desk.config import LocalSettings, Paths
from baihe_desk.errors import DatabaseError, KnownError
from baihe_desk.storage.db import Database

NAME_RE = re.compile(r"^baihe-desk-(\d{8}-\d{6}(?:-\d+)?)-(.+)\.sqlite3$")


@dataclass(frozen=True)
class BackupFile:
    path: Path
    stamp: str
    reason: str

    @property
    def day(self) -> str:
        return self.stamp[:8]


def _copy(src: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_suffix(".partial")
    source = sqlite3.connect(f"file:{src.as_posix()}?mode=ro", uri=True, timeout=30)
    try:
        target = sqlite3.connect(tmp)
        try:
            source.backup(target, pages=1024)
            ok = target.execute("PRAGMA integrity_check").fetchone()[0]
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
    finally:
        source.close()
    if ok != "ok":
        tmp.unlink(missing_ok=True)
        raise DatabaseError(f"备份文件校验失败（{ok}），原数据库未受影响。")
    tmp.replace(dest)


def backup_file(src: Path, out: Path) -> Path:
    """Copy the SQLite database ``src`` to ``out`` consistently (even while it is in use)."""
    if not src.exists():
        raise KnownError(f"找不到数据库文件：{src}")
    try:
        _copy(src, out)
    except sqlite3.Error as exc:
        raise DatabaseError(f"备份失败：{exc}。原数据库未受影响。") from exc
    return out


def backup_database(db: Database, paths: Paths, *, reason: str = "manual", out: Path | None = None) -> Path:
    src = db.sqlite_path
    if src is None:
        raise KnownError("当前使用的是数据库服务器（PostgreSQL），请由数据库管理员用 pg_dump 备份。")
    if out is None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        out = paths.backups / f"baihe-desk-{stamp}-{reason}.sqlite3"
        n = 1
        while out.exists():
            n += 1
            out = paths.backups / f"baihe-desk-{stamp}-{n}-{reason}.sqlite3"
        if reason == "startup" and not any(b.reason == "daily" and b.day == stamp[:8] for b in list_backups(paths)):
            backup_file(src, paths.backups / f"baihe-desk-{stamp}-daily.sqlite3")
    return backup_file(src, out)


def list_backups(paths: Paths) -> list[BackupFile]:
    if not paths.backups.exists():
        return []
    out = []
    for p in paths.backups.iterdir():
        m = NAME_RE.match(p.name)
        if m:
            out.append(BackupFile(p, m.group(1), m.group(2)))
    return sorted(out, key=lambda b: b.stamp, reverse=True)


def prune(paths: Paths, settings: LocalSettings) -> list[Path]:
    """Apply the retention rule; returns the files removed. Pre-migration and manual backups stay."""
    removed = []
    keep = {"startup": settings.backup_keep_startup, "daily": settings.backup_keep_daily}
    seen: dict[str, int] = {}
    for b in list_backups(paths):
        if b.reason not in keep:
            continue
        seen[b.reason] = seen.get(b.reason, 0) + 1
        if seen[b.reason] > keep[b.reason]:
            b.path.unlink(missing_ok=True)
            removed.append(b.path)
    return removed


def check_backup(path: Path) -> None:
    """Refuse a file that is not a sound Baihe Desk database."""
    if not path.exists():
        raise KnownError(f"找不到备份文件：{path}")
    try:
        conn = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
        try:
            ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
            has_version = conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='alembic_version'"
            ).fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise DatabaseError(f"该文件不是有效的数据库备份：{exc}") from exc
    if ok != "ok":
        raise DatabaseError(f"备份文件已损坏（{ok}），未恢复。")
    if not has_version:
        raise DatabaseError("该文件不是白河工作台的数据库备份，未恢复。")


def restore(paths: Paths, backup: Path, *, target: Path | None = None) -> Path:
    """Replace the database with ``backup``. The current file is first saved as a backup itself.

    The caller must have closed every connection to the database (the app restarts after it).
    """
    backup = Path(backup)
    check_backup(backup)
    target = target or paths.database
    if target.exists():
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        backup_file(target, paths.backups / f"baihe-desk-{stamp}-before-restore.sqlite3")
    tmp = target.with_suffix(".restoring")
    shutil.copyfile(backup, tmp)
    for suffix in ("-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    tmp.replace(target)
    return target
