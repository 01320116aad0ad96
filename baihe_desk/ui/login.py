"""登录 — the login dialog and the change-password dialog (forced after an administrator's reset).

Login runs synchronously: one scrypt check (~50 ms) plus a small write. Failures are shown inline
under the fields (no message box), so the clerk can simply type again.
"""

from __future__ import annotations

from baihe_desk import APP_TITLE
from baihe_desk.errors import KnownError, ValidationError
from baihe_desk.models import User
from baihe_desk.services.common import auth
from baihe_desk.storage.db import Database
from baihe_desk.ui.common.forms import enter_advances
from baihe_desk.ui.common.qt import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from baihe_desk.ui.common.widgets import buddy_label, named

ERROR_STYLE = "color: #b3261e;"


def _error_label(object_name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(object_name)
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.setVisible(False)
    return label


class LoginDialog(QDialog):
    """用户登录. After ``accept()``, ``self.user`` is the logged-in user (detached from any session)."""

    def __init__(self, db: Database, parent: QWidget | None = None, *, court_name: str = ""):
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
        subtitle = QLabel("立案·调解工作台" if court_name else "")
        subtitle.setObjectName("loginSubtitle")
        subtitle.setStyleSheet("color: #5f6368;")
        self.username = named(QLineEdit(), "loginUsername", "用户名")
        self.password = named(QLineEdit(), "loginPassword", "密码")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = _error_label("loginError")
        self.login_button = named(QPushButton("登录"), "loginButton", "登录")
        self.login_button.setDefault(True)
        self.cancel_button = named(QPushButton("退出"), "loginCancel", "退出")

        form = QFormLayout()
        form.addRow(buddy_label("用户名(&U)：", self.username), self.username)
        form.addRow(buddy_label("密码(&P)：", self.password), self.password)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.login_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        if court_name:
            layout.addWidget(subtitle)
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.setMinimumWidth(380)

        enter_advances(self.username)  # Enter in 用户名 moves on; Enter in 密码 logs in
        self.login_button.clicked.connect(self.try_login)
        self.cancel_button.clicked.connect(self.reject)
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
        hint = QLabel(f"新密码至少 {auth.MIN_PASSWORD} 个字符，须同时包含字母和数字。")
        hint.setWordWrap(True)
        self.old = named(QLineEdit(), "oldPassword", "原密码")
        self.new = named(QLineEdit(), "newPassword", "新密码")
        self.repeat = named(QLineEdit(), "repeatPassword", "再次输入新密码")
        for w in (self.old, self.new, self.repeat):
            w.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = _error_label("changePasswordError")
        self.ok_button = named(QPushButton("确定"), "changePasswordOk", "确定")
        self.ok_button.setDefault(True)
        cancel = named(QPushButton("取消"), "changePasswordCancel", "取消")
        form = QFormLayout()
        form.addRow(buddy_label("原密码：", self.old), self.old)
        form.addRow(buddy_label("新密码：", self.new), self.new)
        form.addRow(buddy_label("再次输入：", self.repeat), self.repeat)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.ok_button)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        enter_advances(self.old, self.new)
        self.ok_button.clicked.connect(self.submit)
        cancel.clicked.connect(self.reject)
        self.setMinimumWidth(400)

    def submit(self) -> None:
        if self.new.text() != self.repeat.text():
            self._fail("两次输入的新密码不一致。", self.repeat)
            return
        try:
            with self.db.transaction() as session:
                user = session.get(User, self.user.id)
                if user is None:
                    raise KnownError("该账号已不存在，请联系管理员。")
                auth.change_password(session, user, self.old.text(), self.new.text())
        except ValidationError as exc:
            target = self.old if exc.field == "原密码" else self.new
            self._fail(exc.message, target)
            return
        except KnownError as exc:
            self._fail(exc.message, self.old)
            return
        self.user.must_change_password = False
        self.accept()

    def _fail(self, text: str, focus: QLineEdit) -> None:
        self.error.setText(text)
        self.error.setVisible(True)
        focus.selectAll()
        focus.setFocus()
