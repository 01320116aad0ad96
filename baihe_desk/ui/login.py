"""登录 — the login dialog and the change-password dialog (forced after an administrator's reset).

Login runs synchronously: one scrypt check (~50 ms) plus a small write. Failures are shown inline
under the fields (no message box), so the clerk can simply type again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from baihe_desk import APP_TITLE
from baihe_desk.errors import KnownError, ValidationError
from baihe_desk.services.common import password_policy
from baihe_desk.ui.common.forms import commit_or_say, enter_advances, error_line, show_error_line
from baihe_desk.ui.common.layout import STRETCH, form, hbox, vbox
from baihe_desk.ui.common.qt import QDialog, QLabel, QLineEdit, QWidget
from baihe_desk.ui.common.widgets import button, named

if TYPE_CHECKING:  # SQLAlchemy comes later: the login window is shown before it is imported (issue 21)
    from baihe_desk.models import User
    from baihe_desk.storage.db import Database


class LoginDialog(QDialog):
    """用户登录. After ``accept()``, ``self.user`` is the logged-in user (detached from any session)."""

    def __init__(self, db: Database | None, parent: QWidget | None = None, *, court_name: str = ""):
        super().__init__(parent)
        self.db = db
        self.user: User | None = None
        self._change_dialog: ChangePasswordDialog | None = None
        self.setObjectName("loginDialog")
        self.setWindowTitle(f"登录 — {APP_TITLE}")
        self.setAccessibleName("登录")

        title = QLabel(court_name or APP_TITLE)
        title.setObjectName("loginTitle")
        font = title.font()
        font.setPointSize(font.pointSize() + 3)
        font.setBold(True)
        title.setFont(font)
        subtitle = QLabel("立案·调解工作台")  # under the court's name (the early window adds it when known)
        subtitle.setObjectName("loginSubtitle")
        subtitle.setStyleSheet("color: #5f6368;")
        subtitle.setVisible(bool(court_name))
        self.username = named(QLineEdit(), "loginUsername", "用户名")
        self.password = named(QLineEdit(), "loginPassword", "密码")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = error_line("loginError")
        self.login_button = button("登录", "loginButton", "登录", self.try_login)
        self.login_button.setDefault(True)
        self.cancel_button = button("退出", "loginCancel", "退出", self.reject)
        vbox(title, subtitle, 6,
             form(("用户名(&U)：", self.username), ("密码(&P)：", self.password)), self.error,
             hbox(STRETCH, self.login_button, self.cancel_button), parent=self)
        self.setMinimumWidth(380)
        enter_advances(self.username)  # Enter in 用户名 moves on; Enter in 密码 logs in
        self.username.setFocus()

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))
        self.error.setAccessibleDescription(text)

    def try_login(self) -> None:
        username = self.username.text().strip()
        if not username:
            self.show_error("请输入用户名。")
            self.username.setFocus()
            return
        from baihe_desk.services.common import auth

        assert self.db is not None  # ui/login_first.py waits for the database before calling this
        try:
            with self.db.transaction() as session:
                user = auth.login(session, username, self.password.text())
        except KnownError as exc:
            self.show_error(exc.message)
            self.password.clear()
            self.password.setFocus()
            return
        self.show_error("")
        self.user = user
        if user.must_change_password:
            self._change_dialog = ChangePasswordDialog(self.db, user, self, forced=True)
            self._change_dialog.accepted.connect(self.accept)
            self._change_dialog.rejected.connect(
                lambda: self.show_error("首次登录或密码被重置后，须先修改密码才能使用。")
            )
            self._change_dialog.open()
            return
        self.accept()


class ChangePasswordDialog(QDialog):
    """修改密码."""

    def __init__(self, db: Database, user: User, parent: QWidget | None = None, *, forced: bool = False):
        super().__init__(parent)
        self.db = db
        self.user = user
        self.setObjectName("changePasswordDialog")
        self.setAccessibleName("修改密码")
        self.setWindowTitle("修改密码")
        intro = QLabel(
            "为保护账号安全，请先设置新密码。" if forced else "请输入原密码和新密码。"
        )
        intro.setWordWrap(True)
        hint = QLabel(password_policy.HINT)
        hint.setWordWrap(True)
        self.old = named(QLineEdit(), "oldPassword", "原密码")
        self.new = named(QLineEdit(), "newPassword", "新密码")
        self.repeat = named(QLineEdit(), "repeatPassword", "再次输入新密码")
        for w in (self.old, self.new, self.repeat):
            w.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = error_line("changePasswordError")
        self.ok_button = button("确定", "changePasswordOk", "确定", self.submit)
        self.ok_button.setDefault(True)
        cancel = button("取消", "changePasswordCancel", "取消", self.reject)
        vbox(intro, form(("原密码：", self.old), ("新密码：", self.new), ("再次输入：", self.repeat)), hint, self.error,
             hbox(STRETCH, self.ok_button, cancel), parent=self)
        enter_advances(self.old, self.new)
        self.setMinimumWidth(400)

    def submit(self) -> None:
        if self.new.text() != self.repeat.text():
            show_error_line(self.error, "两次输入的新密码不一致。", self.repeat)
            return

        def change(session) -> None:  # type: ignore[no-untyped-def]
            from baihe_desk.models import User
            from baihe_desk.services.common import auth

            user = session.get(User, self.user.id)
            if user is None:
                raise KnownError("该账号已不存在，请联系管理员。")
            auth.change_password(session, user, self.old.text(), self.new.text())

        def focus(exc: KnownError) -> QLineEdit:
            if isinstance(exc, ValidationError):
                return self.old if exc.field == "原密码" else self.new
            return self.old

        if commit_or_say(self.error, self.db, change, focus):
            self.user.must_change_password = False
            self.accept()
