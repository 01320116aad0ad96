"""Driving widgets as a clerk would, without QTest's Latin-1 limits.

``qtbot.keyClicks`` with a non-ASCII character aborts the whole pytest process (QTest converts each
character with toLatin1). ``type_text`` sends, per character, a KeyPress + KeyRelease carrying the
character as the event text and ``Qt.Key_unknown`` as the key — what a Chinese input method's
committed character looks like to a line edit. ASCII goes through ``QTest.keyClicks``.
"""

from __future__ import annotations

import sys
from datetime import date

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QInputMethodEvent, QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QWidget


def _target(widget: QWidget) -> QWidget:
    if isinstance(widget, QComboBox) and widget.isEditable():
        return widget.lineEdit()
    return widget


def type_text(widget: QWidget, text: str) -> None:
    """Type ``text`` into ``widget`` (QLineEdit, QPlainTextEdit, editable QComboBox …)."""
    target = _target(widget)
    if not target.hasFocus():
        target.setFocus()
    for ch in text:
        if ch == "\n":
            QTest.keyClick(target, Qt.Key.Key_Return)
            continue
        if ch.isascii() and ch.isprintable():
            QTest.keyClicks(target, ch)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(target, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch))
    QApplication.processEvents()


def commit_text(widget: QWidget, text: str) -> None:
    """The input-method path: one QInputMethodEvent committing ``text`` (as 搜狗/微软拼音 do)."""
    target = _target(widget)
    ev = QInputMethodEvent()
    ev.setCommitString(text)
    QApplication.sendEvent(target, ev)
    QApplication.processEvents()


def key(widget: QWidget, k: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(widget, k, modifier)
    QApplication.processEvents()


# -- valid identifiers, computed (no real person's or company's number is used) -------------------------

def id_number(region: str = "220222", birth: date = date(1985, 3, 14), seq: str = "01", male: bool = True) -> str:
    """A valid 18-digit 居民身份证号 (GB 11643, ISO 7064 MOD 11-2 check character)."""
    sex_digit = "1" if male else "2"
    body = f"{region}{birth:%Y%m%d}{seq}{sex_digit}"
    assert len(body) == 17
    weights = [2 ** (17 - i) % 11 for i in range(17)]
    total = sum(int(c) * w for c, w in zip(body, weights, strict=True))
    return body + "10X98765432"[total % 11]


USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def credit_code(body: str = "91222426MA0Y3B5K7") -> str:
    """A valid 统一社会信用代码 (GB 32100: weighted sum mod 31 over its 31-character alphabet)."""
    assert len(body) == 17
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(body, USCC_WEIGHTS, strict=True))
    return body + USCC_CHARS[(31 - total % 31) % 31]


LIVE_DRIVERS: list[ModalDriver | _Watch] = []  # stopped after each test (tests/ui/conftest.py)


class _Watch:
    """A retry chain (``answer_question``) that must end with its test."""

    def __init__(self) -> None:
        self.stopped = False
        LIVE_DRIVERS.append(self)

    def stop(self) -> None:
        self.stopped = True


class ModalDriver:
    """Answers the modal dialogs of a blocking flow (``app.main``) one after another, as a user would.

    ``steps``: ``(predicate, action)`` pairs; on every tick the current step's predicate is tried
    on the active modal widget and on the visible top-level windows; when it matches, its action
    runs and the driver moves to the next step.
    """

    STUCK_S = 120.0  # a step not reached in this long: the flow is stuck; say on what, and unwind it

    def __init__(self, steps, interval_ms: int = 30):
        import time

        from PySide6.QtCore import QTimer

        self.clock = time.monotonic
        self.since = self.clock()
        self.steps = list(steps)
        self.done: list[str] = []
        self.errors: list[BaseException] = []
        self.timer = QTimer()
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)
        self.timer.start()
        LIVE_DRIVERS.append(self)  # stopped after the test (tests/ui/conftest.py): never acts in the next one

    def stop(self) -> None:
        self.timer.stop()

    def _tick(self) -> None:
        if not self.steps:
            self.timer.stop()
            return
        predicate, action = self.steps[0]
        candidates = [QApplication.activeModalWidget(), *QApplication.topLevelWidgets()]
        if self.clock() - self.since > self.STUCK_S:
            self._unwind(candidates)
            return
        for w in candidates:
            if w is not None and w.isVisible() and predicate(w):
                self.steps.pop(0)
                self.since = self.clock()
                try:
                    action(w)
                    self.done.append(type(w).__name__)
                except BaseException as exc:  # noqa: BLE001 - reported by the test
                    self.errors.append(exc)
                    self.timer.stop()
                    w.close()
                return

    def _unwind(self, candidates) -> None:  # type: ignore[no-untyped-def]
        """Fail the test with what was on screen, then close it all so ``app.main`` returns."""
        from PySide6.QtWidgets import QDialog

        def described(w) -> str:  # type: ignore[no-untyped-def]
            text = w.text() if hasattr(w, "text") and callable(w.text) else w.windowTitle()
            return f"{type(w).__name__}({str(text)[:80]!r})"

        shown = [described(w) for w in candidates if w is not None and w.isVisible()]
        self.errors.append(RuntimeError(f"stuck after {self.done} waiting for step {len(self.done) + 1}; "
                                        f"on screen: {shown}"))
        self.timer.stop()
        for w in candidates:
            if w is not None and w.isVisible():
                w.reject() if isinstance(w, QDialog) else w.close()


def answer_question(qtbot, yes: bool) -> list[str]:  # type: ignore[no-untyped-def]
    """Answer the next 是/否 box (``ask_yes_no``) by clicking its real button, once it is shown.

    Call just before the click that opens the box; returns a list that gets the box's text (so the test
    can check what was asked). Fails the test if no box appears.
    """
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    asked: list[str] = []
    watch = _Watch()  # stopped with the test: a question that never came is not answered in the next test

    def click_when_shown(tries: int = 600) -> None:  # 15 s: the check before the question runs in the background
        if watch.stopped:
            return
        box = QApplication.activeModalWidget()
        button = box.findChild(QWidget, "answerYes" if yes else "answerNo") if isinstance(box, QMessageBox) else None
        if isinstance(box, QMessageBox) and box.isVisible() and button is None:
            # a message on the way (e.g. the once-per-session font notice), not the question; said on
            # stderr so a test that then misses its question shows what came instead
            print(f"answer_question: closed a message that is not a question: {box.text()!r}", file=sys.stderr)
            box.close()
            QTimer.singleShot(25, lambda: click_when_shown(tries - 1))
        elif isinstance(box, QMessageBox) and box.isVisible():
            asked.append(box.text())
            QTest.mouseClick(button, Qt.MouseButton.LeftButton)
        elif tries:
            QTimer.singleShot(25, lambda: click_when_shown(tries - 1))
        else:
            print(f"answer_question: no question came; the active window was {box!r}", file=sys.stderr)

    QTimer.singleShot(0, click_when_shown)
    return asked


def with_demo_users(paths) -> None:  # type: ignore[no-untyped-def]
    """A database in ``paths`` with the demo's users (and one case): the next start is not a first start."""
    from baihe_desk.config import LocalSettings
    from baihe_desk.services.admin.demo import load_demo
    from baihe_desk.storage.startup import open_database

    db = open_database(paths, LocalSettings())
    try:
        load_demo(db, cases=1, seed=7)
    finally:
        db.dispose()


REFUSAL = "该数据库由更新版本的白河工作台创建，本程序无法安全打开。"


def start_with_a_refused_database(monkeypatch, paths) -> tuple[int, ModalDriver, list[str]]:  # type: ignore[no-untyped-def]
    """``app.main`` where opening the database raises SchemaTooNew; the message box is answered.
    Returns the exit code, the driver and the texts of the boxes seen."""
    import baihe_desk.storage.startup as startup
    from baihe_desk import app
    from baihe_desk.config import LocalSettings
    from baihe_desk.errors import SchemaTooNew
    from baihe_desk.ui.common.qt import QMessageBox

    def refuse(paths, settings, **_options):  # type: ignore[no-untyped-def]
        raise SchemaTooNew(REFUSAL)

    monkeypatch.setattr(startup, "open_database", refuse)
    seen: list[str] = []

    def answer(box) -> None:  # type: ignore[no-untyped-def]
        seen.append(box.text())
        box.buttons()[0].click()

    driver = ModalDriver([(lambda w: isinstance(w, QMessageBox), answer)])
    return app.main(["baihe-desk"], paths, LocalSettings()), driver, seen


def shown(qtbot, widget):  # type: ignore[no-untyped-def]
    """``widget`` shown on the screen (and closed with the test)."""
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def main_window(qtbot, db, user, paths):  # type: ignore[no-untyped-def]
    """The desk's main window for ``user``, shown as after the login."""
    from baihe_desk.ui.main_window import MainWindow

    return shown(qtbot, MainWindow(db, user, paths))


def every_page(win):  # type: ignore[no-untyped-def]
    """Each of the window's pages shown in turn, its background work done and its events delivered:
    yields (name, page)."""
    from baihe_desk.ui.common import background

    for name in list(win.pages):
        page = win.show_page(name)
        assert background.wait_all(20_000), f"{name}: its background work did not finish"
        QApplication.processEvents()
        yield name, page
