"""What the main window gets besides its pages: the app-wide input guards, Ctrl+K (选择案件) from
anywhere, Ctrl+L (注销 / 切换用户: back to the login window, the desk stays open), the title naming the app once, and the window's size and splitters remembered between runs
(``window.ini`` in the data folder, per workstation).
"""

from __future__ import annotations

from typing import Any

from baihe_desk.ui.common.files import REMEMBERED
from baihe_desk.ui.common.inputs import install_guards
from baihe_desk.ui.common.qt import (
    QAction,
    QApplication,
    QEvent,
    QKeySequence,
    QObject,
    QSplitter,
    Qt,
    QTimer,
)

APP_SHORT = "立案·调解工作台"
STATE_FILE = "window.ini"


def window_title(court_name: str) -> str:
    """``立案·调解工作台 — 吉林省白河林区基层法院``: the app once, the court once."""
    return f"{APP_SHORT} — {court_name}" if court_name else f"白河林区基层法院 {APP_SHORT}"


class _Remember(QObject):
    """Saves the window's geometry and every splitter's state when the window closes; puts them back
    when the window starts and when a page is first shown."""

    def __init__(self, win: Any):
        super().__init__(win)
        from baihe_desk.ui.common.qt import QtCore

        self.win = win
        self.store = QtCore.QSettings(str(win.paths.root / STATE_FILE), QtCore.QSettings.Format.IniFormat)
        self.restored: set[str] = set()
        geometry = self.store.value("window/geometry")
        if geometry is not None:
            win.restoreGeometry(geometry)
        fit_to_screen(win)
        preview = self.store.value("preview/size")
        if isinstance(preview, (list, tuple)) and len(preview) == 2:
            REMEMBERED["preview"] = (int(preview[0]), int(preview[1]))
        win.nav.currentRowChanged.connect(lambda _row: QTimer.singleShot(0, self.restore_splitters))
        QTimer.singleShot(0, self.restore_splitters)
        win.installEventFilter(self)

    def restore_splitters(self) -> None:
        for sp in self.win.findChildren(QSplitter):
            name = sp.objectName()
            if name and name not in self.restored:
                self.restored.add(name)
                state = self.store.value(f"splitters/{name}")
                if state is not None:
                    sp.restoreState(state)

    def save(self) -> None:
        self.store.setValue("window/geometry", self.win.saveGeometry())
        if REMEMBERED.get("preview"):
            self.store.setValue("preview/size", list(REMEMBERED["preview"]))
        for sp in self.win.findChildren(QSplitter):
            if sp.objectName():
                self.store.setValue(f"splitters/{sp.objectName()}", sp.saveState())
        self.store.sync()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if obj is self.win and event.type() == QEvent.Type.Close:
            self.save()
        return False


def fit_to_screen(win: Any) -> None:
    """Never larger than the screen's free area (a window restored from a bigger screen, or 1280×820 at
    150 % scaling on a laptop, would otherwise run off the screen with its buttons)."""
    screen = win.screen()
    if screen is None:
        return
    free = screen.availableGeometry()
    width, height = min(win.width(), free.width()), min(win.height(), free.height() - 30)
    if (width, height) != (win.width(), win.height()):
        win.resize(width, height)
        win.move(free.topLeft())


def open_case_picker(win: Any) -> Any:
    """Ctrl+K: the case picker; the chosen case opens on the current page when that page takes a
    case (立案审查, 判后答疑, 文书 …), else in the case list."""
    from baihe_desk.ui.common.case_picker import CasePickerDialog

    dialog = CasePickerDialog(win.db, win)

    def chosen() -> None:
        if dialog.case_id is not None:
            open_picked_case(win, dialog.case_id, dialog.field.text())
        win.activateWindow()  # the keyboard goes back to the page, where the case now is
        page = win.stack.currentWidget()
        if not page.isAncestorOf(QApplication.focusWidget()):
            (page.focusProxy() or page).setFocus(Qt.FocusReason.OtherFocusReason)
            if QApplication.focusWidget() is None or not page.isAncestorOf(QApplication.focusWidget()):
                page.focusNextChild()

    dialog.accepted.connect(chosen)
    dialog.open()
    return dialog


def open_picked_case(win: Any, case_id: Any, number: str) -> None:
    page = win.stack.currentWidget()
    opener = getattr(page, "open_case", None) or getattr(page, "set_case", None)
    if callable(opener):
        opener(case_id)
        return
    field = getattr(page, "case_ref", None)
    if field is not None:  # a page that starts something for a case (执行咨询): the case goes in its field
        field.setText(number)
        field.case_id = case_id if hasattr(field, "case_id") else None
        field.setFocus()
        return
    if win.case_list_visible:
        win.show_page("案件列表")
        win.case_list.open_case(case_id)


def install_desk_extras(win: Any) -> None:
    install_guards()
    from baihe_desk.ui.common.session_guard import window_title as marked  # 演示数据 stays in the title

    win.setWindowTitle(marked(win.db, win.court_name, title=window_title(win.court_name)))
    act = QAction("选择案件(&K)…", win)
    act.setObjectName("actionPickCase")
    act.setShortcut(QKeySequence("Ctrl+K"))
    act.triggered.connect(lambda: open_case_picker(win))
    win.addAction(act)
    win.act_pick = act
    menu = win.findChild(QObject, "menuFile")
    if menu is not None:
        menu.insertAction(win.act_find, act)
    for i, name in enumerate(list(win.pages)[:9], start=1):  # Ctrl+1 … Ctrl+9: the pages in the navigation's order
        page_act = QAction(f"{name}(Ctrl+{i})", win)
        page_act.setObjectName(f"actionPage{i}")
        page_act.setShortcut(QKeySequence(f"Ctrl+{i}"))
        page_act.triggered.connect(lambda _c=False, n=name: show_page_focused(win, n))
        win.addAction(page_act)
        win.nav.item(i - 1).setToolTip(f"{win.nav.item(i - 1).toolTip() or name}（Ctrl+{i}）".strip())
    logout = QAction("注销 / 切换用户(&L)", win)  # the desk stays open, back at the login window
    logout.setObjectName("actionLogout")
    logout.setShortcut(QKeySequence("Ctrl+L"))
    win.logged_out = False

    def log_out() -> None:
        win.logged_out = True
        win.close()

    logout.triggered.connect(log_out)
    win.addAction(logout)
    win.act_logout = logout
    if menu is not None:
        menu.insertAction(win.act_quit, logout)
    win.remember = _Remember(win)
    win.idle_lock = IdleLock(win, log_out, idle_minutes(win))


def idle_minutes(win: Any) -> int:
    """The court's 无操作自动锁定 setting (0: never)."""
    from baihe_desk.services.admin import settings
    from baihe_desk.services.admin.settings_catalogue import IDLE_LOCK_KEY

    with win.db.session() as session:
        return int(settings.get(session, IDLE_LOCK_KEY) or 0)


class IdleLock(QObject):
    """Back to the login window after ``minutes`` without a key press or a mouse click in the desk."""

    INPUT = (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel)

    def __init__(self, win: Any, lock: Any, minutes: int, *, check_ms: int = 15_000):
        super().__init__(win)
        from time import monotonic

        self.clock = monotonic
        self.lock, self.minutes, self.last = lock, minutes, monotonic()
        self.timer = QTimer(self)
        self.timer.setInterval(check_ms)
        self.timer.timeout.connect(self.check)
        if minutes > 0:
            QApplication.instance().installEventFilter(self)
            self.timer.start()

    def eventFilter(self, _obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() in self.INPUT:
            self.last = self.clock()
        return False

    def check(self) -> None:
        if self.minutes > 0 and self.clock() - self.last >= self.minutes * 60:
            self.timer.stop()
            QApplication.instance().removeEventFilter(self)
            self.lock()


def show_page_focused(win: Any, name: str) -> None:
    """Show a page and put the keyboard in it (its focus proxy or first field), not on the navigation."""
    page = win.show_page(name)
    target = page.focusProxy() or page
    target.setFocus(Qt.FocusReason.ShortcutFocusReason)
    if not page.isAncestorOf(win.focusWidget() or page):
        page.focusNextChild()
