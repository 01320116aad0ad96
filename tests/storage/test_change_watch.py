"""A desk notices another desk's commit (SQLite: PRAGMA data_version; PostgreSQL: LISTEN/NOTIFY)."""

from __future__ import annotations

import time

from sqlalchemy import text

from baihe_desk.models import Role
from baihe_desk.storage.change_watch import ChangeWatch
from baihe_desk.storage.db import Database
from tests.reliability.factories import make_case


def _other_desk(udb) -> Database:  # type: ignore[no-untyped-def]
    """A second engine on the same database: what another workstation is."""
    return Database(udb.engine.url.render_as_string(hide_password=False))


def _changed_within(watch: ChangeWatch, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if watch.poll():
            return True
        time.sleep(0.05)
    return False


def test_a_commit_at_another_desk_is_noticed_once(udb, uusers):
    watch = ChangeWatch.for_database(udb)
    other = _other_desk(udb)
    try:
        watch.poll()  # connects
        assert not _changed_within(watch, 0.3)  # nothing happened yet
        make_case(other, uusers[Role.FILING_CLERK], seed=1)
        assert _changed_within(watch, 2.0)
        assert not _changed_within(watch, 0.3)  # told once, not again
        make_case(other, uusers[Role.FILING_CLERK], seed=2)
        assert _changed_within(watch, 2.0)
    finally:
        watch.close()
        other.dispose()


def test_reads_at_another_desk_are_not_changes(udb, uusers):
    make_case(udb, uusers[Role.FILING_CLERK], seed=3)
    watch = ChangeWatch.for_database(udb)
    other = _other_desk(udb)
    try:
        watch.poll()
        with other.session() as s:
            s.execute(text("SELECT count(*) FROM party")).scalar()
        assert not _changed_within(watch, 0.3)
    finally:
        watch.close()
        other.dispose()


def test_a_lost_connection_says_changed_and_recovers(udb, uusers):
    watch = ChangeWatch.for_database(udb)
    watch.poll()
    watch._conn.close()  # the server restarted, the network dropped  # noqa: SLF001
    assert watch.poll() is True  # refresh rather than show a stale list
    watch.poll()  # reconnects
    make_case(udb, uusers[Role.FILING_CLERK], seed=4)
    assert _changed_within(watch, 2.0)
    watch.close()
