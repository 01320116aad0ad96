"""Building blocks of the 系统管理 page: the tab (database, user, status line, saving with the refusals
marked next to their fields), one editor per declared setting, the status line."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from baihe_desk.errors import KnownError, ValidationError, ValidationErrors
from baihe_desk.models import User
from baihe_desk.services.admin.settings import SettingDef
from baihe_desk.storage.db import Database
from baihe_desk.ui.common.forms import FieldBox
from baihe_desk.ui.common.layout import shortcut
from baihe_desk.ui.common.list_detail import RowsModel
from baihe_desk.ui.common.qt import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QLineEdit,
    QSize,
    Qt,
    QTableView,
    QtWidgets,
    QWidget,
)
from baihe_desk.ui.common.widgets import buddy_label, named

UNCONFIRMED_COLOR = "#8a5300"
OK_COLOR = "#1b5e20"
ERROR_COLOR = "#b3261e"


def selected_row(view: QTableView) -> Any:
    """The row object selected in a table over a :class:`RowsModel` (None: nothing selected)."""
    model: RowsModel = view.model()  # type: ignore[assignment]
    rows = view.selectionModel().selectedRows() if view.selectionModel() else []
    return model.row(rows[0].row()) if rows else None


class WrapLabel(QLabel):
    """A word-wrapped label whose height follows its real width.

    A plain wrapped QLabel asks for the height of a narrow guess at its width, so in a form inside a
    scroll area every long note leaves a large empty gap under it.
    """

    def __init__(self, text: str = "", parent: QWidget | None = None):
        super().__init__(text, parent)
        self.setWordWrap(True)
        self._last_width = 0

    def _height(self) -> int:
        width = self.width() if self.width() > 50 else 600
        return self.heightForWidth(width)

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self._height())

    def minimumSizeHint(self) -> QSize:
        return QSize(50, self._height())

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().resizeEvent(event)
        if event.size().width() != self._last_width:
            self._last_width = event.size().width()
            self.updateGeometry()


class StatusLine(QLabel):
    """A one-line result message under a form (green when saved, red on an error)."""

    def __init__(self, object_name: str, parent: QWidget | None = None):
        super().__init__("", parent)
        self.setObjectName(object_name)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def ok(self, text: str) -> None:
        self.setStyleSheet(f"color: {OK_COLOR};")
        self.setText(text)

    def error(self, text: str) -> None:
        self.setStyleSheet(f"color: {ERROR_COLOR};")
        self.setText(text)


def note_html(defn: SettingDef, stored: bool = False) -> str:
    """The basis and, while an unconfirmed default is in use, the warning shown under a setting."""
    parts = []
    if not defn.confirmed and defn.note and not stored:
        parts.append(f"<span style='color:{UNCONFIRMED_COLOR}'>⚠ {defn.note}</span>")
    elif not defn.confirmed and stored:
        parts.append(f"<span style='color:{OK_COLOR}'>本院已设置。</span>")
    elif defn.note:
        parts.append(defn.note)
    if defn.basis:
        parts.append(f"<span style='color:#555'>依据：{defn.basis}</span>")
    return "<br>".join(parts)


def note_label(defn: SettingDef) -> WrapLabel | None:
    text = note_html(defn)
    if not text:
        return None
    label = WrapLabel(text)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setObjectName(f"note_{defn.key}")
    return label


def _display(value: Any) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    if isinstance(value, list):
        return "、".join(value)
    return "" if value is None else str(value)


class SettingField:
    """The editor of one declared setting: the input inside a FieldBox, with its unit and note."""

    def __init__(self, defn: SettingDef):
        self.defn = defn
        name = "setting_" + defn.key.replace(".", "_")
        if defn.kind == "int":
            spin = QtWidgets.QSpinBox()
            spin.setRange(int(defn.minimum or 0), int(defn.maximum if defn.maximum is not None else 9999))
            if defn.unit:
                spin.setSuffix(f" {defn.unit}")
            self.input: QWidget = named(spin, name, defn.label)
        elif defn.kind == "bool":
            self.input = named(QCheckBox("启用"), name, defn.label)
        elif defn.kind == "names" and defn.one_per_line:
            edit = named(QtWidgets.QPlainTextEdit(), name, defn.label)
            edit.setTabChangesFocus(True)
            edit.setMaximumHeight(edit.fontMetrics().lineSpacing() * 7)
            self.input = edit
        elif defn.kind == "choice":
            combo = named(QComboBox(), name, defn.label)
            for value, label in defn.choices:
                combo.addItem(label, value)
            self.input = combo
        else:
            self.input = named(QLineEdit(), name, defn.label)
        self.box = FieldBox(self.input)
        self.label = buddy_label(f"{defn.label}：", self.input)
        self.note = note_label(defn)
        self.row = QWidget()
        line = QHBoxLayout(self.row)
        line.setContentsMargins(0, 0, 0, 0)
        narrow = defn.kind in ("int", "decimal", "choice") or (defn.kind == "text" and defn.max_length <= 12)
        if narrow:
            self.input.setMaximumWidth(320 if defn.kind == "choice" else 200)
        line.addWidget(self.box, 0 if narrow else 1)
        if defn.unit and defn.kind == "decimal":
            line.addWidget(QLabel(defn.unit))
        if narrow:
            line.addStretch(1)

    def set_stored(self, stored: bool) -> None:
        """Show whether the court has set this value (the unconfirmed-default warning goes away)."""
        if self.note is not None:
            self.note.setText(note_html(self.defn, stored))

    def set_value(self, value: Any) -> None:
        w = self.input
        if isinstance(w, QtWidgets.QSpinBox):
            w.setValue(int(value))
        elif isinstance(w, QCheckBox):
            w.setChecked(bool(value))
        elif isinstance(w, QComboBox):
            w.setCurrentIndex(max(0, w.findData(value)))
        elif isinstance(w, QtWidgets.QPlainTextEdit):
            w.setPlainText("\n".join(value))
        else:
            w.setText(_display(value))  # type: ignore[attr-defined]

    def value(self) -> Any:
        w = self.input
        if isinstance(w, QtWidgets.QSpinBox):
            return w.value()
        if isinstance(w, QCheckBox):
            return w.isChecked()
        if isinstance(w, QComboBox):
            return w.currentData()
        if isinstance(w, QtWidgets.QPlainTextEdit):
            return w.toPlainText()
        return w.text()  # type: ignore[attr-defined]


def field_errors(exc: KnownError) -> list[ValidationError]:
    if isinstance(exc, ValidationErrors):
        return list(exc.errors)
    if isinstance(exc, ValidationError):
        return [exc]
    return []


def show_field_errors(exc: KnownError, boxes: dict[str, FieldBox], status: StatusLine) -> None:
    """Put each field error next to its field (by Chinese label); the whole message in the status line."""
    per_box: dict[int, tuple[FieldBox, list[str]]] = {}
    for err in field_errors(exc):
        box = boxes.get(err.field) or boxes.get(err.key)
        if box is not None:
            per_box.setdefault(id(box), (box, []))[1].append(err.reason)
    for box, reasons in per_box.values():
        box.set_error("；".join(dict.fromkeys(reasons)))
    status.error(exc.message)


class AdminTab(QWidget):
    """A tab of 系统管理: ``db``, ``user``, the ``status`` line, ``fields`` (the declared settings edited, by
    key) and ``boxes`` (the Chinese label of a field → its :class:`FieldBox`, where a refused value is marked)."""

    def __init__(self, db: Database, user: User, name: str, status: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName(name)
        self.db, self.user = db, user
        self.boxes: dict[str, FieldBox] = {}
        self.fields: dict[str, SettingField] = {}
        self.status = StatusLine(status)

    def add_setting(self, form: QFormLayout, defn: SettingDef, *, note: bool = True) -> SettingField:
        """A row of ``form`` editing the declared setting ``defn`` (and its note under it)."""
        f = SettingField(defn)
        self.fields[defn.key] = f
        self.boxes[defn.label] = f.box
        form.addRow(f.label, f.row)
        if note and f.note is not None:
            form.addRow("", f.note)
        return f

    def save_on_ctrl_s(self, save: Callable[[], Any]) -> None:
        shortcut(self, QKeySequence.StandardKey.Save, save)  # Ctrl+S saves the tab in focus

    def clear_errors(self) -> None:
        for box in self.boxes.values():
            box.clear_error()

    def save_fields(self, fn: Callable[[Session], Any]) -> tuple[bool, Any]:
        """Clear the marks and run ``fn(session)`` in one write transaction: ``(True, its result)``, or
        ``(False, None)`` with every refused value marked next to its field and the message below."""
        self.clear_errors()
        try:
            with self.db.transaction() as s:
                return True, fn(s)
        except KnownError as exc:
            show_field_errors(exc, self.boxes, self.status)
            return False, None

    def write(self, fn: Callable[[Session], Any], done: str) -> bool:
        """Run ``fn(session)`` in one write transaction, then ``refresh()`` and say ``done``; a refusal is said
        in the status line."""
        try:
            with self.db.transaction() as s:
                fn(s)
        except KnownError as exc:
            self.status.error(exc.message)
            return False
        self.refresh()  # type: ignore[attr-defined]  # the tabs that write have a list to read again
        self.status.ok(done)
        return True
