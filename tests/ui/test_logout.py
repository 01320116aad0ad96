"""注销 / 切换用户 (Ctrl+L): back to the login window with the desk still open; the next clerk logs in."""

from __future__ import annotations

from sqlalchemy import select

from baihe_desk import app
from baihe_desk.config import LocalSettings
from baihe_desk.models import AuditRecord, Role
from baihe_desk.ui.common.qt import Qt
from baihe_desk.ui.login import LoginDialog
from baihe_desk.ui.main_window import MainWindow
from tests.ui.helpers import ModalDriver


def test_ctrl_l_logs_out_and_another_user_logs_in(qtbot, paths, db, users, password):
    from baihe_desk.ui.common.qt import QWidget

    seen: list[str] = []
    left_open: list[QWidget] = []

    def log_in_as(name: str):  # type: ignore[no-untyped-def]
        def act(dlg: LoginDialog) -> None:
            dlg.username.setText(name)
            dlg.password.setText(password)
            qtbot.mouseClick(dlg.login_button, Qt.MouseButton.LeftButton)
        return act

    def log_out(win: MainWindow) -> None:
        seen.append(win.user.username)
        assert win.act_logout.shortcut().toString() == "Ctrl+L"
        preview = QWidget()  # a window of the clerk's still open (a document preview, the law text)
        preview.setWindowTitle("文书预览")
        preview.show()
        left_open.append(preview)
        win.act_logout.trigger()

    def quit_(win: MainWindow) -> None:
        seen.append(win.user.username)
        win.act_quit.trigger()

    clerk, judge = users[Role.FILING_CLERK].username, users[Role.JUDGE].username
    driver = ModalDriver([
        (lambda w: isinstance(w, LoginDialog), log_in_as(clerk)),
        (lambda w: isinstance(w, MainWindow) and w.isVisible(), log_out),
        (lambda w: isinstance(w, LoginDialog), log_in_as(judge)),
        (lambda w: isinstance(w, MainWindow) and w.isVisible() and w.user.username == judge, quit_),
    ])
    assert app.main(["baihe-desk"], paths, LocalSettings()) == 0
    assert driver.errors == [] and seen == [clerk, judge]
    assert not left_open[0].isVisible()  # closed with the clerk's session, not left to the judge
    with db.session() as s:
        actions = [(r.username, r.action) for r in s.scalars(select(AuditRecord).order_by(AuditRecord.seq))
                   if r.action.startswith("auth.")]
    assert actions == [(clerk, "auth.login"), (clerk, "auth.logout"), (judge, "auth.login")]


def test_the_desk_locks_itself_after_the_courts_idle_minutes(qtbot, db, users, paths):
    from baihe_desk.services.admin import settings
    from baihe_desk.services.admin.settings_catalogue import IDLE_LOCK_KEY
    from baihe_desk.ui.desk_extras import idle_minutes

    with db.transaction() as s:
        settings.set_value(s, users[Role.ADMIN], IDLE_LOCK_KEY, 5)
    win = MainWindow(db, users[Role.FILING_CLERK], paths, court_name="吉林省白河林区基层法院")
    qtbot.addWidget(win)
    win.show()
    assert idle_minutes(win) == 5 and win.idle_lock.minutes == 5
    now = [1000.0]
    win.idle_lock.clock = lambda: now[0]  # the desk's own clock, moved on instead of waiting
    win.idle_lock.last = now[0]
    now[0] += 4 * 60
    win.idle_lock.check()
    assert win.isVisible() and not win.logged_out
    qtbot.keyClick(win, Qt.Key.Key_Shift)  # the clerk touches the keyboard: the five minutes start again
    assert win.idle_lock.last == now[0]
    now[0] += 5 * 60
    win.idle_lock.check()
    assert win.logged_out and not win.isVisible()  # back to the login window (app.main's loop)
