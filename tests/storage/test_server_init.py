"""``baihe-desk server init`` against the real PostgreSQL server the tests start (tests/pg_server.py)."""

from __future__ import annotations

import psycopg
import pytest

from baihe_desk.errors import KnownError
from baihe_desk.storage import migrate
from baihe_desk.storage.db import sqlalchemy_url
from baihe_desk.storage.server import init_server


@pytest.fixture
def empty_db(pg_server):
    """A new, empty UTF-8 database (no schema): what a court's IT person creates for the desks."""
    name = "init_utf8"
    pg_server.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    pg_server.execute(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' "
                      f"LC_CTYPE 'C.UTF-8'")
    yield pg_server.url(name).replace("+psycopg", "")
    pg_server.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _plain(url: str, user: str | None = None) -> str:
    if user is None:
        return url
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{user}@{rest.split('@', 1)[1]}"


def test_init_creates_the_schema_the_extension_and_a_role_that_cannot_rewrite_the_audit_trail(empty_db):
    report = init_server(empty_db)
    assert report.revision_before is None and report.revision == migrate.head_revision()
    assert report.lines and "PostgreSQL" in report.lines[0]
    with psycopg.connect(empty_db, autocommit=True) as con:
        assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == migrate.head_revision()
        assert con.execute("SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'").fetchone()
        assert con.execute("SELECT cardinality(show_trgm('张三丰'))").fetchone()[0] > 0
    # The desks' role: it writes business rows and appends audit records, but cannot change them.
    with psycopg.connect(_plain(empty_db, "baihe_desk_app"), autocommit=True) as app:
        app.execute("INSERT INTO setting (key, value, note) VALUES ('probe', '1', '')")
        app.execute("UPDATE setting SET value = '2' WHERE key = 'probe'")
        for statement in ("UPDATE audit_record SET username = 'x'", "DELETE FROM audit_record",
                          "TRUNCATE audit_record", "DROP TABLE \"case\""):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                app.execute(statement)


def test_init_twice_is_harmless(empty_db):
    init_server(empty_db)
    again = init_server(empty_db)
    assert again.revision_before == again.revision == migrate.head_revision()


def test_a_database_whose_ctype_drops_chinese_is_refused_untouched(pg_server):
    name = "init_c_locale"
    pg_server.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    pg_server.execute(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'")
    url = pg_server.url(name).replace("+psycopg", "")
    try:
        with pytest.raises(KnownError) as refused:
            init_server(url)
        assert "LC_CTYPE = C" in refused.value.message and "CREATE DATABASE" in refused.value.message
        with psycopg.connect(url, autocommit=True) as con:
            tables = con.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0]
            ext = con.execute("SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'").fetchone()[0]
        assert (tables, ext) == (0, 0)
    finally:
        pg_server.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_a_missing_database_and_an_unreachable_server_get_calm_messages(pg_server, tmp_path):
    missing = pg_server.url("no_such_db").replace("+psycopg", "")
    with pytest.raises(KnownError, match="没有这个数据库"):
        init_server(missing)
    nowhere = f"postgresql://postgres@/baihe?host={tmp_path / 'no-socket-here'}&connect_timeout=2"
    with pytest.raises(KnownError, match="无法连接数据库服务器"):
        init_server(nowhere)


def test_a_database_with_foreign_tables_is_left_alone(empty_db):
    with psycopg.connect(empty_db, autocommit=True) as con:
        con.execute("CREATE TABLE someone_elses (id int)")
    with pytest.raises(KnownError, match="其他程序的表"):
        init_server(empty_db)


def test_urls_as_it_staff_write_them():
    assert sqlalchemy_url("postgresql://baihe@10.0.0.5/baihe") == "postgresql+psycopg://baihe@10.0.0.5/baihe"
    assert sqlalchemy_url("postgres://h/db") == "postgresql+psycopg://h/db"
    with pytest.raises(KnownError):
        sqlalchemy_url("mysql://h/db")


def test_the_command_line_prints_what_it_did(empty_db, capsys):
    from baihe_desk import cli

    assert cli.main(["server", "init", empty_db]) == 0
    out = capsys.readouterr().out
    assert f"结构版本：（新建） → {migrate.head_revision()}" in out
    assert "baihe_desk_app" in out
