"""Issue 17, the keyed audit chain on both databases the desk supports: on the SQLite file (key in the data
folder, anchor beside the file) and on the PostgreSQL server (the key file the court's IT gives every desk,
``BAIHE_DESK_AUDIT_KEY_FILE``; each desk anchors the head it wrote beside it). ``check`` fails, naming what
it found, after a record is recomputed without the key, the newest records are cut off, a trigger is
dropped, or a party row is edited — each done with raw SQL as someone with database access would."""

from __future__ import annotations

import hashlib
import json
import uuid

import pytest
from sqlalchemy import insert, select

from baihe_desk.models import AuditRecord, Case, Role
from baihe_desk.services.admin.health import check_database
from baihe_desk.services.common import audit
from baihe_desk.services.common.numbering import assign_case_number
from baihe_desk.storage import audit_key
from tests.reliability.factories import make_case

DROP = {"sqlite": ("DROP TRIGGER IF EXISTS audit_record_no_update", "DROP TRIGGER IF EXISTS audit_record_no_delete"),
        "postgresql": ("DROP TRIGGER IF EXISTS audit_record_no_update ON audit_record",
                       "DROP TRIGGER IF EXISTS audit_record_no_delete ON audit_record")}


@pytest.fixture
def keyed(udb, uusers, tmp_path, monkeypatch):
    """The database with its key: the SQLite file has one from its first open; the server gets a key file
    now (records after the current head are keyed), as the court's IT would hand it to every desk."""
    if not udb.is_sqlite:
        with udb.session() as s:
            head = s.execute(select(AuditRecord.seq, AuditRecord.hash).order_by(AuditRecord.seq.desc()).limit(1)).first()
        key_path = tmp_path / "server" / "audit-chain.key"
        audit_key.create_key_file(key_path, (head[0], head[1]) if head else None)
        monkeypatch.setenv(audit_key.SERVER_KEY_ENV, str(key_path))
    clerk = uusers[Role.FILING_CLERK]
    for seed in range(3):
        cid = make_case(udb, clerk, seed)
        with udb.transaction() as s:
            assign_case_number(s, clerk, s.get(Case, cid), "民初", year=2025)
    with udb.session() as s:
        key = audit_key.key_for_bind(s.get_bind())
        last = s.scalars(select(AuditRecord).order_by(AuditRecord.seq.desc()).limit(1)).one()
    assert key is not None and key.anchor is not None and last.seq >= key.keyed_from
    assert audit_key.read_anchor(key.anchor) == {"seq": last.seq, "hash": last.hash}
    return udb


def _raw(db, *statements: str) -> None:  # type: ignore[no-untyped-def]
    with db.engine.begin() as conn:
        for st in (*DROP[db.engine.dialect.name], *statements):
            conn.exec_driver_sql(st)


def _problems(db) -> list[str]:  # type: ignore[no-untyped-def]
    return check_database(db).problems


def test_untouched_keyed_chain_passes_with_its_anchor(keyed):
    report = check_database(keyed)
    assert report.problems == []
    assert any("锚点文件核对：一致" in line for line in report.lines), report.lines


def test_a_record_recomputed_without_the_key_is_found(keyed):
    with keyed.session() as s:
        last = s.scalars(select(AuditRecord).order_by(AuditRecord.seq.desc()).limit(1)).one()
        seq, prev, at = last.seq, last.prev_hash, last.at
    forged = {"seq": seq, "at": at.isoformat(), "user_id": None, "username": "admin", "action": "case.delete",
              "entity": "case", "entity_id": "x", "before": None, "after": {"ok": True}, "prev_hash": prev}
    digest = hashlib.sha256(json.dumps(forged, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
                            .encode("utf-8")).hexdigest()  # the plain chain anyone can recompute
    _raw(keyed, f"DELETE FROM audit_record WHERE seq = {seq}")
    with keyed.engine.begin() as conn:
        conn.execute(insert(AuditRecord.__table__).values(
            id=uuid.uuid4(), seq=seq, at=at, user_id=None, username="admin", action="case.delete", entity="case",
            entity_id="x", before=None, after={"ok": True}, prev_hash=prev, hash=digest))
    problems = _problems(keyed)
    assert any(f"审计记录 #{seq}" in p and "工作台之外重新计算" in p for p in problems), problems
    assert any("与锚点文件不符" in p for p in problems), problems


def test_cutting_off_the_newest_records_is_found_by_the_anchor(keyed):
    with keyed.session() as s:
        last = audit.count(s)
        top = s.scalar(select(AuditRecord.seq).order_by(AuditRecord.seq.desc()).limit(1))
    _raw(keyed, f"DELETE FROM audit_record WHERE seq > {top - 2}")
    problems = _problems(keyed)
    assert last > 3 and any(f"审计记录 #{top}" in p and "截去" in p for p in problems), problems


def test_a_dropped_trigger_fails_check(keyed):
    _raw(keyed)  # the triggers only
    assert any("防改触发器缺失" in p for p in _problems(keyed))


def test_a_party_row_edited_outside_the_desk_is_named(keyed):
    with keyed.session() as s:
        case_id = s.scalars(select(Case.id).order_by(Case.receipt_number).limit(1)).one()
    where = case_id.hex if keyed.is_sqlite else str(case_id)
    _raw(keyed, f"UPDATE party SET phone = '13800000000' WHERE case_id = '{where}'")
    problems = _problems(keyed)
    assert any(f"案件 {case_id}" in p and "在工作台之外被修改" in p for p in problems), problems
