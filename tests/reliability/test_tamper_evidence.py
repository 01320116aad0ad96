"""Issue 17, tamper evidence an attacker holding the file cannot repair: ``check`` fails, naming what it
found, after the newest records are cut off (no backup needed: the anchor beside the file), after a
forged record is appended with a recomputed hash (the chain is keyed), after a trigger is dropped, and
after a backup is altered (its SHA-256 manifest) — and such a backup is not restored."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import sys
import uuid

import pytest
from sqlalchemy import select

from baihe_desk.errors import DatabaseError
from baihe_desk.models import AuditRecord, Case, Role
from baihe_desk.services.admin.backups import restore_database
from baihe_desk.services.common import audit
from baihe_desk.storage import audit_key
from baihe_desk.storage.backup import backup_database, manifest_path
from tests.reliability.factories import checkpoint, make_case
from tests.reliability.test_audit_trail import _check, _last_seq, _sql, _work


def test_untouched_database_passes_with_key_anchor_and_manifests(db, paths, users, capsys):
    _work(db, users)
    backup_database(db, paths, reason="manual")
    db.dispose()
    rc, out = _check(paths, capsys)
    assert rc == 0, out
    assert "锚点文件核对：一致" in out and "备份校验清单：1/1 个一致" in out


def test_cutting_off_the_newest_records_without_any_backup_is_found(db, paths, users, capsys):
    _work(db, users)
    last = _last_seq(db)
    db.dispose()
    assert not list(paths.backups.glob("*.sqlite3"))  # nothing to compare with but the anchor
    _sql(paths, f"DELETE FROM audit_record WHERE seq > {last - 3}")
    rc, out = _check(paths, capsys)
    assert rc == 2 and f"审计记录 #{last}" in out and "截去" in out


def test_a_forged_record_appended_with_a_recomputed_hash_is_found(db, paths, users, capsys):
    _work(db, users)
    with db.session() as s:
        head = s.scalars(select(AuditRecord).order_by(AuditRecord.seq.desc()).limit(1)).one()
        seq, prev = head.seq, head.hash
    db.dispose()
    # the attacker cuts the newest record and appends their own, hashed the way the code shows (SHA-256)
    forged = AuditRecord(id=uuid.uuid4(), seq=seq, at=head.at, user_id=None, username="admin", action="case.delete",
                         entity="case", entity_id="x", before=None, after={"ok": True}, prev_hash=head.prev_hash)
    text = json.dumps({"seq": forged.seq, "at": forged.at.isoformat(), "user_id": None, "username": "admin",
                       "action": "case.delete", "entity": "case", "entity_id": "x", "before": None,
                       "after": {"ok": True}, "prev_hash": forged.prev_hash},
                      ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert digest != prev
    _sql(paths, f"DELETE FROM audit_record WHERE seq = {seq}")
    con = sqlite3.connect(paths.database)
    at = con.execute("SELECT at FROM audit_record WHERE seq = ?", (seq - 1,)).fetchone()[0]
    con.execute("INSERT INTO audit_record (id, seq, at, user_id, username, action, entity, entity_id, before, "
                "after, prev_hash, hash) VALUES (?, ?, ?, NULL, 'admin', 'case.delete', 'case', 'x', 'null', ?, ?, ?)",
                (forged.id.hex, seq, at, json.dumps({"ok": True}), forged.prev_hash, digest))
    con.commit()
    con.close()
    rc, out = _check(paths, capsys)
    assert rc == 2 and f"审计记录 #{seq}" in out and "工作台之外重新计算" in out
    assert "与锚点文件不符" in out


def test_dropping_a_trigger_alone_fails_check(db, paths, users, capsys):
    _work(db, users, 1)
    db.dispose()
    con = sqlite3.connect(paths.database)
    con.execute("DROP TRIGGER audit_record_no_delete")
    con.commit()
    con.close()
    rc, out = _check(paths, capsys)
    assert rc == 2 and "防改触发器缺失" in out


def test_deleting_the_anchor_fails_check(db, paths, users, capsys):
    _work(db, users, 1)
    db.dispose()
    audit_key.anchor_file(paths.database).unlink()
    rc, out = _check(paths, capsys)
    assert rc == 2 and "锚点文件" in out and "缺失" in out


def test_an_altered_backup_fails_check_and_is_not_restored(db, paths, users, capsys):
    make_case(db, users[Role.FILING_CLERK], 1)
    good = backup_database(db, paths, reason="manual")
    altered = backup_database(db, paths, reason="manual")
    con = sqlite3.connect(altered)
    con.execute("UPDATE party SET id_number = '110101199003070000'")  # a backup edited in a shell
    con.commit()
    con.close()
    checkpoint(paths.database)
    before = paths.database.read_bytes()
    with pytest.raises(DatabaseError, match="SHA-256 不符"):
        restore_database(paths, altered, actor=users[Role.ADMIN], db=db)
    assert paths.database.read_bytes() == before  # nothing replaced
    manifest_path(good).unlink()
    rc, out = _check(paths, capsys)
    assert rc == 2 and altered.name in out and "SHA-256 不符" in out and "没有校验清单" in out


def test_a_backup_with_a_wal_file_restores_its_committed_rows(db, paths, users, tmp_path):
    """The restore reads through SQLite's backup API: rows still in a -wal file beside it are kept."""
    make_case(db, users[Role.FILING_CLERK], 1)
    source = tmp_path / "wal-copy.sqlite3"
    backup_database(db, paths, reason="manual", out=source)
    con = sqlite3.connect(source)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA wal_autocheckpoint=0")
    con.execute("CREATE TABLE IF NOT EXISTS wal_marker(x)")
    con.execute("INSERT INTO wal_marker VALUES (42)")
    con.commit()
    assert os.path.getsize(str(source) + "-wal") > 0  # the committed row lives in the WAL only
    from baihe_desk.storage.backup import write_manifest

    write_manifest(source)
    restore_database(paths, source, actor=users[Role.ADMIN], db=db)
    con.close()
    restored = sqlite3.connect(paths.database)
    assert restored.execute("SELECT x FROM wal_marker").fetchone() == (42,)
    restored.close()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes; Windows relies on the per-user folder's ACL")
def test_key_and_anchor_are_readable_by_the_desk_account_only(db, paths):
    with db.transaction() as s:
        audit.record(s, None, "test.write")
    for path in (audit_key.key_file(paths.database), audit_key.anchor_file(paths.database)):
        assert path.stat().st_mode & 0o777 == 0o600, path
    assert audit_key.key_file(paths.database).parent.stat().st_mode & 0o777 == 0o700


@pytest.mark.parametrize("statement, what", [
    ("UPDATE party SET id_number = '110101199003071234' WHERE rowid = (SELECT min(rowid) FROM party)", "ID number"),
    ("UPDATE party SET phone = '13800000000' WHERE rowid = (SELECT min(rowid) FROM party)", "phone"),
    ("UPDATE \"case\" SET case_number = '（2025）吉7502民初999号' WHERE rowid = (SELECT min(rowid) FROM \"case\" WHERE case_number IS NOT NULL)", "case number"),
    ("UPDATE \"case\" SET claim_amount = '1.00'", "amount"),
    ("DELETE FROM address", "address deleted"),
    ("UPDATE app_user SET role = 'ADMIN' WHERE username = 't_mediator'", "a user made administrator"),
    ("UPDATE app_user SET role = 'admin' WHERE username = 't_mediator'", "a role no desk writes"),
])
def test_a_case_party_or_user_row_edited_outside_the_desk_is_named(db, paths, users, capsys, statement, what):
    _work(db, users, 2)
    with db.session() as s:
        case_ids = {str(c) for c in s.scalars(select(Case.id))}
    db.dispose()
    rc, out = _check(paths, capsys)
    assert rc == 0, out  # untouched: every snapshot agrees
    con = sqlite3.connect(paths.database)
    changed = con.execute(statement).rowcount
    con.commit()
    con.close()
    assert changed > 0, what
    rc, out = _check(paths, capsys)
    assert rc == 2 and "在工作台之外" in out, what
    named = [line for line in out.splitlines() if "在工作台之外" in line]
    assert all(any(cid in line for cid in case_ids) or "用户" in line for line in named), named


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes; Windows relies on the per-user folder's ACL")
def test_data_folder_database_and_backups_are_private(db, paths, users):
    make_case(db, users[Role.FILING_CLERK], 1)
    out = backup_database(db, paths, reason="manual")
    for folder in (paths.root, paths.backups, paths.documents, paths.drafts, paths.logs):
        assert folder.stat().st_mode & 0o777 == 0o700, folder
    for f in (paths.database, out, manifest_path(out)):
        assert f.stat().st_mode & 0o777 == 0o600, f
