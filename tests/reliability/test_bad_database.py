"""A locked, read-only, full or corrupt database gives a calm DatabaseError and loses nothing already saved."""

from __future__ import annotations

import re
import shutil
import sqlite3

import pytest
from sqlalchemy import event, func, select

from baihe_desk import cli
from baihe_desk.config import LocalSettings, Paths
from baihe_desk.errors import DatabaseError, KnownError
from baihe_desk.models import AuditRecord, Case
from baihe_desk.services.admin.health import check_database
from baihe_desk.services.common import audit
from baihe_desk.services.filing.intake import create_case
from baihe_desk.storage.backup import backup_database, restore
from baihe_desk.storage.db import Database
from baihe_desk.storage.startup import open_database
from tests.reliability.factories import case_input, checkpoint, make_case

CJK = re.compile(r"[\u4e00-\u9fff]")


def _calm(exc: KnownError, reason: str, words: str) -> None:
    assert isinstance(exc, DatabaseError)
    assert getattr(exc, "reason", None) == reason
    assert CJK.search(exc.message) and words in exc.message
    assert "Traceback" not in exc.message and "sqlite" not in exc.message.lower()


def _saved_is_intact(db: Database, case_ids, audit_count: int) -> None:
    with db.session() as s:
        assert {c for c in s.scalars(select(Case.id))} >= set(case_ids)
        assert (s.scalar(select(func.count()).select_from(AuditRecord)) or 0) == audit_count
        assert audit.verify_chain(s) == []
    rep = check_database(db)
    assert rep.problems == []


def _audit_count(db: Database) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(AuditRecord)) or 0


def test_locked_database_is_a_calm_message_and_the_retry_works(db, clerk):
    saved = make_case(db, clerk, 1)
    before = _audit_count(db)

    @event.listens_for(db.engine, "connect")
    def _short_wait(dbapi_conn, _rec):  # the app waits 10 s; the test does not need to
        dbapi_conn.execute("PRAGMA busy_timeout=300")

    db.engine.dispose()
    other = sqlite3.connect(db.sqlite_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another workstation holds the write lock
    try:
        with pytest.raises(DatabaseError) as info:
            make_case(db, clerk, 2)
        _calm(info.value, "locked", "占用")
        with db.session() as s:  # reading still works while it is locked
            assert s.get(Case, saved) is not None
    finally:
        other.execute("ROLLBACK")
        other.close()
    _saved_is_intact(db, [saved], before)
    again = make_case(db, clerk, 2)  # 稍候重试即可
    _saved_is_intact(db, [saved, again], before + 2)  # case.create and its state.snapshot


def test_read_only_database_is_a_calm_message_and_reading_works(db, clerk):
    saved = make_case(db, clerk, 1)
    before = _audit_count(db)
    ro = Database(f"sqlite:///file:{db.sqlite_path.as_posix()}?mode=ro&uri=true")  # a write-protected file
    try:
        with pytest.raises(DatabaseError) as info:
            make_case(ro, clerk, 2)
        _calm(info.value, "readonly", "只读")
        with ro.session() as s:
            assert s.get(Case, saved) is not None
    finally:
        ro.dispose()
    _saved_is_intact(db, [saved], before)


def test_full_disk_is_a_calm_message_and_nothing_half_written(db, clerk):
    saved = make_case(db, clerk, 1)
    before = _audit_count(db)

    @event.listens_for(db.engine, "connect")
    def _no_more_pages(dbapi_conn, _rec):  # the file may not grow: what a full disk does to SQLite
        n = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count={n}")

    db.engine.dispose()
    big = case_input(2)
    big.facts = "借款事实" * 5000  # 20,000 characters: needs new pages
    with pytest.raises(DatabaseError) as info:
        with db.transaction() as s:
            create_case(s, clerk, big, court_code="吉7502")
    _calm(info.value, "full", "磁盘空间已满")
    event.remove(db.engine, "connect", _no_more_pages)
    db.engine.dispose()
    _saved_is_intact(db, [saved], before)  # no case, no audit record, no counter step of the failed save
    again = make_case(db, clerk, 2)
    with db.session() as s:
        assert s.get(Case, again).receipt_number == "2025收00002"  # the counter was rolled back too


def _corrupt_copy(paths: Paths, tmp_path, how: str) -> Paths:
    checkpoint(paths.database)
    other = Paths(tmp_path / f"corrupt-{how}").ensure()
    shutil.copyfile(paths.database, other.database)
    data = bytearray(other.database.read_bytes())
    if how == "header":
        data[0:100] = b"\xa5" * 100
    else:  # the b-tree page of the case table
        con = sqlite3.connect(other.database)
        root = con.execute("SELECT rootpage FROM sqlite_master WHERE name='case'").fetchone()[0]
        size = con.execute("PRAGMA page_size").fetchone()[0]
        con.close()
        start = (root - 1) * size
        data[start:start + 64] = b"\xff" * 64
    other.database.write_bytes(bytes(data))
    return other


@pytest.mark.parametrize("how", ["header", "pages"])
def test_corrupt_database_is_a_calm_message_and_the_backup_restores_it(db, clerk, paths, tmp_path, capsys, how):
    saved = make_case(db, clerk, 1)
    good = backup_database(db, paths, reason="manual")
    bad = _corrupt_copy(paths, tmp_path, how)
    # the same installation (its audit chain key, storage.audit_key), another data folder
    shutil.copytree(paths.root / "config", bad.root / "config", dirs_exist_ok=True)
    original = bad.database.read_bytes()
    if how == "header":
        with pytest.raises(DatabaseError) as info:
            open_database(bad, LocalSettings())
        _calm(info.value, "corrupt", "损坏")
    else:
        opened = open_database(bad, LocalSettings(), backup=False)
        try:
            with pytest.raises(DatabaseError) as info:
                with opened.session() as s:
                    s.scalars(select(Case)).all()
            _calm(info.value, "corrupt", "损坏")
        finally:
            opened.dispose()
    # `baihe-desk check` says so calmly (exit 1: cannot open; 2: problems found), never a traceback
    rc = cli.main(["--data-dir", str(bad.root), "check"])
    out, err = capsys.readouterr()
    assert rc in (1, 2) and "Traceback" not in out + err and CJK.search(out + err)
    assert ("损坏" in err) if rc == 1 else ("完整性检查失败" in out or "损坏" in out)
    assert bad.database.read_bytes() == original  # the damaged file itself was left as it was
    # nothing already saved is lost: the backup brings it back
    restore(bad, good)
    kept = list(bad.backups.glob("damaged-*.sqlite3"))  # the damaged file is kept as evidence, byte for byte
    assert len(kept) == 1 and kept[0].read_bytes() == original
    back = open_database(bad, LocalSettings(), backup=False)
    try:
        with back.session() as s:
            assert s.get(Case, saved) is not None
        assert check_database(back).problems == []
    finally:
        back.dispose()
