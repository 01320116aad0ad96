"""Issue 21: the login window comes before SQLAlchemy; the database opens behind it while the clerk types."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from baihe_desk import app
from baihe_desk.config import LocalSettings
from baihe_desk.ui.common.qt import QApplication, QLabel, QTimer
from baihe_desk.ui.common.start_probe import ENV_PROBE_LOGIN
from baihe_desk.ui.login import LoginDialog
from baihe_desk.ui.login_first import WAITING_TEXT, EarlyLoginDialog
from baihe_desk.ui.main_window import MainWindow
from tests.fake_today import child_env
from tests.ui.helpers import REFUSAL, ModalDriver, start_with_a_refused_database, type_text, with_demo_users

REPO = Path(__file__).resolve().parents[2]




def test_a_new_process_shows_the_login_window_before_sqlalchemy_is_imported(paths, tmp_path):
    with_demo_users(paths)
    report = tmp_path / "login.jsonl"
    env = child_env({**os.environ, "QT_QPA_PLATFORM": "offscreen", ENV_PROBE_LOGIN: str(report)})
    started = time.time()
    done = subprocess.run([sys.executable, "-m", "baihe_desk", "--data-dir", str(paths.root)], env=env, cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    [line] = report.read_text(encoding="utf-8").splitlines()
    facts = json.loads(line)
    assert started <= facts["shown"] <= time.time()
    assert facts["title"].startswith("登录") and facts["visible"] is True
    assert facts["sqlalchemy_at_show"] is False


def test_the_first_start_and_a_server_still_open_the_database_first(paths):
    """No database file yet (the first-start dialog needs it) or a server (its password may be asked)."""
    assert not app.login_first_possible(paths, LocalSettings())
    with_demo_users(paths)
    assert app.login_first_possible(paths, LocalSettings())
    assert not app.login_first_possible(paths, LocalSettings(database_url="postgresql://desk@server/baihe"))


def test_login_pressed_before_the_database_is_open_waits_and_then_logs_in(qtbot, paths, monkeypatch):
    with_demo_users(paths)
    release = threading.Event()
    real_preload = app.preload

    def slow_preload() -> None:  # the database opens only when the test says so
        assert release.wait(30)
        real_preload()

    monkeypatch.setattr(app, "preload", slow_preload)
    seen: dict = {}

    def log_in(dlg: LoginDialog) -> None:
        seen["early"] = isinstance(dlg, EarlyLoginDialog)
        seen["db_before"] = dlg.db
        type_text(dlg.username, "lian")
        type_text(dlg.password, "Baihe7-lian")
        dlg.login_button.click()
        QApplication.processEvents()
        seen["status"] = dlg.status.text() if dlg.status.isVisible() else ""
        seen["button_enabled"] = dlg.login_button.isEnabled()
        seen["main_window_while_waiting"] = any(isinstance(w, MainWindow) and w.isVisible()
                                                for w in QApplication.topLevelWidgets())  # (an earlier test's, hidden, may remain)
        release.set()

    def close_main(window: MainWindow) -> None:
        seen["user"] = window.user.username
        window.close()

    def give_up() -> None:  # never hang the suite
        release.set()
        for w in QApplication.topLevelWidgets():
            if w.isVisible():
                w.close()

    guard = QTimer()
    guard.setSingleShot(True)
    guard.timeout.connect(give_up)
    guard.start(60_000)
    driver = ModalDriver([(lambda w: isinstance(w, LoginDialog), log_in),
                          (lambda w: isinstance(w, MainWindow), close_main)])
    try:
        assert app.main(["baihe-desk"], paths, LocalSettings()) == app.EXIT_OK
    finally:
        guard.stop()  # never fires into a later test
    assert driver.errors == []
    assert seen["early"] is True and seen["db_before"] is None
    assert seen["status"] == WAITING_TEXT and seen["button_enabled"] is False
    assert seen["main_window_while_waiting"] is False
    assert seen["user"] == "lian"
    from baihe_desk.storage.backup import list_backups

    assert list_backups(paths) == []  # the daily copy waits minutes after the start: none at start-up


def test_wrong_password_after_the_wait_is_said_in_the_window(qtbot, paths, monkeypatch):
    with_demo_users(paths)
    seen: dict = {}

    def wrong(dlg: LoginDialog) -> None:
        type_text(dlg.username, "lian")
        type_text(dlg.password, "not-the-password")
        dlg.login_button.click()
        qtbot.waitUntil(lambda: dlg.error.isVisible(), timeout=30_000)
        seen["error"] = dlg.error.text()
        seen["status_visible"] = dlg.status.isVisible()
        seen["heading"] = [label.text() for label in (dlg.findChild(QLabel, "loginTitle"),
                                                      dlg.findChild(QLabel, "loginSubtitle")) if label.isVisible()]
        dlg.cancel_button.click()

    driver = ModalDriver([(lambda w: isinstance(w, LoginDialog), wrong)])
    assert app.main(["baihe-desk"], paths, LocalSettings()) == app.EXIT_OK
    assert driver.errors == []
    assert "密码" in seen["error"] and seen["status_visible"] is False
    assert seen["heading"] == ["吉林省白河林区基层法院", "立案·调解工作台"]  # once open, as the usual login window


def test_the_plain_start_skips_the_full_command_parser():
    from baihe_desk import cli

    quick = cli._start_args(["--data-dir", "D:/白河", "--db", "sqlcipher"])
    assert (quick.data_dir, quick.db, quick.command, quick.user) == ("D:/白河", "sqlcipher", None, None)
    assert cli._start_args([]) is not None
    for other in (["cases"], ["--version"], ["-h"], ["--data-dir"], ["--user", "lian"], ["--data-dir", "x", "gui"]):
        assert cli._start_args(other) is None  # the full parser handles (or refuses) these


def test_a_database_that_refuses_to_open_closes_the_login_window_with_a_calm_message(qtbot, paths, monkeypatch):
    with_demo_users(paths)
    rc, driver, seen = start_with_a_refused_database(monkeypatch, paths)
    assert rc == app.EXIT_DB_REFUSED
    assert driver.errors == [] and seen == [REFUSAL]
    assert not any(isinstance(w, LoginDialog) and w.isVisible() for w in QApplication.topLevelWidgets())
