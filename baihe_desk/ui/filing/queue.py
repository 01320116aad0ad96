"""待审查案件 — the filing window's own list: cases received and not yet decided, and cases waiting
for 补正, oldest first, with the 7-day filing clock (民事诉讼法第一百二十六条) and the days left;
an overdue case is red, one due within a day amber.
"""

from __future__ import annotations

from typing import Any

from baihe_desk.ui.cases.table_model import format_date
from baihe_desk.ui.common.list_detail import RowsModel
from baihe_desk.ui.common.qt import QModelIndex, Qt, QTableView, QtGui, Signal
from baihe_desk.ui.filing.state import QueueRow

RED, AMBER = "#b3261e", "#8a5a00"


def days_text(row: QueueRow) -> str:
    """立案期限 column: due date and days left; for 待补正 the correction deadline."""
    due = f"{row.due.month:02d}-{row.due.day:02d}" if row.due else ""
    if row.stage.value == "correction":
        if due and row.days_left is not None and row.days_left < 0:  # as the 工作台 says: 补正期限已届满
            return f"补正逾期 {-row.days_left} 日"  # short: the 当事人 column keeps its room; the date is in the tooltip
        return f"补正至 {due}" if due else "等待补正"
    if row.days_left is None:
        return due
    if row.overdue:
        return f"{due}（已超期 {-row.days_left} 日）"
    return f"{due}（{'今日届满' if row.days_left == 0 else f'剩余 {row.days_left} 日'}）"


class QueueModel(RowsModel):
    """The rows of ``state.load_queue`` (read by the review page)."""

    HEADERS = ("收件号/案号", "当事人", "状态", "立案期限")

    def cells(self, r: QueueRow) -> tuple[str, ...]:
        return (r.number, r.parties, r.status, days_text(r))

    def role_data(self, r: QueueRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            due = f"补正期限 {format_date(r.due)}；" if r.stage.value == "correction" and r.due else ""
            return f"{r.cause}；收到材料 {format_date(r.received_on)}；{due}{r.message}"
        if role == Qt.ItemDataRole.ForegroundRole:
            if r.overdue or (r.stage.value == "correction" and r.days_left is not None and r.days_left < 0):
                return QtGui.QBrush(QtGui.QColor(RED))
            if r.days_left is not None and r.days_left <= 1 and r.stage.value != "correction":
                return QtGui.QBrush(QtGui.QColor(AMBER))
        if role == Qt.ItemDataRole.UserRole:
            return r.case_id
        return None


class QueueTable(QTableView):
    """Enter or a double click opens the case: ``open_requested(case_id)``."""

    open_requested = Signal(object)  # case id

    def __init__(self) -> None:
        super().__init__()
        self.doubleClicked.connect(self._open)

    def _open(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_requested.emit(self.model().rows[index.row()].case_id)

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self._open(self.currentIndex())
            return
        super().keyPressEvent(event)
