"""草稿保全（子进程端）— the desk's intake form in a real child process that crashes and is then killed.

:func:`run` starts a QApplication (offscreen) with the app's real crash handler installed (the crash
dialog is shown, as in the app), opens the 收件登记 form, types ``TYPED`` as a clerk would (key events,
one character at a time, rare characters included), then starts a background operation with a bug in
it. The status file says ``typed`` and, once the crash dialog is on the screen, ``dialog``. The parent
then kills this process (``Process.kill()``) — nothing of the app gets to run after that. With
``crash=False`` there is no bug: the process is simply killed (a power cut), which only an autosave survives.
"""

from __future__ import annotations

import os
from pathlib import Path

TYPED = {
    "claims": "请求判令被告偿还借款本金𠇔万元\n及自起诉之日起的利息",
    "facts": "原告王堃与被告李喆玥系同事，䶮某作证。",
    "amount": "125000.50",
    "party0.name": "王𠇔",
    "party0.domicile": "吉林省安图县二道白河镇白山大街1号",
    "party1.name": "李喆玥",
    "party1.phone": "13943300000",
}


def field(form, key: str):  # type: ignore[no-untyped-def]
    if key in ("claims", "facts", "amount"):
        return getattr(form, key)
    return form.field(key)


def _status(path: Path, text: str) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def run(data_dir: str, status: str, *, crash: bool = True) -> None:
    """``crash``: a bug in a background operation (the crash dialog opens); otherwise the process just
    keeps running with the form filled until it is killed."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from sqlalchemy import select

    from baihe_desk.config import Paths, database_url
    from baihe_desk.models import Role, User
    from baihe_desk.storage.db import Database
    from baihe_desk.ui.common.background import run_in_background
    from baihe_desk.ui.common.crash import CrashHandler
    from baihe_desk.ui.common.crash_dialog import CrashDialog
    from baihe_desk.ui.common.qt import QApplication, QTimer
    from baihe_desk.ui.filing.intake_form import IntakeForm
    from tests.ui.helpers import type_text

    app = QApplication(["draft-child"])
    paths = Paths(Path(data_dir))
    handler = CrashHandler(paths)  # show_dialog=True, exactly as app.main installs it
    handler.install()
    db = Database(database_url(paths))
    with db.session() as s:
        clerk = s.scalars(select(User).where(User.role == Role.FILING_CLERK)).one()
    form = IntakeForm(db, clerk, paths)
    form.resize(1100, 900)
    form.show()
    for key, text in TYPED.items():
        type_text(field(form, key), text)
    status_path = Path(status)
    _status(status_path, "typed")

    def bug(_ctx):  # type: ignore[no-untyped-def]
        raise ZeroDivisionError("模拟的程序错误（后台操作）")

    def watch() -> None:
        if isinstance(QApplication.activeModalWidget(), CrashDialog):
            _status(status_path, "dialog")

    timer = QTimer()
    timer.timeout.connect(watch)
    timer.start(20)
    if crash:
        run_in_background(bug, parent=form)
    app.exec()
