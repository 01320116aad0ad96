"""Fixtures for the service- and storage-level tests: a migrated SQLite database on tmp_path."""

from __future__ import annotations

import pytest

from baihe_desk.config import LocalSettings, Paths
from baihe_desk.models import Role, User
from baihe_desk.services.admin import court
from baihe_desk.services.common.actor import SYSTEM
from baihe_desk.services.common.auth import hash_password
from baihe_desk.storage.startup import open_database

PASSWORD = "Secret-123"


@pytest.fixture
def udata(tmp_path, monkeypatch) -> Paths:
    monkeypatch.setenv("BAIHE_DESK_DATA", str(tmp_path / "data"))
    return Paths(tmp_path / "data").ensure()


@pytest.fixture(params=["sqlite", "postgresql"])
def udb(request, udata):
    """A migrated database of each kind the desk supports: the SQLite file, and a fresh database on the
    PostgreSQL server the tests started (tests/pg_server.py)."""
    settings = LocalSettings()
    if request.param == "postgresql":
        server = request.getfixturevalue("pg_server")
        settings.database_url = server.fresh_database()
        request.addfinalizer(lambda: server.drop(settings.database_url))
    db = open_database(udata, settings)
    yield db
    db.dispose()


@pytest.fixture
def udb_sqlite(udata):
    """The SQLite file only: for what exists only there (its pragmas, the file backup, the FTS5 index,
    the bulk loader that writes SQLite's storage format, tampering with the file from outside)."""
    db = open_database(udata, LocalSettings())
    yield db
    db.dispose()


@pytest.fixture
def ucourt(udb):
    with udb.transaction() as s:
        return court.save_profile(s, SYSTEM, name="吉林省白河林区基层法院", code="吉7502")


@pytest.fixture
def uusers(udb, ucourt) -> dict[Role, User]:
    """One active user per role, all with PASSWORD."""
    out = {}
    with udb.transaction() as s:
        for role in Role:
            u = User(username=f"u_{role.value}", display_name=f"测试{role.label}", role=role,
                     password_hash=hash_password(PASSWORD))
            s.add(u)
            out[role] = u
    return out
