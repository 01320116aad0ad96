"""诉前调解的表格模型 — plain rows from ``services.mediation_query`` shown in the two pages' tables.

Overdue mediations are drawn in red (and say 已超期 N 日 in words, so the state does not rest on colour).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from baihe_desk.services.mediation.query import MediationRow, WindowRow
from baihe_desk.ui.common.qt import QAbstractTableModel, QFont, QModelIndex, QObject, Qt, QtGui

OVERDUE_RED = QtGui.QColor("#c62828")


def fmt_date(value: date | None) -> str:
    return "" if value is None else value.isoformat()


class _RowsModel(QAbstractTableModel):
    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.rows: list[Any] = []

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def overdue(self, row: Any) -> bool:
        return False

    def cells(self, row: Any) -> tuple[str, ...]:
        raise NotImplementedError

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.cells(row)[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and self.overdue(row):
            return OVERDUE_RED
        if role == Qt.ItemDataRole.FontRole and self.overdue(row):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.UserRole:
            return row
        return None


class WindowCasesModel(_RowsModel):
    """The filing window's cases (not filed yet) with their mediation state."""

    HEADERS = ("收件号", "诉前调解", "案由", "原告", "被告", "收件日期")

    def overdue(self, row: WindowRow) -> bool:
        return row.overdue

    def cells(self, row: WindowRow) -> tuple[str, ...]:
        status = row.status.label if row.status else "未建议"
        if row.overdue:
            status = "调解期限已届满，待转立案"
        return (row.receipt_number, status, row.cause_name, row.plaintiffs, row.defendants, fmt_date(row.received_on))


class MyMediationsModel(_RowsModel):
    """A mediator's cases: number, parties, the period (剩余天数; overdue red)."""

    HEADERS = ("民诉前调号", "期限", "到期日", "案由", "原告", "被告", "调解组织", "签收日期", "状态")

    def overdue(self, row: MediationRow) -> bool:
        return row.overdue

    def cells(self, row: MediationRow) -> tuple[str, ...]:
        return (row.mediation_number, row.period.text, fmt_date(row.period.due), row.cause_name, row.plaintiffs,
                row.defendants, row.organisation, fmt_date(row.accepted_on), row.status.label)
