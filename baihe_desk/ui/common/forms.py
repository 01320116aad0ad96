"""Form building blocks: a field with its error line (红框 + 提示), Enter-advances, date and text inputs.

``FieldBox`` wraps one input. ``set_error(text)`` draws a red frame around the input, shows the
message in a line under it and puts it in the accessible description; editing the field clears it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from baihe_desk.errors import KnownError
from baihe_desk.ui.common.date_input import DateInput
from baihe_desk.ui.common.qt import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDate,
    QEvent,
    QFrame,
    QGridLayout,
    QKeyEvent,
    QLabel,
    QLineEdit,
    QObject,
    QPlainTextEdit,
    Qt,
    QVBoxLayout,
    QWidget,
)
from baihe_desk.ui.common.widgets import buddy_label, named

ERROR_COLOR = "#b3261e"
_OUTLINE_ON = f"QFrame#fieldOutline {{ border: 1px solid {ERROR_COLOR}; border-radius: 3px; }}"
_OUTLINE_OFF = "QFrame#fieldOutline { border: 1px solid transparent; border-radius: 3px; }"  # same room as ON


def error_line(name: str) -> QLabel:
    """The line under a dialog's form where a refusal is said (hidden until then)."""
    line = QLabel()
    line.setObjectName(name)
    line.setStyleSheet(f"color: {ERROR_COLOR};")
    line.setWordWrap(True)
    line.setVisible(False)
    return line


def show_error_line(line: QLabel, text: str, focus: QLineEdit) -> None:
    """Say ``text`` in ``line`` and put the cursor in ``focus``, its text selected to be typed again."""
    line.setText(text)
    line.setVisible(True)
    focus.setFocus()
    focus.selectAll()


def commit_or_say(line: QLabel, db: Any, fn: Callable[[Any], Any], focus: Callable[[KnownError], QLineEdit]) -> bool:
    """Run ``fn(session)`` in one write transaction (a dialog's 确定); a refusal is said in the error
    ``line``, the cursor in ``focus(refusal)`` (False)."""
    try:
        with db.transaction() as session:
            fn(session)
    except KnownError as exc:
        show_error_line(line, exc.message, focus(exc))
        return False
    return True


class FieldBox(QFrame):
    """One input plus its (normally hidden) error message."""

    def __init__(self, widget: QWidget, parent: QWidget | None = None):
        super().__init__(parent)
        self.widget = widget
        self.setObjectName("fieldBox")
        self.outline = QFrame(self)
        self.outline.setObjectName("fieldOutline")
        self.outline.setStyleSheet(_OUTLINE_OFF)
        inner = QVBoxLayout(self.outline)
        inner.setContentsMargins(1, 1, 1, 1)
        inner.addWidget(widget)
        self.error = QLabel(self)
        self.error.setObjectName("fieldError")
        self.error.setStyleSheet(f"color: {ERROR_COLOR};")
        self.error.setWordWrap(True)
        self.error.setText("请填写1（A）。")  # one line of Chinese and Latin (the fallback fonts differ in height)
        self.error.setMinimumHeight(self.error.sizeHint().height())
        self.error.setText("")
        keep = self.error.sizePolicy()
        keep.setRetainSizeWhenHidden(True)  # its line stays: the fields below do not jump when a message shows
        self.error.setSizePolicy(keep)
        self.error.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(self.outline)
        layout.addWidget(self.error)
        self.setFocusProxy(widget)
        _connect_edited(widget, self.clear_error)

    @property
    def has_error(self) -> bool:
        return not self.error.isHidden()

    def error_text(self) -> str:
        return self.error.text() if self.has_error else ""

    def set_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(True)
        self.outline.setStyleSheet(_OUTLINE_ON)
        self.widget.setAccessibleDescription(text)

    def clear_error(self, *_args: object) -> None:
        if not self.has_error:
            return
        self.error.clear()
        self.error.setVisible(False)
        self.outline.setStyleSheet(_OUTLINE_OFF)
        self.widget.setAccessibleDescription("")


def _connect_edited(widget: QWidget, slot) -> None:  # type: ignore[no-untyped-def]
    if isinstance(widget, QLineEdit):
        widget.textEdited.connect(slot)
    elif isinstance(widget, QPlainTextEdit):
        widget.textChanged.connect(slot)
    elif isinstance(widget, QComboBox):
        widget.currentIndexChanged.connect(slot)
        if widget.isEditable():
            widget.editTextChanged.connect(slot)


class FieldGrid:
    """Mixin for an editor of keyed inputs (``inputs``), each in a :class:`FieldBox` (``boxes``, so a
    service error ``key`` lands next to its input) with its label (``labels``), in a grid of two
    label + field columns. Call ``init_fields()`` first."""

    def init_fields(self) -> None:
        self.inputs: dict[str, QWidget] = {}
        self.boxes: dict[str, FieldBox] = {}
        self.labels: dict[str, QWidget] = {}

    def add_field(self, key: str, widget: QWidget, label: str | QWidget) -> QWidget:
        """``widget`` as the input ``key``; ``label`` a text (its buddy label is made) or a label widget."""
        self.inputs[key] = widget
        self.boxes[key] = FieldBox(widget)
        self.labels[key] = label if isinstance(label, QWidget) else buddy_label(label, widget)
        return widget

    def field_grid(self, places: Iterable[tuple[str, int, int, int]]) -> QGridLayout:
        """The grid: ``(key, row, column 0 or 1, span 1 or 2)`` per input."""
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        for key, row, column, span in places:
            grid.addWidget(self.labels[key], row, column * 2)
            grid.addWidget(self.boxes[key], row, column * 2 + 1, 1, 1 if span == 1 else 3)
        return grid

    def field(self, key: str) -> QWidget:
        return self.inputs[key]

    def text(self, key: str) -> str:
        """What the input ``key`` holds (a combo box's text; a line edit's)."""
        w = self.inputs[key]
        return w.currentText() if isinstance(w, QComboBox) else w.text()  # type: ignore[attr-defined]

    def set_field_error(self, key: str, text: str) -> QWidget | None:
        """Show ``text`` under the input ``key``; returns the input (None: no such input)."""
        box = self.boxes.get(key)
        if box is None:
            return None
        box.set_error(text)
        return box.widget

    def clear_errors(self) -> None:
        for box in self.boxes.values():
            box.clear_error()


class EnterAdvances(QObject):
    """Event filter: Enter in a one-line field moves to the next field, as Tab does.

    Multi-line fields keep Enter for new lines (Tab leaves them); an open completer popup keeps
    Enter for choosing an entry.
    """

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(obj, QWidget):
            return False
        if event.key() not in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return False
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        if isinstance(obj, QLineEdit) and obj.completer() is not None and obj.completer().popup().isVisible():
            return False
        if isinstance(obj, QComboBox) and obj.view().isVisible():
            return False
        # A Tab press, so the focus moves exactly as Tab moves it (tab order, scroll areas scrolling
        # the new field into view). A date edit uses Tab to step through its own year/month/day
        # sections, so its Tab goes to its parent, which moves the focus out of it.
        target = obj.parentWidget() if isinstance(obj, QAbstractSpinBox) and obj.parentWidget() else obj
        tab = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Tab, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(target, tab)
        return True


_enter_filter: EnterAdvances | None = None


def enter_advances(*widgets: QWidget) -> None:
    """Make Enter move to the next field in each of ``widgets``."""
    global _enter_filter
    if _enter_filter is None:
        _enter_filter = EnterAdvances(QApplication.instance())
    for w in widgets:
        w.installEventFilter(_enter_filter)


def enter_advances_under(root: QWidget) -> None:
    """Enter moves on in every one-line field, combo box and spin box of the form ``root`` — except a field
    whose Enter already does something (a search box, a case number that opens the case)."""
    from PySide6.QtCore import SIGNAL

    for w in root.findChildren(QWidget):
        if isinstance(w, QLineEdit) and isinstance(w.parentWidget(), (QComboBox, QAbstractSpinBox)):
            continue
        if isinstance(w, QLineEdit) and w.receivers(SIGNAL("returnPressed()")) > 0:
            continue
        if isinstance(w, (QLineEdit, QComboBox, QAbstractSpinBox)):
            enter_advances(w)


class OptionalDateEdit(DateInput):
    """A date that may be left empty (shown blank). ``value()`` is a ``date`` or ``None``."""

    def __init__(self, parent: QWidget | None = None, *, maximum: date | None = None):
        super().__init__(parent, optional=True, maximum=maximum)


def qdate_to_date(d: QDate) -> date:
    return date(d.year(), d.month(), d.day())


def to_qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def date_field(name: str, accessible: str, value: date | None = None, *, maximum: date | None = None) -> DateInput:
    """A named date field the clerk types into (:class:`DateInput`; F4 opens the calendar), set to
    ``value`` when given, else to today (the likely answer)."""
    return named(DateInput(value=value, maximum=maximum), name, accessible)


def text_box(name: str, accessible: str, *, lines: int = 0, pad: int = 14, height: int = 0, max_height: int = 0,
             placeholder: str = "", text: str = "") -> QPlainTextEdit:
    """A named multi-line field where Tab leaves the box (keyboard-first), ``lines`` high (or ``height`` px)."""
    box = named(QPlainTextEdit(text), name, accessible)
    box.setTabChangesFocus(True)
    if placeholder:
        box.setPlaceholderText(placeholder)
    if lines:
        box.setFixedHeight(box.fontMetrics().lineSpacing() * lines + pad)
    elif height:
        box.setFixedHeight(height)
    if max_height:
        box.setMaximumHeight(max_height)
    return box
