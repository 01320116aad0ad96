"""待审查案件 — the filing window's own list: cases received and not yet decided, and cases waiting
for 补正, oldest first, with the 7-day filing clock (民事诉讼法第一百二十六条) and the days left;
an overdue case is red, one due within a day amber.
"""

from __future__ import annotations

from typing import Any

from baihe_desk.storage.db import Database
from baihe_desk.ui.cases.table_model import format_date
from baihe_desk.ui.common.background import run_in_background
from baihe_desk.ui.common.qt import (
    QAbstractItemView,
    QAbstractTableModel,
    QHeaderView,
    QModelIndex,
    QObject,
    Qt,
    QTableView,
    QtGui,
    Signal,
)
from baihe_desk.ui.common.widgets import named
from baihe_desk.ui.filing.state import QueueRow, load_queue

RED, AMBER = "#b3261e", "#8a5a00"


def days_text(row: QueueRow) -> str:
    """立案期限 column: due date and days left; for 待补正 the correction deadline."""
    due = f"{row.due.month:02d}-{row.due.day:02d}" if row.due else ""
    if row.stage.value == "correction":
        return f"补正至 {due}" if due else "等待补正"
    if row.days_left is None:
        return due
    if row.overdue:
        return f"{due}（已超期 {-row.days_left} 日）"
    return f"{due}（{'今日届满' if row.days_left == 0 else f'剩余 {row.days_left} 日'}）"


class QueueModel(QAbstractTableModel):
    HEADERS = ("收件号/案号", "当事人", "状态", "立案期限")
    loaded = Signal()

    def __init__(self, db: Database, parent: QObject | None = None):
        super().__init__(parent)
        self.db = db
        self.rows: list[QueueRow] = []
        self.generation = 0
        self.loading = False

    def refresh(self) -> None:
        self.generation += 1
        gen = self.generation
        self.loading = True
        run_in_background(lambda s, _c: load_queue(s), parent=self, db=self.db,
                          on_success=lambda rows: self._arrived(gen, rows))

    def _arrived(self, gen: int, rows: list[QueueRow]) -> None:
        if gen != self.generation:
            return
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()
        self.loading = False
        self.loaded.emit()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return (r.number, r.parties, r.status, days_text(r))[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{r.cause}；收到材料 {format_date(r.received_on)}。{r.message}"
        if role == Qt.ItemDataRole.ForegroundRole:
            if r.overdue:
                return QtGui.QBrush(QtGui.QColor(RED))
            if r.days_left is not None and r.days_left <= 1 and r.stage.value != "correction":
                return QtGui.QBrush(QtGui.QColor(AMBER))
        if role == Qt.ItemDataRole.UserRole:
            return r.case_id
        return None


class QueueTable(QTableView):
    open_requested = Signal(object)  # case id

    def __init__(self, model: QueueModel):
        super().__init__()
        named(self, "filingQueue", "待审查案件")
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.doubleClicked.connect(self._open)

    def _open(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_requested.emit(self.model().rows[index.row()].case_id)

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self._open(self.currentIndex())
            return
        super().keyPressEvent(event)
