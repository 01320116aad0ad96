"""Qt fixtures: background operations finish (and deliver) before a test's widgets go away."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session", autouse=True)
def _desk_application(qapp):
    """The test QApplication set up as the desk sets up its own (font, Chinese Qt strings, names): every
    test lays out with the desk's font, whether or not an earlier test in this worker ran ``app.main``
    (which applies it to the shared QApplication: layouts would otherwise depend on the test order)."""
    from baihe_desk.app import create_application
    from baihe_desk.config import LocalSettings

    create_application(["baihe-desk"], LocalSettings())


@pytest.fixture(autouse=True)
def _background_settles(qapp):
    from baihe_desk.ui.common import background, crash

    yield
    from tests.ui.helpers import LIVE_DRIVERS

    # A driver whose steps did not all run (a failed test keeps its locals in the traceback) would go on
    # answering the next test's dialogs: stop them all.
    while LIVE_DRIVERS:
        LIVE_DRIVERS.pop().stop()
    assert background.wait_all(15_000), "background operations still running after the test"
    for name in crash.drafts.names():
        crash.drafts.unregister(name)
    # A window a test left open would outlive it in this worker: the next test's app.main would then
    # never see "the last window closed", and its event loop would wait forever. Hidden, not closed:
    # a close could ask a question nobody answers.
    from baihe_desk.ui.common.qt import QApplication

    for widget in QApplication.topLevelWidgets():
        if widget.isVisible():
            widget.hide()


@pytest.fixture
def clerk(users):
    from baihe_desk.models import Role

    return users[Role.FILING_CLERK]


# The offscreen QPA plugin (the test platform) cannot pass size hints to a window, raise a window or
# grab the keyboard for a popup, and says so whenever a dialog or a completer popup is shown. Those
# are limitations of the test platform, not of our code (xcb and Windows support all three), so
# exactly these messages are ignored; every other Qt warning still fails the test
# (qt_log_level_fail = WARNING).
OFFSCREEN_ONLY = (r"^This plugin does not support "
                  r"(propagateSizeHints\(\)|raise\(\)|grabbing the (keyboard|mouse))$")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/ui/" in item.nodeid.replace("\\", "/") or item.nodeid.startswith("ui/"):
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_ONLY))
