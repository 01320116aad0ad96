"""Logging in through the dialog, as a clerk types it."""

from __future__ import annotations

from sqlalchemy import select

from baihe_desk.models import AuditRecord, Role, User
from baihe_desk.services.common import auth
from baihe_desk.services.common.auth import MAX_FAILED
from baihe_desk.ui.common.qt import QDialog, Qt
from baihe_desk.ui.login import ChangePasswordDialog, LoginDialog
from tests.ui.helpers import key


def _dialog(qtbot, db):
    dlg = LoginDialog(db, court_name="吉林省白河林区基层法院")
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def _login(qtbot, dlg, username, password):
    dlg.username.clear()
    dlg.password.clear()
    dlg.username.setFocus()  # the clerk clicks into 用户名
    qtbot.keyClicks(dlg.username, username)
    key(dlg.username, Qt.Key.Key_Return)  # Enter moves to the password
    assert dlg.password.hasFocus()
    qtbot.keyClicks(dlg.password, password)
    qtbot.mouseClick(dlg.login_button, Qt.MouseButton.LeftButton)


def test_login_succeeds(qtbot, db, users, password):
    dlg = _dialog(qtbot, db)
    _login(qtbot, dlg, "t_filing_clerk", password)
    assert dlg.result() == QDialog.DialogCode.Accepted
    assert dlg.user is not None and dlg.user.role is Role.FILING_CLERK
    assert dlg.user.display_name == "测试立案窗口书记员"


def test_wrong_password_shows_the_message_inline(qtbot, db, users):
    dlg = _dialog(qtbot, db)
    _login(qtbot, dlg, "t_filing_clerk", "wrong-password-1")
    assert dlg.result() != QDialog.DialogCode.Accepted
    assert dlg.error.isVisible()
    assert dlg.error.text() == auth.FAILED_MESSAGE
    assert dlg.password.text() == "" and dlg.password.hasFocus()
    assert dlg.username.text() == "t_filing_clerk"  # what was typed stays


def test_unknown_user_and_empty_username(qtbot, db, users):
    dlg = _dialog(qtbot, db)
    qtbot.mouseClick(dlg.login_button, Qt.MouseButton.LeftButton)
    assert dlg.error.text() == "请输入用户名。"
    _login(qtbot, dlg, "nobody", "x")
    assert dlg.error.text() == auth.FAILED_MESSAGE  # the same as a wrong password of a real user


def test_five_failures_lock_the_account(qtbot, db, users, password):
    dlg = _dialog(qtbot, db)
    for _ in range(MAX_FAILED):
        _login(qtbot, dlg, "t_judge", "not-the-password9")
        assert dlg.error.text() == auth.FAILED_MESSAGE
    _login(qtbot, dlg, "t_judge", password)  # even the right password is refused now
    assert dlg.result() != QDialog.DialogCode.Accepted
    assert "锁定" in dlg.error.text()
    with db.session() as s:
        user = s.scalar(select(User).where(User.username == "t_judge"))
        assert user.locked_until is not None
        fails = s.scalars(select(AuditRecord).where(AuditRecord.action == "auth.login_failed")).all()
        assert len(fails) == MAX_FAILED + 1  # the attempt while locked is recorded too


def test_must_change_password_opens_the_change_dialog(qtbot, db, users, password):
    with db.transaction() as s:
        s.scalar(select(User).where(User.username == "t_mediator")).must_change_password = True
    dlg = _dialog(qtbot, db)
    _login(qtbot, dlg, "t_mediator", password)
    change = dlg.findChild(ChangePasswordDialog)
    assert change is not None and change.isVisible()
    assert dlg.result() != QDialog.DialogCode.Accepted
    qtbot.keyClicks(change.old, password)
    qtbot.keyClicks(change.new, "Newpass2025")
    qtbot.keyClicks(change.repeat, "Newpass2026")
    qtbot.mouseClick(change.ok_button, Qt.MouseButton.LeftButton)
    assert change.error.text() == "两次输入的新密码不一致。"
    change.repeat.clear()
    qtbot.keyClicks(change.repeat, "Newpass2025")
    qtbot.mouseClick(change.ok_button, Qt.MouseButton.LeftButton)
    assert dlg.result() == QDialog.DialogCode.Accepted
    with db.session() as s:
        user = s.scalar(select(User).where(User.username == "t_mediator"))
        assert not user.must_change_password
    from baihe_desk.services.common.auth import verify_password

    assert verify_password("Newpass2025", user.password_hash)
