"""输入防误 — guards against the traps a clerk meets on day one, for every page at once.

- :class:`WheelGuard` (installed once on the application by :func:`install_guards`): a combo box, spin
  box or date field changes with the mouse wheel only when it has the keyboard focus; otherwise the
  wheel scrolls the panel around it, as the clerk meant.
- :class:`InputSnapshot`: the pristine values of every input under a widget, restored when a page
  shows another case, so nothing typed or chosen for one case is left standing for the next.
- :func:`normalise_digits` / :func:`digits_field`: full-width digits and letters (１２３, ＡＢＣ) become
  half-width as they are typed; ID number, phone and amount fields keep the input method out.
"""

from __future__ import annotations

import unicodedata
import weakref
from typing import Any

from baihe_desk.ui.common.qt import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDateTimeEdit,
    QEvent,
    QLineEdit,
    QObject,
    QPlainTextEdit,
    QSpinBox,
    Qt,
    QTextEdit,
    QWidget,
    is_alive,
)

WHEEL_WIDGETS = (QComboBox, QAbstractSpinBox)
APP_KEYS = {(Qt.KeyboardModifier.ControlModifier | Qt.Key.Key_K).toCombined()}  # window shortcuts no field may take


class WheelGuard(QObject):
    """Application event filter: no wheel input for an unfocused combo box, spin box or date field."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        kind = event.type()
        if kind == QEvent.Type.Wheel:
            if isinstance(obj, WHEEL_WIDGETS) and not obj.hasFocus():
                parent = obj.parentWidget()
                while parent is not None:  # the panel around it scrolls instead
                    if not isinstance(parent, WHEEL_WIDGETS):
                        event.ignore()
                        QApplication.sendEvent(parent, event)
                        if event.isAccepted():
                            break
                    parent = parent.parentWidget()
                return True
        elif kind == QEvent.Type.ShortcutOverride and event.keyCombination().toCombined() in APP_KEYS:
            return True  # a line edit's own Ctrl+K (delete to end of line on Linux) must not hide the picker
        elif kind == QEvent.Type.Polish and isinstance(obj, WHEEL_WIDGETS):
            if obj.focusPolicy() == Qt.FocusPolicy.WheelFocus:  # the wheel must not grab the focus either
                obj.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        return False


_guard: WheelGuard | None = None


def install_guards(app: QApplication | None = None) -> WheelGuard:
    """Install the app-wide guards once (later calls return the installed one)."""
    global _guard
    if _guard is None:
        app = app or QApplication.instance()
        _guard = WheelGuard(app)
        app.installEventFilter(_guard)
        for w in app.allWidgets():  # widgets polished before the guard existed
            if isinstance(w, WHEEL_WIDGETS) and w.focusPolicy() == Qt.FocusPolicy.WheelFocus:
                w.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return _guard


# -- the inputs of a detail pane ------------------------------------------------------------------------

def _is_part(w: QWidget) -> bool:
    """An editor inside another input (a combo box's or spin box's line edit): restored with its owner."""
    parent = w.parentWidget()
    return parent is not None and isinstance(parent, (QComboBox, QAbstractSpinBox))


def _inputs(root: QWidget) -> list[QWidget]:
    out: list[QWidget] = []
    for w in root.findChildren(QWidget):
        if _is_part(w):
            continue
        if isinstance(w, QTextEdit) and w.isReadOnly():
            continue
        if isinstance(w, (QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QDateTimeEdit, QSpinBox)):
            out.append(w)
        elif isinstance(w, QAbstractButton) and w.isCheckable():
            out.append(w)
    return out


def input_value(w: QWidget) -> Any:
    """What an input holds (the comparable value a snapshot keeps)."""
    if hasattr(w, "snapshot_value"):
        return w.snapshot_value()
    if isinstance(w, QLineEdit):
        return w.text()
    if isinstance(w, QPlainTextEdit):
        return w.toPlainText()
    if isinstance(w, QTextEdit):
        return w.toHtml()
    if isinstance(w, QComboBox):
        return (w.currentIndex(), w.currentText() if w.isEditable() else None)
    if isinstance(w, QDateTimeEdit):
        return w.dateTime()
    if isinstance(w, QSpinBox):
        return w.value()
    if isinstance(w, QAbstractButton):
        return w.isChecked()
    return None


def set_input_value(w: QWidget, value: Any) -> None:
    if hasattr(w, "restore_value"):
        w.restore_value(value)
    elif isinstance(w, QLineEdit):
        w.setText(value)
    elif isinstance(w, QPlainTextEdit):
        w.setPlainText(value)
    elif isinstance(w, QTextEdit):
        w.setHtml(value)
    elif isinstance(w, QComboBox):
        index, text = value
        w.setCurrentIndex(index if index < w.count() else (-1 if w.count() == 0 else 0))
        if text is not None:
            w.setEditText(text)
    elif isinstance(w, QDateTimeEdit):
        w.setDateTime(value)
    elif isinstance(w, QSpinBox):
        w.setValue(value)
    elif isinstance(w, QAbstractButton):
        exclusive = w.autoExclusive()
        w.setAutoExclusive(False)
        w.setChecked(value)
        w.setAutoExclusive(exclusive)


class InputSnapshot:
    """The values of every input under ``roots`` when taken; ``restore()`` puts them back.

    Inputs made later (rebuilt per case) are not in it: whoever makes them fills them. Field errors
    (:class:`~baihe_desk.ui.common.forms.FieldBox`) under the roots are cleared too.
    """

    def __init__(self, *roots: QWidget):
        self.roots = [weakref.ref(r) for r in roots]
        self.values: list[tuple[Any, Any]] = [(weakref.ref(w), input_value(w)) for r in roots for w in _inputs(r)]

    def restore(self) -> None:
        for ref, value in self.values:
            w = ref()
            if w is not None and is_alive(w) and input_value(w) != value:
                set_input_value(w, value)
        for root_ref in self.roots:
            root = root_ref()
            if root is not None and is_alive(root):
                for box in root.findChildren(QWidget):
                    if type(box).__name__ == "FieldBox":  # forms.FieldBox (imports this module)
                        box.clear_error()


# -- full-width digits, input-method hints -----------------------------------------------------------------

def normalise_digits(text: str) -> str:
    """Full-width ASCII (０-９, Ａ-Ｚ, ａ-ｚ, －, ．, ＋) as half-width; everything else unchanged."""
    return "".join(unicodedata.normalize("NFKC", ch) if "\uff01" <= ch <= "\uff5e" else ch for ch in text)


def _normalise_edit(edit: QLineEdit, text: str) -> None:
    fixed = normalise_digits(text)
    if fixed != text:
        pos = edit.cursorPosition()
        edit.setText(fixed)
        edit.setCursorPosition(pos)


HINTS = {
    "id": Qt.InputMethodHint.ImhPreferUppercase | Qt.InputMethodHint.ImhNoPredictiveText
    | Qt.InputMethodHint.ImhPreferLatin | Qt.InputMethodHint.ImhSensitiveData,
    "phone": Qt.InputMethodHint.ImhDialableCharactersOnly | Qt.InputMethodHint.ImhNoPredictiveText,
    "amount": Qt.InputMethodHint.ImhFormattedNumbersOnly | Qt.InputMethodHint.ImhNoPredictiveText,
    "digits": Qt.InputMethodHint.ImhPreferNumbers | Qt.InputMethodHint.ImhNoPredictiveText,
}


def digits_field(edit: QLineEdit, kind: str = "digits") -> QLineEdit:
    """An ID number / phone / amount field: input-method hints for ``kind`` and full-width characters
    made half-width as they arrive (typed or committed by an input method)."""
    edit.setInputMethodHints(HINTS[kind])
    edit.textEdited.connect(lambda text: _normalise_edit(edit, text))
    return edit
