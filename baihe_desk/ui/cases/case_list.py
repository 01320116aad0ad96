"""案件列表 — search box (party name in 汉字 or 拼音, 案号/收件号, address), the paged table and the
count; Enter or a double click opens the read-only case detail.
"""

from __future__ import annotations

import uuid
from typing import Any

from baihe_desk.errors import KnownError
from baihe_desk.models import Stage
from baihe_desk.storage.db import Database
from baihe_desk.ui.cases.table_model import (
    COL_AMOUNT,
    COL_CAUSE,
    COL_DEFENDANTS,
    COL_NUMBER,
    COL_PLAINTIFFS,
    COL_RECEIVED,
    COL_STAGE,
    CaseTableModel,
)
from baihe_desk.ui.common.list_detail import rows_table
from baihe_desk.ui.common.qt import (
    QEvent,
    QHBoxLayout,
    QHeaderView,
    QKeyEvent,
    QKeySequence,
    QLabel,
    QLineEdit,
    QModelIndex,
    QObject,
    QShortcut,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
    Signal,
)
from baihe_desk.ui.common.widgets import named, show_known_error, single_shot

SEARCH_DELAY_MS = 250


class CaseTableView(QTableView):
    """The table: whole-row selection, Enter opens the case."""

    open_requested = Signal(QModelIndex)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_requested.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class CaseListPage(QWidget):
    """The 案件列表 page of the main window."""

    case_opened = Signal(object)  # uuid of the case whose detail was opened
    current_case_changed = Signal(object)  # uuid of the selected case, or None (for panels that follow it)

    def __init__(self, db: Database, parent: QWidget | None = None, *, user: Any = None, paths: Any = None):
        super().__init__(parent)
        self.db, self.user, self.paths = db, user, paths  # user/paths: the detail's 本案审计记录
        self.setObjectName("caseListPage")
        self.details: list[QWidget] = []

        self.search = named(QLineEdit(), "caseSearch", "搜索案件",
                            tip="输入当事人姓名或名称（汉字或拼音，如“王堃”“wangkun”“wk”）、案号、收件号或地址")
        self.search.setPlaceholderText("搜索：当事人姓名/名称（汉字或拼音）、案号、收件号、地址（Ctrl+F；F5 刷新）")
        self.search.setClearButtonEnabled(True)
        self.count_label = QLabel("正在加载…")
        self.count_label.setObjectName("caseCount")
        self.count_label.setMinimumWidth(110)
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        self.model = CaseTableModel(db, self)
        view = CaseTableView()
        header = named(view.horizontalHeader(), "caseTableHeader", "列标题（点击排序）")
        named(view.verticalHeader(), "caseTableRows", "行号")
        samples = {COL_NUMBER: "（2025）吉7502民诉前调1234号", COL_CAUSE: "机动车交通事故责任纠纷",
                   COL_STAGE: max((s.label for s in Stage), key=len), COL_RECEIVED: "2025-12-31",
                   COL_AMOUNT: "1,234,567.00"}
        widths = {col: samples.get(col, self.model.headerData(col, Qt.Orientation.Horizontal) + "　　")
                  for col in range(self.model.columnCount())}
        self.table = rows_table(self.model, "caseTable", "案件列表", view=view, resize=QHeaderView.ResizeMode.Interactive,
                                stretch_last=False, widths=widths, pad=24, alternating=True, wrap=False, tab_keys=False,
                                stretch=(COL_PLAINTIFFS, COL_DEFENDANTS))  # the names share what is left
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(self.model.sort_column, Qt.SortOrder.DescendingOrder)
        header.setHighlightSections(False)

        self._search_timer = single_shot(self, SEARCH_DELAY_MS, self._run_search)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self._search_now)
        self.search.installEventFilter(self)
        header.sectionClicked.connect(self._header_clicked)
        self.table.doubleClicked.connect(self.open_index)
        self.table.open_requested.connect(self.open_index)
        self.model.total_changed.connect(self._update_count)
        self.model.loading_changed.connect(self._update_count)
        self.model.modelReset.connect(self._select_first)
        self.model.modelReset.connect(self._update_count)  # a search's rows come before its count
        self.model.dataChanged.connect(self._rows_loaded)
        self.table.selectionModel().currentRowChanged.connect(
            lambda cur, _prev: self.current_case_changed.emit(self.current_case_id()))

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self.setFocusProxy(self.search)
        refresh = QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self, self.refresh)
        refresh.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.model.refresh()

    # -- search ----------------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _run_search(self) -> None:
        self.model.set_search(self.search.text())

    def _search_now(self) -> None:
        self._search_timer.stop()
        self._run_search()
        if self.model.rowCount():
            self.table.setFocus()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        # Down arrow in the search box moves into the results.
        if obj is self.search and event.type() == QEvent.Type.KeyPress and \
                event.key() == Qt.Key.Key_Down and self.model.rowCount():
            self.table.setFocus()
            if not self.table.currentIndex().isValid():
                self.table.selectRow(0)
            return True
        return super().eventFilter(obj, event)

    def refresh(self) -> None:
        self.model.refresh()

    def _update_count(self, *_args: object) -> None:
        if self.model.loading and not self.model.loaded_once:
            self.count_label.setText("正在加载…")
            return
        if self.model.counted:
            text = f"共 {self.model.total} 件"
        elif self.model.estimate is not None:  # a common 1–2 character search: its exact count reads every case
            text = f"共约 {self.model.estimate} 件（正在精确统计…）"
        else:
            text = "正在统计件数…"
        self.count_label.setText(text)
        self.count_label.setAccessibleName(text)

    def _rows_loaded(self, top: QModelIndex, bottom: QModelIndex, *_roles: object) -> None:
        """A page arrived (random access): if it holds the current row, panels may follow it now."""
        if top.row() <= self.table.currentIndex().row() <= bottom.row():
            self.current_case_changed.emit(self.current_case_id())

    def _select_first(self) -> None:
        if self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, 0))

    # -- sorting ---------------------------------------------------------------------------------
    def _header_clicked(self, column: int) -> None:
        header = self.table.horizontalHeader()
        if not self.model.sortable(column):
            header.setSortIndicator(self.model.sort_column,
                                    Qt.SortOrder.DescendingOrder if self.model.descending
                                    else Qt.SortOrder.AscendingOrder)
            return
        if column == self.model.sort_column:
            order = Qt.SortOrder.AscendingOrder if self.model.descending else Qt.SortOrder.DescendingOrder
        else:
            order = Qt.SortOrder.AscendingOrder
        header.setSortIndicator(column, order)
        self.model.sort(column, order)

    def current_case_id(self) -> uuid.UUID | None:
        row = self.model.row_at(self.table.currentIndex().row())
        return row.id if row is not None else None

    # -- detail ----------------------------------------------------------------------------------
    def open_index(self, index: QModelIndex) -> None:
        row = self.model.row_at(index.row())
        if row is not None:
            self.open_case(row.id)

    def open_case(self, case_id: uuid.UUID) -> QWidget | None:
        from baihe_desk.ui.cases.case_detail import CaseDetailDialog

        try:
            dlg = CaseDetailDialog(self.db, case_id, self, user=self.user, paths=self.paths)
        except KnownError as exc:
            show_known_error(self, exc)
            return None
        self.details = [d for d in self.details if d.isVisible()]
        self.details.append(dlg)
        dlg.show()
        self.case_opened.emit(case_id)
        return dlg
