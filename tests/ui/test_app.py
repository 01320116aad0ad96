"""The composition root ``app.main``: refusal of a database, first start, demo data, login, window."""

from __future__ import annotations

from sqlalchemy import func, select

from baihe_desk import app
from baihe_desk.config import LocalSettings
from baihe_desk.models import Case, CourtProfile, Role, User
from baihe_desk.ui.admin.first_start import FirstStartDialog
from baihe_desk.ui.common.qt import QApplication, QMessageBox, QPushButton, Qt
from baihe_desk.ui.login import ChangePasswordDialog, LoginDialog
from baihe_desk.ui.main_window import MainWindow
from tests.ui.helpers import REFUSAL, ModalDriver, start_with_a_refused_database

ADMIN_PASSWORD = "Setup-2025-ok"
NEW_PASSWORD = "Chosen-by-me-2026"


def _click(box, object_name: str) -> None:
    box.findChild(QPushButton, object_name).click()


def test_refused_database_is_a_calm_message_and_exit_code_1(qtbot, paths, monkeypatch):
    rc, driver, seen = start_with_a_refused_database(monkeypatch, paths)
    assert rc == app.EXIT_DB_REFUSED
    assert driver.errors == []
    assert seen == [REFUSAL]


def test_font_is_set_from_settings(qtbot):
    from baihe_desk.ui.common.widgets import apply_ui_font

    chosen = apply_ui_font(QApplication.instance(), ["No Such Font", "WenQuanYi Micro Hei", "Noto Sans CJK SC"])
    assert chosen == "WenQuanYi Micro Hei"
    assert QApplication.instance().font().families()[0] == "WenQuanYi Micro Hei"


def test_first_start_demo_data_login_and_main_window(qtbot, paths):
    summary = []
    window = []

    def create_admin(dlg: FirstStartDialog) -> None:
        assert dlg.court_name.text() == "吉林省白河林区基层法院"
        dlg.password.setText(ADMIN_PASSWORD)
        dlg.repeat.setText(ADMIN_PASSWORD)
        dlg.findChild(QPushButton, "createAdmin").click()

    def want_demo(box: QMessageBox) -> None:
        assert "演示数据" in box.text()
        _click(box, "answerYes")

    def read_summary(box: QMessageBox) -> None:
        summary.append(box.text())
        box.button(QMessageBox.StandardButton.NoButton)
        _click(box, "messageBoxOk")

    def log_in(dlg: LoginDialog) -> None:
        qtbot.keyClicks(dlg.username, "admin")
        qtbot.keyClicks(dlg.password, ADMIN_PASSWORD)
        qtbot.mouseClick(dlg.login_button, Qt.MouseButton.LeftButton)

    def change_password(dlg: ChangePasswordDialog) -> None:  # the first administrator's password is changed
        dlg.old.setText(ADMIN_PASSWORD)
        dlg.new.setText(NEW_PASSWORD)
        dlg.repeat.setText(NEW_PASSWORD)
        dlg.ok_button.click()

    def look_and_quit(win: MainWindow) -> None:
        qtbot.waitUntil(lambda: win.case_list.model.loaded_once and not win.case_list.model.loading, timeout=10_000)
        window.append((win.user.username, win.case_list.model.total, win.court_name, {"案件列表", "收件登记", "文书"} <= win.pages.keys()))
        win.act_quit.trigger()

    driver = ModalDriver([
        (lambda w: isinstance(w, FirstStartDialog), create_admin),
        (lambda w: isinstance(w, QMessageBox) and "是否载入演示数据" in w.text(), want_demo),
        (lambda w: isinstance(w, QMessageBox) and "演示账号" in w.text(), read_summary),
        (lambda w: isinstance(w, LoginDialog), log_in),
        (lambda w: isinstance(w, ChangePasswordDialog), change_password),
        (lambda w: isinstance(w, MainWindow), look_and_quit),
    ])
    rc = app.main(["baihe-desk"], paths, LocalSettings())
    assert driver.errors == []
    assert rc == 0
    assert driver.done == ["FirstStartDialog", "QMessageBox", "QMessageBox", "LoginDialog", "ChangePasswordDialog",
                           "MainWindow"]
    assert "已载入演示数据：200 件案件" in summary[0] and "lian / Baihe1-lian / 立案窗口书记员" in summary[0]
    assert window == [("admin", 200, "吉林省白河林区基层法院", True)]
    from baihe_desk.storage.backup import list_backups

    # issue 21: nothing is copied at start-up; the day's backup comes minutes later (tests/storage/test_daily_backup.py)
    assert list_backups(paths) == []
    # the law library learnt the data folder (versions an administrator added) once the database was open
    from baihe_desk.services.common import law_library

    assert law_library._USER_DIR == paths.root / "law"
    law_library.use_data_dir(None)

    from baihe_desk.storage.startup import open_database

    db = open_database(paths, LocalSettings(), backup=False)
    try:
        with db.session() as s:
            admin = s.scalar(select(User).where(User.username == "admin"))
            assert admin.role is Role.ADMIN
            assert s.scalar(select(CourtProfile.code)) == "吉7502"
            assert s.scalar(select(func.count()).select_from(Case)) == 200
    finally:
        db.dispose()
