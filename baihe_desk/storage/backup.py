"""备份与恢复 — consistent copies through SQLite's online backup API, with a retention rule.

A backup of a database in use is consistent (the backup API copies a snapshot page by page).
Kinds: ``daily`` (once a day, in the background some minutes after the desk started, at low priority;
no start and no command copies the file), ``pre-migration-*`` (before every migration, never
pruned), ``manual`` (on demand), ``before-restore``; ``startup`` files of older versions are still listed
and pruned. Retention: the newest ``backup_keep_startup`` startup backups; the daily backups by the court's
rule (7 daily, 4 weekly by default; ``storage/retention.py``).

Restoring (``restore`` for the file; :mod:`baihe_desk.services.admin.backups` adds the permission and the audit
record for the app and the CLI): the backup is
checked first (sound SQLite, a Baihe Desk database, a schema this program knows — a backup from a newer
version is refused before anything is touched); the current file is saved first (through the backup
API, or byte for byte as ``damaged-….sqlite3`` when it is too damaged for that — restoring a damaged
database is exactly when a restore is needed). This module knows files and SQLite, never users.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from baihe_desk.config import LocalSettings, Paths
from baihe_desk.errors import DatabaseError, KnownError, SchemaTooNew
from baihe_desk.storage.db import Database, translate_db_error
from baihe_desk.storage.encrypted import errors as db_errors
from baihe_desk.storage.encrypted import raw_connect

NAME_RE = re.compile(r"^baihe-desk-(\d{8}-\d{6}(?:-\d+)?)-(.+)\.sqlite3$")


@dataclass(frozen=True)
class BackupFile:
    path: Path
    stamp: str
    reason: str

    @property
    def day(self) -> str:
        return self.stamp[:8]

    @property
    def created(self) -> datetime:
        return datetime.strptime(self.stamp[:15], "%Y%m%d-%H%M%S")

    @property
    def size(self) -> int:
        try:
            return self.path.stat().st_size
        except OSError:
            return 0

    @property
    def label(self) -> str:
        """备份类型 in Chinese."""
        if self.reason.startswith("pre-migration"):
            return "升级前"
        return REASON_LABELS.get(self.reason, self.reason)


REASON_LABELS = {"startup": "启动时", "daily": "每日", "manual": "手动", "before-restore": "恢复前"}


def _fsync(path: Path) -> None:
    """Flush a finished file to the disk before it is renamed into place (a power cut keeps it whole)."""
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def _calm(exc: BaseException, what: str) -> DatabaseError:
    calm = translate_db_error(exc)
    err = DatabaseError(f"{what}：{calm.message}" if calm else f"{what}（{exc}）。原数据库未受影响。")
    err.reason = getattr(calm, "reason", "other")  # type: ignore[attr-defined]
    return err


def _copy(src: Path, dest: Path, *, checkpoint=None, before_publish=None) -> None:  # type: ignore[no-untyped-def]
    """Copy in ONE backup step: one read transaction, so the copy is a consistent snapshot and is
    not restarted by other connections' writes (in WAL mode they go on while it reads); stepping
    in chunks would start over after every write, and a busy court never stops writing for the
    minute a large file takes. ``checkpoint(target)``, called before the copy and again before the
    integrity check, lets a caller keep the target connection (to interrupt the check) or stop the
    backup by raising ``sqlite3.OperationalError``."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_suffix(".partial")
    source = raw_connect(src, read_only=True, timeout=30)
    try:
        target = raw_connect(tmp, check_same_thread=False)
        try:
            if checkpoint is not None:
                checkpoint(target)
            source.backup(target, pages=-1)
            if checkpoint is not None:
                checkpoint(target)  # a cancel during the copy stops here, before the check
            ok = target.execute("PRAGMA integrity_check").fetchone()[0]
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
    finally:
        source.close()
    if ok != "ok":
        tmp.unlink(missing_ok=True)
        raise DatabaseError(f"备份文件校验失败（{ok}），原数据库未受影响。")
    _fsync(tmp)
    if before_publish is not None:
        before_publish(tmp)  # e.g. the manifest: written before the backup appears under its name
    tmp.replace(dest)


MANIFEST_SUFFIX = ".manifest.json"


def manifest_path(backup: Path) -> Path:
    return Path(backup).with_name(Path(backup).name + MANIFEST_SUFFIX)


def _audit_head(path: Path) -> dict | None:
    con = raw_connect(path, read_only=True)
    try:
        row = con.execute("SELECT seq, hash FROM audit_record ORDER BY seq DESC LIMIT 1").fetchone()
    except db_errors():
        return None
    finally:
        con.close()
    return {"seq": int(row[0]), "hash": str(row[1])} if row else None


def write_manifest(backup: Path, *, content: Path | None = None) -> Path:
    """The backup's SHA-256 manifest beside it (readable by this account only), holding the audit
    chain's head as well: verified before a restore and by ``check``. ``content``: the file that will
    become ``backup`` (its ``.partial``), so the manifest exists before the backup does."""
    import json

    from baihe_desk.storage.audit_key import private_write

    source = Path(content or backup)
    data = {"file": Path(backup).name, "sha256": sha256_file(source), "size": source.stat().st_size,
            "audit_head": _audit_head(source), "created": datetime.now().isoformat(timespec="seconds")}
    out = manifest_path(backup)
    private_write(out, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
    return out


def verify_manifest(backup: Path) -> str | None:
    """None when the backup matches its manifest, else what is wrong (in Chinese)."""
    import json

    try:
        data = json.loads(manifest_path(backup).read_text(encoding="utf-8"))
    except OSError:
        return f"备份 {Path(backup).name} 没有校验清单（{manifest_path(backup).name}），无法确认它未被改动"
    except ValueError:
        return f"备份 {Path(backup).name} 的校验清单已损坏"
    if sha256_file(backup) != data.get("sha256"):
        return f"备份 {Path(backup).name} 与其校验清单的 SHA-256 不符（备份文件被改动）"
    return None




def backup_file(src: Path, out: Path, *, checkpoint=None) -> Path:  # type: ignore[no-untyped-def]
    """Copy the SQLite database ``src`` to ``out`` consistently (even while it is in use)."""
    if not src.exists():
        raise KnownError(f"找不到数据库文件：{src}")
    def publish(tmp: Path) -> None:
        # A backup never appears without its manifest (a kill in between would leave a backup that every
        # restore refuses): the manifest is written from the finished .partial, then the file is renamed.
        if os.name == "posix":
            tmp.chmod(0o600)  # a copy of every case: this account's only
        write_manifest(Path(out), content=tmp)

    try:
        _copy(src, out, checkpoint=checkpoint, before_publish=publish)
    except db_errors() as exc:
        Path(out).with_suffix(".partial").unlink(missing_ok=True)
        raise _calm(exc, "备份失败") from exc
    return out


def _stamped(paths: Paths, reason: str, stamp: str) -> Path:
    out = paths.backups / f"baihe-desk-{stamp}-{reason}.sqlite3"
    n = 1
    while out.exists():
        n += 1
        out = paths.backups / f"baihe-desk-{stamp}-{n}-{reason}.sqlite3"
    return out


def backup_database(db: Database, paths: Paths, *, reason: str = "manual", out: Path | None = None,
                    checkpoint=None) -> Path:  # type: ignore[no-untyped-def]
    src = db.sqlite_path
    if src is None:
        raise KnownError("当前使用的是数据库服务器（PostgreSQL），请由数据库管理员用 pg_dump 备份。")
    if out is None:
        out = _stamped(paths, reason, datetime.now().strftime("%Y%m%d-%H%M%S"))
    return backup_file(src, out, checkpoint=checkpoint)


def daily_backup_due(paths: Paths, today: str | None = None) -> bool:
    """No daily backup of ``today`` (YYYYMMDD, default: the local date) yet."""
    today = today or datetime.now().strftime("%Y%m%d")
    return not any(b.reason == "daily" and b.day == today for b in list_backups(paths))


def remove_stale_partials(paths: Paths, *, older_than_s: float = 3600.0) -> list[Path]:
    """Half-written copies (``*.partial``) left by a backup the program was closed during."""
    removed = []
    if paths.backups.exists():
        now = datetime.now().timestamp()
        for p in paths.backups.glob("*.partial*"):  # with its -wal/-shm (the copy takes the source's WAL mode)
            if now - _mtime(p) > older_than_s:
                p.unlink(missing_ok=True)
                removed.append(p)
    return removed


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def list_backups(paths: Paths) -> list[BackupFile]:
    """The backups of the data folder, newest first."""
    return list_backups_in(paths.backups)


def list_backups_in(folder: Path) -> list[BackupFile]:
    if not folder.exists():
        return []
    out = []
    for p in folder.iterdir():
        m = NAME_RE.match(p.name)
        if m:
            out.append(BackupFile(p, m.group(1), m.group(2)))
    return sorted(out, key=lambda b: (b.stamp, _mtime(b.path)), reverse=True)


def prune(paths: Paths, settings: LocalSettings) -> list[Path]:
    """The newest ``backup_keep_startup`` ``startup`` copies of older versions are kept; returns the files
    removed. The ``daily`` copies follow the court's retention rule (``storage/retention.py``, applied
    by the daily backup); pre-migration, manual and before-restore backups stay."""
    removed = []
    for b in [b for b in list_backups(paths) if b.reason == "startup"][settings.backup_keep_startup:]:
        b.path.unlink(missing_ok=True)  # list_backups: newest first
        manifest_path(b.path).unlink(missing_ok=True)
        removed.append(b.path)
    return removed


def check_backup(path: Path) -> str:
    """Refuse a file that is not a sound Baihe Desk database of a schema this program knows.

    Returns its schema revision.
    """
    from baihe_desk.storage import migrate

    if not path.exists():
        raise KnownError(f"找不到备份文件：{path}")
    try:
        conn = raw_connect(path, read_only=True)
        try:
            ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
            has_version = conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='alembic_version'"
            ).fetchone()[0]
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone() if has_version else None
        finally:
            conn.close()
    except db_errors() as exc:
        calm = translate_db_error(exc)
        raise DatabaseError("该文件不是有效的数据库备份" + (f"：{calm.message}" if calm else f"（{exc}）。")) from exc
    if ok != "ok":
        raise DatabaseError(f"备份文件已损坏（{ok}），未恢复。")
    if not has_version or revision is None:
        raise DatabaseError("该文件不是白河工作台的数据库备份，未恢复。")
    if revision[0] not in migrate.known_revisions():
        raise SchemaTooNew(f"该备份由更新版本的白河工作台创建（结构版本 {revision[0]}），本程序无法使用。"
                           "请安装最新版本后再恢复；当前数据库未做任何改动。")
    wrong = verify_manifest(path)
    if wrong:
        raise DatabaseError(f"{wrong}，未恢复。当前数据库未做任何改动。")
    return str(revision[0])


def _save_current(paths: Paths, target: Path) -> Path | None:
    """Keep the database that is about to be replaced: a checked backup, or a raw copy if it is damaged."""
    if not target.exists():
        return None
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    try:
        return backup_file(target, paths.backups / f"baihe-desk-{stamp}-before-restore.sqlite3")
    except DatabaseError:
        # too damaged for the backup API: keep it byte for byte (with its WAL) as evidence; not listed as
        # a backup, and check_backup would refuse it anyway
        paths.backups.mkdir(parents=True, exist_ok=True)
        raw = paths.backups / f"damaged-{stamp}.sqlite3"
        shutil.copyfile(target, raw)
        _fsync(raw)
        for suffix in ("-wal", "-shm"):
            side = Path(str(target) + suffix)
            if side.exists():
                shutil.copyfile(side, Path(str(raw) + suffix))
        return raw


LOCK_WAIT_S = 30.0  # how long a restore waits for another desk's save to finish


def _write_lock(target: Path):  # type: ignore[no-untyped-def]
    """Hold the database's write lock (BEGIN IMMEDIATE) so no other desk commits while the file is saved
    and replaced; None for a file too damaged to lock (nothing can write to it either)."""
    if not target.exists():
        return None
    try:
        lock = raw_connect(target, timeout=LOCK_WAIT_S)
        lock.isolation_level = None
        lock.execute("BEGIN IMMEDIATE")
    except db_errors() as exc:
        if any(w in str(exc).lower() for w in ("locked", "busy")):  # another desk kept writing for 30 s
            raise KnownError("另一台工作台正在保存，数据库暂时被占用；请稍后再恢复。当前数据库未做任何改动。") from exc
        return None
    return lock


def _release(lock) -> None:  # type: ignore[no-untyped-def]
    if lock is not None:
        try:
            lock.execute("ROLLBACK")
        except db_errors():
            pass
        lock.close()


def replace_database_file(paths: Paths, backup: Path, target: Path) -> Path | None:
    """Put ``backup`` in place of ``target`` (this process's connections closed); the replaced file is kept
    first. Another desk still writing (one that did not announce itself) loses nothing: the write lock is
    held from the safety copy to the replace, so its saves are either in the safety copy or refused after
    (it finds its file replaced when its next transaction begins, storage.presence). On Windows a file
    another process holds open cannot be replaced at all: the restore is refused with a message."""
    from baihe_desk.storage import audit_key

    tmp = target.with_suffix(".restoring")
    try:  # through the backup API: a -wal file beside the backup is read too, the copy is checked
        _copy(backup, tmp)
    except db_errors() as exc:
        tmp.unlink(missing_ok=True)
        raise _calm(exc, "恢复失败") from exc
    lock = None
    try:
        lock = _write_lock(target)
        safety = _save_current(paths, target)
        if os.name == "nt":  # a file open anywhere (our lock included) cannot be replaced there
            _release(lock)
            lock = None
        for suffix in ("-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        tmp.replace(target)
    except PermissionError as exc:
        tmp.unlink(missing_ok=True)
        raise KnownError("数据库文件正被其他程序（可能是另一台工作台）打开，无法替换；当前数据库未做任何改动。"
                         "请关闭其他工作台后再恢复。") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)  # e.g. a full disk while keeping the current file: nothing half-done stays
        raise
    finally:
        _release(lock)
    head = _audit_head(target)  # the anchor follows the restored chain on purpose
    if head is not None and audit_key.key_for_database(target) is not None:
        audit_key.write_anchor(audit_key.anchor_file(target), head["seq"], head["hash"], force=True)
    return safety


def restore(paths: Paths, backup: Path, *, target: Path | None = None) -> Path:
    """Replace the database with ``backup``. The current file is first saved as a backup itself.

    The caller must have closed every connection to the database (the app restarts after it).
    """
    backup = Path(backup)
    check_backup(backup)
    target = target or paths.database
    replace_database_file(paths, backup, target)
    return target


def sha256_file(path: Path) -> str:
    """SHA-256 of a file, read in 1 MiB pieces (the audit records name backups by it)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
