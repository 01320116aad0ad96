"""Opening the database at start: back up, migrate, refuse a database from a newer version."""

from __future__ import annotations

import logging

from baihe_desk.config import LocalSettings, Paths, database_url
from baihe_desk.errors import DatabaseError, SchemaTooNew
from baihe_desk.storage.db import Database, translate_db_error

log = logging.getLogger(__name__)


def open_database(paths: Paths, settings: LocalSettings | None = None, *, migrate: bool = True,
                  backup: bool = True) -> Database:
    """Open (and create or upgrade) the database the settings point at.

    SQLite: the file is backed up first (startup backup, and a pre-migration backup when a
    migration is pending). A database written by a newer Baihe Desk is refused, untouched.
    """
    from baihe_desk.storage import migrate as mig

    paths.ensure()
    url = database_url(paths, settings)
    db = Database(url)
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

            bk.backup_database(db, paths, reason="startup")
            if current != head:
                bk.backup_database(db, paths, reason=f"pre-migration-{current}")
            bk.prune(paths, settings or LocalSettings())
        if migrate and current != head:
            log.info("migrating database from %s to %s", current, head)
            mig.upgrade(db.engine)
    except (SchemaTooNew, DatabaseError):
        raise
    except Exception as exc:
        calm = translate_db_error(exc)
        db.dispose()
        if calm is not None:
            raise calm from exc
        raise
    return db
