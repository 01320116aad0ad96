"""Fixtures for the document tests: a database built from the models (create_all), a court, users
and a case whose parties have rare characters (堃 喆 玥 䶮). Helpers live in docs_helpers.py."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

import pytest  # noqa: E402

from baihe_desk.config import Paths  # noqa: E402
from tests.documents.docs_helpers import COURT, add_case  # noqa: E402

# The offscreen test platform cannot pass size hints to a window or raise it and says so when a
# dialog is shown; only these messages are ignored (qt_log_level_fail = WARNING for the rest).
OFFSCREEN_ONLY = (r"^This plugin does not support "
                  r"(propagateSizeHints\(\)|raise\(\)|grabbing the (keyboard|mouse))$")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/documents/" in item.nodeid.replace("\\", "/") or item.nodeid.startswith("documents/"):
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_ONLY))


@pytest.fixture
def ddb(tmp_path):
    """A SQLite database with every table, built from the models (no migrations needed)."""
    import baihe_desk.models.template  # noqa: F401  (registers wording_template)
    from baihe_desk.models import Base
    from baihe_desk.storage.db import Database

    db = Database("sqlite:///" + str(tmp_path / "t.sqlite3"))
    Base.metadata.create_all(db.engine)
    yield db
    db.dispose()


@pytest.fixture
def dpaths(tmp_path) -> Paths:
    return Paths(tmp_path / "data").ensure()


@pytest.fixture
def court_row(ddb):
    from baihe_desk.models import CourtProfile

    with ddb.transaction() as s:
        court = CourtProfile(name=COURT, short_name="白河林区法院", code="吉7502", filing_phone="0433-5550123",
                             address="白河林区站前街1号")
        s.add(court)
    return court


def _user(db, username, role):
    from baihe_desk.models import User

    with db.transaction() as s:
        user = User(username=username, display_name=f"测试{role.label}", role=role, password_hash="not-a-hash")
        s.add(user)
    return user


@pytest.fixture
def clerk(ddb):
    from baihe_desk.models import Role

    return _user(ddb, "clerk", Role.FILING_CLERK)


@pytest.fixture
def admin(ddb):
    from baihe_desk.models import Role

    return _user(ddb, "admin", Role.ADMIN)


@pytest.fixture
def case_id(ddb, court_row):
    return add_case(ddb)
