"""案件列表的表格模型 — ``CaseTableModel`` pages through ``case_query.search_cases`` in the background.

Rows arrive ``PAGE`` at a time. After every search or sort the first page comes first (for a search
the count follows in a second query, so the rows show before a slow count is done). Small results
grow as the view scrolls to the bottom (``canFetchMore``/``fetchMore``). A large result (more than
``random_access_from`` rows, e.g. the whole list of a million cases) switches to random access:
``rowCount`` is the total, the scroll bar spans every row, and ``data`` asks for the page of a row
it does not have yet (shown as “…” until it arrives). Page requests go LIFO with a small queue, so
dragging the scroll bar to the end fetches the pages at the end, not every page on the way; at most
``MAX_CACHED_PAGES`` pages are kept. Queries run in the background helper; a result that belongs to
an older search or sort (``generation``) is dropped.
"""

from __future__ import annotations

import uuid
from collections import OrderedDict
from datetime import date
from decimal import Decimal
from typing import Any

from baihe_desk.services.common.case_query import CaseRow, count_cases, estimate_count, search_cases
from baihe_desk.storage.db import Database
from baihe_desk.ui.common.background import run_in_background
from baihe_desk.ui.common.qt import QAbstractTableModel, QModelIndex, QObject, Qt, Signal

PAGE = 200
RANDOM_ACCESS_FROM = 5000  # results larger than this are shown with random-access paging
MAX_CACHED_PAGES = 60
MAX_IN_FLIGHT = 2  # page queries running at once (random access)
MAX_WANTED = 4  # pages waiting for a query; older wishes (rows scrolled past) are dropped
LOADING_TEXT = "…"

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
# Every role ``data`` answers for some cell (add a role here when a column starts answering it).
ANSWERED_ROLES = frozenset({
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.UserRole,
})


def format_amount(value: Decimal | None) -> str:
    return "" if value is None else f"{value:,.2f}"


def format_date(value: date | None) -> str:
    return "" if value is None else f"{value.year}-{value.month:02d}-{value.day:02d}"


ALIGN_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_BRUSHES: dict[str, Any] = {}


def _brush(color: str) -> Any:
    brush = _BRUSHES.get(color)
    if brush is None:
        from baihe_desk.ui.common.qt import QtGui

        brush = _BRUSHES[color] = QtGui.QBrush(QtGui.QColor(color))
    return brush


class CaseTableModel(QAbstractTableModel):
    """Plain ``CaseRow``s from the case query service, fetched in pages."""

    loading_changed = Signal(bool)
    total_changed = Signal(int)

    def __init__(self, db: Database, parent: QObject | None = None, *, page_size: int = PAGE,
                 random_access_from: int | None = None):
        super().__init__(parent)
        self.db = db
        self.page_size = page_size
        self.random_access_from = RANDOM_ACCESS_FROM if random_access_from is None else random_access_from
        self.rows: list[CaseRow] = []  # the rows loaded so far (growing mode)
        self.random_access = False
        self.pages: OrderedDict[int, list[CaseRow]] = OrderedDict()  # page number → rows (random access)
        self.wanted: OrderedDict[int, None] = OrderedDict()
        self.in_flight: set[int] = set()
        self.counted = False  # the total is the real count (not yet, while a search is being counted)
        self.risks: dict[uuid.UUID, list[str]] = {}  # 送达风险 reasons of the loaded rows (filing_risk)
        self.total = 0
        self.search_text = ""
        self.sort_column = DEFAULT_SORT_COLUMN
        self.descending = True
        self.generation = 0
        self.loading = False  # a first page, a next page or a count is on its way
        self.fetching = False
        self.counting = False
        self.estimate: int | None = None  # 共约 N 件 while a slow count is on its way
        self.loaded_once = False

    # -- Qt model interface ----------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        return self.total if self.random_access else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return "点击按此列排序" if COLUMNS[section][1] else "此列不能排序"
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in ANSWERED_ROLES or not index.isValid():
            return None  # a painted cell asks ~7 roles: the others cost no Python work
        r = index.row()
        return self._cell(self.row_at(r), r, index.column(), role)

    def _cell(self, row: CaseRow | None, r: int, col: int, role: int) -> Any:
        if row is None:
            return self._placeholder(r, col, role)
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
            return ALIGN_RIGHT
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_NUMBER and not row.has_case_number:
            return _brush("#5f6368")
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    def multiData(self, index: QModelIndex, roleDataSpan: Any) -> None:  # noqa: N802, N803 (Qt's names)
        """All the roles a painted cell asks for, in one call from Qt (Qt 6 delegates ask this way).

        Each call from Qt into Python must take the GIL; while a page loader thread runs Python, each
        take can wait up to the interpreter's switch interval. One call a cell instead of ~7 (a
        table repaint made ~1,500) keeps the UI thread from queueing behind the loaders (issue 9:
        stalls while scrolling a million rows)."""
        if not index.isValid():
            return
        r, col = index.row(), index.column()
        row = self.row_at(r)
        for i in range(roleDataSpan.size()):
            item = roleDataSpan[i]
            role = item.role()
            value = self._cell(row, r, col, role) if role in ANSWERED_ROLES else None
            if value is None:
                item.clearData()  # Qt reuses the span from cell to cell: a stale value would be painted
            else:
                item.setData(value)

    def _risk_data(self, row: CaseRow, role: int) -> Any:
        reasons = self.risks.get(row.id)
        if not reasons:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return RISK_TEXT
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return "\n".join(reasons)
        if role == Qt.ItemDataRole.ForegroundRole:
            return _brush("#b3261e")
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    @staticmethod
    def display(row: CaseRow, col: int) -> str:
        return [
            row.number, row.cause_name, row.plaintiffs, row.defendants, row.stage.label,
            format_date(row.received_on), format_amount(row.claim_amount),
        ][col]

    def _placeholder(self, row: int, col: int, role: int) -> Any:
        if not (self.random_access and 0 <= row < self.total):
            return None
        self._want(row // self.page_size)
        if col == COL_NUMBER and role == Qt.ItemDataRole.DisplayRole:
            return LOADING_TEXT
        if col == COL_NUMBER and role == Qt.ItemDataRole.AccessibleTextRole:
            return "正在加载"
        return None

    def canFetchMore(self, parent: QModelIndex = QModelIndex()) -> bool:  # noqa: B008
        if parent.isValid() or self.random_access or not self.loaded_once or self.fetching:
            return False
        if self.counted:
            return len(self.rows) < self.total
        return len(self.rows) % self.page_size == 0 and bool(self.rows)  # the last page was full

    def fetchMore(self, parent: QModelIndex = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        self._query(offset=len(self.rows))

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
        self.wanted.clear()
        self.in_flight.clear()
        self.counting, self.estimate = False, None
        self._query(offset=0, with_count=not self.search_text)  # the whole list counts fast

    def row_at(self, row: int) -> CaseRow | None:
        if not self.random_access:
            return self.rows[row] if 0 <= row < len(self.rows) else None
        page = self.pages.get(row // self.page_size)
        i = row % self.page_size
        return page[i] if page is not None and i < len(page) else None

    def _page_work(self, offset: int, with_count: bool):  # type: ignore[no-untyped-def]
        text, sort_key, desc, limit = self.search_text, COLUMNS[self.sort_column][1], self.descending, self.page_size
        known_total = self.total if self.counted else None

        def work(session, ctx):  # type: ignore[no-untyped-def]
            from baihe_desk.ui.filing.risk import page_risks

            total = count_cases(session, text) if with_count else None
            rows = search_cases(session, text, offset=offset, limit=limit, sort=sort_key, descending=desc,
                                total=total if total is not None else known_total)
            return total, rows, page_risks(session, [r.id for r in rows])

        return work

    def _query(self, *, offset: int, with_count: bool = False) -> None:
        gen = self.generation
        self.fetching = True
        self._update_loading()
        run_in_background(self._page_work(offset, with_count), parent=self, db=self.db,
                          on_success=lambda result: self._arrived(gen, offset, *result),
                          on_finally=lambda: self._query_done(gen))

    def _query_done(self, gen: int) -> None:
        if gen == self.generation:
            self.fetching = False
            self._update_loading()

    def _count(self) -> None:
        """The count of a search, after its first page is shown: where the exact count reads every
        document (a common 1–2 character query), an estimate comes first (``estimate``), then the count."""
        gen, text = self.generation, self.search_text

        def guess(session, ctx):  # type: ignore[no-untyped-def]
            return estimate_count(session, text)

        def work(session, ctx):  # type: ignore[no-untyped-def]
            return count_cases(session, text)

        def exact() -> None:
            run_in_background(work, parent=self, db=self.db, on_success=lambda total: self._counted(gen, total),
                              on_finally=lambda: self._count_done(gen))

        self.counting = True
        self._update_loading()
        run_in_background(guess, parent=self, db=self.db, on_success=lambda n: self._estimated(gen, n),
                          on_finally=lambda: exact() if gen == self.generation else self._count_done(gen))

    def _estimated(self, gen: int, n: int | None) -> None:
        if gen == self.generation and n is not None and not self.counted:
            self.estimate = n
            self.total_changed.emit(self.total)

    def _count_done(self, gen: int) -> None:
        if gen == self.generation:
            self.counting = False
            self._update_loading()

    def _counted(self, gen: int, total: int) -> None:
        if gen != self.generation:
            return
        self._set_total(total)

    def _set_total(self, total: int) -> None:
        """The real count is known: grow, or switch to random access for a large result."""
        self.counted = True
        if total > self.random_access_from and not self.random_access:
            loaded = len(self.rows)
            self.pages = OrderedDict((p, self.rows[p * self.page_size:(p + 1) * self.page_size])
                                     for p in range((loaded + self.page_size - 1) // self.page_size))
            if loaded % self.page_size:  # a partial last page is fetched again when needed
                self.pages.popitem()
            if total > loaded:
                self.beginInsertRows(QModelIndex(), loaded, total - 1)
            self.random_access, self.total = True, total
            if total > loaded:
                self.endInsertRows()
        else:
            self.total = total
        self.total_changed.emit(self.total)

    # -- random access -----------------------------------------------------------------------------
    def _want(self, page: int) -> None:
        if page in self.pages or page in self.in_flight:
            return
        self.wanted.pop(page, None)
        self.wanted[page] = None
        while len(self.wanted) > MAX_WANTED:
            self.wanted.popitem(last=False)  # scrolled past long ago
        self._pump()

    def _pump(self) -> None:
        while self.wanted and len(self.in_flight) < MAX_IN_FLIGHT:
            page, _ = self.wanted.popitem(last=True)  # the newest wish first
            self.in_flight.add(page)
            gen = self.generation
            run_in_background(self._page_work(page * self.page_size, False), parent=self, db=self.db,
                              on_success=lambda result, page=page, gen=gen: self._page_arrived(gen, page, *result),
                              on_finally=lambda page=page, gen=gen: self._page_done(gen, page))

    def _page_done(self, gen: int, page: int) -> None:
        if gen == self.generation:
            self.in_flight.discard(page)
            self._pump()

    def _page_arrived(self, gen: int, page: int, _total: int | None, rows: list[CaseRow],
                      risks: dict[uuid.UUID, list[str]] | None = None) -> None:
        if gen != self.generation or not rows:
            return
        self.pages[page] = rows
        self.pages.move_to_end(page)
        while len(self.pages) > MAX_CACHED_PAGES:
            self.pages.popitem(last=False)
        self.risks.update(risks or {})
        first = page * self.page_size
        self.dataChanged.emit(self.index(first, 0), self.index(first + len(rows) - 1, len(COLUMNS) - 1))

    def _arrived(self, gen: int, offset: int, total: int | None, rows: list[CaseRow],
                 risks: dict[uuid.UUID, list[str]] | None = None) -> None:
        if gen != self.generation:
            return  # an older search; its results no longer apply
        if offset == 0:
            self.beginResetModel()
            self.rows = list(rows)
            self.risks = dict(risks or {})
            self.random_access, self.pages, self.counted = False, OrderedDict(), False
            self.total = len(rows)
            self.loaded_once = True
            self.endResetModel()
            if total is not None:
                self._set_total(total)
            elif len(rows) < self.page_size:
                self._set_total(len(rows))  # a short first page is the whole result
            else:
                self._count()
            return
        if self.random_access:  # the count switched the mode while this page was on its way
            if offset % self.page_size == 0:
                self._page_arrived(gen, offset // self.page_size, total, rows, risks)
            return
        if offset != len(self.rows):
            return
        if rows:
            self.beginInsertRows(QModelIndex(), offset, offset + len(rows) - 1)
            self.rows.extend(rows)
            self.risks.update(risks or {})
            self.endInsertRows()
        if not self.counted and len(rows) < self.page_size:
            self._set_total(len(self.rows))  # the end of a result still being counted

    def _update_loading(self) -> None:
        on = self.fetching or self.counting
        if self.loading != on:
            self.loading = on
            self.loading_changed.emit(on)
