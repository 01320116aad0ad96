"""The window opens at the size it was left at, with the splitters where the clerk put them; the title
names the app once."""

from __future__ import annotations

from baihe_desk.models import Role
from baihe_desk.ui.common import background
from baihe_desk.ui.common.qt import QApplication, QSplitter


def window(qtbot, db, user, paths):
    from baihe_desk.ui.main_window import MainWindow

    win = MainWindow(db, user, paths, court_name="吉林省白河林区基层法院")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_size_and_splitters_are_remembered(qtbot, db, users, paths, monkeypatch):
    from baihe_desk.ui.main_window import PAGE_FILING, MainWindow

    clerk = users[Role.FILING_CLERK]
    first = window(qtbot, db, clerk, paths)
    assert first.windowTitle() == "立案·调解工作台 — 吉林省白河林区基层法院"
    page = first.show_page(PAGE_FILING)
    split = page.findChild(QSplitter, "filingSplitter")
    split.setSizes([300, 400])
    assert background.wait_all(10_000)
    left_at = bytes(first.saveGeometry())
    split_at = bytes(split.saveState())
    first.close()
    assert (paths.root / "window.ini").exists()

    # the offscreen test screen is smaller than the window, so Qt would clamp any size: what the new
    # window is given back is compared instead
    # (and at the desk's font the review page needs more than that screen: its splitter sits at its
    # panes' minimum widths, where no size could be told from the default)
    restored, splitters = [], {}
    original = MainWindow.restoreGeometry
    monkeypatch.setattr(MainWindow, "restoreGeometry", lambda self, g: restored.append(bytes(g)) or original(self, g))
    put_back = QSplitter.restoreState
    monkeypatch.setattr(QSplitter, "restoreState",
                        lambda self, st: splitters.setdefault(self.objectName(), bytes(st)) and put_back(self, st))
    second = window(qtbot, db, clerk, paths)
    assert restored == [left_at]
    second.show_page(PAGE_FILING)
    qtbot.waitUntil(lambda: "filingSplitter" in splitters, timeout=3000)  # put back when the page is first shown
    assert splitters["filingSplitter"] == split_at
    assert background.wait_all(10_000)
    QApplication.processEvents()


def test_a_demo_database_says_so_in_the_final_title(qtbot, db, users, paths):
    """The desk's extras rewrite the title after the main window set it: 演示数据 must survive that."""
    from baihe_desk.services.common.demo_mark import mark_demo

    with db.transaction() as s:
        mark_demo(s)
    win = window(qtbot, db, users[Role.FILING_CLERK], paths)
    assert win.windowTitle() == "【演示数据】立案·调解工作台 — 吉林省白河林区基层法院（演示数据，非正式数据）"
