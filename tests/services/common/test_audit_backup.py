"""Audit chain tamper detection, and backup / restore round trips."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError

from baihe_desk.config import LocalSettings
from baihe_desk.models import AuditRecord, Case, Party
from baihe_desk.services.admin.demo import load_demo
from baihe_desk.services.admin.health import check_database
from baihe_desk.services.common import audit
from baihe_desk.storage.backup import backup_database, list_backups, prune, restore
from baihe_desk.storage.startup import open_database

DROP_AUDIT_TRIGGERS = "DROP TRIGGER audit_record_no_update; DROP TRIGGER audit_record_no_delete;"


def _fill(udb, n=5):
    with udb.transaction() as s:
        for i in range(n):
            audit.record(s, None, "test.event", entity="x", entity_id=str(i), after={"i": i, "名": "王堃"})


def test_chain_intact_then_edit_is_named(udb_sqlite, udata):
    _fill(udb_sqlite)
    with udb_sqlite.session() as s:
        assert audit.verify_chain(s) == []
    udb_sqlite.dispose()
    con = sqlite3.connect(udata.database)
    con.executescript(DROP_AUDIT_TRIGGERS)  # as a tamperer with the file would
    con.execute("UPDATE audit_record SET after='{\"i\": 99}' WHERE seq=3")
    con.commit()
    con.close()
    with udb_sqlite.session() as s:
        problems = audit.verify_chain(s)
    assert [p.seq for p in problems] == [3]
    assert "被修改" in problems[0].problem
    report = check_database(udb_sqlite)
    assert any("#3" in p for p in report.problems)


def test_deleted_record_is_named(udb_sqlite, udata):
    _fill(udb_sqlite)
    udb_sqlite.dispose()
    con = sqlite3.connect(udata.database)
    con.executescript(DROP_AUDIT_TRIGGERS)  # as a tamperer with the file would
    con.execute("DELETE FROM audit_record WHERE seq=2")
    con.commit()
    con.close()
    with udb_sqlite.session() as s:
        problems = audit.verify_chain(s)
    assert {p.seq for p in problems} == {3}
    assert any("删除" in p.problem for p in problems)


def test_backup_of_database_in_use_round_trips(udb_sqlite, udata, tmp_path):
    load_demo(udb_sqlite, cases=120, seed=7)
    # a writer keeps writing while the backup runs: the copy must still be consistent
    stop = threading.Event()

    def writer():
        while not stop.is_set():
            with udb_sqlite.transaction() as s:
                audit.record(s, None, "test.concurrent")

    t = threading.Thread(target=writer)
    t.start()
    try:
        out = backup_database(udb_sqlite, udata, reason="manual", out=tmp_path / "copy.sqlite3")
    finally:
        stop.set()
        t.join()
    con = sqlite3.connect(out)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    with udb_sqlite.session() as s:
        cases_before = sorted(map(str, s.scalars(select(Case.receipt_number))))
        parties_before = s.scalar(select(func.count()).select_from(Party))
    # wreck the live data, then restore
    with udb_sqlite.transaction() as s:
        for c in s.scalars(select(Case)).all()[:50]:
            s.delete(c)
    udb_sqlite.dispose()
    restore(udata, out)
    db2 = open_database(udata, LocalSettings())
    with db2.session() as s:
        assert sorted(map(str, s.scalars(select(Case.receipt_number)))) == cases_before
        assert s.scalar(select(func.count()).select_from(Party)) == parties_before
        assert audit.verify_chain(s) == []
    db2.dispose()
    assert any(b.reason == "before-restore" for b in list_backups(udata))


def test_retention_keeps_the_newest(udb_sqlite, udata):
    for _ in range(5):
        backup_database(udb_sqlite, udata, reason="startup")
    removed = prune(udata, LocalSettings(backup_keep_startup=2, backup_keep_daily=1))
    kept = [b for b in list_backups(udata) if b.reason == "startup"]
    assert len(kept) == 2 and len(removed) == 3
    assert all(not p.exists() for p in removed)


def test_the_database_refuses_to_edit_or_delete_audit_records(udb):
    """The triggers hold on both databases, whoever connects (a raw connection, not the desk's session)."""
    _fill(udb, 2)
    for sql in ("UPDATE audit_record SET username='x' WHERE seq=1", "DELETE FROM audit_record WHERE seq=2"):
        with udb.engine.connect() as con:
            with pytest.raises(DBAPIError, match="append-only"):
                con.exec_driver_sql(sql)
    with udb.session() as s:
        assert s.scalar(select(func.count()).select_from(AuditRecord)) >= 2
