"""A child process of the benchmark (``baihe_desk.bench``; here because only ``ui`` imports Qt):
start a window and report when it first painted (JSON on stdout).

    python -m baihe_desk.ui.bench_window qt|qt-sqlalchemy|app|app-login [--data-dir DIR] [--list] [--login U:P]

``qt``: a bare QApplication with one QWidget (the floor; ``qt-stall``: the same, then the longest stall of
a 2 ms timer in 3 s of its idle event loop: what the machine's load alone costs a UI thread); ``qt-sqlalchemy``: the same after
importing SQLAlchemy (and its ORM). ``app``: the desk's own start as ``app.main`` makes it
(garbage collector off, ``preload`` before Qt, the QApplication, the database opened with its
schema check; the startup backup runs in the background there and is measured separately), the
main window of the administrator (the login dialog is skipped) — until the main window's first
paint and until the case list shows its first page with the count. With ``--list`` the child then
drives the case list like a clerk (Ctrl+End, PageDown, sorting by 收件日期) while a 2 ms timer
records the longest stall of the event loop. ``app-login`` (with ``--login user:password``) times what
follows the clerk's click on 登录 as ``app.main`` does it: the login dialog's own ``try_login`` (password
check, audit record), the main window built and shown, until the list's first page and count
(``login_clicked``, ``login_ok``, ``paint``, ``list_ready``). Times are wall-clock seconds (``time.time()``) so the
parent can subtract the moment it started the process.
"""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import date


def main(argv: list[str]) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    mode = argv[0]
    data_dir = argv[argv.index("--data-dir") + 1] if "--data-dir" in argv else None
    out: dict = {"imported": None}
    if mode == "qt-sqlalchemy":
        import sqlalchemy  # noqa: F401
        import sqlalchemy.orm  # noqa: F401
    elif mode.startswith("app"):
        import gc

        from baihe_desk.app import preload

        gc.disable()  # as app.main does
        preload()  # as app.main does, before Qt
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    out["imported"] = time.time()

    class FirstPaint(QObject):
        def eventFilter(self, obj, event):  # type: ignore[no-untyped-def]
            if event.type() == QEvent.Type.Paint and "paint" not in out:
                out["paint"] = time.time()
            return False

    if mode == "app-login":
        window, app = _login_then_window(data_dir, argv[argv.index("--login") + 1], out)
    elif mode == "app":
        window, app = _app_window(data_dir, out)
    else:
        app = QApplication(sys.argv[:1])
        window = QWidget()
        window.resize(1280, 820)
    spy = FirstPaint()
    app.installEventFilter(spy)
    window.show()
    if mode.startswith("app"):
        from baihe_desk.app import settle_heap

        settle_heap()  # as app.main does
    deadline = time.time() + 120
    while "paint" not in out and time.time() < deadline:
        app.processEvents()
    if mode == "qt-stall":  # the floor of the UI stalls: an idle bare window's 2 ms timer under the same load
        meter = StallMeter()
        meter.start()
        end = time.time() + 3
        _wait(app, lambda: time.time() > end, deadline)  # 3 s of an idle event loop
        out["stall_ms"] = meter.stop()
    if mode.startswith("app"):
        page = window.case_list  # type: ignore[attr-defined]
        _wait(app, lambda: page.model.loaded_once and page.model.counted and not page.model.loading, deadline)
        out["list_ready"] = time.time()
        out["total"] = page.model.total
        if "--list" in argv:
            out.update(_drive_list(app, page))
        if "--exercise" in argv:
            out["peak_rss_list_mb"] = _peak()
            out.update(_exercise(window, data_dir))
    out["peak_rss_mb"] = _peak()
    print(json.dumps(out), flush=True)
    QTimer.singleShot(0, app.quit)
    app.exec()
    return 0


def _peak() -> float | None:
    from baihe_desk.bench.report import peak_rss_mb

    return peak_rss_mb()


def _exercise(window, data_dir: str | None) -> dict:  # type: ignore[no-untyped-def]
    """In the desk's own process, after the list: one document generated and recorded (PDF + DOCX), a month's
    统计分析, and the 月分析 exported (statistics + PDF + DOCX), as a clerk would in one sitting (issue 21's
    memory row); returns the times (ms)."""
    import tempfile
    from pathlib import Path

    from sqlalchemy import select, text

    from baihe_desk.models import Role, User
    from baihe_desk.services.admin.demo_cases import case_for_kind
    from baihe_desk.services.common import documents
    from baihe_desk.services.statistics import report as statistics
    from baihe_desk.services.statistics.export import render_report_to_dir

    db, paths = window.db, window.paths
    times: dict = {}
    with db.session() as s:
        clerk = s.scalars(select(User).where(User.role == Role.FILING_CLERK, User.active.is_(True))).first()
        case_id = documents.find_case(s, case_for_kind(s, "acceptance-notice")).id
        last = date.fromisoformat(str(s.execute(text('SELECT max(received_on) FROM "case"')).scalar()))
    start = time.perf_counter()
    with db.transaction() as s:
        documents.generate(s, clerk, "acceptance-notice", case_id, paths=paths)
    times["exercise_document_ms"] = (time.perf_counter() - start) * 1000
    month = date(last.year - 1, last.month, 1)
    start = time.perf_counter()
    with db.session() as s:
        statistics.compute(s, statistics.period_of("month", month))
    times["exercise_statistics_ms"] = (time.perf_counter() - start) * 1000
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        with db.transaction() as s:
            render_report_to_dir(s, clerk, "monthly-analysis", f"{month:%Y-%m}", ["pdf", "docx"], Path(tmp),
                                 paths=paths)
        times["exercise_export_ms"] = (time.perf_counter() - start) * 1000
    return times


def _app_window(data_dir: str | None, out: dict):  # type: ignore[no-untyped-def]
    from pathlib import Path

    from baihe_desk.app import create_application
    from baihe_desk.config import LocalSettings, Paths

    paths = Paths(Path(data_dir)).ensure()
    settings = LocalSettings.load(paths)
    app = create_application(sys.argv[:1], settings)
    from baihe_desk.storage.startup import open_database

    db = open_database(paths, settings, backup=False)
    out["db_open"] = time.time()
    from sqlalchemy import select

    from baihe_desk.models import Role, User

    with db.session() as s:
        user = s.scalars(select(User).where(User.role == Role.ADMIN, User.active.is_(True))).first()
    from baihe_desk.ui.main_window import MainWindow

    window = MainWindow(db, user, paths)
    out["window_built"] = time.time()
    return window, app


def _login_then_window(data_dir: str | None, credentials: str, out: dict):  # type: ignore[no-untyped-def]
    """The database open and the login dialog up (as while the clerk types); then the click on 登录."""
    from pathlib import Path

    from baihe_desk.app import court_name_of, create_application
    from baihe_desk.config import LocalSettings, Paths

    paths = Paths(Path(data_dir)).ensure()  # type: ignore[arg-type]
    settings = LocalSettings.load(paths)
    app = create_application(sys.argv[:1], settings)
    from baihe_desk.storage.startup import open_database

    db = open_database(paths, settings, backup=False)
    court_name = court_name_of(db)
    from baihe_desk.ui.login import LoginDialog
    from baihe_desk.ui.main_window import MainWindow

    login = LoginDialog(db, court_name=court_name)
    username, password = credentials.split(":", 1)
    login.username.setText(username)
    login.password.setText(password)
    login.show()
    app.processEvents()
    out["login_clicked"] = time.time()
    login.try_login()
    if login.user is None:
        raise SystemExit(f"login failed: {login.error.text()}")
    login.close()
    out["login_ok"] = time.time()
    window = MainWindow(db, login.user, paths, court_name=court_name)
    out["window_built"] = time.time()
    return window, app


def _wait(app, done, deadline: float) -> bool:  # type: ignore[no-untyped-def]
    while not done():
        if time.time() > deadline:
            return False
        app.processEvents()
        time.sleep(0.001)
    return True


class StallMeter:
    """The longest gap between the ticks of a 2 ms timer: how long the UI thread was busy."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(2)
        self.timer.timeout.connect(self._tick)
        self.last = time.perf_counter()
        self.worst = 0.0

    def _tick(self) -> None:
        now = time.perf_counter()
        self.worst = max(self.worst, (now - self.last) * 1000 - 2)
        self.last = now

    def start(self) -> None:
        self.last, self.worst = time.perf_counter(), 0.0
        self.timer.start()

    def stop(self) -> float:
        self.timer.stop()
        return max(self.worst, 0.0)


def _drive_list(app, page, rounds: int = 3) -> dict:  # type: ignore[no-untyped-def]
    """Each step ``rounds`` times: {step_ms: [...], step_stall_ms: [...]}."""
    result: dict = {}
    for _ in range(rounds):
        for name, value in _drive_once(app, page).items():
            result.setdefault(name, []).append(value)
    return result


def _drive_once(app, page) -> dict:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent

    from baihe_desk.ui.cases.table_model import COL_RECEIVED, LOADING_TEXT

    table, model = page.table, page.model
    result: dict = {}
    meter = StallMeter()
    deadline = time.time() + 120

    def key(k, mod=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            app.sendEvent(table, QKeyEvent(kind, k, mod))

    def visible_loaded() -> bool:
        top = table.rowAt(0)
        bottom = table.rowAt(table.viewport().height() - 1)
        bottom = model.rowCount() - 1 if bottom < 0 else bottom
        return top >= 0 and all(model.index(r, 0).data() not in (None, LOADING_TEXT) for r in (top, bottom))

    def ready() -> bool:
        return model.loaded_once and model.counted and not model.loading and visible_loaded()

    def step(name: str, action, done) -> None:  # type: ignore[no-untyped-def]
        meter.start()
        start = time.perf_counter()
        action()
        _wait(app, done, deadline)
        result[f"{name}_ms"] = (time.perf_counter() - start) * 1000
        result[f"{name}_stall_ms"] = meter.stop()

    def page_down() -> None:
        for _ in range(60):  # a clerk holding PageDown: ~30 presses a second
            key(Qt.Key.Key_PageDown)
            pause = time.perf_counter() + 0.033
            while time.perf_counter() < pause:
                app.processEvents()

    def drag() -> None:
        bar = table.verticalScrollBar()
        for i in range(1, 21):  # the scroll bar dragged across the whole list
            bar.setValue(bar.maximum() * i // 20)
            pause = time.perf_counter() + 0.02
            while time.perf_counter() < pause:
                app.processEvents()

    table.setFocus()
    step("reopen", page.refresh, ready)  # F5: the list queried again from the first page
    step("jump_end", lambda: key(Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier),
         lambda: model.row_at(model.rowCount() - 1) is not None and visible_loaded())
    step("jump_home", lambda: key(Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier), visible_loaded)
    step("page_down", page_down, visible_loaded)
    step("drag", drag, visible_loaded)
    header = table.horizontalHeader()
    step("sort_date_asc", lambda: header.sectionClicked.emit(COL_RECEIVED), lambda: not model.descending and ready())
    step("sort_date_desc", lambda: header.sectionClicked.emit(COL_RECEIVED), lambda: model.descending and ready())
    return result


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
