"""Tamper-evident audit trail: `baihe-desk check` names an edited, a deleted, a cut-off and a rewritten record;
with the append-only triggers (the SQL proposed for the migration) the database refuses the edit outright,
and every workflow still works."""

from __future__ import annotations

import json
import sqlite3

import pytest
from sqlalchemy import select, update

from baihe_desk import cli
from baihe_desk.config import LocalSettings
from baihe_desk.errors import DatabaseError
from baihe_desk.models import AuditRecord, Case, Role
from baihe_desk.services.admin.backups import restore_database
from baihe_desk.services.admin.health import check_database
from baihe_desk.services.common import audit
from baihe_desk.services.common.numbering import assign_case_number
from baihe_desk.storage.audit_guard import APPEND_ONLY_SQLITE
from baihe_desk.storage.backup import backup_database
from tests.reliability.factories import make_case


def _work(db, users, n: int = 4) -> None:  # type: ignore[no-untyped-def]
    """Real audited work: cases, 案号."""
    clerk = users[Role.FILING_CLERK]
    for seed in range(n):
        cid = make_case(db, clerk, seed)
        with db.transaction() as s:
            assign_case_number(s, clerk, s.get(Case, cid), "民初", year=2025)


DROP_TRIGGERS = ("DROP TRIGGER IF EXISTS audit_record_no_update", "DROP TRIGGER IF EXISTS audit_record_no_delete")


def _sql(paths, *statements) -> None:  # type: ignore[no-untyped-def]
    """Change the file as a tamperer with the file in hand would: first the triggers go."""
    con = sqlite3.connect(paths.database)
    try:
        for st in (*DROP_TRIGGERS, *statements):
            con.execute(st)
        con.commit()
    finally:
        con.close()


def _check(paths, capsys) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    rc = cli.main(["--data-dir", str(paths.root), "check"])
    out, err = capsys.readouterr()
    return rc, out + err


def _last_seq(db) -> int:  # type: ignore[no-untyped-def]
    with db.session() as s:
        return s.scalar(select(AuditRecord.seq).order_by(AuditRecord.seq.desc()).limit(1))


def test_check_passes_on_an_untouched_database(db, paths, users, capsys):
    _work(db, users)
    rc, out = _check(paths, capsys)
    assert rc == 0 and "审计链：完整" in out and "检查通过" in out


def test_check_names_a_record_edited_directly_in_sqlite(db, paths, users, capsys):
    _work(db, users)
    db.dispose()
    _sql(paths, "UPDATE audit_record SET after = '{\"case_number\": \"（2025）吉7502民初999号\"}' WHERE seq = 5")
    rc, out = _check(paths, capsys)
    assert rc == 2 and "审计记录 #5" in out and "被修改" in out


def test_check_names_a_record_deleted_directly_in_sqlite(db, paths, users, capsys):
    _work(db, users)
    db.dispose()
    _sql(paths, "DELETE FROM audit_record WHERE seq = 4")
    rc, out = _check(paths, capsys)
    assert rc == 2 and "审计记录 #5" in out and "删除" in out  # the gap is named at the record after it


def test_check_names_the_newest_records_cut_off_using_the_backups(db, paths, users, capsys):
    _work(db, users)
    backup_database(db, paths, reason="startup")  # the app backs up at every start
    last = _last_seq(db)
    db.dispose()
    _sql(paths, f"DELETE FROM audit_record WHERE seq > {last - 2}")  # the chain that is left is intact
    rc, out = _check(paths, capsys)
    assert rc == 2 and f"审计记录 #{last}" in out and "已不存在" in out


def test_check_names_a_chain_rewritten_with_new_hashes(db, paths, users, capsys):
    _work(db, users)
    backup_database(db, paths, reason="startup")
    with db.session() as s:  # an insider recomputes every hash after changing record 3
        recs = list(s.scalars(select(AuditRecord).order_by(AuditRecord.seq)))
    prev = audit.GENESIS
    rows = []
    for r in recs:
        if r.seq == 3:
            r.after = {"forged": True}
        r.prev_hash = prev
        r.hash = audit._digest(r)
        prev = r.hash
        rows.append((json.dumps(r.after, ensure_ascii=False), r.prev_hash, r.hash, r.seq))
    db.dispose()
    con = sqlite3.connect(paths.database)
    for st in DROP_TRIGGERS:
        con.execute(st)
    con.executemany("UPDATE audit_record SET after = ?, prev_hash = ?, hash = ? WHERE seq = ?", rows)
    con.commit()
    con.close()
    with db.session() as s:  # without the installation's key the recomputed hashes do not verify
        assert {p.seq for p in audit.verify_chain(s)} >= {r.seq for r in recs}
    rc, out = _check(paths, capsys)
    assert rc == 2 and "工作台之外重新计算" in out and "被修改或替换" in out  # the backups' heads agree


# -- the append-only triggers proposed for the migration --------------------------------------------------

@pytest.fixture
def guarded(db, paths):
    """The migration installs the triggers (the same statements as audit_guard.APPEND_ONLY_SQLITE)."""
    con = sqlite3.connect(paths.database)
    names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    con.close()
    assert {"audit_record_no_update", "audit_record_no_delete"} <= names
    assert len(APPEND_ONLY_SQLITE) == 2
    return db


def test_triggers_refuse_edit_and_delete_even_from_the_sqlite_shell(guarded, paths, users):
    _work(guarded, users, 1)
    con = sqlite3.connect(paths.database)
    for statement in ("UPDATE audit_record SET action = 'x' WHERE seq = 1", "DELETE FROM audit_record",
                      "DELETE FROM audit_record WHERE seq = (SELECT max(seq) FROM audit_record)"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            con.execute(statement)
    con.close()
    with pytest.raises(DatabaseError) as info:  # through the app: a calm message
        with guarded.transaction() as s:
            s.execute(update(AuditRecord).where(AuditRecord.seq == 1).values(action="x"))
    assert getattr(info.value, "reason", None) == "append_only" and "只能追加" in info.value.message


def test_every_workflow_still_works_with_the_triggers(guarded, paths, users, capsys):
    from tests.reliability.crash_worker import TX_KINDS, Worker

    _work(guarded, users, 2)
    worker = Worker(guarded.url, str(paths.root / "w.log"), 3, str(paths.backups))
    for n, kind in enumerate(["intake", "rollback", "number", "intake", "backup"]):
        TX_KINDS[kind][1](worker, f"T.{n}")
    worker.db.dispose()
    rep = check_database(guarded)
    assert rep.problems == [] and "审计记录防改触发器：已启用" in rep.lines
    out = backup_database(guarded, paths, reason="manual")
    restore_database(paths, out, settings=LocalSettings(), actor=users[Role.ADMIN], db=guarded)
    rc, text = _check(paths, capsys)
    assert rc == 0 and "已启用" in text  # the restored copy keeps its triggers and its audit record
