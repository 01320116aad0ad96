"""The crash handler: log with traceback, drafts saved first, calm path for KnownError, other threads."""

from __future__ import annotations

import sys
import threading

from baihe_desk.errors import KnownError
from baihe_desk.ui.common import crash
from baihe_desk.ui.common.crash_dialog import CrashDialog
from baihe_desk.ui.common.qt import QLabel, QPlainTextEdit, QPushButton, Qt


def _raise(exc: BaseException):
    try:
        raise exc
    except BaseException as e:  # noqa: BLE001
        return type(e), e, e.__traceback__


def test_bug_writes_a_log_with_traceback_after_saving_drafts(paths):
    registry = crash.DraftRegistry()
    order = []
    draft = paths.drafts / "x.json"

    def save():
        order.append("draft")
        draft.write_text("{}", encoding="utf-8")
        return draft

    def broken():
        raise OSError("disk gone")

    registry.register("broken", broken)
    registry.register("x", save)
    handler = crash.CrashHandler(paths, show_dialog=False, registry=registry)
    handler.handle(*_raise(ValueError("坏了")))
    assert handler.last_drafts == [draft]  # the broken saver did not stop the good one
    log = handler.last_log.read_text(encoding="utf-8")
    assert handler.last_log.parent == paths.logs
    assert "Traceback" in log and "ValueError: 坏了" in log and "Python" in log


def test_known_error_is_not_a_crash(paths):
    handler = crash.CrashHandler(paths, show_dialog=False)
    handler.handle(*_raise(KnownError("数据库正被其他操作占用")))
    assert handler.last_log is None
    assert list(paths.logs.iterdir()) == []


def test_install_hooks_and_exceptions_in_other_threads(qtbot, paths):
    handler = crash.CrashHandler(paths, show_dialog=False)
    old = (sys.excepthook, threading.excepthook)
    handler.install()
    try:
        assert sys.excepthook == handler.handle
        t = threading.Thread(target=lambda: 1 / 0, name="worker-x")
        t.start()
        t.join()
        qtbot.waitUntil(lambda: handler.last_log is not None)  # delivered on the UI thread
        text = handler.last_log.read_text(encoding="utf-8")
        assert "ZeroDivisionError" in text and "worker-x" in text
    finally:
        handler.uninstall()
    assert (sys.excepthook, threading.excepthook) == old


def test_crash_dialog_says_what_happened_and_shows_details(qtbot, tmp_path):
    report = "Traceback (most recent call last):\nValueError: 坏了\n"
    dlg = CrashDialog(report, tmp_path / "crash-1.log", [tmp_path / "intake-draft.json"])
    qtbot.addWidget(dlg)
    dlg.show()
    labels = [w.text() for w in dlg.findChildren(QPushButton)]
    assert labels == ["显示详情", "复制错误信息", "继续使用", "退出程序"]
    details = dlg.findChild(QPlainTextEdit, "crashDetails")
    assert not details.isVisible()
    qtbot.mouseClick(dlg.findChild(QPushButton, "crashShowDetails"), Qt.MouseButton.LeftButton)
    assert details.isVisible() and "ValueError: 坏了" in details.toPlainText()
    message = dlg.findChild(QLabel).text()
    assert "草稿" in message and "crash-1.log" in message
    qtbot.mouseClick(dlg.findChild(QPushButton, "crashContinue"), Qt.MouseButton.LeftButton)
    assert not dlg.isVisible()
