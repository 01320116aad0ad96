"""Composition root of the desktop program (图形界面入口).

``main(argv, paths, settings)``: QApplication with the Chinese UI font and Qt's own strings in
Chinese → crash handler → ``open_database`` (backup + migrations; a refusal is a calm message and
exit code 1) → first start (create the administrator, offer demo data) → login → main window.
Qt and the heavy modules are imported inside ``main`` so ``baihe-desk --help`` stays fast.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from baihe_desk.config import LocalSettings, Paths, resolve_data_dir

if TYPE_CHECKING:
    from baihe_desk.storage.db import Database
    from baihe_desk.ui.common.qt import QApplication

EXIT_OK = 0
EXIT_DB_REFUSED = 1


def preload() -> None:
    """Import the modules the start needs that do not use Qt, BEFORE Qt. Once PySide6 is imported,
    every later import passes shiboken's ``__feature__`` import hook, which reads the module's
    source to see whether it uses PySide (about 1.5 ms a module: 0.6 s for SQLAlchemy, the models
    and the services). Only modules the start imports anyway are listed: nothing is loaded early
    that a start would not load."""
    import sqlalchemy.orm  # noqa: F401

    import baihe_desk.models  # noqa: F401
    import baihe_desk.services.admin.court  # noqa: F401
    import baihe_desk.services.common.auth  # noqa: F401
    import baihe_desk.services.common.case_query  # noqa: F401
    import baihe_desk.services.common.permissions  # noqa: F401
    import baihe_desk.storage.backup  # noqa: F401
    import baihe_desk.storage.startup  # noqa: F401


def login_first_possible(paths: Paths, settings: LocalSettings) -> bool:
    """This PC's own database file exists (not the first start, not a server): the login window can
    come before SQLAlchemy (issue 21; ``ui/login_first.py``)."""
    return settings.database_url in (None, "", "sqlcipher") and paths.database.exists()


def settle_heap() -> None:
    """After start-up: move every object made so far (modules, SQLAlchemy's mappers, Qt wrappers,
    ~110,000 objects) out of the cyclic garbage collector's reach, then collect as usual. Without
    it a full collection walks them all — 60–170 ms with the UI thread waiting, seen as a jerk
    while scrolling the case list (issue 9 measures stalls over 50 ms). Idempotent."""
    gc.freeze()
    gc.enable()


def close_session_windows(keep: Any = None) -> None:
    """Close every other top-level window still open (document previews, the law window)."""
    from baihe_desk.ui.common.qt import QApplication

    for widget in QApplication.topLevelWidgets():
        if widget is not keep and widget.isVisible():
            widget.close()


def create_application(argv: Sequence[str], settings: LocalSettings) -> QApplication:
    """The QApplication (or the existing one), with font, Chinese Qt strings and identity set."""
    from baihe_desk import APP_NAME, APP_TITLE, __version__
    from baihe_desk.ui.common.qt import QApplication, QGuiApplication, Qt
    from baihe_desk.ui.common.widgets import apply_ui_font, install_chinese

    app = QApplication.instance()
    if app is None:
        # Fractional Windows scaling (125 %, 150 %) without rounding: sharper Chinese text.
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(list(argv) or [APP_NAME])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_TITLE)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    install_chinese(app)
    apply_ui_font(app, settings.ui_font_families)
    return app


def first_start(db: Database, paths: Paths | None = None, settings: LocalSettings | None = None) -> bool | str:
    """No users yet: create the administrator, then offer demo data. False: the user gave up. A URL: the
    clerk chose 连接院内服务器 instead (saved in the settings; the URL returned carries the password)."""
    from baihe_desk.ui.admin.first_start import (
        CONNECT_SERVER,
        FirstStartDialog,
        demo_summary,
        load_demo_in_background,
    )
    from baihe_desk.ui.common.qt import QDialog, QEventLoop, QMessageBox
    from baihe_desk.ui.common.widgets import ask_yes_no, message_box

    dlg = FirstStartDialog(db, paths=paths, settings=settings)
    code = dlg.exec()
    if code == CONNECT_SERVER:
        return dlg.server_url
    if code != QDialog.DialogCode.Accepted:
        return False
    if not ask_yes_no(None, "演示数据",
                      "管理员账号已创建。\n\n是否载入演示数据（演示法院信息、各角色的演示账号和约 200 件各阶段的案件）？\n"
                      "演示数据便于熟悉操作；正式使用的数据库请选择“否”。", default_yes=False):
        return True
    loop = QEventLoop()
    outcome: dict[str, Any] = {}

    def done(result: Any) -> None:
        outcome["result"] = result
        loop.quit()

    def failed(exc: BaseException) -> None:
        outcome["error"] = exc
        loop.quit()

    load_demo_in_background(db, None, done, failed)
    from baihe_desk.ui.common import background

    if background.running():
        loop.exec()
    if "result" in outcome:
        box = message_box(None, "演示数据", demo_summary(outcome["result"]), icon=QMessageBox.Icon.Information)
        box.exec()
    elif "error" in outcome:
        err = outcome["error"]
        message_box(None, getattr(err, "title", "无法载入演示数据"), str(err)).exec()
    return True


def court_name_of(db: Database) -> str:
    try:
        from baihe_desk.services.admin.court import get_profile

        with db.session() as session:
            profile = get_profile(session)
            return profile.name if profile else ""
    except ImportError:
        return ""


def main(argv: Sequence[str] | None = None, paths: Paths | None = None,
         settings: LocalSettings | None = None) -> int:
    """Run the desk; returns the process exit code."""
    argv = list(sys.argv if argv is None else argv)
    paths = (paths or Paths(resolve_data_dir())).ensure()
    settings = settings or LocalSettings.load(paths)

    gc.disable()  # no collections while start-up allocates: see settle_heap
    login_first_ok = login_first_possible(paths, settings)
    if not login_first_ok:
        preload()
    app = create_application(argv, settings)

    from baihe_desk.errors import KnownError
    from baihe_desk.ui.common import background
    from baihe_desk.ui.common.crash import CrashHandler
    from baihe_desk.ui.common.qt import QDialog, QMessageBox

    crash_handler = CrashHandler(paths)
    crash_handler.install()
    db = None
    backup_job = None
    presence = None
    early = None
    try:
        from baihe_desk.config import is_server_url

        if is_server_url(settings.database_url):
            from baihe_desk.ui.admin.server_connect import password_for_start

            connect = password_for_start(settings)  # the credential store's password, or a prompt
            if connect is None:
                return EXIT_OK
            settings = connect
        try:
            if login_first_ok:  # the login window now; SQLAlchemy and the database behind it (ui/login_first.py)
                from baihe_desk.ui.login_first import login_first

                early = login_first(paths, settings, preload, court_name_of)
                db = early.database()
            else:
                from baihe_desk.storage.startup import open_database

                db = open_database(paths, settings, startup_backup=False)
        except KnownError as exc:
            box = QMessageBox(QMessageBox.Icon.Critical, exc.title, exc.message)
            box.addButton("退出", QMessageBox.ButtonRole.AcceptRole)
            box.exec()
            return EXIT_DB_REFUSED
        if early is not None and early.cancelled:
            return EXIT_OK
        from baihe_desk.services.common import auth
        from baihe_desk.storage.startup import open_database

        with db.session() as session:
            has_users = auth.has_users(session)
        started = True if has_users else first_start(db, paths, settings)
        if isinstance(started, str):  # 连接院内服务器: the server's users and cases from now on
            from dataclasses import replace

            db.dispose()
            settings = replace(settings, database_url=started)
            db = open_database(paths, settings, startup_backup=False)
        elif not started:
            return EXIT_OK
        from baihe_desk.services.admin.backups import daily_backup
        from baihe_desk.services.common.law_library import use_data_dir

        use_data_dir(paths.root)  # the law library also reads versions an administrator added there
        backup_job = daily_backup(db, paths, settings).start()  # some minutes later, low priority (issue 21)
        if db.sqlite_path is not None:  # a restore elsewhere refuses while this desk is open (issue 17)
            from baihe_desk.storage.presence import Presence

            presence = Presence(db.sqlite_path).start()

        from baihe_desk.ui.common.live import follow_other_desks
        from baihe_desk.ui.common.start_probe import watch_login
        from baihe_desk.ui.login import LoginDialog
        from baihe_desk.ui.main_window import MainWindow

        court_name = court_name_of(db)
        while True:  # 注销 / 切换用户 (Ctrl+L) comes back here with the desk still open
            login = (early and early.take_login()) or LoginDialog(db, court_name=court_name)
            watch_login(login)  # BAIHE_DESK_PROBE_LOGIN: the smoke test's proof that the window came up
            if login.exec() != QDialog.DialogCode.Accepted or login.user is None:
                return EXIT_OK
            if presence is not None:
                presence.who = login.user.display_name
                presence.beat()
            window = MainWindow(db, login.user, paths, court_name=court_name)
            # The session ends when this window closes: the previous user's previews and law windows go
            # with it (left open, they would keep Qt running, and no login window would come).
            window.closed.connect(lambda w=window: close_session_windows(keep=w))
            window.show()
            settle_heap()
            window.watch_backup(backup_job)
            live = follow_other_desks(window)  # other desks' changes show without F5
            rc = app.exec()
            live.stop()
            background.wait_all(15_000)
            if not getattr(window, "logged_out", False):
                break
            with db.transaction() as session:
                auth.logout(session, login.user)
            window.deleteLater()
        return rc
    finally:
        gc.unfreeze()  # main() may be called again in the same process (the tests do)
        gc.enable()
        if presence is not None:
            presence.stop()
        if backup_job is not None:
            backup_job.cancel()
            backup_job.wait(10)
        if db is not None:
            db.dispose()
        crash_handler.uninstall()


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
