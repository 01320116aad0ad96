"""确认 — an action that cannot be undone asks once, after the form was checked, and says exactly
what will happen.

:func:`check_then_confirm` runs the service call in a write transaction that is always rolled back
(the service's own checks answer first: a refusal is shown and nothing is asked), then asks 是/否 in a
non-blocking box whose text may use what the trial run returned (the 案号 that will be given …);
是 runs the real action.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from baihe_desk.errors import KnownError
from baihe_desk.ui.common.background import run_in_background
from baihe_desk.ui.common.qt import QMessageBox, QPushButton, Qt, QWidget
from baihe_desk.ui.common.widgets import show_known_error


class _TrialRun(Exception):
    """Raised inside the trial transaction so that it rolls back."""

    def __init__(self, result: Any):
        super().__init__("trial run")
        self.result = result


def trial_run(db: Any, fn: Callable[[Any], Any]) -> Any:
    """``fn(session)`` in a write transaction that is rolled back; its result."""
    try:
        with db.transaction() as session:
            result = fn(session)
            session.flush()
            raise _TrialRun(result)
    except _TrialRun as done:
        return done.result


def ask(parent: QWidget, title: str, text: str, on_yes: Callable[[], Any], *, yes: str = "是",
        no: str = "否", on_no: Callable[[], Any] | None = None) -> QMessageBox:
    """A non-blocking 是/否 question; 否 (also Esc) is the default, so Enter never confirms by accident."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("confirmBox")
    yes_button: QPushButton = box.addButton(yes, QMessageBox.ButtonRole.YesRole)
    no_button: QPushButton = box.addButton(no, QMessageBox.ButtonRole.NoRole)
    for button, name, label in ((yes_button, "answerYes", yes), (no_button, "answerNo", no)):
        button.setObjectName(name)
        button.setAccessibleName(label)
    box.setDefaultButton(no_button)
    box.setEscapeButton(no_button)
    yes_button.clicked.connect(lambda: on_yes())
    if on_no is not None:
        no_button.clicked.connect(lambda: on_no())
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.open()
    return box


def check_then_confirm(owner: QWidget, db: Any, fn: Callable[[Any], Any], *, title: str,
                       text: Callable[[Any], str], on_yes: Callable[[], Any],
                       on_refused: Callable[[KnownError], Any] | None = None,
                       confirm: Callable[[str, str], bool] | None = None) -> None:
    """Try ``fn(session)`` (rolled back); refused: ``on_refused(error)`` (default: a calm message);
    accepted: ask ``text(result)`` and run ``on_yes()`` on 是. ``confirm(title, text) -> bool`` (a page's
    blocking question, a test's answer) asks instead of the box."""
    def accepted(result: Any) -> None:
        if confirm is None:
            ask(owner, title, text(result), on_yes)
        elif confirm(title, text(result)):
            on_yes()

    def refused(exc: BaseException) -> None:
        if isinstance(exc, KnownError):
            (on_refused or (lambda e: show_known_error(owner, e)))(exc)

    run_in_background(lambda _ctx: trial_run(db, fn), parent=owner,
                      on_success=accepted, on_failure=refused,
                      progress="正在检查…")
