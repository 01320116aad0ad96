"""Start-up probe for the smoke test of the frozen desk (``packaging/smoke.py``).

With ``BAIHE_DESK_PROBE_LOGIN=<file>`` in the environment, the desk writes one JSON line to that
file as soon as the login window is shown, then closes it (the desk exits as if the clerk had
pressed 退出). The line says when (``time.time()``, so the caller can measure start → login on the
same clock), the window's title, the Qt platform, whether Qt's own strings are in Chinese (the
translations were shipped), whether SQLAlchemy was already imported when it showed, and whether
QtPdf and QtPrintSupport load (preview and printing).
A file rather than standard output: the windowed Windows executable has no console.
Without the variable nothing happens.
"""

from __future__ import annotations

import json
import os
import sys
import time

from baihe_desk.ui.common.qt import QApplication, QDialog, QEvent, QObject, QtCore, QTimer

ENV_PROBE_LOGIN = "BAIHE_DESK_PROBE_LOGIN"


def _facts(dialog: QDialog) -> dict:
    facts: dict = {"shown": time.time(), "title": dialog.windowTitle(), "visible": dialog.isVisible(),
                   "platform": QApplication.platformName(),
                   "qt_cancel": QtCore.QCoreApplication.translate("QPlatformTheme", "Cancel")}
    try:
        from PySide6.QtPdf import QPdfDocument
        from PySide6.QtPrintSupport import QPrinter

        QPdfDocument(), QPrinter()  # noqa: B018 - loading the libraries is the point
        facts["pdf_and_print"] = True
    except Exception as exc:  # noqa: BLE001 - reported, not raised: the probe must reach its file
        facts["pdf_and_print"] = f"{type(exc).__name__}: {exc}"
    return facts


class _OnShow(QObject):
    def __init__(self, dialog: QDialog, target: str):
        super().__init__(dialog)
        self.dialog, self.target, self.done = dialog, target, False

    def eventFilter(self, obj, event):  # type: ignore[no-untyped-def]  # noqa: N802 - Qt's name
        dialog = getattr(self, "dialog", None)  # None once the wrapper is being torn down
        if dialog is not None and obj is dialog and event.type() == QEvent.Type.Show and not self.done:
            self.done = True
            # issue 21: the login window comes before SQLAlchemy (imported behind it, ui/login_first.py)
            self.sqlalchemy_at_show = "sqlalchemy" in sys.modules
            QTimer.singleShot(0, self.report)
        return False

    def report(self) -> None:
        dialog = self.dialog
        dialog.removeEventFilter(self)  # once: the dialog may be shown again in the same process
        line = json.dumps({**_facts(dialog), "sqlalchemy_at_show": self.sqlalchemy_at_show}, ensure_ascii=False)
        with open(self.target, "a", encoding="utf-8") as fh:
            fh.write(line + "\n")
        dialog.reject()


def watch_login(dialog: QDialog) -> None:
    """Arm the probe on the login window when ``BAIHE_DESK_PROBE_LOGIN`` names a file."""
    target = os.environ.get(ENV_PROBE_LOGIN)
    if target:
        dialog.installEventFilter(_OnShow(dialog, target))
