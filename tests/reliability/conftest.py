"""Fixtures of the reliability suite: the generated-input counter, the figures report, Qt on offscreen.

``inputs`` counts every generated input a bad-input test feeds to the program (one ``inputs.add(kind)``
per example). At the end of the session the total is printed, and when every bad-input test ran (the
whole suite, not a ``-k`` selection) a total below ``MIN_INPUTS`` fails the session. ``figures`` collects
the numbers the crash harness, the permission matrix and the backups report; they are printed too.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

MIN_INPUTS = 10_000
BAD_INPUT_FILES = ("test_bad_input_",)

# The offscreen test platform cannot pass size hints, raise a window or grab the keyboard for a popup;
# only these messages are ignored (qt_log_level_fail = WARNING for everything else).
OFFSCREEN_ONLY = (r"^This plugin does not support "
                  r"(propagateSizeHints\(\)|raise\(\)|grabbing the (keyboard|mouse))$")


class InputCounter:
    def __init__(self) -> None:
        self.by_kind: Counter[str] = Counter()

    def add(self, kind: str, n: int = 1) -> None:
        self.by_kind[kind] += n

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())


_COUNTER = InputCounter()
_FIGURES: dict[str, object] = {}
_STATE = {"bad_input_items": 0, "bad_input_passed": 0, "deselected": 0}
_FILES: set[str] = set()


def _is_bad_input(nodeid: str) -> bool:
    name = nodeid.replace("\\", "/").split("::")[0].rsplit("/", 1)[-1]
    return name.startswith(BAD_INPUT_FILES) and "reliability/" in nodeid.replace("\\", "/")


@pytest.fixture(scope="session")
def inputs() -> InputCounter:
    return _COUNTER


@pytest.fixture(scope="session")
def figures() -> dict[str, object]:
    return _FIGURES


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The permission matrix's world: a database with a court and a user per role (plus a disabled admin)."""
    from baihe_desk.config import LocalSettings, Paths
    from baihe_desk.models import Base, Role, User
    from baihe_desk.services.admin import court
    from baihe_desk.services.common.actor import SYSTEM
    from baihe_desk.services.common.auth import hash_password
    from baihe_desk.storage.startup import open_database
    from tests.reliability.factories import COURT_CODE
    from tests.reliability.permission_matrix import World

    paths = Paths(tmp_path_factory.mktemp("matrix") / "data").ensure()
    db = open_database(paths, LocalSettings(), backup=False)
    Base.metadata.create_all(db.engine)  # tables of the rows' models that are not in the migration yet
    pw = hash_password("Matrix-1234")
    with db.transaction() as s:
        court.save_profile(s, SYSTEM, name="吉林省白河林区基层法院", short_name="白河林区法院", code=COURT_CODE)
        users = {r: User(username=f"x_{r.value}", display_name=f"矩阵{r.label}", role=r, password_hash=pw)
                 for r in Role}
        disabled = User(username="x_disabled_admin", display_name="停用管理员", role=Role.ADMIN, password_hash=pw,
                        active=False)
        s.add_all([*users.values(), disabled])
    yield World(db, paths, users, disabled)
    db.dispose()


@pytest.fixture
def clerk(users):
    from baihe_desk.models import Role

    return users[Role.FILING_CLERK]


@pytest.fixture
def fast_db(db):
    """The migrated test database without fsync (synchronous=OFF): for the bad-input tests, which test
    what is stored, not durability (the crash harness tests that with the app's real settings)."""
    from sqlalchemy import event

    @event.listens_for(db.engine, "connect")
    def _no_fsync(dbapi_conn, _rec):  # type: ignore[no-untyped-def]
        dbapi_conn.execute("PRAGMA synchronous=OFF")

    db.engine.dispose()
    return db


@pytest.fixture
def settle(qapp):
    """For Qt tests: background operations deliver before the widgets go away; no draft savers linger."""
    from baihe_desk.ui.common import background, crash

    yield
    assert background.wait_all(15_000), "background operations still running after the test"
    for name in crash.drafts.names():
        crash.drafts.unregister(name)


def pytest_collection_modifyitems(config, items):
    for item in items:
        nodeid = item.nodeid.replace("\\", "/")
        if "reliability/" in nodeid:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_ONLY))
        if _is_bad_input(nodeid):
            _STATE["bad_input_items"] += 1
            _FILES.add(nodeid.split("::")[0].rsplit("/", 1)[-1])


def pytest_deselected(items):
    _STATE["deselected"] += sum(1 for item in items if _is_bad_input(item.nodeid))


def pytest_runtest_logreport(report):
    if report.when == "call" and report.passed and _is_bad_input(report.nodeid):
        _STATE["bad_input_passed"] += 1


def _whole_bad_input_suite_ran() -> bool:
    """Every bad-input file collected, nothing of it deselected, everything passed (the full suite)."""
    on_disk = {p.name for p in Path(__file__).parent.glob("test_bad_input_*.py")}
    return (_FILES == on_disk and not _STATE["deselected"]
            and _STATE["bad_input_passed"] == _STATE["bad_input_items"] > 0)


def pytest_sessionfinish(session, exitstatus):
    if _whole_bad_input_suite_ran() and _COUNTER.total < MIN_INPUTS and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        _FIGURES["input total check"] = f"FAILED: {_COUNTER.total} generated inputs, fewer than {MIN_INPUTS}"


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not _COUNTER.total and not _FIGURES:
        return
    tr = terminalreporter
    tr.section("reliability figures")
    if _COUNTER.total:
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(_COUNTER.by_kind.items()))
        verdict = ("" if not _whole_bad_input_suite_ran() else
                   f" (≥ {MIN_INPUTS}: {'yes' if _COUNTER.total >= MIN_INPUTS else 'NO — the session fails'})")
        tr.write_line(f"generated inputs: {_COUNTER.total}{verdict} — {kinds}")
    for key, value in _FIGURES.items():
        tr.write_line(f"{key}: {value}")
