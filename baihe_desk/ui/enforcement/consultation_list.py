"""执行咨询列表的表格模型 — plain ``ConsultRow``s (the judge's list and the bureau's queue), with the
reply clock coloured: overdue red, due within a working day amber."""

from __future__ import annotations

from typing import Any

from baihe_desk.models.enforcement import ConsultStatus
from baihe_desk.services.enforcement.queries import ConsultRow
from baihe_desk.ui.common.qt import QAbstractTableModel, QModelIndex, QObject, Qt, QtGui

COLUMNS = ("编号", "状态", "回复期限", "案件", "当事人", "类别")
CLOCK_COLUMN = 2
COLORS = {"overdue": "#b3261e", "late": "#b3261e", "soon": "#8a5a00", "replied": "#1e6e37"}


class ConsultListModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.rows: list[ConsultRow] = []

    def set_rows(self, rows: list[ConsultRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            status = row.status.label
            return (row.number, status, row.clock.text or ("—" if row.status is ConsultStatus.DRAFT else ""),
                    f"{row.case_ref}　{row.cause}", row.parties, row.terms_kind.label.removeprefix("拟"))[col]
        if role == Qt.ItemDataRole.ForegroundRole and col == CLOCK_COLUMN and row.clock.level in COLORS:
            return QtGui.QBrush(QtGui.QColor(COLORS[row.clock.level]))
        if role == Qt.ItemDataRole.ToolTipRole and col == CLOCK_COLUMN:
            return row.clock.text
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    def row_of(self, consultation_id: object) -> int:
        return next((i for i, r in enumerate(self.rows) if r.id == consultation_id), -1)
