"""每日备份的保留规则与磁盘空间检查 (issue 21).

Retention of the ``daily`` backups, a court setting (``backup.keep_daily`` / ``backup.keep_weekly``,
declared in ``services/admin/settings_catalogue.py``; default 7 and 4):

- **daily**: the newest backup of each of the ``daily`` most recent days that have one;
- **weekly**: the newest backup of each of the ``weekly`` most recent calendar weeks (Monday to
  Sunday) that have one.

A file either rule names is kept; every other ``daily`` file is removed with its manifest.
Pre-migration, manual and before-restore backups are never removed here.

The free-space check runs before a copy: the copy needs about the database's size (file plus its
WAL) and a margin; without it the backup is refused calmly (``NotEnoughSpace``) instead of filling
the disk the database itself lives on.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from baihe_desk.errors import KnownError
from baihe_desk.storage.backup import BackupFile, list_backups_in, manifest_path

MARGIN_BYTES = 256 * 2**20  # left free after the copy: the database and the program keep working
GIB = 2**30


@dataclass(frozen=True)
class RetentionPolicy:
    daily: int = 7
    weekly: int = 4


class NotEnoughSpace(KnownError):
    """The backup folder's disk has too little room for a copy."""


def _day(b: BackupFile) -> date:
    return b.created.date()


def to_keep(backups: Iterable[BackupFile], policy: RetentionPolicy) -> set[Path]:
    """The ``daily`` backups the policy keeps (newest first per day and per week)."""
    newest_first = sorted((b for b in backups if b.reason == "daily"), key=lambda b: b.stamp, reverse=True)
    keep: set[Path] = set()
    days: list[date] = []
    weeks: list[tuple[int, int]] = []
    for b in newest_first:
        day = _day(b)
        if day not in days:
            days.append(day)
            if len(days) <= policy.daily:
                keep.add(b.path)
        week = tuple(day.isocalendar())[:2]
        if week not in weeks:
            weeks.append(week)  # type: ignore[arg-type]
            if len(weeks) <= policy.weekly:
                keep.add(b.path)
    return keep


def apply(folder: Path, policy: RetentionPolicy) -> list[Path]:
    """Remove the ``daily`` backups in ``folder`` the policy does not keep; returns them."""
    backups = list_backups_in(folder)
    keep = to_keep(backups, policy)
    removed = []
    for b in backups:
        if b.reason == "daily" and b.path not in keep:
            b.path.unlink(missing_ok=True)
            manifest_path(b.path).unlink(missing_ok=True)
            removed.append(b.path)
    return removed


def needed_bytes(database: Path) -> int:
    """What a copy of ``database`` takes: the file and its WAL."""
    size = 0
    for p in (database, Path(str(database) + "-wal")):
        try:
            size += p.stat().st_size
        except OSError:
            pass
    return size


def check_free_space(database: Path, folder: Path,
                     disk_usage: Callable[[Path], shutil._ntuple_diskusage] = shutil.disk_usage) -> None:
    """Raise ``NotEnoughSpace`` when ``folder``'s disk cannot take a copy of ``database`` and the margin."""
    folder.mkdir(parents=True, exist_ok=True)
    need = needed_bytes(database) + MARGIN_BYTES
    free = disk_usage(folder).free
    if free < need:
        raise NotEnoughSpace(
            f"备份盘剩余空间不足：本次备份约需 {need / GIB:.1f} GiB，备份文件夹所在磁盘仅剩 {free / GIB:.1f} GiB。"
            f"今天未备份，数据库未受影响。请清理该磁盘，或由管理员在“规则与期限 › 数据备份”中减少保留份数"
            f"（备份文件夹：{folder}）。")
