"""First start on a court with a server: 连接院内服务器 → connection test → log in with the server's users.

The whole start-up (``app.main``) is driven as a new desk's clerk would, against the PostgreSQL server the
tests start; the password ends up in the credential store, never in the settings file."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from baihe_desk import app
from baihe_desk.config import LocalSettings, Paths
from baihe_desk.models import Case, Role, User
from baihe_desk.services.admin.demo import load_demo
from baihe_desk.services.common import auth
from baihe_desk.storage import server_connect as sc
from baihe_desk.storage.startup import open_database
from baihe_desk.ui.admin.first_start import FirstStartDialog
from baihe_desk.ui.admin.server_connect import ServerConnectDialog, ServerPasswordDialog
from baihe_desk.ui.common.qt import QPushButton, QTimer
from baihe_desk.ui.login import LoginDialog
from baihe_desk.ui.main_window import MainWindow
from tests.ui.helpers import ModalDriver

ADMIN_PASSWORD = "Server-Admin-2026"


@pytest.fixture
def server_db(pg_server, tmp_path):
    url = pg_server.fresh_database()
    db = open_database(Paths(tmp_path / "it").ensure(), LocalSettings(database_url=url), migrate=False)
    load_demo(db, cases=30, seed=9)
    with db.transaction() as s:
        s.add(User(username="court_admin", display_name="院信息科", role=Role.ADMIN,
                   password_hash=auth.hash_password(ADMIN_PASSWORD)))
    with db.session() as s:
        cases = s.scalar(select(func.count()).select_from(Case))
    db.dispose()
    yield url, sc.ServerAddress.parse(url), cases
    pg_server.drop(url)


def _click_later(dialog, name: str) -> None:
    QTimer.singleShot(0, dialog.findChild(QPushButton, name).click)  # let the driver's tick return first


def test_a_new_desk_connects_to_the_server_and_works_on_its_cases(qtbot, tmp_path, server_db, memory_keyring, monkeypatch):
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-pgpass"))
    url, address, cases = server_db
    paths = Paths(tmp_path / "new-desk").ensure()
    seen: dict[str, object] = {}

    def fill(dlg: ServerConnectDialog) -> None:
        dlg.host.setText(address.host)
        dlg.port.setValue(address.port)
        dlg.database.setText(address.database)
        dlg.user.setText(address.user)
        dlg.password.setText("Desk-Password-1")
        assert not dlg.save_button.isEnabled()  # only after a successful test
        dlg.test_button.click()

    def save(dlg: ServerConnectDialog) -> None:
        seen["result"] = dlg.result.text()
        _click_later(dlg, "serverSave")

    def log_in(dlg: LoginDialog) -> None:
        dlg.username.setText("court_admin")
        dlg.password.setText(ADMIN_PASSWORD)
        dlg.login_button.click()

    def look_and_quit(win: MainWindow) -> None:
        qtbot.waitUntil(lambda: win.case_list.model.loaded_once and not win.case_list.model.loading, timeout=10_000)
        seen["window"] = (win.user.username, win.case_list.model.total)
        win.act_quit.trigger()

    driver = ModalDriver([
        (lambda w: isinstance(w, FirstStartDialog), lambda d: _click_later(d, "firstStartServer")),
        (lambda w: isinstance(w, ServerConnectDialog), fill),
        (lambda w: isinstance(w, ServerConnectDialog) and w.save_button.isEnabled(), save),
        (lambda w: isinstance(w, LoginDialog), log_in),
        (lambda w: isinstance(w, MainWindow), look_and_quit),
    ])
    assert app.main(["baihe-desk"], paths, LocalSettings()) == 0
    assert driver.errors == []
    assert "连接成功" in str(seen["result"])
    assert seen["window"] == ("court_admin", cases)
    saved = json.loads(paths.local_settings.read_text(encoding="utf-8"))
    assert saved["database_url"] == address.url() and "Desk-Password-1" not in paths.local_settings.read_text()
    assert sc.stored_password(address) == "Desk-Password-1"

    # the next start takes the password from the credential store: straight to the login window
    driver = ModalDriver([
        (lambda w: isinstance(w, LoginDialog), log_in),
        (lambda w: isinstance(w, MainWindow), look_and_quit),
    ])
    assert app.main(["baihe-desk"], paths, LocalSettings.load(paths)) == 0
    assert driver.errors == [] and driver.done == ["LoginDialog", "MainWindow"]


def test_without_a_stored_password_the_desk_asks_for_it(qtbot, tmp_path, server_db, memory_keyring, monkeypatch):
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-pgpass"))
    _url, address, _cases = server_db
    paths = Paths(tmp_path / "desk").ensure()
    LocalSettings(database_url=address.url()).save(paths)

    def give_up(dlg: ServerPasswordDialog) -> None:
        assert f"数据库 {address.database}" in dlg.intro.text() and dlg.remember.isChecked()
        dlg.reject()

    driver = ModalDriver([(lambda w: isinstance(w, ServerPasswordDialog), give_up)])
    assert app.main(["baihe-desk"], paths, LocalSettings.load(paths)) == app.EXIT_OK
    assert driver.done == ["ServerPasswordDialog"]
