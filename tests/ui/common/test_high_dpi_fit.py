"""At 150 % scaling a 1400×900 screen is 933×600 (logical pixels): the main window, with every page of
every role built, still fits it — a page too large scrolls inside the window instead of pushing the
window's right edge, its buttons and the status bar off the screen (seen on the Xvfb screenshots)."""

from __future__ import annotations

import pytest

from baihe_desk.models import Role
from baihe_desk.ui.common import background
from baihe_desk.ui.common.qt import QApplication

SCREEN_AT_150 = (1400 * 2 // 3, 900 * 2 // 3)


@pytest.mark.parametrize("role", [Role.FILING_CLERK, Role.JUDGE, Role.ENFORCEMENT, Role.MEDIATOR, Role.ADMIN])
def test_the_window_fits_a_1400x900_screen_at_150_percent(qtbot, db, users, paths, role):
    from baihe_desk.ui.main_window import MainWindow

    win = MainWindow(db, users[role], paths)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    for name in list(win.pages):
        win.show_page(name)
        assert background.wait_all(20_000)
        QApplication.processEvents()
        need = win.minimumSizeHint().expandedTo(win.minimumSize())
        assert need.width() <= SCREEN_AT_150[0] and need.height() <= SCREEN_AT_150[1], (
            f"{name}: the window needs {need.width()}×{need.height()}")
