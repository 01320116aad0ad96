"""Alembic: upgrade head on an empty database equals the models; newer / foreign DBs are refused."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text

from baihe_desk.config import LocalSettings, Paths
from baihe_desk.errors import DatabaseError, SchemaTooNew
from baihe_desk.models import Base
from baihe_desk.storage import migrate
from baihe_desk.storage.backup import list_backups
from baihe_desk.storage.startup import open_database


def test_upgrade_head_on_empty_db_equals_models(udb):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with udb.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True, "include_name": migrate.include_name})
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == []
    assert migrate.current_revision(udb.engine) == migrate.head_revision()


def test_revisions_read_without_alembic_equal_alembics_own():
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate._config("sqlite://"))
    assert migrate.head_revision() == script.get_current_head()
    assert migrate.known_revisions() == {s.revision for s in script.walk_revisions()}
    assert migrate._revision_graph() == {s.revision: s.down_revision for s in script.walk_revisions()}


def test_sqlite_pragmas_are_set(udb_sqlite):
    with udb_sqlite.session() as s:
        assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert s.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL


def test_newer_schema_is_refused_untouched(udata):
    db = open_database(udata, LocalSettings())
    db.dispose()
    con = sqlite3.connect(udata.database)
    con.execute("UPDATE alembic_version SET version_num='9999_from_the_future'")
    con.commit()
    con.close()
    before = udata.database.read_bytes()
    with pytest.raises(SchemaTooNew) as exc:
        open_database(udata, LocalSettings())
    assert "更新版本" in exc.value.message
    assert udata.database.read_bytes() == before


def test_foreign_database_is_refused(udata):
    con = sqlite3.connect(udata.database)
    con.execute("CREATE TABLE something(x)")
    con.commit()
    con.close()
    with pytest.raises(DatabaseError, match="不是白河工作台的数据库"):
        open_database(udata, LocalSettings())


def test_opening_copies_nothing_unless_asked_for_the_daily_backup(udata: Paths):
    open_database(udata, LocalSettings()).dispose()
    assert list_backups(udata) == []  # a new database has nothing to back up
    for _ in range(3):  # commands and starts: no whole-file copy each time (issue 17)
        open_database(udata, LocalSettings()).dispose()
    assert list_backups(udata) == []
    open_database(udata, LocalSettings(), startup_backup=True).dispose()
    open_database(udata, LocalSettings(), startup_backup=True).dispose()
    assert [b.reason for b in list_backups(udata)] == ["daily"]  # once a day


def test_pending_migration_backs_up_before_migrating(udata: Paths, monkeypatch):
    open_database(udata, LocalSettings()).dispose()
    calls = []

    def fake_upgrade(engine, target="head"):
        # the pre-migration backup must already exist when the migration runs
        calls.append(sorted(b.reason for b in list_backups(udata)))

    known, current = migrate.known_revisions(), migrate.head_revision()
    monkeypatch.setattr(migrate, "head_revision", lambda: "9998_next")
    monkeypatch.setattr(migrate, "known_revisions", lambda: known | {"9998_next"})
    monkeypatch.setattr(migrate, "upgrade", fake_upgrade)
    open_database(udata, LocalSettings()).dispose()
    assert calls == [[f"pre-migration-{current}"]]
