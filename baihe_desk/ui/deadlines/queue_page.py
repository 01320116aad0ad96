"""我的待办 — the user's queue: overdue first, then by due date; each entry opens its case at the right step.

``open_requested(case_id, step)`` is emitted on Enter / double click / 打开案件 (the main window opens the
case at that step; the step keys are ``services.queues.STEP_LABELS``). The selected entry's days left,
how its date was counted and its legal basis show below the table. A trial-limit entry can have an
approved extension or a period not counted recorded (登记延长/扣除审限…). F5 refreshes.
"""

from __future__ import annotations

import uuid

from baihe_desk.config import Paths
from baihe_desk.models import User
from baihe_desk.services.common.permissions import Perm, allowed
from baihe_desk.services.deadlines import clocks, queues
from baihe_desk.storage.db import Database
from baihe_desk.ui.common.background import run_in_background
from baihe_desk.ui.common.qt import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QKeyEvent,
    QKeySequence,
    QLabel,
    QModelIndex,
    QPushButton,
    QShortcut,
    Qt,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
    Signal,
)
from baihe_desk.ui.common.widgets import named
from baihe_desk.ui.deadlines.queue_model import (
    COL_DETAIL,
    COL_LABEL,
    COL_PARTIES,
    QueueTableModel,
    entry_html,
)

FILTERS = (("all", "全部待办"), ("overdue", "已超期"), ("near", "临期"), ("mine", "我办理的"), ("waiting", "等待他人"))


class QueueTable(QTableView):
    """Whole-row selection; Enter opens the selected entry."""

    open_requested = Signal(QModelIndex)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_requested.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


def make_table(model: QueueTableModel, name: str, label: str) -> QueueTable:
    table = named(QueueTable(), name, label)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setTabKeyNavigation(False)
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    for col in (COL_LABEL, COL_PARTIES, COL_DETAIL):
        header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
    fm = table.fontMetrics()
    header.resizeSection(COL_LABEL, fm.horizontalAdvance("执行咨询回复期限（（2026）吉7502执咨1号）"))
    header.resizeSection(COL_PARTIES, fm.horizontalAdvance("王堃、李喆玥 诉 刘䶮"))
    header.resizeSection(COL_DETAIL, fm.horizontalAdvance("七日立案期限至 2026-12-31，剩余 3 日") + 12)
    return table


class QueuePage(QWidget):
    """我的待办. ``QueuePage(db, paths, user)``; ``user`` is detached from sessions."""

    open_requested = Signal(object, str)  # case id, step key
    loaded = Signal()

    def __init__(self, db: Database, paths: Paths, user: User, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.paths, self.user = db, paths, user
        self.setObjectName("queuePage")
        clocks.providers()  # import every workflow's models here, before any worker thread queries
        self.all_entries: list[queues.QueueEntry] = []
        self.loading = False

        self.summary = QLabel("正在加载…")
        self.summary.setObjectName("queueSummary")
        self.filter = named(QComboBox(), "queueFilter", "筛选待办")
        for key, text in FILTERS:
            self.filter.addItem(text, key)
        self.refresh_button = named(QPushButton("刷新(F5)"), "queueRefresh", "刷新待办")
        self.model = QueueTableModel(self)
        self.table = make_table(self.model, "queueTable", "我的待办")
        self.detail = named(QTextBrowser(), "queueDetail", "所选事项的期限、计算过程和法律依据")
        self.detail.setMaximumHeight(230)
        self.open_button = named(QPushButton("打开案件(&O)"), "queueOpen", "在相应办理环节打开所选案件",
                                 tip="Enter 或双击也可打开")
        self.limit_button = named(QPushButton("登记延长/扣除审限(&L)…"), "queueTrialLimit", "登记延长审限或扣除审限")
        self.limit_button.setVisible(allowed(user, Perm.TRIAL_LIMIT_RECORD))

        top = QHBoxLayout()
        title = QLabel("我的待办")
        title.setObjectName("queueTitle")
        title.setStyleSheet("font-size: 15pt; font-weight: bold;")
        top.addWidget(title)
        top.addWidget(self.summary, 1)
        top.addWidget(self.filter)
        top.addWidget(self.refresh_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.limit_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.detail)
        self.setFocusProxy(self.table)

        self.filter.currentIndexChanged.connect(lambda _i: self._apply_filter())
        self.refresh_button.clicked.connect(self.refresh)
        self.table.open_requested.connect(self._open_index)
        self.table.doubleClicked.connect(self._open_index)
        self.open_button.clicked.connect(self.open_current)
        self.limit_button.clicked.connect(self.edit_trial_limit)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._show_detail(cur.row()))
        refresh = QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self, self.refresh)
        refresh.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._update_buttons()
        self.refresh()

    # -- loading ----------------------------------------------------------------------------------
    def refresh(self) -> None:
        if self.loading:
            return
        self.loading = True
        self.refresh_button.setEnabled(False)
        user = self.user

        def work(session, ctx):  # type: ignore[no-untyped-def]
            return queues.my_queue(session, user, progress=lambda d, t, label: ctx.progress(d, t, label))

        run_in_background(work, parent=self, db=self.db, on_success=self._loaded, on_finally=self._done,
                          progress="正在汇总待办事项…")

    def _done(self) -> None:
        self.loading = False
        self.refresh_button.setEnabled(True)

    def _loaded(self, entries: list[queues.QueueEntry]) -> None:
        self.all_entries = entries
        overdue = sum(e.urgency == "overdue" for e in entries)
        near = sum(e.urgency == "near" for e in entries)
        text = f"共 {len(entries)} 项，已超期 {overdue} 项，临期 {near} 项"
        self.summary.setText(text)
        self.summary.setAccessibleName(text)
        self._apply_filter()
        self.loaded.emit()

    def _apply_filter(self) -> None:
        key = self.filter.currentData()
        entries = self.all_entries
        if key in ("overdue", "near"):
            entries = [e for e in entries if e.urgency == key]
        elif key == "mine":
            entries = [e for e in entries if e.relation in ("mine", "team")]
        elif key == "waiting":
            entries = [e for e in entries if e.relation == "waiting"]
        self.model.set_entries(entries)
        if entries:
            self.table.setCurrentIndex(self.model.index(0, 0))
        else:
            self.detail.setHtml("<p>没有待办事项。</p>" if not self.all_entries else "<p>没有符合筛选条件的事项。</p>")
        self._update_buttons()

    # -- selection and opening --------------------------------------------------------------------
    def current_entry(self) -> queues.QueueEntry | None:
        return self.model.entry(self.table.currentIndex().row())

    def _show_detail(self, row: int) -> None:
        e = self.model.entry(row)
        if e is not None:
            self.detail.setHtml(entry_html(e))
        self._update_buttons()

    def _update_buttons(self) -> None:
        e = self.current_entry()
        self.open_button.setEnabled(e is not None)
        self.limit_button.setEnabled(e is not None and e.clock.kind == "trial_limit" and e.due is not None)

    def _open_index(self, index: QModelIndex) -> None:
        e = self.model.entry(index.row())
        if e is not None:
            self.open_requested.emit(e.case_id, e.step)

    def open_current(self) -> None:
        self._open_index(self.table.currentIndex())

    def edit_trial_limit(self) -> None:
        e = self.current_entry()
        if e is None or e.clock.kind != "trial_limit":
            return
        from baihe_desk.ui.deadlines.trial_limit import TrialLimitDialog

        dialog = TrialLimitDialog(self.db, self.user, e.case_id, e.case_ref, self)
        dialog.changed.connect(self.refresh)
        dialog.open()

    def select_case(self, case_id: uuid.UUID) -> bool:
        """Select the first entry of ``case_id`` (for tests and for returning from a case)."""
        for row, e in enumerate(self.model.entries):
            if e.case_id == case_id:
                self.table.setCurrentIndex(self.model.index(row, 0))
                return True
        return False
