"""诉前调解的表格模型 — plain rows from ``services.mediation_query`` shown in the two pages' tables.

Overdue mediations are drawn in red (and say 已超期 N 日 in words, so the state does not rest on colour).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from baihe_desk.services.mediation.query import MediationRow, WindowRow
from baihe_desk.ui.common.list_detail import RowsModel
from baihe_desk.ui.common.qt import QFont, Qt, QtGui

OVERDUE_RED = QtGui.QColor("#c62828")


def fmt_date(value: date | None) -> str:
    return "" if value is None else value.isoformat()


class _OverdueRows(RowsModel):
    """Rows whose ``overdue`` ones are drawn in bold red."""

    def role_data(self, row: Any, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and row.overdue:
            return OVERDUE_RED
        if role == Qt.ItemDataRole.FontRole and row.overdue:
            font = QFont()
            font.setBold(True)
            return font
        return super().role_data(row, column, role)


class WindowCasesModel(_OverdueRows):
    """The filing window's cases (not filed yet) with their mediation state."""

    HEADERS = ("收件号", "诉前调解", "案由", "原告", "被告", "收件日期")

    def cells(self, row: WindowRow) -> tuple[str, ...]:
        status = row.status.label if row.status else "未建议"
        if row.overdue:
            status = "调解期限已届满，待转立案"
        return (row.receipt_number, status, row.cause_name, row.plaintiffs, row.defendants, fmt_date(row.received_on))


class MyMediationsModel(_OverdueRows):
    """A mediator's cases: number, parties, the period (剩余天数; overdue red)."""

    HEADERS = ("民诉前调号", "期限", "到期日", "案由", "原告", "被告", "调解组织", "签收日期", "状态")

    def cells(self, row: MediationRow) -> tuple[str, ...]:
        return (row.mediation_number, row.period.text, fmt_date(row.period.due), row.cause_name, row.plaintiffs,
                row.defendants, row.organisation, fmt_date(row.accepted_on), row.status.label)
