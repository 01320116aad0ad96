"""At 150 % scaling a 1400×900 screen is 933×600 (logical pixels): the main window, with every page of
every role built, still fits it — a page too large scrolls inside the window instead of pushing the
window's right edge, its buttons and the status bar off the screen (seen on the Xvfb screenshots)."""

from __future__ import annotations

import pytest

from baihe_desk.models import Role
from tests.ui.helpers import every_page, main_window

SCREEN_AT_150 = (1400 * 2 // 3, 900 * 2 // 3)


@pytest.mark.parametrize("role", [Role.FILING_CLERK, Role.JUDGE, Role.ENFORCEMENT, Role.MEDIATOR, Role.ADMIN])
def test_the_window_fits_a_1400x900_screen_at_150_percent(qtbot, db, users, paths, role):
    win = main_window(qtbot, db, users[role], paths)
    for name, _page in every_page(win):
        need = win.minimumSizeHint().expandedTo(win.minimumSize())
        assert need.width() <= SCREEN_AT_150[0] and need.height() <= SCREEN_AT_150[1], (
            f"{name}: the window needs {need.width()}×{need.height()}")


@pytest.mark.parametrize("role", [Role.JUDGE, Role.FILING_CLERK])
def test_a_page_that_fits_does_not_scroll_because_another_page_is_taller(qtbot, db, users, paths, role):
    from baihe_desk.ui.common.qt import QScrollArea

    win = main_window(qtbot, db, users[role], paths)
    names = [name for name, _page in every_page(win)]  # every page built, the tallest among them
    area = win.findChild(QScrollArea, "pagesArea")
    tallest = max(win.pages[n].minimumSizeHint().height() for n in names)
    win.resize(1280, tallest - 40)  # room for some pages, not for the tallest
    checked, scrolled = 0, []
    for name in names:
        page = win.show_page(name)
        qtbot.wait(30)
        room = area.maximumViewportSize()  # the area without scroll bars
        need = page.minimumSizeHint()
        if need.height() <= room.height() and need.width() <= room.width():  # (its preferred height may be more)
            checked += 1
            if area.verticalScrollBar().isVisible() or area.horizontalScrollBar().isVisible():
                scrolled.append(f"{name} needs {need.width()}×{need.height()} in {room.width()}×{room.height()}")
    assert checked, "no page small enough to check"
    assert scrolled == []
