"""登录先于数据库 — the login window shown before SQLAlchemy, Alembic and the database (issue 21).

A desk whose database is this PC's own file (plain or SQLCipher) shows the login window as soon as
Qt can paint it; only then a background thread imports SQLAlchemy and the models, opens the file
(schema check and migrations, ``storage.startup.open_database``), learns whether users exist and
the court's name. The clerk types meanwhile. 登录 pressed before the database is open says
"正在打开数据库，请稍候……" and logs in by itself once it is. A refusal to open (``KnownError``)
closes the window and is said by ``app.main`` as before; no users at all (a database without an
administrator) closes it for the first-start dialog.

Not used for a PostgreSQL server (its password may have to be asked first) nor on the very first
start (no file yet: the first-start dialog needs the database anyway).

``app.main`` calls :func:`login_first` and receives a :class:`EarlyStart`; the accepted window is
handed to its login loop once by :meth:`EarlyStart.take_login`, whose ``exec()`` then returns at
once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from baihe_desk.config import LocalSettings, Paths
from baihe_desk.ui.common.qt import QDialog, QLabel, QObject, QTimer, Signal
from baihe_desk.ui.common.start_probe import watch_login
from baihe_desk.ui.login import LoginDialog

if TYPE_CHECKING:
    from baihe_desk.storage.db import Database

NO_USERS = 2  # dialog result: the database has no users (first start)
NOT_OPENED = 3  # dialog result: the database refused to open (the error is in EarlyStart.error)
WAITING_TEXT = "正在打开数据库，请稍候……打开后将自动登录。"


class DatabaseOpener(QObject):
    """Opens the database on a background thread; ``opened`` is emitted on the UI thread."""

    opened = Signal()

    def __init__(self, paths: Paths, settings: LocalSettings, prepare: Callable[[], None],
                 court_name: Callable[[Database], str]):
        super().__init__()
        self.paths, self.settings, self.prepare, self.court_name_of = paths, settings, prepare, court_name
        self.db: Database | None = None
        self.error: BaseException | None = None
        self.has_users = False
        self.court_name = ""
        self.finished = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="baihe-open-database", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        try:
            self.prepare()  # SQLAlchemy, the models, the services the start needs
            from baihe_desk.services.common import auth
            from baihe_desk.storage.startup import open_database

            self.db = open_database(self.paths, self.settings, startup_backup=False)
            with self.db.session() as session:
                self.has_users = auth.has_users(session)
            self.court_name = self.court_name_of(self.db)
        except BaseException as exc:  # noqa: BLE001 - handed to the UI thread, which says or raises it
            self.error = exc
        finally:
            self.finished.set()
            self.opened.emit()

    def wait(self) -> None:
        self.start()
        self.finished.wait()


class EarlyLoginDialog(LoginDialog):
    """The login window without a database yet; it gets one when the opener is done."""

    def __init__(self, opener: DatabaseOpener):
        super().__init__(None)
        self.opener = opener
        self.waiting = False
        self.replay = False
        self.status = QLabel("")
        self.status.setObjectName("loginStatus")
        self.status.setStyleSheet("color: #5f6368;")
        self.status.setWordWrap(True)
        self.status.setVisible(False)
        self.layout().insertWidget(self.layout().indexOf(self.error), self.status)  # type: ignore[union-attr]
        opener.opened.connect(self._opened)

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        QTimer.singleShot(0, self.opener.start)  # after the window is up: then SQLAlchemy

    def try_login(self) -> None:
        if self.db is None and self.username.text().strip():
            self.waiting = True
            self.login_button.setEnabled(False)
            self._say(WAITING_TEXT)
            return
        super().try_login()

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))
        self.status.setAccessibleDescription(text)

    def _opened(self) -> None:
        opener = self.opener
        if opener.error is not None:
            self.done(NOT_OPENED)
            return
        if not opener.has_users:
            self.done(NO_USERS)
            return
        self.db = opener.db
        if opener.court_name:
            self.findChild(QLabel, "loginTitle").setText(opener.court_name)
            self.findChild(QLabel, "loginSubtitle").setVisible(True)  # as the usual login window shows it
        self._say("")
        self.login_button.setEnabled(True)
        if self.waiting:
            self.waiting = False
            self.try_login()

    def exec(self) -> int:
        if self.replay:  # already accepted before app.main's login loop asked
            self.replay = False
            return int(QDialog.DialogCode.Accepted.value)
        return super().exec()


class EarlyStart:
    """What the early login came to: the database (or its error) and the accepted window."""

    def __init__(self, opener: DatabaseOpener, dialog: EarlyLoginDialog, code: int):
        self.opener, self.dialog, self.code = opener, dialog, code

    @property
    def cancelled(self) -> bool:
        """退出 pressed (the database was still opened, and is closed by app.main)."""
        return self.code not in (QDialog.DialogCode.Accepted.value, NO_USERS, NOT_OPENED)

    def database(self) -> Database:
        """The opened database; raises what opening it raised."""
        self.opener.wait()
        if self.opener.error is not None:
            raise self.opener.error
        assert self.opener.db is not None
        return self.opener.db

    def take_login(self) -> LoginDialog | None:
        """The accepted login window, once; None otherwise."""
        if self.code != QDialog.DialogCode.Accepted.value or self.dialog.user is None:
            return None
        self.code = -1
        self.dialog.replay = True
        return self.dialog


def login_first(paths: Paths, settings: LocalSettings, prepare: Callable[[], None],
                court_name: Callable[[Database], str]) -> EarlyStart:
    """Show the login window now and open the database behind it; returns when the window closed."""
    opener = DatabaseOpener(paths, settings, prepare, court_name)
    dialog = EarlyLoginDialog(opener)
    watch_login(dialog)  # BAIHE_DESK_PROBE_LOGIN: the smoke test's proof that the window came up
    code = dialog.exec()
    opener.opened.disconnect(dialog._opened)
    opener.wait()  # 退出 while opening: let the thread finish so the file is closed cleanly
    return EarlyStart(opener, dialog, code)
