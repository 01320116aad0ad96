"""案件列表的表格模型 — ``CaseTableModel`` pages through ``case_query.search_cases`` in the background.

Rows arrive ``PAGE`` at a time: the first page (with the total count) after every search or sort,
further pages when the view scrolls to the bottom (``canFetchMore``/``fetchMore``). Queries run in
the background helper; a result that belongs to an older search (``generation``) is dropped.
"""

from __future__ import annotations

import uuid

from datetime import date
from decimal import Decimal
from typing import Any

from baihe_desk.services.case_query import CaseRow, count_cases, search_cases
from baihe_desk.storage.db import Database
from baihe_desk.ui.background import run_in_background
from baihe_desk.ui.qt import QAbstractTableModel, QModelIndex, QObject, Qt, Signal

PAGE = 200

# (header, sort key understood by case_query.search_cases or None = not sortable)
COLUMNS: list[tuple[str, str | None]] = [
    ("案号/收件号", "receipt_number"),
    ("案由", "cause_name"),
    ("原告", None),
    ("被告", None),
    ("阶段", "stage"),
    ("收件日期", "received_on"),
    ("标的额（元）", None),
    ("送达风险", None),
]
COL_NUMBER, COL_CAUSE, COL_PLAINTIFFS, COL_DEFENDANTS, COL_STAGE, COL_RECEIVED, COL_AMOUNT, COL_RISK = range(8)
RISK_TEXT = "⚠ 送达风险"
DEFAULT_SORT_COLUMN = COL_RECEIVED


def format_amount(value: Decimal | None) -> str:
    return "" if value is None else f"{value:,.2f}"


def format_date(value: date | None) -> str:
    return "" if value is None else f"{value.year}-{value.month:02d}-{value.day:02d}"


class CaseTableModel(QAbstractTableModel):
    """Plain ``CaseRow``s from the case query service, fetched in pages."""

    loading_changed = Signal(bool)
    total_changed = Signal(int)

    def __init__(self, db: Database, parent: QObject | None = None, *, page_size: int = PAGE):
        super().__init__(parent)
        self.db = db
        self.page_size = page_size
        self.rows: list[CaseRow] = []
        self.total = 0
        self.search_text = ""
        self.sort_column = DEFAULT_SORT_COLUMN
        self.descending = True
        self.generation = 0
        self.loading = False
        self.loaded_once = False
        self.risks: dict[uuid.UUID, list[str]] = {}  # 送达风险 reasons of the loaded rows (filing_risk)

    # -- Qt model interface ----------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return "点击按此列排序" if COLUMNS[section][1] else "此列不能排序"
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        col = index.column()
        if col == COL_RISK:
            return self._risk_data(row, role)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.display(row, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == COL_NUMBER and not row.has_case_number:
                return "尚未分配案号，显示的是收件号"
            if col in (COL_PLAINTIFFS, COL_DEFENDANTS):
                return self.display(row, col)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COL_AMOUNT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_NUMBER and not row.has_case_number:
            from baihe_desk.ui.qt import QtGui

            return QtGui.QBrush(QtGui.QColor("#5f6368"))
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    def _risk_data(self, row: CaseRow, role: int) -> Any:
        reasons = self.risks.get(row.id)
        if not reasons:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return RISK_TEXT
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return "\n".join(reasons)
        if role == Qt.ItemDataRole.ForegroundRole:
            from baihe_desk.ui.qt import QtGui

            return QtGui.QBrush(QtGui.QColor("#b3261e"))
        return None

    @staticmethod
    def display(row: CaseRow, col: int) -> str:
        return [
            row.number, row.cause_name, row.plaintiffs, row.defendants, row.stage.label,
            format_date(row.received_on), format_amount(row.claim_amount), "",
        ][col]

    def canFetchMore(self, parent: QModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self.loaded_once and not self.loading and len(self.rows) < self.total

    def fetchMore(self, parent: QModelIndex = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        self._query(offset=len(self.rows), with_count=False)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS) or COLUMNS[column][1] is None:
            return
        self.sort_column = column
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.refresh()

    @staticmethod
    def sortable(column: int) -> bool:
        return 0 <= column < len(COLUMNS) and COLUMNS[column][1] is not None

    # -- queries ---------------------------------------------------------------------------------
    def set_search(self, text: str) -> None:
        text = text.strip()
        if text == self.search_text and self.loaded_once:
            return
        self.search_text = text
        self.refresh()

    def refresh(self) -> None:
        """Re-run the query from the first page (after a search, a sort or a new case)."""
        self.generation += 1
        self._query(offset=0, with_count=True)

    def row_at(self, row: int) -> CaseRow | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def _query(self, *, offset: int, with_count: bool) -> None:
        gen = self.generation
        text, sort_key, desc, limit = self.search_text, COLUMNS[self.sort_column][1], self.descending, self.page_size

        def work(session, ctx):  # type: ignore[no-untyped-def]
            total = count_cases(session, text) if with_count else None
            rows = search_cases(session, text, offset=offset, limit=limit, sort=sort_key, descending=desc)
            from baihe_desk.ui.filing_risk import page_risks

            return total, rows, page_risks(session, [r.id for r in rows])

        self._set_loading(True)
        run_in_background(work, parent=self, db=self.db,
                          on_success=lambda result: self._arrived(gen, offset, *result),
                          on_finally=lambda: self._query_done(gen))

    def _query_done(self, gen: int) -> None:
        if gen == self.generation:
            self._set_loading(False)

    def _arrived(self, gen: int, offset: int, total: int | None, rows: list[CaseRow],
                 risks: dict[uuid.UUID, list[str]]) -> None:
        if gen != self.generation:
            return  # an older search; its results no longer apply
        if offset == 0:
            self.beginResetModel()
            self.risks = dict(risks)
            self.rows = list(rows)
            self.total = total if total is not None else len(rows)
            self.loaded_once = True
            self.endResetModel()
            self.total_changed.emit(self.total)
            return
        if offset != len(self.rows) or not rows:
            return
        self.beginInsertRows(QModelIndex(), offset, offset + len(rows) - 1)
        self.risks.update(risks)
        self.rows.extend(rows)
        self.endInsertRows()

    def _set_loading(self, on: bool) -> None:
        if self.loading != on:
            self.loading = on
            self.loading_changed.emit(on)
