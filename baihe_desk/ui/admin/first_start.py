"""首次启动 — create the administrator, then offer the demo data (演示数据)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from baihe_desk import APP_TITLE
from baihe_desk.config import LocalSettings, Paths
from baihe_desk.errors import KnownError, ValidationError
from baihe_desk.services.common import auth, password_policy
from baihe_desk.storage.db import Database
from baihe_desk.ui.common.forms import commit_or_say, enter_advances, error_line, show_error_line
from baihe_desk.ui.common.layout import STRETCH, form, hbox, vbox
from baihe_desk.ui.common.qt import QDialog, QLabel, QLineEdit, QWidget
from baihe_desk.ui.common.widgets import button, named

CONNECT_SERVER = 2  # the dialog's result when the clerk chose 连接院内服务器 instead


class FirstStartDialog(QDialog):
    """创建管理员账号. After ``accept()``, ``self.username`` holds the new administrator's name.

    A desk of a court that already has a server connects to it instead (``CONNECT_SERVER``): its users and
    cases are there, so no administrator is created here."""

    def __init__(self, db: Database, parent: QWidget | None = None, *, paths: Paths | None = None,
                 settings: LocalSettings | None = None):
        super().__init__(parent)
        self.db = db
        self.paths, self.settings = paths, settings
        self.server_url = ""
        self.username_created = ""
        self.setObjectName("firstStartDialog")
        self.setAccessibleName("首次启动")
        self.setWindowTitle(f"首次启动 — {APP_TITLE}")
        intro = QLabel(
            "欢迎使用。这是本数据库的第一次启动，请先创建系统管理员账号。\n"
            "管理员可以添加立案窗口、法官、调解员等其他用户。法院名称和代字用于收件号、案号和文书，"
            "以后可由管理员修改。"
        )
        intro.setWordWrap(True)
        self.court_name = named(QLineEdit("吉林省白河林区基层法院"), "courtName", "法院名称")
        self.court_code = named(QLineEdit("吉7502"), "courtCode", "法院代字")
        self.court_code.setMaxLength(12)
        self.username = named(QLineEdit("admin"), "adminUsername", "管理员用户名")
        self.display_name = named(QLineEdit(), "adminDisplayName", "管理员姓名")
        self.password = named(QLineEdit(), "adminPassword", "密码")
        self.repeat = named(QLineEdit(), "adminRepeat", "再次输入密码")
        for w in (self.password, self.repeat):
            w.setEchoMode(QLineEdit.EchoMode.Password)
        hint = QLabel(password_policy.HINT)
        self.error = error_line("firstStartError")
        ok = button("创建管理员", "createAdmin", "创建管理员", self.submit)
        ok.setDefault(True)
        cancel = button("退出", "firstStartCancel", "退出", self.reject)
        server = button("连接院内服务器…", "firstStartServer", "连接院内服务器", self.connect_server,
                        tip="院里已有数据库服务器时：本工作台连接服务器，使用服务器上的用户和案件")
        server.setVisible(paths is not None and settings is not None)
        self.has_court = self._court_exists()
        court = [("法院名称：", self.court_name), ("法院代字：", self.court_code)]
        if self.has_court:
            self.court_name.hide()
            self.court_code.hide()
            court = []
        rows = form(*court, ("用户名：", self.username), ("姓名：", self.display_name), ("密码：", self.password),
                    ("再次输入：", self.repeat))
        vbox(intro, rows, hint, self.error, hbox(server, STRETCH, ok, cancel), parent=self)
        enter_advances(self.court_name, self.court_code, self.username, self.display_name, self.password)
        self.display_name.setFocus()  # court name and user name come prefilled
        self.setMinimumWidth(440)

    def connect_server(self) -> None:
        from baihe_desk.ui.admin.server_connect import ServerConnectDialog

        assert self.paths is not None and self.settings is not None
        dialog = ServerConnectDialog(self.paths, self.settings, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.server_url = dialog.address().url(dialog.password_text or None)
            self.done(CONNECT_SERVER)

    def _court_exists(self) -> bool:
        from baihe_desk.services.admin.court import get_profile

        with self.db.session() as session:
            return get_profile(session) is not None

    def submit(self) -> None:
        if self.password.text() != self.repeat.text():
            show_error_line(self.error, "两次输入的密码不一致。", self.repeat)
            return
        fields = {"用户名": self.username, "法院名称": self.court_name, "法院代字": self.court_code}

        def focus(exc: KnownError) -> QLineEdit:
            return fields.get(exc.field, self.password) if isinstance(exc, ValidationError) else self.username

        if commit_or_say(self.error, self.db, self._create, focus):
            self.accept()

    def _create(self, session) -> None:  # type: ignore[no-untyped-def]
        from baihe_desk.services.admin import court
        from baihe_desk.services.common.actor import SYSTEM

        user = auth.create_first_admin(session, self.username.text(), self.display_name.text(), self.password.text())
        if not self.has_court:
            court.save_profile(session, SYSTEM, name=self.court_name.text(), code=self.court_code.text(),
                               seal_text=self.court_name.text().strip())
        self.username_created = user.username


def demo_summary(result: Any) -> str:
    """The text shown after loading demo data: how many cases, and the demo accounts."""
    if result is None:
        return "已取消载入演示数据。"
    lines = [f"已载入演示数据：{result.cases} 件案件。", "", "演示账号（用户名 / 密码 / 角色）："]
    lines += [f"  {u} / {p} / {role}" for u, p, role in result.users]
    lines += ["", "演示数据仅供练习，正式使用前请换用新的数据库。"]
    return "\n".join(lines)


def load_demo_in_background(db: Database, parent: QWidget | None, on_done: Callable[[Any], None],
                            on_failure: Callable[[BaseException], None] | None = None) -> None:
    """Run ``services.admin.demo.load_demo`` on a worker thread with a progress dialog."""
    from baihe_desk.ui.common.background import run_in_background

    def work(ctx):  # type: ignore[no-untyped-def]
        from baihe_desk.services.admin.demo import load_demo

        def progress(done: int, total: int) -> bool:
            ctx.progress(done, total, f"正在生成演示案件：{done} / {total}")
            return not ctx.cancelled

        from baihe_desk.config import Paths

        # the sample made through the services needs the data folder for its documents (SQLite: the file's folder)
        paths = Paths(db.sqlite_path.parent) if db.sqlite_path is not None else None
        return load_demo(db, progress=progress, paths=paths)

    run_in_background(work, parent=parent, on_success=on_done, on_failure=on_failure,
                      on_cancel=lambda: on_done(None), progress="正在载入演示数据…", cancellable=True)
