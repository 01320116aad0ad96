"""``BAIHE_DESK_PROBE_LOGIN``: the frozen desk's smoke test learns that the window came up to the login
dialog (and how fast), then the desk exits as if 退出 had been pressed. Without the variable the
login dialog stays open as always."""

from __future__ import annotations

import json
import time

from baihe_desk import app
from baihe_desk.config import LocalSettings
from baihe_desk.ui.common.qt import QApplication, QTimer
from baihe_desk.ui.common.start_probe import ENV_PROBE_LOGIN
from baihe_desk.ui.login import LoginDialog
from tests.ui.helpers import ModalDriver, with_demo_users


def test_probe_reports_the_shown_login_window_and_closes_it(qtbot, paths, tmp_path, monkeypatch):
    with_demo_users(paths)
    report = tmp_path / "探针" / "login.jsonl"
    report.parent.mkdir()
    monkeypatch.setenv(ENV_PROBE_LOGIN, str(report))

    def give_up() -> None:  # without the probe the login window would wait for ever: fail instead
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, LoginDialog) and widget.isVisible():
                widget.reject()

    QTimer.singleShot(20_000, give_up)
    started = time.time()
    assert app.main(["baihe-desk"], paths, LocalSettings()) == app.EXIT_OK
    [line] = report.read_text(encoding="utf-8").splitlines()
    facts = json.loads(line)
    assert started <= facts["shown"] <= time.time()
    assert facts["visible"] is True and facts["title"].startswith("登录")
    assert facts["platform"] == "offscreen"
    assert facts["qt_cancel"] == "取消"  # Qt's own strings in Chinese
    assert facts["pdf_and_print"] is True


def test_without_the_variable_the_login_window_waits_for_the_clerk(qtbot, paths, tmp_path, monkeypatch):
    with_demo_users(paths)
    monkeypatch.delenv(ENV_PROBE_LOGIN, raising=False)
    seen = []

    def cancel(dialog: LoginDialog) -> None:
        seen.append(dialog.isVisible())
        dialog.cancel_button.click()

    driver = ModalDriver([(lambda w: isinstance(w, LoginDialog), cancel)])
    assert app.main(["baihe-desk"], paths, LocalSettings()) == app.EXIT_OK
    assert driver.errors == [] and seen == [True]
    assert list(tmp_path.rglob("*.jsonl")) == []
