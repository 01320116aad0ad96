"""院内数据库服务器 — setting up a PostgreSQL database for the desks of a court (``baihe-desk server init``).

What ``init_server`` checks and does, in this order, each failure a calm message saying what to do:

1. connects (host unreachable, wrong password, no such database: each its own message);
2. the server is PostgreSQL 14 or newer, the database is UTF8;
3. ``pg_trgm`` is installed and really makes trigrams of Chinese text: in a database whose ``LC_CTYPE`` is
   ``C`` it silently drops every Chinese character, so the search index would find no name. Such a
   database is refused before anything is created in it;
4. the schema: created, or upgraded, with the same Alembic history as the SQLite file (a database of a
   newer desk is refused, untouched);
5. the desks' own role (``baihe_desk_app`` unless named): it may read and write the business tables and
   append to the audit trail, but the database refuses it UPDATE, DELETE and TRUNCATE on ``audit_record``
   (a revoked grant; the append-only trigger of the migration stands behind it for everyone else).

The password is never a command-line argument: libpq's ``PGPASSWORD`` or ``~/.pgpass`` (``pgpass.conf``
on Windows), or the OS credential store for the desks themselves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from baihe_desk.errors import DatabaseError, KnownError, SchemaTooNew
from baihe_desk.storage.db import sqlalchemy_url, translate_db_error

MIN_SERVER_VERSION = 140000  # PostgreSQL 14
APP_ROLE = "baihe_desk_app"
TRIGRAM_PROBE = "张三丰"  # three CJK characters: a C-ctype database makes no trigram of them
_ROLE_RE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")

SETUP_HINT = ("请由数据库管理员用 UTF-8 区域设置新建数据库，例如："
              "CREATE DATABASE baihe TEMPLATE template0 ENCODING 'UTF8' "
              "LC_COLLATE 'zh_CN.UTF-8' LC_CTYPE 'zh_CN.UTF-8';（或 'C.UTF-8'），然后再运行 server init。")


@dataclass
class ServerReport:
    version: str
    encoding: str
    collate: str
    ctype: str
    revision_before: str | None
    revision: str
    app_role: str
    lines: list[str] = field(default_factory=list)


def connection_error(exc: BaseException) -> KnownError:
    """The calm message for a failed connection, by what the driver said."""
    text = str(getattr(exc, "orig", exc)).lower()
    if "password authentication failed" in text or "no password supplied" in text:
        return KnownError("数据库服务器拒绝了用户名或密码。请核对用户名，并通过 PGPASSWORD 或 pgpass 文件提供正确的密码。")
    if "does not exist" in text and "database" in text:
        return KnownError("服务器上没有这个数据库。" + SETUP_HINT)
    if "role" in text and "does not exist" in text:
        return KnownError("服务器上没有这个用户。请核对地址中的用户名，或请数据库管理员创建该用户。")
    calm = translate_db_error(exc)  # unreachable, locked, disk full …: the desk's own wording
    if calm is not None:
        return calm
    return KnownError(f"连接数据库服务器失败：{str(getattr(exc, 'orig', exc)).strip().splitlines()[0][:150]}")


def init_server(url: str, *, app_role: str = APP_ROLE) -> ServerReport:
    """Check the server and database, install pg_trgm, create or upgrade the schema, set up the desks' role."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import DBAPIError

    from baihe_desk.storage import migrate

    if not _ROLE_RE.match(app_role):
        raise KnownError("角色名只能由小写字母、数字和下划线组成，且不能以数字开头。")
    engine = create_engine(sqlalchemy_url(url))
    try:
        try:
            connection = engine.connect()
        except DBAPIError as exc:
            raise connection_error(exc) from exc
        with connection as con:
            version_num = int(con.execute(text("SHOW server_version_num")).scalar_one())
            version = str(con.execute(text("SHOW server_version")).scalar_one())
            if version_num < MIN_SERVER_VERSION:
                raise KnownError(f"数据库服务器版本过旧（PostgreSQL {version}），需要 PostgreSQL 14 或更高版本。")
            encoding, collate, ctype = con.execute(text(
                "SELECT pg_encoding_to_char(encoding), datcollate, datctype FROM pg_database "
                "WHERE datname = current_database()")).one()
            if encoding.upper() != "UTF8":
                raise KnownError(f"该数据库的编码是 {encoding}，不是 UTF8。" + SETUP_HINT)
            con.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
            trigrams = con.execute(text("SELECT cardinality(show_trgm(:probe))"), {"probe": TRIGRAM_PROBE}).scalar()
            if not trigrams:
                con.rollback()
                raise KnownError(f"该数据库的字符分类（LC_CTYPE = {ctype}）不识别汉字：pg_trgm 会丢弃全部中文，"
                                 "按姓名、地址的检索将找不到任何案件。未做任何改动。" + SETUP_HINT)
            con.commit()
        before = migrate.current_revision(engine)
        if before is not None and before not in migrate.known_revisions():
            raise SchemaTooNew(f"该数据库由更新版本的白河工作台创建（结构版本 {before}），本程序无法使用。"
                               "请安装最新版本后再试；数据未做任何改动。")
        if before is None and migrate.has_any_table(engine):
            raise DatabaseError("该数据库里已有其他程序的表（缺少白河工作台的结构版本信息），为避免损坏数据，未做任何改动。")
        migrate.upgrade(engine)
        with engine.begin() as con:
            _grant(con, app_role)
        report = ServerReport(version, encoding, collate, ctype, before, migrate.head_revision(), app_role)
    except DBAPIError as exc:
        raise connection_error(exc) from exc
    finally:
        engine.dispose()
    report.lines = [
        f"服务器：PostgreSQL {report.version}",
        f"数据库编码 {report.encoding}，排序规则 {report.collate}，字符分类 {report.ctype}（pg_trgm 可识别汉字）",
        f"结构版本：{report.revision_before or '（新建）'} → {report.revision}",
        f"工作台角色 {report.app_role}：可读写业务数据，审计记录只能追加（不能修改、删除、清空）",
    ]
    return report


def _grant(con, role: str) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    exists = con.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).scalar()
    if not exists:
        con.execute(text(f'CREATE ROLE "{role}" LOGIN'))
    database = con.execute(text("SELECT current_database()")).scalar_one()
    con.execute(text(f'GRANT CONNECT ON DATABASE "{database}" TO "{role}"'))
    con.execute(text(f'GRANT USAGE ON SCHEMA public TO "{role}"'))
    con.execute(text(f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}"'))
    con.execute(text(f'GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO "{role}"'))
    con.execute(text(f'REVOKE UPDATE, DELETE, TRUNCATE ON audit_record FROM "{role}"'))
    con.execute(text(f'REVOKE ALL ON alembic_version FROM "{role}"'))
    con.execute(text(f'GRANT SELECT ON alembic_version TO "{role}"'))
