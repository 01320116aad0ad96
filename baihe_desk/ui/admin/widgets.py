"""Building blocks of the 系统管理 page: a table model over plain rows, one editor per declared setting,
and a status line. Nothing here talks to the database."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from baihe_desk.errors import KnownError, ValidationError, ValidationErrors
from baihe_desk.services.admin.settings import SettingDef
from baihe_desk.ui.common.forms import FieldBox
from baihe_desk.ui.common.qt import (
    QAbstractItemView,
    QAbstractTableModel,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QModelIndex,
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


class RowsModel(QAbstractTableModel):
    """A read-only table over a list of plain rows; ``columns`` are (header, row → text)."""

    def __init__(self, columns: Sequence[tuple[str, Callable[[Any], object]]], parent=None):  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row(self, index: int) -> Any:
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        value = self.columns[index.column()][1](self.rows[index.row()])
        return "" if value is None else str(value)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section][0]
        return None


def rows_table(model: RowsModel, object_name: str, accessible: str) -> QTableView:
    view = named(QTableView(), object_name, accessible)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setTabKeyNavigation(False)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    view.setAlternatingRowColors(True)
    return view


def selected_row(view: QTableView) -> Any:
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
