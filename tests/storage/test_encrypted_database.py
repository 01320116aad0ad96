"""The laptop's encrypted database: SQLCipher through the sqlcipher3 wheel, key from the keystore."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from sqlalchemy import select

from baihe_desk.config import LocalSettings
from baihe_desk.errors import DatabaseError
from baihe_desk.models import Case, Party, PartyKind, PartyRole
from baihe_desk.storage import encrypted
from baihe_desk.storage.keystore import Keystore
from baihe_desk.storage.startup import open_database

ID_NUMBER = "220222198503140118"


@pytest.fixture
def enc(udata, monkeypatch):
    monkeypatch.setenv("BAIHE_DESK_KEYSTORE", "file")
    settings = LocalSettings(database_url=encrypted.MARKER)
    db = open_database(udata, settings)
    yield udata, settings, db
    db.dispose()


def test_the_file_and_its_backups_are_unreadable_without_the_key(enc):
    from baihe_desk.services.admin.health import check_database
    from baihe_desk.storage.backup import backup_database, check_backup

    paths, settings, db = enc
    assert db.sqlite_path == paths.database.resolve() and db.engine.dialect.driver == "pysqlcipher"
    with db.transaction() as s:
        case = Case(receipt_number="2026收00051", received_on=date(2026, 11, 2), cause_name="民间借贷纠纷")
        case.parties = [Party(role=PartyRole.DEFENDANT, kind=PartyKind.NATURAL, name="王堃", id_number=ID_NUMBER)]
        s.add(case)
    db.dispose()
    raw = paths.database.read_bytes()
    assert encrypted.is_encrypted(paths.database) and ID_NUMBER.encode() not in raw
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        sqlite3.connect(paths.database).execute("SELECT count(*) FROM party").fetchone()
    assert (paths.root / "keys" / f"{encrypted.KEY_NAME}.key").is_file()  # the key lives in the keystore

    again = open_database(paths, settings)  # the desk's next start: the same key from the keystore
    try:
        with again.session() as s:
            assert s.scalars(select(Party.id_number)).one() == ID_NUMBER
        copy = backup_database(again, paths, reason="manual")
        assert encrypted.is_encrypted(copy) and ID_NUMBER.encode() not in copy.read_bytes()
        assert check_backup(copy)  # readable with the key: revision of the copy
        report = check_database(again)
        assert not report.problems, report.problems
    finally:
        again.dispose()


def test_without_its_key_the_file_is_refused_calmly(enc):
    paths, settings, db = enc
    db.dispose()
    Keystore(paths.root, mode="file").delete(encrypted.KEY_NAME)  # e.g. a copy on another PC
    with pytest.raises(DatabaseError):
        open_database(paths, settings)


def test_an_existing_plain_file_is_encrypted_with_the_desks_key(udata, tmp_path, monkeypatch):
    monkeypatch.setenv("BAIHE_DESK_KEYSTORE", "file")
    plain_db = open_database(udata, LocalSettings())
    with plain_db.transaction() as s:
        s.add(Case(receipt_number="2026收00052", received_on=date(2026, 11, 3), cause_name="买卖合同纠纷"))
    plain_db.dispose()
    out = tmp_path / "encrypted.sqlite3"
    encrypted.encrypt_file(udata.database, out, Keystore(udata.root, mode="file"))
    assert encrypted.is_encrypted(out) and not encrypted.is_encrypted(udata.database)
    udata.database.unlink()
    out.rename(udata.database)
    db = open_database(udata, LocalSettings(database_url=encrypted.MARKER), backup=False)
    try:
        with db.session() as s:
            assert s.scalars(select(Case.receipt_number)).all() == ["2026收00052"]
    finally:
        db.dispose()
