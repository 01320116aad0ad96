"""连接院内服务器 — point this desk at the court's PostgreSQL (first start), and the password at each start.

The address goes into this desk's settings; the password into the OS credential store when there is one
(``storage.server_connect``), otherwise it is asked for at every start and kept nowhere. 测试连接 runs the
connection test on a worker thread and shows its calm message; 保存并连接 is possible only after a
successful test, so a desk is never left pointing at a server it cannot use.
"""

from __future__ import annotations

from baihe_desk.config import LocalSettings, Paths, is_server_url
from baihe_desk.storage import server_connect as sc
from baihe_desk.ui.common.forms import enter_advances, error_line
from baihe_desk.ui.common.layout import STRETCH, form, hbox, vbox
from baihe_desk.ui.common.qt import QCheckBox, QDialog, QLabel, QLineEdit, QSpinBox, QWidget
from baihe_desk.ui.common.widgets import button, named

GREEN, RED = "#1b5e20", "#b3261e"


class ServerConnectDialog(QDialog):
    """After ``accept()``: ``self.url`` (no password) is saved in the settings, ``self.password`` is in memory."""

    def __init__(self, paths: Paths, settings: LocalSettings, parent: QWidget | None = None):
        super().__init__(parent)
        self.paths, self.settings = paths, settings
        self.url = ""
        self.password_text = ""
        self.tested: str | None = None  # the URL the last successful test was for
        self.setObjectName("serverConnectDialog")
        self.setAccessibleName("连接院内服务器")
        self.setWindowTitle("连接院内服务器")
        intro = QLabel("院里有数据库服务器时，各工作台连接同一个数据库，共同处理收件、审查、调解和执行咨询。"
                       "服务器地址、数据库名和用户名由信息技术人员提供。")
        intro.setWordWrap(True)
        self.host = named(QLineEdit(), "serverHost", "服务器地址")
        self.host.setPlaceholderText("例如 10.0.0.5 或 db.baihe.court")
        self.port = named(QSpinBox(), "serverPort", "端口")
        self.port.setRange(1, 65535)
        self.port.setValue(sc.DEFAULT_PORT)
        self.database = named(QLineEdit("baihe"), "serverDatabase", "数据库名")
        self.user = named(QLineEdit("baihe_desk_app"), "serverUser", "用户名")
        self.password = named(QLineEdit(), "serverPassword", "密码")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.tls = named(QCheckBox("加密连接并核对服务器证书（sslmode=verify-full）"), "serverTls", "加密连接")
        self.remember = named(QCheckBox("在本机的系统凭据管理器中记住密码"), "serverRemember", "记住密码")
        self.store_ok = sc.credential_store_available()
        self.remember.setChecked(self.store_ok)
        self.remember.setEnabled(self.store_ok)
        if not self.store_ok:
            self.remember.setText("本机没有可用的系统凭据管理器：密码不会保存，每次启动时输入")
        self.result = named(QLabel(""), "serverTestResult", "连接测试结果")
        self.result.setWordWrap(True)
        self.error = error_line("serverConnectError")
        self.test_button = button("测试连接", "serverTest", "测试连接", self.test)
        self.save_button = button("保存并连接", "serverSave", "保存并连接", self.save)
        self.save_button.setEnabled(False)
        cancel = button("取消", "serverCancel", "取消", self.reject)
        rows = form(("服务器地址：", self.host), ("端口：", self.port), ("数据库名：", self.database),
                    ("用户名：", self.user), ("密码：", self.password))
        vbox(intro, rows, self.tls, self.remember, self.result, self.error,
             hbox(STRETCH, self.test_button, self.save_button, cancel), parent=self)
        enter_advances(self.host, self.port, self.database, self.user)
        for w in (self.host, self.database, self.user, self.password):
            w.textChanged.connect(self._changed)
        self.port.valueChanged.connect(self._changed)
        self.tls.toggled.connect(self._changed)
        self.password.returnPressed.connect(self.test)
        self.setMinimumWidth(480)

    def address(self) -> sc.ServerAddress:
        return sc.ServerAddress(host=self.host.text().strip(), database=self.database.text().strip(),
                                user=self.user.text().strip(), port=self.port.value(),
                                sslmode="verify-full" if self.tls.isChecked() else "")

    def _changed(self, *_args: object) -> None:
        self.tested = None
        self.save_button.setEnabled(False)

    def test(self) -> None:
        from baihe_desk.errors import KnownError
        from baihe_desk.ui.common.background import run_in_background

        address = self.address()
        try:
            address.check()
        except KnownError as exc:
            self._show(False, exc.message)
            return
        url = address.url(self.password.text() or None)
        self.result.setText("正在连接……")
        self.test_button.setEnabled(False)

        def done(result: sc.ProbeResult) -> None:
            self._show(result.ok, result.message)
            if result.ok:
                self.tested = url
                self.save_button.setEnabled(True)
                self.save_button.setFocus()

        run_in_background(lambda _ctx: sc.probe(url), parent=self, on_success=done,
                          on_finally=lambda: self.test_button.setEnabled(True))

    def _show(self, ok: bool, text: str) -> None:
        self.result.setText(f"<span style='color:{GREEN if ok else RED}'>{'✓' if ok else '✗'} {text}</span>")

    def save(self) -> None:
        address = self.address()
        if self.tested != address.url(self.password.text() or None):
            return
        self.url, self.password_text = address.url(), self.password.text()
        if self.password_text and self.remember.isChecked():
            sc.store_password(address, self.password_text)
        self.settings.database_url = self.url
        self.settings.save(self.paths)  # the address only: the password is never written here
        self.accept()


class ServerPasswordDialog(QDialog):
    """The server password at start, when the credential store has none for this server."""

    def __init__(self, address: sc.ServerAddress, parent: QWidget | None = None):
        super().__init__(parent)
        self.address = address
        self.setObjectName("serverPasswordDialog")
        self.setAccessibleName("输入服务器密码")
        self.setWindowTitle("输入服务器密码")
        store_ok = sc.credential_store_available()
        where = address.host if address.host.startswith("/") else f"{address.host}:{address.port}"
        text = (f"连接院内服务器 {where}（数据库 {address.database}，用户 {address.user}）需要密码。"
                + ("" if store_ok else "\n本机没有可用的系统凭据管理器，密码不会保存，每次启动时都需要输入。"))
        self.intro = intro = QLabel(text)
        intro.setWordWrap(True)
        self.password = named(QLineEdit(), "serverPasswordInput", "服务器密码")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = named(QCheckBox("在系统凭据管理器中记住密码"), "serverPasswordRemember", "记住密码")
        self.remember.setVisible(store_ok)
        self.remember.setChecked(store_ok)
        self.error = error_line("serverPasswordError")
        ok = button("连接", "serverPasswordOk", "连接", self.submit)
        ok.setDefault(True)
        cancel = button("退出", "serverPasswordCancel", "退出", self.reject)
        vbox(intro, self.password, self.remember, self.error, hbox(STRETCH, ok, cancel), parent=self)
        self.setMinimumWidth(420)

    def submit(self) -> None:
        result = sc.probe(self.address.url(self.password.text() or None))
        if not result.ok:
            self.error.setText(result.message)
            self.error.setVisible(True)
            self.password.selectAll()
            self.password.setFocus()
            return
        if self.remember.isChecked():
            sc.store_password(self.address, self.password.text())
        self.accept()

    def url(self) -> str:
        return self.address.url(self.password.text() or None)


def password_for_start(settings: LocalSettings) -> LocalSettings | None:
    """The settings to open the database with: a server URL gets its password (credential store, else a
    prompt) in memory. None: the clerk gave up at the prompt."""
    url = settings.database_url
    if not is_server_url(url):
        return settings
    assert url is not None
    resolved = sc.with_stored_password(url)
    if not sc.needs_password(resolved):
        return _with_url(settings, resolved)
    dialog = ServerPasswordDialog(sc.ServerAddress.parse(url))
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return _with_url(settings, dialog.url())


def _with_url(settings: LocalSettings, url: str) -> LocalSettings:
    from dataclasses import replace

    return replace(settings, database_url=url)
