"""Shared fixtures. Qt runs offscreen; data folders live on tmp_path (never the real user folder).

This file must not import Qt: the service tests run without it (tests/ui/conftest.py holds the
Qt-specific fixtures).
"""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before anything imports Qt
os.environ.setdefault("QT_ACCESSIBILITY", "0")

from functools import cache  # noqa: E402

import pytest  # noqa: E402

from baihe_desk.config import LocalSettings, Paths  # noqa: E402

# The service-level database fixtures (udata, udb, ucourt, uusers), shared by tests/services and tests/storage,
# and the PostgreSQL server the tests start themselves (udb runs each of its tests on SQLite and on it).
pytest_plugins = ["tests.pg_server", "tests.db_fixtures", "tests.keyring_fixtures"]

PASSWORD = "Baihe-test-2025"  # every fixture user's password


def pytest_addoption(parser):
    parser.addoption(
        "--fake-today", metavar="YYYY-MM-DD", default=None,
        help="run the whole session as if today were this date (10:00 Asia/Shanghai, the clock ticking): "
             "date.today(), datetime.now() and time.time() are patched at C level by time-machine, so "
             "no test or production code can read the real calendar. Python children a test starts follow it "
             "(tests.fake_today.child_env / children_on_this_clock); file mtimes are the disk's real time.")


def pytest_configure(config):
    value = config.getoption("--fake-today")
    if not value:
        return
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    import time_machine

    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise pytest.UsageError(f"--fake-today expects YYYY-MM-DD, got {value!r}") from None
    traveller = time_machine.travel(datetime(day.year, day.month, day.day, 10, 0,
                                             tzinfo=ZoneInfo("Asia/Shanghai")), tick=True)
    traveller.start()
    config._baihe_fake_today = traveller


def pytest_unconfigure(config):
    traveller = getattr(config, "_baihe_fake_today", None)
    if traveller is not None:
        traveller.stop()


def pytest_report_header(config):
    value = config.getoption("--fake-today")
    return f"fake today: {value} (time-machine)" if value else None


@cache
def password_hash() -> str:
    """scrypt is deliberately slow: hash the shared test password once per session."""
    from baihe_desk.services.common.auth import hash_password

    return hash_password(PASSWORD)


@pytest.fixture(autouse=True)
def _data_dir_on_tmp(tmp_path, monkeypatch):
    """Nothing a test does may touch the real per-user data folder."""
    monkeypatch.setenv("BAIHE_DESK_DATA", str(tmp_path / "data"))
    monkeypatch.delenv("BAIHE_DESK_DB_URL", raising=False)


@pytest.fixture
def password() -> str:
    """The password of every fixture user."""
    return PASSWORD


@pytest.fixture
def paths(tmp_path) -> Paths:
    return Paths(tmp_path / "data").ensure()


@pytest.fixture
def settings() -> LocalSettings:
    return LocalSettings()


@pytest.fixture
def db(paths, settings):
    """A migrated SQLite database in the tmp data folder (the same start-up path as the app)."""
    from baihe_desk.storage.startup import open_database

    database = open_database(paths, settings)
    yield database
    database.dispose()


@pytest.fixture
def court(db):
    from baihe_desk.services.admin import court as court_service
    from baihe_desk.services.common.actor import SYSTEM

    with db.transaction() as s:
        return court_service.save_profile(s, SYSTEM, name="吉林省白河林区基层法院", short_name="白河林区法院",
                                          code="吉7502")


@pytest.fixture
def users(db, court):
    """One active user per role (username ``t_<role>``, password ``PASSWORD``), detached."""
    from baihe_desk.models import Role, User

    out = {}
    with db.transaction() as s:
        for role in Role:
            u = User(username=f"t_{role.value}", display_name=f"测试{role.label}", role=role,
                     password_hash=password_hash())
            s.add(u)
            out[role] = u
    return out
