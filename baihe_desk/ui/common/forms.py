"""Form building blocks: a field with its error line (红框 + 提示), Enter-advances, an optional date.

``FieldBox`` wraps one input. ``set_error(text)`` draws a red frame around the input, shows the
message in a line under it and puts it in the accessible description; editing the field clears it.
"""

from __future__ import annotations

from datetime import date

from baihe_desk.ui.common.qt import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDate,
    QDateEdit,
    QEvent,
    QFrame,
    QKeyEvent,
    QLabel,
    QLineEdit,
    QObject,
    QPlainTextEdit,
    Qt,
    QVBoxLayout,
    QWidget,
)

ERROR_COLOR = "#b3261e"
_OUTLINE_ON = f"QFrame#fieldOutline {{ border: 1px solid {ERROR_COLOR}; border-radius: 3px; }}"
_EMPTY_DATE = QDate(1900, 1, 1)  # shown as blank: "no date"


class FieldBox(QFrame):
    """One input plus its (normally hidden) error message."""

    def __init__(self, widget: QWidget, parent: QWidget | None = None):
        super().__init__(parent)
        self.widget = widget
        self.setObjectName("fieldBox")
        self.outline = QFrame(self)
        self.outline.setObjectName("fieldOutline")
        inner = QVBoxLayout(self.outline)
        inner.setContentsMargins(1, 1, 1, 1)
        inner.addWidget(widget)
        self.error = QLabel(self)
        self.error.setObjectName("fieldError")
        self.error.setStyleSheet(f"color: {ERROR_COLOR};")
        self.error.setWordWrap(True)
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
        self.outline.setStyleSheet("")
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
    elif isinstance(widget, QDateEdit):
        widget.dateChanged.connect(slot)


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


class OptionalDateEdit(QDateEdit):
    """A date that may be left empty (shown blank). ``value()`` is a ``date`` or ``None``."""

    def __init__(self, parent: QWidget | None = None, *, maximum: date | None = None):
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setMinimumDate(_EMPTY_DATE)
        self.setSpecialValueText(" ")
        if maximum is not None:
            self.setMaximumDate(QDate(maximum.year, maximum.month, maximum.day))
        self.setDate(_EMPTY_DATE)

    def value(self) -> date | None:
        d = self.date()
        return None if d == _EMPTY_DATE else date(d.year(), d.month(), d.day())

    def set_value(self, value: date | None) -> None:
        self.setDate(_EMPTY_DATE if value is None else QDate(value.year, value.month, value.day))


def qdate_to_date(d: QDate) -> date:
    return date(d.year(), d.month(), d.day())


def to_qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)
