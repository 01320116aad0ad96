"""Backups: consistent while another process writes; restore from the CLI and through restore_database
(what the app's dialog calls) gives back identical data, table by table; bad backups are refused first."""

from __future__ import annotations

import sqlite3
import time

import pytest
from sqlalchemy import select

from baihe_desk import cli
from baihe_desk.config import LocalSettings
from baihe_desk.errors import DatabaseError, PermissionDenied, SchemaTooNew
from baihe_desk.models import AuditRecord, Case, Role
from baihe_desk.services.admin import court
from baihe_desk.services.admin.backups import backup_now, restore_database
from baihe_desk.services.common import audit
from baihe_desk.services.common.numbering import assign_case_number
from baihe_desk.services.filing.service_address import import_intake_addresses
from baihe_desk.storage.backup import backup_database, list_backups
from baihe_desk.storage.startup import open_database
from tests.reliability import crash_harness, crash_worker
from tests.reliability.crash_checks import read_reports, verify
from tests.reliability.factories import assert_same_data, checkpoint, make_case, table_rows


def _rich_data(db, users) -> list:  # type: ignore[no-untyped-def]
    """Cases with parties, agents, addresses, service addresses, 案号, audit records, counters."""
    clerk, admin = users[Role.FILING_CLERK], users[Role.ADMIN]
    ids = [make_case(db, clerk, seed, parties=2 + seed % 3) for seed in range(6)]
    with db.transaction() as s:
        for cid in ids[:3]:
            case = s.get(Case, cid)
            import_intake_addresses(s, clerk, case)
            assign_case_number(s, clerk, case, "民初", year=2025)
        court.save_profile(s, admin, name="吉林省白河林区基层法院", code="吉7502", address="二道白河镇")
    return ids


def test_backup_of_a_database_another_process_is_writing_is_consistent(tmp_path, figures):
    root = tmp_path / "live"
    url = crash_harness.prepare(root)
    ctx = crash_harness.context()
    ready = ctx.Event()
    log = root / "writer.log"
    proc = ctx.Process(target=crash_worker.worker, args=(url, str(log), 5, "W", str(root / "backups"), ready))
    proc.start()
    checked = 0
    try:
        assert ready.wait(60)
        from baihe_desk.config import Paths
        from baihe_desk.storage.db import Database

        live = Database(url)
        paths = Paths(root)
        for i in range(8):
            time.sleep(0.15)
            before = read_reports([log])  # reported committed before the backup began: must be in it
            out = backup_database(live, paths, reason="manual", out=root / "backups" / f"copy-{i}.sqlite3")
            assert proc.exitcode is None, "the writer stopped: the backup disturbed it"
            v = verify(f"sqlite:///{out.as_posix()}", before, kills=10**6, backups=root / "backups")
            assert v.lost == 0 and v.half_applied == 0 and v.cases >= len(before.committed) // 2
            checked += 1
        live.dispose()
    finally:
        proc.kill()
        proc.join(10)
    writes = len(read_reports([log]).committed)
    figures["backup while writing"] = f"{checked} backups of a database another process was writing " \
                                      f"({writes} transactions meanwhile), each consistent"
    assert checked == 8 and writes > 20


def test_cli_backup_and_restore_round_trip_gives_identical_data(db, paths, users, capsys, monkeypatch, password):
    _rich_data(db, users)
    out = paths.root.parent / "manual-copy.sqlite3"
    admin = ["--user", users[Role.ADMIN].username]
    monkeypatch.setenv("BAIHE_DESK_PASSWORD", password)
    assert cli.main(["--data-dir", str(paths.root), "backup", *admin, "--out", str(out)]) == 0
    snapshot = table_rows(out)
    # the work goes on: a new case, a deleted one, a changed court profile
    new = make_case(db, users[Role.FILING_CLERK], 99)
    with db.transaction() as s:
        s.delete(s.scalars(select(Case).where(Case.case_number.is_(None))).first())
        court.save_profile(s, users[Role.ADMIN], name="吉林省白河林区基层法院", code="吉7502", address="改了")
    assert table_rows(paths.database) != snapshot
    db.dispose()
    assert cli.main(["--data-dir", str(paths.root), "restore", *admin, str(out)]) == 0
    assert "已从" in capsys.readouterr().out
    assert_same_data(paths.database, out)
    saved = [b for b in list_backups(paths) if b.reason == "before-restore"]
    assert len(saved) == 1  # the replaced database was kept, with the work done after the backup
    con = sqlite3.connect(saved[0].path)
    assert con.execute("SELECT count(*) FROM \"case\" WHERE id = ?", (new.hex,)).fetchone()[0] == 1
    con.close()


def test_restore_database_gives_identical_data_and_records_the_restore(db, paths, users):
    ids = _rich_data(db, users)
    admin = users[Role.ADMIN]
    out = backup_now(db, paths, admin)
    snapshot_path = paths.root.parent / "snapshot.sqlite3"
    snapshot_path.write_bytes(out.read_bytes())
    with db.transaction() as s:
        s.delete(s.get(Case, ids[-1]))
    result = restore_database(paths, out, settings=LocalSettings(), actor=admin, db=db)
    assert result.safety_copy is not None and result.safety_copy.exists()
    assert_same_data(paths.database, snapshot_path)
    again = open_database(paths, LocalSettings(), backup=False)
    try:
        with again.session() as s:
            assert audit.verify_chain(s) == []
            last = s.scalars(select(AuditRecord).order_by(AuditRecord.seq.desc())).first()
            assert last.action == "database.restore" and last.username == admin.username
            assert last.after["from"] == out.name and last.after["safety_copy"] == result.safety_copy.name
            assert s.get(Case, ids[-1]) is not None
    finally:
        again.dispose()


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.ADMIN])
def test_only_the_administrator_may_back_up_or_restore(db, paths, users, role):
    make_case(db, users[Role.FILING_CLERK], 1)
    good = backup_database(db, paths, reason="manual")
    checkpoint(paths.database)
    before = table_rows(paths.database)
    with pytest.raises(PermissionDenied):
        backup_now(db, paths, users[role])
    with pytest.raises(PermissionDenied):
        restore_database(paths, good, actor=users[role], db=db)
    after = table_rows(paths.database)
    assert after["case"] == before["case"]
    denied = [r for r in after["audit_record"] if r not in before["audit_record"]]
    assert len(denied) == 2 and all("permission.denied" in repr(r) and "backup.run" in repr(r) for r in denied)


def test_a_backup_from_a_newer_version_or_a_broken_file_is_refused_before_anything_changes(db, paths, users,
                                                                                           tmp_path):
    make_case(db, users[Role.FILING_CLERK], 1)
    good = backup_database(db, paths, reason="manual")
    checkpoint(paths.database)
    before = paths.database.read_bytes()
    newer = tmp_path / "newer.sqlite3"
    newer.write_bytes(good.read_bytes())
    con = sqlite3.connect(newer)
    con.execute("UPDATE alembic_version SET version_num = 'ffffffffffff'")
    con.commit()
    con.close()
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    foreign = tmp_path / "foreign.sqlite3"
    sqlite3.connect(foreign).execute("CREATE TABLE t(x)").connection.close()
    for bad, error, words in ((newer, SchemaTooNew, "更新版本"), (broken, DatabaseError, "备份"),
                              (foreign, DatabaseError, "不是白河工作台")):
        with pytest.raises(error) as info:
            restore_database(paths, bad, actor=users[Role.ADMIN], db=db)
        assert words in info.value.message
        assert paths.database.read_bytes() == before
        assert cli.main(["--data-dir", str(paths.root), "restore", str(bad)]) == 1
        assert paths.database.read_bytes() == before
    with db.session() as s:
        assert len(s.scalars(select(Case)).all()) == 1
