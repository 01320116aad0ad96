"""Engine, session factory and SQLite pragmas.

SQLite runs with WAL, foreign keys on and synchronous=FULL. Write transactions start with
``BEGIN IMMEDIATE`` so two workstations (or threads) never deadlock on a lock upgrade and
counters such as case numbers stay gap-free; reads use a plain deferred ``BEGIN``. On PostgreSQL a
write transaction first takes one advisory lock (``WRITE_LOCK_KEY``): the same one-writer-at-a-time
order, which the hash-chained audit trail needs.
Operational errors become calm ``DatabaseError`` messages.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from baihe_desk.errors import ConflictError, DatabaseError, KnownError

WRITE_OPTION = "baihe_write"


# (reason, substrings of the driver message, calm message). The first match wins; every message says
# what happened, what the clerk can do, and that what was saved before is safe.
_CALM: list[tuple[str, tuple[str, ...], str]] = [
    ("append_only", ("audit_record is append-only",),
     "审计记录只能追加，不能修改或删除。本次操作未保存，已保存的数据不受影响。"),
    ("locked", ("database is locked", "table is locked", "schema is locked", "could not obtain lock",
                "lock timeout", "deadlock detected"),
     "数据库正被其他操作占用，请稍后再试。刚才的内容尚未保存，请勿关闭窗口，稍候重试即可。"),
    ("readonly", ("readonly database", "read-only transaction", "read-only file system"),
     "数据库文件为只读，无法保存。请检查数据文件夹的写入权限，或联系管理员。已保存的数据不受影响。"),
    ("full", ("database or disk is full", "disk is full", "no space left", "disk full"),
     "磁盘空间已满，无法保存。请清理磁盘后重试。刚才的内容尚未保存，已保存的数据不受影响。"),
    ("corrupt", ("malformed", "not a database", "file is encrypted", "database corruption"),
     "数据库文件已损坏或不是本系统的数据库。请不要继续使用，联系管理员从备份恢复（baihe-desk restore）。"),
    ("io", ("disk i/o error", "i/o error"),
     "读写数据库文件时出错（磁盘、U盘或网络连接可能有问题）。刚才的内容尚未保存，请检查后重试，已保存的数据不受影响。"),
    ("unreachable", ("could not connect", "connection refused", "server closed the connection",
                     "connection timed out", "could not translate host name", "terminating connection",
                     "network is unreachable", "connection to server on socket"),
     "无法连接数据库服务器。请检查网络或联系管理员；刚才的内容尚未保存，已保存的数据不受影响。"),
    ("cannot_open", ("unable to open",),
     "无法打开数据库文件。请检查数据文件夹是否存在、是否有权限访问。"),
]


def _sqlite_message(exc: BaseException) -> str | None:
    found = _classify(exc)
    return found[1] if found else None


def _classify(exc: BaseException) -> tuple[str, str] | None:
    text = str(getattr(exc, "orig", exc)).lower()
    for reason, needles, message in _CALM:
        if any(n in text for n in needles):
            return reason, message
    return None


def translate_db_error(exc: BaseException) -> DatabaseError | None:
    """Map a driver error to a calm DatabaseError, or None when it is not an environment problem.

    The result carries ``reason`` (``locked``, ``readonly``, ``full``, ``corrupt``, ``io``, ``unreachable``,
    ``cannot_open``, ``append_only``) so a view may offer the fitting next step (e.g. 重试 when locked).
    """
    if isinstance(exc, (OperationalError, sqlite3.OperationalError, sqlite3.DatabaseError, DBAPIError)):
        found = _classify(exc)
        if found:
            calm = DatabaseError(found[1])
            calm.reason = found[0]  # type: ignore[attr-defined]
            return calm
    return None


class Database:
    """One database: an engine plus a session factory. ``url`` may be SQLite or PostgreSQL."""

    def __init__(self, url: str, *, echo: bool = False):
        self.url = url
        self.engine: Engine = make_engine(url, echo=echo)
        self._factory = sessionmaker(self.engine, expire_on_commit=False)
        self._write_factory = sessionmaker(
            self.engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
        )

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def sqlite_path(self) -> Path | None:
        db = self.engine.url.database
        if not self.is_sqlite or not db or db == ":memory:":
            return None
        return Path(db)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A read session (deferred transaction); rolled back at the end."""
        with _closing(self._factory()) as s:
            yield s

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A write session: BEGIN IMMEDIATE, commit on success, roll back on any error."""
        with _closing(self._write_factory()) as s:
            yield s
            s.commit()

    def dispose(self) -> None:
        self.engine.dispose()


@contextmanager
def _closing(s: Session) -> Iterator[Session]:
    """Use ``s`` and close it; on an error roll back, and raise a locked, full or read-only database as its
    calm :class:`DatabaseError` (a failed commit included: it happens inside this block)."""
    from sqlalchemy.orm.exc import StaleDataError

    try:
        yield s
    except StaleDataError as exc:
        s.rollback()
        raise ConflictError("该记录刚被其他工作台修改，您这次的修改没有保存，以免覆盖对方的内容。请重新载入后再改。") from exc
    except Exception as exc:
        s.rollback()
        calm = translate_db_error(exc)
        if calm is not None:
            raise calm from exc
        raise
    finally:
        s.close()


def _clean_text_columns(session, _ctx, _instances) -> None:  # type: ignore[no-untyped-def]
    """No control character or lone surrogate reaches a text column (a surrogate cannot even be stored)."""
    from sqlalchemy import String, Text

    from baihe_desk.storage.text_columns import strip_control_chars

    for obj in (*session.new, *session.dirty):
        table = getattr(obj, "__table__", None)
        if table is None or table.name == "audit_record":
            continue
        for col in table.columns:
            if isinstance(col.type, (String, Text)):
                value = getattr(obj, col.key, None)
                if isinstance(value, str):
                    clean = strip_control_chars(value)
                    if clean != value:
                        setattr(obj, col.key, clean)


event.listen(Session, "before_flush", _clean_text_columns)


def sqlalchemy_url(url: str) -> str:
    """``postgresql://…`` (as an IT person writes it) → the psycopg 3 driver SQLAlchemy should use."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url[len("postgresql://"):]
    if url.startswith("postgresql+"):
        return url
    raise KnownError("服务器地址应以 postgresql:// 开头，例如 postgresql://baihe@10.0.0.5:5432/baihe。")


def make_engine(url: str, *, echo: bool = False) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, echo=echo, connect_args={"timeout": 10, "check_same_thread": False})
        _install_sqlite_hooks(engine)
        return engine
    # postgresql://… as an IT person writes it → the psycopg 3 driver (SQLAlchemy's default is psycopg2).
    engine = create_engine(sqlalchemy_url(url), echo=echo, pool_pre_ping=True)
    if engine.dialect.name == "postgresql":
        _install_postgresql_hooks(engine)
    return engine


# Write transactions on the server take this transaction-level advisory lock first, so they run one
# after another exactly as SQLite's BEGIN IMMEDIATE makes them: the audit chain (each record names the
# previous one) and the counters stay single-file, and no two writers can deadlock on them. Reads are
# never held up. A court's desks write a few times a minute; the lock is held for milliseconds.
WRITE_LOCK_KEY = 0x6261_6968  # "baih"


def _install_postgresql_hooks(engine: Engine) -> None:
    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # type: ignore[no-untyped-def]
        if conn.get_execution_options().get(WRITE_OPTION):
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")


def _install_sqlite_hooks(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's own handling is broken).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        try:
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=10000")
            if engine.url.database not in (None, "", ":memory:"):
                cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
        finally:
            cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # type: ignore[no-untyped-def]
        if conn.get_execution_options().get(WRITE_OPTION):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")
