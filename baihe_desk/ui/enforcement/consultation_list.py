"""执行咨询列表的表格模型 — plain ``ConsultRow``s (the judge's list and the bureau's queue), with the
reply clock coloured: overdue red, due within a working day amber."""

from __future__ import annotations

from typing import Any

from baihe_desk.models.enforcement import ConsultStatus
from baihe_desk.services.enforcement.queries import ConsultRow
from baihe_desk.ui.common.list_detail import RowsModel
from baihe_desk.ui.common.qt import Qt, QtGui

COLUMNS = ("编号", "状态", "回复期限", "案件", "当事人", "类别")
CLOCK_COLUMN = 2
COLORS = {"overdue": "#b3261e", "late": "#b3261e", "soon": "#8a5a00", "replied": "#1e6e37"}
STATS_STYLE = "color: #5f6368;"  # the statistics line above either list


def short_clock(row: ConsultRow) -> str:
    """The reply clock without its bracket ("剩余 10 个工作日（12-18 前）"): the list's 案件 column stays in
    sight beside it; the whole text is the cell's tooltip."""
    if not row.clock.text:
        return "—" if row.status is ConsultStatus.DRAFT else ""
    head = row.clock.text.split("（")[0]
    due = row.clock.due
    return f"{head}（{due:%m-%d} 前）" if row.status is ConsultStatus.SENT and due is not None else head


class ConsultListModel(RowsModel):
    HEADERS = COLUMNS

    def cells(self, row: ConsultRow) -> tuple[str, ...]:
        return (row.number, row.status.label, short_clock(row), f"{row.case_ref}　{row.cause}", row.parties,
                row.terms_kind.label.removeprefix("拟"))

    def role_data(self, row: ConsultRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and column == CLOCK_COLUMN and row.clock.level in COLORS:
            return QtGui.QBrush(QtGui.QColor(COLORS[row.clock.level]))
        if role == Qt.ItemDataRole.ToolTipRole and column == CLOCK_COLUMN:
            return row.clock.text
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None
